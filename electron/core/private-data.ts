/**
 * The data folder holds the learner's progress, settings and secrets: it is theirs alone. The folder is 0700 and its
 * files 0600, and this process's umask makes everything created later owner-only too (the database's WAL and SHM,
 * backups, settings), whichever module creates it. Windows keeps the user profile's ACLs instead.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;
const ownerOnlyUmask = 0o077;

/** Creates `dir` owner-only, or makes an existing one (and what lies directly in it) owner-only. */
export function protectDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  if (process.platform === 'win32') return;
  // Worker threads share the process's umask and may not set it.
  if (isMainThread) process.umask(ownerOnlyUmask);
  chmodSync(dir, privateDirMode);
  // A folder from an older version (or made by hand) may hold readable files: tighten them too.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(join(dir, entry.name), privateFileMode);
    else if (entry.isDirectory()) chmodSync(join(dir, entry.name), privateDirMode);
  }
}
