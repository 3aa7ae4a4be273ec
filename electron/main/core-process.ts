/** Electron's side of the core process: a utilityProcess as a CoreChild, and the host's stores (electron-store, safeStorage) as HostStores. */
import type { SafeStorage, UtilityProcess } from 'electron';
import type { CoreChild, HostStores } from '../core/process/host';
import type { CoreMessage } from '../core/process/protocol';
import { readAllSecrets, secretStorageProblem, createSafeStorageSecretStore } from './secrets';
import { createElectronSettingsStore, readHostValues, type KeyValueStore } from './settings';

export function utilityCoreChild(child: Pick<UtilityProcess, 'postMessage' | 'on' | 'once' | 'kill'>): CoreChild {
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as CoreMessage)),
    onExit: (listener) => child.once('exit', (code: number) => listener(code)),
    kill: () => {
      child.kill();
    },
  };
}

type Safe = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Secrets are decrypted here, in main, and travel to core over the private parent port only. */
export function electronHostStores(store: KeyValueStore, safeStorage: Safe): HostStores {
  const settings = createElectronSettingsStore(store);
  const secrets = createSafeStorageSecretStore(safeStorage, store);
  return {
    settings,
    secrets,
    snapshot: () => ({
      settings: settings.get(),
      values: readHostValues(store),
      secrets: readAllSecrets(safeStorage, store),
      secretsRefusal: secretStorageProblem(safeStorage),
    }),
  };
}
