/**
 * The Electron host as a learner's install runs it (app.isPackaged), with the recording fake of `electron`: DevTools
 * are off in the window and no menu item or shortcut opens them; the window has the app icon; userData is owner-only.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recorded, fakeApp, startHostOnFake, quitHostOnFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
vi.mock('electron-store', async () => ({ default: (await import('./fake-electron')).FakeStore }));

const repoRoot = resolve(import.meta.dirname, '../..');
let work: string;
let userData: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'study-electron-packaged-'));
  // process.resourcesPath of a packaged app, laid out as electron-builder.yml's extraResources put it.
  const resources = join(work, 'resources');
  mkdirSync(join(resources, 'migrations'), { recursive: true });
  symlinkSync(join(repoRoot, 'migrations/sqlite'), join(resources, 'migrations/sqlite'));
  for (const file of ['sample-pack.json', 'icon.png']) symlinkSync(join(repoRoot, 'resources', file), join(resources, file));
  (process as { resourcesPath?: string }).resourcesPath = resources;
  userData = join(work, 'userData');
  mkdirSync(userData, { mode: 0o755 });
  chmodSync(userData, 0o755);
  fakeApp.isPackaged = true;
  await startHostOnFake(userData);
});

afterAll(async () => {
  await quitHostOnFake();
  rmSync(work, { recursive: true, force: true });
});

describe('a packaged build', () => {
  it('starts with one window and no error', () => {
    expect(recorded.errorBoxes).toEqual([]);
    expect(recorded.windows).toHaveLength(1);
  });

  it('turns DevTools off in the window', () => {
    const prefs = recorded.windows[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs.devTools).toBe(false);
  });

  it('replaces the default menu (View → Toggle Developer Tools, Ctrl+Shift+I) with one that cannot open DevTools or reload', () => {
    const menu = recorded.applicationMenu;
    expect(menu).toBeTruthy();
    const text = JSON.stringify(menu?.template);
    expect(text).not.toMatch(/toggleDevTools|viewMenu|reload|forceReload/i);
    expect(menu?.template).toContainEqual({ role: 'editMenu' });
  });

  it('gives the window the app icon from the packaged resources', () => {
    expect(recorded.windows[0]?.options.icon).toBe(join(work, 'resources', 'icon.png'));
  });

  it.skipIf(process.platform === 'win32')('makes userData owner-only: the folder 0700, the database and its WAL 0600', async () => {
    expect(statSync(userData).mode & 0o777).toBe(0o700);
    // The core process creates the database in userData as it starts.
    await vi.waitFor(() => expect(readdirSync(userData)).toContain('study.sqlite'), { timeout: 10_000 });
    for (const name of readdirSync(userData)) expect(statSync(join(userData, name)).mode & 0o777, name).toBe(0o600);
  });
});
