/** The real core as the web host makes it: settings and secrets in files beside the database in `dataDir`. */
import { createCore, type Core, type CoreOptions } from '../../electron/core/app';
import { createFileSecretStore } from '../../electron/web/secrets';
import { createFileSettingsStore } from '../../electron/web/settings';

export function startWebCore(dataDir: string, options: Partial<Omit<CoreOptions, 'dataDir'>> = {}): Core {
  return createCore({
    dataDir,
    host: 'web',
    appVersion: '0.0.0-test',
    settings: createFileSettingsStore(dataDir),
    secrets: createFileSecretStore(dataDir),
    ...options,
  });
}
