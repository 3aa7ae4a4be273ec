/**
 * electron-store's clearInvalidConfig would silently start over on an unreadable config file, losing the encrypted
 * refresh token. The host keeps a copy of the file first and tells the learner they must sign in again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keepUnreadableConfig } from '../../electron/main/settings';
import { recorded, startHostOnFake, quitHostOnFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
vi.mock('electron-store', async () => ({ default: (await import('./fake-electron')).FakeStore }));

/** A config file cut off mid-write, with an encrypted refresh token in it. */
const damaged = '{"secrets":{"refresh_token":"bmVrb3Qtd2VyY2Vz"},"settings":{"theme":"da';
let userData: string;

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'study-electron-config-'));
  writeFileSync(join(userData, 'study-desk.json'), damaged);
  await startHostOnFake(userData);
});

afterAll(async () => {
  await quitHostOnFake();
  rmSync(userData, { recursive: true, force: true });
});

describe('an unreadable electron-store file', () => {
  it('is kept, byte for byte, before the store starts over', () => {
    const kept = readdirSync(userData).filter((name) => name.startsWith('study-desk.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(userData, kept[0]!), 'utf8')).toBe(damaged);
  });

  it('tells the learner they are signed out and must sign in again, and where the copy is', () => {
    expect(recorded.errorBoxes).toEqual([]);
    expect(recorded.messageBoxes).toHaveLength(1);
    expect(recorded.messageBoxes[0]).toMatch(/signed out/);
    expect(recorded.messageBoxes[0]).toMatch(/Sign in again/);
    expect(recorded.messageBoxes[0]).toContain(join(userData, 'study-desk.json.unreadable-'));
  });

  it('says nothing about a readable or absent file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-electron-config-ok-'));
    try {
      expect(keepUnreadableConfig(dir, 1)).toBeNull();
      writeFileSync(join(dir, 'study-desk.json'), '{"settings":{}}');
      expect(keepUnreadableConfig(dir, 1)).toBeNull();
      expect(readdirSync(dir)).toEqual(['study-desk.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
