/**
 * Focus on the sync controls while the server answers, with the real components in a real Chromium (bundled by Vite
 * from renderer/src): "Sync now", "Sign in" and "Create account" were disabled (or, in the status bar, removed) for the
 * run, which dropped the focus to the page's body.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/core/ipc/handlers';
import { dispatch } from '../../electron/core/ipc/handlers';
import { answerHost, componentPagesForFile, focusedElement as focused, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { SyncStatusBar } from ${JSON.stringify(join(rendererSrc, 'sync/SyncStatusBar.tsx'))};
  import { SyncScreen } from ${JSON.stringify(join(rendererSrc, 'sync/SyncScreen.tsx'))};
  import { SyncSettings } from ${JSON.stringify(join(rendererSrc, 'sync/SyncSettings.tsx'))};
  import { useSync } from ${JSON.stringify(join(rendererSrc, 'sync/syncStore.ts'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.focusTest = { createElement, createRoot, SyncStatusBar, SyncScreen, SyncSettings, useSync, useShell };
`;

// A server is saved, nobody is signed in, the last run failed.
const status = `{ state: 'error', configured: true, signedInEmail: null, pendingCount: 0, deadCount: 0, deviceOnlyCount: 0,
  lastSyncUtcMs: null, lastError: 'The connection failed (fetch failed).', download: null, contentVersion: 0,
  serverContentVersion: null, contentOutdated: false, outboxLimit: 50000, outboxNearLimit: false }`;
const refusal = `{ ok: false, error: { code: 'network', message: 'The connection failed (fetch failed).' } }`;
/** Every sync call the components make is refused, as when the server cannot be reached, once the test answers it. */
const refusingHost = `{
  syncNow: ${heldAnswer(refusal)},
  syncSignIn: ${heldAnswer(refusal)},
  syncSignUp: ${heldAnswer(refusal)},
  syncDeadLetters: () => Promise.resolve({ ok: true, value: [] }),
}`;

const pageWith = componentPagesForFile(entry);

/** The component named `component` on a page whose host is `studyApi` (by default one that refuses every sync call); the store holds the status above. */
async function openWith(component: 'SyncStatusBar' | 'SyncScreen' | 'SyncSettings', studyApi = refusingHost): Promise<Page> {
  const page = await pageWith(studyApi, '<main id="main"><div id="root"></div></main>');
  await page.evaluate(`(() => {
    const t = window.focusTest;
    t.useSync.setState({ status: ${status}, busy: false });
    t.createRoot(document.getElementById('root')).render(t.createElement(t.${component}));
  })()`);
  return page;
}

