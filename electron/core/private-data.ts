/**
 * The data folder holds the learner's progress, settings and secrets: it is theirs alone. The folder is 0700 and its
 * files 0600. Each writer gives its file that mode when creating it (SQLite's WAL and SHM copy the database file's),
 * rather than a process-wide umask, which would also reach files the process writes elsewhere (an export the
 * learner saves, a server a test starts). Windows keeps the user profile's ACLs instead.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/**
 * Creates `file` empty and owner-only when it does not exist yet, so that what writes it next keeps that mode:
 * SQLite opens an existing (or empty, for VACUUM INTO) file as it is, and gives its WAL and SHM the same mode.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', privateFileMode));
}

/** Creates `dir` owner-only, or makes an existing one (and what lies directly in it) owner-only. */
export function protectDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  if (process.platform === 'win32') return;
  chmodSync(dir, privateDirMode);
  // A folder from an older version (or made by hand) may hold readable files: tighten them too.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(join(dir, entry.name), privateFileMode);
    else if (entry.isDirectory()) chmodSync(join(dir, entry.name), privateDirMode);
  }
}
