import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { credentialsSchema } from '../../../shared/ipc/features/sync';
import { asSentence } from '../../../shared/sentence';
import { describeDownload, describeSync, detailsAsSentences, syncAnnouncement, validateAccountForm, validateServerForm } from './syncText';

const base: SyncStatus = {
  state: 'idle',
  configured: true,
  signedInEmail: 'learner@example.com',
  pendingCount: 0,
  deadCount: 0,
  deviceOnlyCount: 0,
  lastSyncUtcMs: 0,
  lastError: null,
  download: null,
  contentVersion: 1,
  serverContentVersion: 1,
  contentOutdated: false,
  outboxLimit: 50_000,
  outboxNearLimit: false,
};
const time = (ms: number) => `T${ms}`;

describe('describeSync', () => {
  it('says when sync is not set up, offline, syncing with progress, or failed', () => {
    expect(describeSync({ ...base, configured: false, state: 'disabled' }, time).headline).toBe('Sync is not set up: everything is saved on this device');
    expect(describeSync({ ...base, state: 'offline' }, time).headline).toMatch(/^Offline/);
    expect(describeSync({ ...base, state: 'syncing', download: null }, time).headline).toBe('Syncing…');
    expect(describeSync({ ...base, state: 'syncing', download: { done: 10, total: 40 } }, time).headline).toBe('Downloading content… 10 of 40 items');
    expect(describeSync({ ...base, state: 'error', lastError: 'Server said no' }, time)).toEqual({
      headline: 'Sync failed',
      details: ['Last synced T0', 'Last error: Server said no'],
    });
  });

  it('shows no counts without a server: changes kept for a later sync are not unsaved work', () => {
    const off = describeSync({ ...base, configured: false, state: 'disabled', pendingCount: 182, deviceOnlyCount: 4 }, time);
    expect(off).toEqual({ headline: 'Sync is not set up: everything is saved on this device', details: [] });
  });

  it('counts pending and dead changes in words', () => {
    const { headline, details } = describeSync({ ...base, pendingCount: 1, deadCount: 3, lastSyncUtcMs: null }, time);
    expect(headline).toBe('Waiting to sync');
    expect(details).toEqual(['1 change waiting to upload', '3 changes could not be uploaded', 'Never synced']);
  });

  it('counts changes kept on this device only apart from failures, in one sentence', () => {
    const { headline, details } = describeSync({ ...base, deviceOnlyCount: 2 }, time);
    expect(headline).toBe('Up to date');
    expect(details).toEqual([
      '2 changes stay on this device only: practice on a local pack or the built-in sample, which the server does not have',
      'Last synced T0',
    ]);
    expect(details.join(' ')).not.toMatch(/could not|failed/);
  });
});

describe('describeDownload', () => {
  it('counts what arrived so far when the total is unknown, and never says "of null"', () => {
    expect(describeDownload({ done: 0, total: null })).toBe('Downloading content… 0 items so far');
    expect(describeDownload({ done: 1, total: null })).toBe('Downloading content… 1 item so far');
    expect(describeDownload({ done: 2500, total: null })).toBe('Downloading content… 2500 items so far');
    expect(describeDownload({ done: 1, total: 1 })).toBe('Downloading content… 1 of 1 item');
  });
});

describe('asSentence', () => {
  it('ends a headline with one full stop, never after an ellipsis', () => {
    expect(asSentence('Up to date')).toBe('Up to date.');
    expect(asSentence('Syncing…')).toBe('Syncing…');
    expect(asSentence('Downloading content… 3 items so far')).toBe('Downloading content… 3 items so far.');
    expect(asSentence('Sync failed.')).toBe('Sync failed.');
  });
});

