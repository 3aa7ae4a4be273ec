/** SecretStore over Electron's safeStorage: values are encrypted by the OS keychain, and refused where that would be plain text. */
import type { SafeStorage } from 'electron';
import { AppFailure } from '../../shared/errors';
import type { SecretStore } from '../core/ports';
import { writeToStore, type KeyValueStore } from './settings';

const secretsKey = 'secrets';

/** Why secrets cannot be stored here, or null when safeStorage really encrypts. */
export function secretStorageProblem(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>): string | null {
  if (!safeStorage.isEncryptionAvailable()) {
    return 'This system offers no encrypted storage for secrets (no OS keychain available), so Study Desk will not save them. You will need to sign in again next time.';
  }
  // On Linux without a keyring, Chromium falls back to a hard-coded key: that is obfuscation, not encryption.
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return 'No desktop keyring (GNOME Keyring or KWallet) is running, so secrets would be stored in plain text; Study Desk refuses to save them. Start a keyring and restart the app to stay signed in.';
  }
  return null;
}

type Decrypting = Pick<SafeStorage, 'isEncryptionAvailable' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

function decryptSecret(safeStorage: Decrypting, encrypted: unknown): string | null {
  if (typeof encrypted !== 'string' || secretStorageProblem(safeStorage)) return null;
  try {
    return safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
  } catch {
    // Encrypted under another keyring or user: unreadable, so treat as absent (the learner signs in again).
    return null;
  }
}

/** Every readable secret, decrypted, for the core process's copy (sent over its private parent port only). */
export function readAllSecrets(safeStorage: Decrypting, store: KeyValueStore): Record<string, string> {
  const stored = store.get(secretsKey);
  const entries = typeof stored === 'object' && stored !== null ? Object.entries(stored) : [];
  return Object.fromEntries(entries.flatMap(([name, encrypted]) => {
    const value = decryptSecret(safeStorage, encrypted);
    return value === null ? [] : [[name, value]];
  }));
}

export function createSafeStorageSecretStore(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>,
  store: KeyValueStore,
): SecretStore {
  const all = (): Record<string, string> => {
    const stored = store.get(secretsKey);
    return typeof stored === 'object' && stored !== null ? (stored as Record<string, string>) : {};
  };
  return {
    get: (name) => decryptSecret(safeStorage, all()[name]),
    set(name, value) {
      const problem = secretStorageProblem(safeStorage);
      if (problem) throw new AppFailure('secret_storage_unavailable', problem);
      writeToStore(store, secretsKey, { ...all(), [name]: safeStorage.encryptString(value).toString('base64') });
    },
    delete(name) {
      const rest = { ...all() };
      delete rest[name];
      writeToStore(store, secretsKey, rest);
    },
  };
}
