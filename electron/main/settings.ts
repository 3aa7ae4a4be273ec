/** SettingsStore over electron-store: learner settings checked with the contract's schema, plus free-form host values. */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure, isStorageFull } from '../../shared/errors';
import { settingsSchema, type Settings } from '../../shared/ipc/contract';
import { defaultSettings, type SettingsStore } from '../core/ports';

/** The part of electron-store (a `conf` instance) used by the host's stores, so tests can pass a Map-backed one. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * One store write; a full disk becomes `storage_full` (electron-store writes atomically and removes its temporary
 * file itself, so the old file stays whole).
 */
export function writeToStore(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.set(key, value);
  } catch (err) {
    if (isStorageFull(err)) throw new AppFailure('storage_full', `The disk is full: Study Desk's ${key} could not be saved, so nothing was changed. Free some space and try again.`);
    throw err;
  }
}

const settingsKey = 'settings';
const valuesKey = 'values';

/** Every free-form host value (Supabase URL, anon key, …), for the core process's copy. */
export function readHostValues(store: KeyValueStore): Record<string, unknown> {
  const stored = store.get(valuesKey);
  return typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
}

export function createElectronSettingsStore(store: KeyValueStore): SettingsStore {
  const values = (): Record<string, unknown> => readHostValues(store);
  const get = (): Settings => {
    const stored = store.get(settingsKey);
    // A hand-edited or older file must not break start-up: fall back to defaults, field by field.
    const merged = { ...defaultSettings, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
    const parsed = settingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    const bad = new Set(parsed.error.issues.map((issue) => issue.path[0]));
    return settingsSchema.parse(Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, bad.has(k) ? defaultSettings[k as keyof Settings] : v])));
  };
  return {
    get,
    set(patch) {
      const next = settingsSchema.parse({ ...get(), ...patch });
      writeToStore(store, settingsKey, next);
      return next;
    },
    getValue<T>(key: string): T | undefined {
      return values()[key] as T | undefined;
    },
    setValue(key, value) {
      // Stored as one object so a key containing dots is not turned into a nested path by electron-store.
      writeToStore(store, valuesKey, { ...values(), [key]: value });
    },
  };
}

/** electron-store's file in userData (its `name` option plus `.json`). */
export const electronStoreName = 'study-desk';

/**
 * electron-store, with clearInvalidConfig, starts over on a file it cannot parse: the settings and the encrypted
 * refresh token go with it, silently. Before the store opens, keep a copy of such a file, and return what to tell the
 * learner (they are signed out and must sign in again); null when the file is readable or absent.
 */
export function keepUnreadableConfig(userDataDir: string, nowMs: number): string | null {
  const file = join(userDataDir, `${electronStoreName}.json`);
  if (!existsSync(file)) return null;
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return null;
  } catch (err) {
    const keptAt = `${file}.unreadable-${nowMs}`;
    copyFileSync(file, keptAt);
    console.warn(`Study Desk: ${file} could not be read (${(err as Error).message}); starting with default settings. The old file was kept at ${keptAt}.`);
    return `Study Desk could not read its settings file, so it started with default settings and you are signed out. Sign in again in Settings → Sync to keep syncing; nothing you practised on this computer was lost. The unreadable file was kept at ${keptAt}.`;
  }
}
