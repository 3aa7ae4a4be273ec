/** The core process's SettingsStore and SecretStore: reads from the host's snapshot, writes applied here and sent to the host. */
import { AppFailure } from '../../../shared/errors';
import { settingsSchema } from '../../../shared/ipc/contract';
import type { SecretStore, SettingsStore } from '../ports';
import type { StoreSnapshot, StoreWrite } from './protocol';

export function createMirroredStores(snapshot: StoreSnapshot, writeThrough: (write: StoreWrite) => void): { settings: SettingsStore; secrets: SecretStore } {
  let settings = snapshot.settings;
  const values = new Map(Object.entries(snapshot.values));
  const secrets = new Map(Object.entries(snapshot.secrets));
  return {
    settings: {
      get: () => settings,
      set(patch) {
        // Validated here too, so a bad patch fails the caller instead of the host's write later.
        settings = settingsSchema.parse({ ...settings, ...patch });
        writeThrough({ store: 'settings', patch });
        return settings;
      },
      getValue<T>(key: string): T | undefined {
        return values.get(key) as T | undefined;
      },
      setValue(key, value) {
        values.set(key, value);
        writeThrough({ store: 'value', key, value });
      },
    },
    secrets: {
      get: (name) => secrets.get(name) ?? null,
      set(name, value) {
        if (snapshot.secretsRefusal) throw new AppFailure('secret_storage_unavailable', snapshot.secretsRefusal);
        secrets.set(name, value);
        writeThrough({ store: 'secret', name, value });
      },
      delete(name) {
        secrets.delete(name);
        writeThrough({ store: 'secret', name, value: null });
      },
    },
  };
}
