/** A sync process killed with SIGKILL mid-push, again and again: nothing is lost, nothing is duplicated, a clean run drains. */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../scripts/stack/stack';
import { openClientDb, pendingOutbox, publishPracticePack, recordAttempts, serverAttempts, serverReceiptCount, startTestStack, tempDir, type TestStack } from './helpers';

const childScript = fileURLToPath(new URL('./push-child.ts', import.meta.url));
const kills = 20;
// Answers: with their progress, profile and session snapshots they queue about 2,600 outbox rows.
const rows = 850;

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  await publishPracticePack(stack);
  dir = tempDir('sync-sigkill');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function startChild(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('SIGKILL mid-push', () => {
  it(`loses and duplicates nothing across ${kills} kills, then drains`, async () => {
    const { file, sqlite } = openClientDb(dir, 'killed.sqlite');
    const email = 'killed@example.test';
    const user = await createUser(stack, { email, password: 'secret-pass' });
    recordAttempts(sqlite, rows);
    const env = {
      SYNC_CHILD_DB: file,
      SYNC_CHILD_URL: stack.url,
      SYNC_CHILD_ANON_KEY: stack.anonKey,
      SYNC_CHILD_EMAIL: email,
      SYNC_CHILD_PASSWORD: 'secret-pass',
    };
    const deadline = Date.now() + 150_000;
    let killed = 0;
    let midPush = 0;
    while (killed < kills && Date.now() < deadline) {
      const before = pendingOutbox(sqlite);
      const run = startChild(env);
      const readyBy = Date.now() + 20_000;
      while (!run.output().includes('PUSHING') && Date.now() < readyBy) await new Promise((r) => setTimeout(r, 10));
      // A random moment within the push.
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      run.child.kill('SIGKILL');
      await run.exited;
      killed++;
      const after = pendingOutbox(sqlite);
      if (after < before && after > 0) midPush++;
      if (after === 0) break;
    }
    expect(killed).toBeGreaterThanOrEqual(kills);
    // Most kills must have landed while rows were moving, or this test proves little.
    expect(midPush).toBeGreaterThanOrEqual(kills / 2);

    const clean = startChild(env);
    expect(await clean.exited).toBe(0);
    expect(clean.output()).toContain('DRAINED');

    expect(pendingOutbox(sqlite)).toBe(0);
    const local = sqlite.prepare('SELECT id FROM attempts').pluck().all() as string[];
    const server = await serverAttempts(stack, user.id);
    expect(server.size).toBe(rows);
    for (const id of local) expect(server.get(id)).toBe(1);
    const outboxRows = sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    expect(await serverReceiptCount(stack, user.id)).toBe(outboxRows);
    expect(sqlite.prepare('SELECT count(*) FROM outbox WHERE dead_utc_ms IS NOT NULL').pluck().get()).toBe(0);
    sqlite.close();
  }, 200_000);
});
