/**
 * The edge functions (tutor, evaluate) and the local stack's runner under Deno itself: they type-check with Deno's own TypeScript
 * (the app's tsc does not cover them: they use Deno's globals), offline (no npm or remote modules, nothing fetched);
 * and the runner serves the function, then exits once the process that started it is gone (its stdin closes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { denoBinary, FUNCTION_RUNNER, FUNCTIONS_DIR } from '../../scripts/stack/functions';

const TUTOR_ENTRY = join(FUNCTIONS_DIR, 'tutor', 'index.ts');
const EVALUATE_ENTRY = join(FUNCTIONS_DIR, 'evaluate', 'index.ts');
const denoEnv = { ...process.env, NO_COLOR: '1', DENO_DIR: process.env.DENO_DIR ?? join(tmpdir(), 'study-desk-deno') };

describe('the tutor edge function under Deno', () => {
  it('passes deno check, with the evaluate function and the runner', () => {
    const result = spawnSync(denoBinary(), ['check', '--no-npm', '--no-lock', '--cached-only', TUTOR_ENTRY, EVALUATE_ENTRY, FUNCTION_RUNNER], {
      encoding: 'utf8',
      timeout: 60_000,
      env: denoEnv,
    });
    expect(result.error).toBeUndefined();
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 90_000);

  it('runs under the runner until its parent goes away, then exits', async () => {
    const child = spawn(
      denoBinary(),
      ['run', '--no-npm', '--no-lock', '--cached-only', '--allow-net=127.0.0.1', '--allow-env=TUTOR_*,SUPABASE_*', `--allow-read=${FUNCTIONS_DIR}`, FUNCTION_RUNNER, pathToFileURL(TUTOR_ENTRY).href],
      { env: { ...denoEnv, TUTOR_FUNCTION_PORT: '0' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      const origin = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not listening within 30 s: ${output}`)), 30_000);
        const collect = (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const match = /listening on (http:\/\/[^\s/]+)\//.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
      });
      // It serves: without a token the answer is the function's own 401.
      const response = await fetch(`${origin}/tutor`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(401);
      // The parent "goes away": its end of stdin closes.
      child.stdin.end();
      const code = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
