/**
 * Runs a TypeScript child as an unprivileged user when the tests run as root (root ignores file modes, `nobody`
 * does not), and as the current user otherwise. The checkout may sit in a folder only root can enter (CI clones
 * into a 0700 `mktemp -d` folder), so the folders above it first get search permission for others, as the local
 * stack does for the postgres user.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { letOthersPassThrough } from '../../scripts/stack/stack';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const nobody = 65534;

export const runsAsRoot = process.getuid?.() === 0;

export function spawnTsAsUnprivileged(script: string, args: string[], timeoutMs: number): SpawnSyncReturns<string> {
  if (runsAsRoot) letOthersPassThrough(repoRoot);
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    ...(runsAsRoot ? { uid: nobody, gid: nobody } : {}),
    env: { ...process.env, HOME: '/tmp' },
  });
}
