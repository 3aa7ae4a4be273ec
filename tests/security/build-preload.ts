/** Builds only the preload with electron-vite's own resolved config (the real out/preload/index.cjs), when it is missing or stale. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

export const builtPreloadPath = resolve(import.meta.dirname, '../../out/preload/index.cjs');
const preloadSources = ['electron/preload/index.ts', 'shared/ipc/study-api.ts', 'shared/ipc/api.ts', 'shared/ipc/contract.ts', 'shared/errors.ts'].map((file) =>
  resolve(import.meta.dirname, '../..', file),
);

export async function ensureBuiltPreload(): Promise<string> {
  const builtAt = existsSync(builtPreloadPath) ? statSync(builtPreloadPath).mtimeMs : 0;
  if (preloadSources.every((file) => statSync(file).mtimeMs < builtAt)) return builtPreloadPath;
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const resolved = await resolveConfig({ root: resolve(import.meta.dirname, '../..'), logLevel: 'warn' }, 'build', 'production');
  const preload = resolved.config?.preload;
  if (!preload) throw new Error('electron.vite.config.ts has no preload build.');
  await build(preload);
  return builtPreloadPath;
}
