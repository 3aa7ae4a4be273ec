/** How core starts one of its worker threads (the sync worker's way, for any worker). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Run from sources (tsx, vitest: the `source` .ts sits beside the caller), the source runs, whatever path a host passed:
 * Node 20 ignores `--import tsx` in a worker's execArgv, so a two-line bootstrap registers tsx inside the worker, then
 * imports it. A bundled build has no .ts beside it: it runs the path the host passed (electron-vite's output, see
 * electron.vite.config.ts and electron/main/host.ts), else the worker's own entry `built` beside the bundle.
 */
export function resolveThreadEntry(source: URL, built: URL, explicitPath?: string): { script: string | URL; eval: boolean } {
  if (source.pathname.endsWith('.ts') && existsSync(fileURLToPath(source))) {
    // An eval worker resolves bare specifiers from the working directory: the repo, whenever sources run directly.
    const bootstrap = `const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(source.href)});`;
    return { script: bootstrap, eval: true };
  }
  return { script: explicitPath ?? built, eval: false };
}
