/**
 * A reply in progress when the core process dies (SIGKILL mid-stream) is kept with what arrived, marked interrupted at
 * the next start, queued for sync once, and can be retried; the learner's message was stored before the request.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TutorChunk } from '../../shared/ipc/contract';
import { DATABASE_FILE } from '../../electron/core/app';
import type { CoreProcess } from '../../electron/core/process/host';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../../electron/core/process/fork';
import { PARTIAL_SAVE_MS } from '../../electron/core/tutor/tutor';
import { useTempDirs } from '../helpers/temp';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';

const tempDir = useTempDirs();
const running: CoreProcess[] = [];
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
afterEach(async () => {
  for (const core of running.splice(0)) await core.close().catch(() => undefined);
});

async function startCore(dataDir: string, stores: ReturnType<typeof createMemoryHostStores>) {
  const core = await forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-crash' }, stores);
  running.push(core);
  return { core, api: connectStudyApi(core).api };
}

describe('a crash mid-reply', () => {
  it('keeps the partial reply as interrupted after a restart, queued once, and Retry works', async () => {
    const dataDir = tempDir();
    const stores = createMemoryHostStores();
    const { core, api } = await startCore(dataDir, stores);
    expect(await api.tutorProviderSet({ kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model' })).toMatchObject({ ok: true });
    const chat = await api.tutorCreate({ title: 'Crash' });
    if (!chat.ok) throw new Error(chat.error.message);
    // Slow tokens: long enough for at least one partial save before the kill.
    fake.queue({ kind: 'stream', tokens: Array.from({ length: 40 }, (_, i) => `word${i} `), delayMs: 40 });
    const chunks: TutorChunk[] = [];
    api.tutorSend({ chatId: chat.value.id, text: 'Explain slowly' }, { onChunk: (c) => chunks.push(c) });
    await expect.poll(() => chunks.filter((c) => c.type === 'delta').length, { timeout: 10_000 }).toBeGreaterThan(12);
    await new Promise((r) => setTimeout(r, PARTIAL_SAVE_MS + 100));
    const exited = new Promise((resolve) => core.onExit(resolve));
    process.kill(core.pid, 'SIGKILL');
    await exited;
    running.splice(running.indexOf(core), 1);

    const { api: restarted } = await startCore(dataDir, stores);
    const after = await restarted.tutorMessages({ chatId: chat.value.id });
    if (!after.ok) throw new Error(after.error.message);
    const [user, reply] = after.value.messages;
    expect(user).toMatchObject({ sender: 'user', text: 'Explain slowly' });
    expect(reply).toMatchObject({ sender: 'tutor', status: 'interrupted', error: { code: 'ended_early' } });
    expect(reply!.text).toMatch(/^word0 word1 word2 /);

    fake.queue({ kind: 'stream', tokens: ['Done.'] });
    const retry = restarted.tutorRetry({ chatId: chat.value.id, replyId: reply!.id });
    expect(await retry.done).toMatchObject({ ok: true, value: { reply: { status: 'complete', text: 'Done.' } } });

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM outbox WHERE row_id = ?').pluck().get(reply!.id)).toBe(1);
      expect(db.prepare('SELECT COUNT(*) FROM outbox WHERE row_id = ?').pluck().get(user!.id)).toBe(1);
    } finally {
      db.close();
    }
  }, 90_000);
});
