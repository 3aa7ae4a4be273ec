/**
 * A checkout inside private (0700) folders: as root, the stack lets the postgres user it creates pass through every
 * folder above node_modules (search permission for others), or initdb gets EACCES on the binaries. Checked on a temp
 * tree of 0700 folders, with another user (nobody) trying to reach a file at the bottom.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { letOthersPassThrough } from '../../scripts/stack/stack';

const asRoot = process.getuid?.() === 0;
let root: string | null = null;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});

/** Whether the unprivileged user `nobody` can read `file` (which needs search permission on every folder above it). */
function nobodyCanRead(file: string): boolean {
  return spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'cat', file], { stdio: 'ignore' }).status === 0;
}

describe.skipIf(!asRoot)('letOthersPassThrough (as root, as CI runs)', () => {
  it('lets another user reach a file below private folders, and grants search only', () => {
    root = mkdtempSync(join(tmpdir(), 'study-desk-private-'));
    const deepest = join(root, 'home', 'checkout', 'node_modules');
    mkdirSync(deepest, { recursive: true });
    for (const dir of [root, join(root, 'home'), join(root, 'home', 'checkout'), deepest]) chmodSync(dir, 0o700);
    const binary = join(deepest, 'postgres');
    writeFileSync(binary, 'binary');
    chmodSync(binary, 0o644);
    expect(nobodyCanRead(binary)).toBe(false);

    letOthersPassThrough(deepest);

    expect(nobodyCanRead(binary)).toBe(true);
    // Passing through, not listing: each folder gained o+x and nothing else.
    for (const dir of [root, join(root, 'home'), join(root, 'home', 'checkout'), deepest]) {
      expect(statSync(dir).mode & 0o777).toBe(0o701);
    }
  });
});
