/** SettingsStore over electron-store: learner settings checked with the contract's schema, plus free-form host values. */
import { settingsSchema, type Settings } from '../../shared/ipc/contract';
import { defaultSettings, type SettingsStore } from '../core/ports';

/** The part of electron-store (a `conf` instance) used by the host's stores, so tests can pass a Map-backed one. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
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
      store.set(settingsKey, next);
      return next;
    },
    getValue<T>(key: string): T | undefined {
      return values()[key] as T | undefined;
    },
    setValue(key, value) {
      // Stored as one object so a key containing dots is not turned into a nested path by electron-store.
      store.set(valuesKey, { ...values(), [key]: value });
    },
  };
}
