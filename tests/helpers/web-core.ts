/** The real core as the web host makes it (settings and secrets in files beside the database), and one call to it. */
import { createCore, type Core, type CoreOptions } from '../../electron/core/app';
import { dispatch } from '../../electron/core/ipc/handlers';
import { createFileSecretStore } from '../../electron/web/secrets';
import { createFileSettingsStore } from '../../electron/web/settings';

/** Settings and secrets in files beside the database in `dataDir`. */
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

/** One call on a core channel, as a host dispatches it: its value, or an Error naming the channel and the AppError. */
export async function callCore<T>(core: Core, channel: Parameters<typeof dispatch>[1], input: unknown = {}): Promise<T> {
  const result = await dispatch(core.handlers, channel, input);
  if (!result.ok) throw new Error(`${String(channel)}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
