/**
 * The edge function type-checks under Deno's own TypeScript (the app's tsc does not cover supabase/functions/tutor,
 * which uses Deno's globals), offline: no npm or remote modules, nothing fetched.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { denoBinary, FUNCTIONS_DIR } from '../../scripts/stack/functions';

describe('the tutor edge function', () => {
  it('passes deno check', () => {
    const result = spawnSync(denoBinary(), ['check', '--no-npm', '--no-lock', '--cached-only', join(FUNCTIONS_DIR, 'tutor', 'index.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', DENO_DIR: process.env.DENO_DIR ?? join(tmpdir(), 'study-desk-deno') },
    });
    expect(result.error).toBeUndefined();
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 90_000);
});
