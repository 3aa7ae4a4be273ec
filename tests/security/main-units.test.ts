/** The Electron host's small pure pieces: renderer file index, remembered bounds, electron-store settings, dev addon lookup. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAppPaths } from '../../electron/main/app-paths';
import { indexRendererFiles, rendererFileFor } from '../../electron/main/renderer-files';
import { createElectronSettingsStore, type KeyValueStore } from '../../electron/main/settings';
import { restorableBounds } from '../../electron/main/window-options';
import { defaultSettings } from '../../electron/core/ports';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-main-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mapStore = (): KeyValueStore & { data: Map<string, unknown> } => {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) };
};

describe('renderer file index (app:// protocol)', () => {
  it('serves only regular files inside the build, never symlinks, dot-files or escapes', () => {
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<html></html>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), '');
    writeFileSync(join(root, '.env'), 'X=1');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'assets', 'link.txt'));
    symlinkSync(outside, join(root, 'linked-dir'));
    const files = indexRendererFiles(root);
    expect([...files.keys()].sort()).toEqual(['/assets/index-abc.js', '/index.html']);

    expect(rendererFileFor(files, '/')).toBe(join(root, 'index.html'));
    expect(rendererFileFor(files, '/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(rendererFileFor(files, '/library/skills')).toBe(join(root, 'index.html'));
    for (const path of ['/assets/link.txt', '/linked-dir/secret.txt', '/.env', '/../secret.txt', '/assets/%2e%2e/%2e%2e/x.txt', '/%E0%A4%A', '/missing.js']) {
      expect(rendererFileFor(files, path), path).toBeNull();
    }
  });

  it('is empty (everything 404) when the renderer is not built', () => {
    expect(indexRendererFiles(join(tempDir(), 'nope')).size).toBe(0);
  });
});

describe('remembered window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('restores bounds that are still on a display', () => {
    expect(restorableBounds({ x: 100, y: 100, width: 1000, height: 700 }, screen)).toEqual({ x: 100, y: 100, width: 1000, height: 700 });
  });
  it.each([
    ['off every display', { x: 5000, y: 100, width: 1000, height: 700 }],
    ['too small', { x: 0, y: 0, width: 10, height: 10 }],
    ['not numbers', { x: '0', y: 0, width: 1000, height: 700 }],
    ['garbage', 'big'],
    ['missing', undefined],
  ])('ignores bounds %s', (_label, saved) => {
    expect(restorableBounds(saved, screen)).toBeUndefined();
  });
});

describe('electron-store settings', () => {
  it('starts from defaults, validates, and keeps host values apart', () => {
    const store = mapStore();
    const settings = createElectronSettingsStore(store);
    expect(settings.get()).toEqual(defaultSettings);
    expect(settings.set({ theme: 'high-contrast' })).toEqual({ ...defaultSettings, theme: 'high-contrast' });
    expect(() => settings.set({ theme: 'neon' as never })).toThrow();
    expect(settings.get().theme).toBe('high-contrast');
    settings.setValue('supabase.url', 'https://x.supabase.co');
    expect(settings.getValue('supabase.url')).toBe('https://x.supabase.co');
    expect(store.data.get('values')).toEqual({ 'supabase.url': 'https://x.supabase.co' });
  });

  it('falls back to defaults field by field for a hand-edited file', () => {
    const store = mapStore();
    store.data.set('settings', { theme: 'neon', assistiveMode: true, timeZone: 42 });
    expect(createElectronSettingsStore(store).get()).toEqual({ ...defaultSettings, assistiveMode: true });
    store.data.set('settings', 'not an object');
    expect(createElectronSettingsStore(store).get()).toEqual(defaultSettings);
  });
});

describe('dev native addon', () => {
  it('is used only when built for exactly this Electron version', () => {
    const appPath = tempDir();
    const base = { isPackaged: false, appPath, resourcesPath: '/res', mainDir: join(appPath, 'out/main') };
    expect(resolveAppPaths({ ...base, electronVersion: '39.8.10' }).nativeBinding).toBeUndefined();
    mkdirSync(join(appPath, '.electron-native/better-sqlite3/build/Release'), { recursive: true });
    writeFileSync(join(appPath, '.electron-native/better-sqlite3/build/Release/better_sqlite3.node'), '');
    writeFileSync(join(appPath, '.electron-native/build-info.json'), JSON.stringify({ electron: '39.8.10' }));
    expect(resolveAppPaths({ ...base, electronVersion: '39.8.10' }).nativeBinding).toMatch(/better_sqlite3\.node$/);
    expect(resolveAppPaths({ ...base, electronVersion: '40.0.0' }).nativeBinding).toBeUndefined();
    expect(resolveAppPaths({ ...base, electronVersion: undefined }).nativeBinding).toBeUndefined();
    const packaged = resolveAppPaths({ ...base, isPackaged: true, electronVersion: '39.8.10' });
    expect(packaged).toMatchObject({ nativeBinding: undefined, migrationsDir: join('/res', 'migrations/sqlite'), samplePackPath: join('/res', 'sample-pack.json') });
  });
});