describe('focus on the sync controls while the server answers', () => {
  it.each(['SyncStatusBar', 'SyncScreen'] as const)('"Sync now" in %s keeps the focus during the run, while the status says syncing, and after a failure', async (component) => {
    const page = await openWith(component);
    await page.getByRole('button', { name: 'Sync now' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.useSync.getState().busy')).toBe(true);
    expect(await focused(page)).toBe('Sync now');
    // Core's status event for the run that began.
    await page.evaluate(`window.focusTest.useSync.setState({ status: { ...${status}, state: 'syncing' } })`);
    expect(await focused(page)).toBe('Sync now');
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().errors.length')).toBe(1);
    expect(await focused(page)).toBe('Sync now');
    await page.close();
  });

  it.each(['Sign in', 'Create account'])('"%s" keeps the focus while the server answers and when it refuses', async (name) => {
    const page = await openWith('SyncSettings');
    await page.getByLabel('Email').fill('learner@example.com');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.useSync.getState().busy')).toBe(true);
    expect(await focused(page)).toBe(name);
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().errors.length')).toBe(1);
    expect(await focused(page)).toBe(name);
    await page.close();
  });

  it('a wrong email or short password is marked on its field, described by its message, and the first wrong field takes the focus', async () => {
    const page = await openWith('SyncSettings', '{ syncSignIn: () => { window.sent = true; return new Promise(() => {}); } }');
    const email = page.getByRole('textbox', { name: 'Email' });
    const password = page.getByLabel('Password');
    /** What a screen reader says after the name: invalid or not, and the description. */
    const described = (id: string) =>
      page.evaluate(`(() => {
        const field = document.getElementById('${id}');
        return [field.getAttribute('aria-invalid'), field.labels[0].textContent, document.getElementById(field.getAttribute('aria-describedby'))?.textContent];
      })()`);
    await email.fill('name@gmail');
    await password.fill('abc');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => described('sync-email')).toEqual(['true', 'Email', 'Email: enter an address such as name@example.com.']);
    expect(await described('sync-password')).toEqual(['true', 'Password', 'Password: use at least 6 characters.']);
    expect(await focused(page)).toBe('sync-email');

    // Enter in the field that already has the focus: the message is announced, since focusing it again says nothing.
    await email.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().politeMessage')).toBe('Email: enter an address such as name@example.com.');

    await email.fill('name@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => focused(page)).toBe('sync-password');
    expect(await described('sync-email')).toEqual([null, 'Email', undefined]);
    expect(await described('sync-password')).toEqual(['true', 'Password', 'Password: use at least 6 characters.']);
    expect(await page.evaluate('window.sent === true')).toBe(false);
    await page.close();
  });

  it.each([
    ['sync:configure', 'Server URL', 'sync-url', { url: `https://abcd.supabase.co/${'x'.repeat(2048)}`, anonKey: 'anon-key' }],
    ['sync:signIn', 'Email', 'sync-email', { email: `${'n'.repeat(320)}@example.com`, password: 'a long password' }],
    ['sync:signIn', 'Password', 'sync-password', { email: 'name@example.com', password: 'p'.repeat(1025) }],
  ])('%s: a length only core checks is refused on the %s field, which takes the focus, not in the error region', async (channel, label, fieldId, input) => {
    // Core's own refusal of this input (refused input never reaches a handler).
    const refused = await dispatch({} as Handlers, channel, input);
    expect(refused.ok).toBe(false);
    const answer = `() => Promise.resolve(${JSON.stringify(refused)})`;
    const page = await openWith('SyncSettings', `{ syncConfigure: ${answer}, syncCheckServer: ${answer}, syncSignIn: ${answer} }`);
    const labels: Record<string, string> = { url: 'Server URL', anonKey: 'Anon key', email: 'Email', password: 'Password' };
    for (const [key, value] of Object.entries(input)) await page.getByLabel(labels[key]!, { exact: true }).fill(value);
    await page.getByRole('button', { name: channel === 'sync:configure' ? 'Save server' : 'Sign in' }).click();
    await expect.poll(() => focused(page)).toBe(fieldId);
    const field = page.locator(`#${fieldId}`);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator(`#${fieldId}-error`);
    expect(await field.getAttribute('aria-describedby')).toBe(`${fieldId}-error`);
    expect(await message.textContent()).toBe(refused.ok ? null : refused.error.message);
    expect(await message.textContent()).toMatch(new RegExp(`^${label} must have at most \\d+ characters\\.$`));
    expect(await page.evaluate('window.focusTest.useShell.getState().errors')).toEqual([]);
    await page.close();
  });

  it.each([
    [{ ok: true, problem: null }, 'Server saved.'],
    [
      { ok: false, problem: 'The server refused the anon key. Copy the anon (public) key again from the project’s API settings.' },
      'Server saved. Warning: The server refused the anon key. Copy the anon (public) key again from the project’s API settings.',
    ],
  ])('Save server saves and checks the server at once, and says what the check found (%j)', async (check, said) => {
    const saved = `{ ...${status}, state: 'idle', lastError: null }`;
    const page = await openWith('SyncSettings', `{
        syncConfigure: (config) => { window.configured = config; return Promise.resolve({ ok: true, value: ${saved} }); },
        syncCheckServer: (config) => { window.checked = config; return Promise.resolve({ ok: true, value: ${JSON.stringify(check)} }); },
      }`);
    await page.getByLabel('Server URL').fill(' https://abcd.supabase.co ');
    await page.getByLabel('Anon key').fill('anon-key');
    await page.getByRole('button', { name: 'Save server' }).click();
    await page.getByText(said, { exact: true }).waitFor({ timeout: 5000 });
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().politeMessage')).toBe(said);
    const sent = { url: 'https://abcd.supabase.co', anonKey: 'anon-key' };
    expect(await page.evaluate('[window.configured, window.checked]')).toEqual([sent, sent]);
    await page.close();
  });

  it('the changes that could not be uploaded: Cancel gives the focus back to Discard, and Retry or Discard, which take their row, to the section heading', async () => {
    const letter = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, tableName: 'attempts', rowId: `row${n}-abcdef`, lastError: 'HTTP 400: refused', attemptCount: 5, tsUtcMs: 1, deadUtcMs: 2 });
    const page = await openWith('SyncScreen', `(() => {
        let letters = [${JSON.stringify(letter(1))}, ${JSON.stringify(letter(2))}];
        const change = ({ ids }) => {
          letters = letters.filter((l) => !ids.includes(l.id));
          return Promise.resolve({ ok: true, value: { changed: ids.length, status: ${status} } });
        };
        return { syncDeadLetters: () => Promise.resolve({ ok: true, value: letters }), syncRetryDead: change, syncDiscardDead: change };
      })()`);
    const discard = page.getByRole('button', { name: 'Discard attempts row1-abc' });
    await discard.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('Yes, discard');
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');
    await expect.poll(() => focused(page)).toBe('Discard');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Discard attempts row1-abc');

    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Yes, discard' }).press('Enter');
    await expect.poll(() => focused(page)).toBe('dead-heading');
    await page.getByRole('button', { name: 'Discard attempts row1-abc' }).waitFor({ state: 'detached', timeout: 5000 });

    await page.getByRole('button', { name: 'Retry attempts row2-abc' }).press('Enter');
    await page.getByText('None: every change was uploaded or is waiting its turn.').waitFor({ timeout: 5000 });
    await expect.poll(() => focused(page)).toBe('dead-heading');
    await page.close();
  });

  it('Create account on a server that asks to confirm the address says so as a notice, not "Account created and signed in." nor the last sync error', async () => {
    const confirm = 'Account created for learner@example.com: confirm the address from the email the server sent, then sign in.';
    // Core answers the status as it was (the notice is not a sync error): its lastError is the last run's, from before.
    const page = await openWith('SyncSettings', `{ syncSignUp: () => Promise.resolve({ ok: true, value: ${status} }) }`);
    await page.getByLabel('Email').fill('learner@example.com');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(confirm, { exact: true }).waitFor({ timeout: 5000 });
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().politeMessage')).toBe(confirm);
    // Nobody is signed in: the form stays, with the password for the Sign in after the confirmation.
    expect(await page.getByLabel('Password').inputValue()).toBe('a long password');
    expect(await focused(page)).toBe('Create account');
    await page.close();
  });

  it('signing in, then out, moves the focus to the Account heading (the button pressed goes with the form it was in)', async () => {
    const signedIn = `{ ...${status}, state: 'idle', lastError: null, signedInEmail: 'learner@example.com' }`;
    const page = await openWith('SyncSettings', `{ syncSignIn: () => Promise.resolve({ ok: true, value: ${signedIn} }), syncSignOut: () => Promise.resolve({ ok: true, value: ${status} }) }`);
    await page.getByLabel('Email').fill('learner@example.com');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Sign in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 5000 });
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('account-heading');
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Email').waitFor({ timeout: 5000 });
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('account-heading');
    await page.close();
  });
});