describe('validateServerForm', () => {
  it('accepts an https address and a key', () => {
    expect(validateServerForm('https://abcd.supabase.co', 'key')).toEqual({});
    expect(validateServerForm(' http://127.0.0.1:54321 ', 'key')).toEqual({});
  });

  it('names the wrong field and says what to enter', () => {
    expect(validateServerForm('not a url', 'key').url).toMatch(/“not a url” is not a web address/);
    expect(validateServerForm('javascript:alert(1)', 'key').url).toMatch(/not a web address/);
    expect(validateServerForm('file:///etc/passwd', 'key').url).toMatch(/not a web address/);
    expect(validateServerForm('https://user:pw@host.example', 'key').url).toMatch(/user name or password/);
    expect(validateServerForm('', 'key').url).toMatch(/empty/);
    expect(validateServerForm('https://abcd.supabase.co', ' ').anonKey).toMatch(/Anon key is empty/);
  });
});

describe('detailsAsSentences', () => {
  it('ends each detail with one full stop, also an error message that brings its own', () => {
    const failed = describeSync({ ...base, state: 'error', lastSyncUtcMs: null, lastError: 'The connection failed (fetch failed).' }, time);
    expect(detailsAsSentences(failed.details)).toBe('Never synced. Last error: The connection failed (fetch failed).');
    expect(detailsAsSentences(['Never synced', 'Last error: Server said no'])).toBe('Never synced. Last error: Server said no.');
  });
});

describe('validateAccountForm', () => {
  it('refuses, with a sentence on its field, the addresses and passwords core refuses, and lets through those it takes', () => {
    const password = 'a long password';
    const emails = ['name@example.com', 'first.last+tag@mail.example.co.uk', 'name@gmail', 'a@b.c', 'name@', '@example.com', 'na me@example.com', 'name@@example.com', 'name@example.c0m'];
    for (const email of emails) {
      const coreTakes = credentialsSchema.safeParse({ email, password }).success;
      expect(validateAccountForm(email, password), email).toEqual(coreTakes ? {} : { email: 'Email: enter an address such as name@example.com.' });
    }
    // The longest password is the contract's to check: core's refusal is shown on the field.
    for (const length of [5, 6, 1024]) {
      const coreTakes = credentialsSchema.safeParse({ email: 'name@example.com', password: 'p'.repeat(length) }).success;
      expect(validateAccountForm('name@example.com', 'p'.repeat(length)).password === undefined, `${length} characters`).toBe(coreTakes);
    }
  });

  it('names every wrong field at once', () => {
    expect(validateAccountForm('name@gmail', 'abc')).toEqual({
      email: 'Email: enter an address such as name@example.com.',
      password: 'Password: use at least 6 characters.',
    });
  });
});

describe('syncAnnouncement', () => {
  it('says "Sync started." as a run the learner asked for starts, and how every run ended', () => {
    expect(syncAnnouncement(base, { ...base, state: 'syncing' }, true)).toBe('Sync started.');
    expect(syncAnnouncement(base, { ...base, state: 'syncing' }, false)).toBeNull();
    expect(syncAnnouncement({ ...base, state: 'syncing' }, base, false)).toBe('Sync finished.');
    expect(syncAnnouncement({ ...base, state: 'syncing' }, { ...base, state: 'offline' }, false)).toBe('Sync: offline.');
    expect(syncAnnouncement({ ...base, state: 'syncing' }, { ...base, state: 'error' }, false)).toBe('Sync failed.');
    expect(syncAnnouncement(base, base, true)).toBeNull();
    expect(syncAnnouncement(null, { ...base, state: 'syncing' }, true)).toBeNull();
  });
});

describe('the outbox cap', () => {
  it('warns as the upload queue nears its cap', () => {
    const near = describeSync({ ...base, pendingCount: 45_000, outboxNearLimit: true }, time);
    expect(near.details).toContain('The upload queue is nearly full (45000 of 50000): connect and sync so no change has to wait');
    expect(describeSync({ ...base, pendingCount: 10 }, time).details.join(' ')).not.toMatch(/nearly full/);
  });
});
