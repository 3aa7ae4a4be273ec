/**
 * The Electron host's stores on a full disk: electron-store (conf, through `atomically`) rethrows the write's ENOSPC
 * after removing its own temporary file; the host's stores turn it into `storage_full` and keep what was saved.
 * The ENOSPC comes from a store double, because conf's temporary file name is random and cannot be pointed at /dev/full.
 */
import { describe, expect, it } from 'vitest';
import { createSafeStorageSecretStore } from '../../electron/main/secrets';
import { createElectronSettingsStore, type KeyValueStore } from '../../electron/main/settings';
import { fakeSafeStorage } from './fake-electron';

/** A Map-backed store whose writes fail as conf's do when the disk is full. */
function fullDiskStore(): KeyValueStore & { full: boolean } {
  const data = new Map<string, unknown>();
  const store = {
    full: false,
    get: (key: string) => data.get(key),
    set(key: string, value: unknown) {
      if (store.full) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      data.set(key, structuredClone(value));
    },
    delete: (key: string) => void data.delete(key),
  };
  return store;
}

describe('electron-store on a full disk', () => {
  it('answers storage_full for settings, host values and secrets, and keeps what was saved', () => {
    const store = fullDiskStore();
    const settings = createElectronSettingsStore(store);
    const secrets = createSafeStorageSecretStore(fakeSafeStorage, store);
    settings.set({ theme: 'light' });
    store.full = true;
    expect(() => settings.set({ theme: 'dark' })).toThrow(expect.objectContaining({ code: 'storage_full', message: expect.stringMatching(/disk is full/) }));
    expect(settings.get().theme).toBe('light');
    expect(() => settings.setValue('supabase', { url: 'https://x.supabase.co' })).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(settings.getValue('supabase')).toBeUndefined();
    expect(() => secrets.set('refresh_token', 'abc')).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(secrets.get('refresh_token')).toBeNull();
  });

  it('passes other failures on unchanged', () => {
    const store = fullDiskStore();
    store.set = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => createElectronSettingsStore(store).set({ theme: 'dark' })).toThrow(/EACCES/);
  });
});
