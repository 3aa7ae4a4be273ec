/** Shared by the Playwright config, global setup and fixtures: where the built app is and whether Electron's binary exists. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');
export const rendererDir = join(repoRoot, 'out/renderer');
export const electronMainEntry = join(repoRoot, 'out/main/index.js');

/** Electron's npm package writes path.txt only after it downloaded the binary. */
export function electronBinaryMissingReason(): string | null {
  return existsSync(join(repoRoot, 'node_modules/electron/path.txt'))
    ? null
    : "Electron's binary is not downloaded (node_modules/electron/path.txt is missing), so the Electron project is skipped; the same specs ran against the web host.";
}

/** Newest modification time under the given folders, bounded in file count. */
export function newestSourceMtime(folders: readonly string[], maxFiles = 20_000): number {
  let newest = 0;
  let seen = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (++seen > maxFiles || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const folder of folders) {
    const path = join(repoRoot, folder);
    if (existsSync(path)) walk(path);
  }
  return newest;
}

/** True when out/ is missing or older than a source it is built from. */
export function isBuildStale(): boolean {
  const outputs = [join(rendererDir, 'index.html'), electronMainEntry, join(repoRoot, 'out/preload/index.cjs')];
  if (!outputs.every((file) => existsSync(file))) return true;
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return newestSourceMtime(['renderer', 'shared', 'electron', 'resources', 'migrations/sqlite']) > builtAt;
}
