/**
 * Recovery while signed in, against the real local stack (issue 8, item 6): the database is damaged after the learner
 * synced work the newest backup does not hold; restoring that backup reopens core, whose own sync run pulls the content
 * and the learner's rows back from the server, with no call from the test, and no event is reported lost because every
 * one of them had reached the server.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, defaultSamplePackPath, type Core } from '../../../electron/core/app';
import { createUser } from '../../../scripts/stack/stack';
import type { ContentPackInput } from '../../../shared/content/pack';
import type { ProgressOverview, RecoveryOutcome, RecoveryStatus, SyncStatus } from '../../../shared/ipc/contract';
import { buildPack } from '../../content/pack-builder';
import { overwritePageOf } from '../../helpers/damage';
import { callCore, startWebCore } from '../../helpers/web-core';
import { publishPackOnServer, startTestStack, tempDir, type TestStack } from './helpers';

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  await publishPackOnServer(stack, JSON.parse(readFileSync(defaultSamplePackPath, 'utf8')) as ContentPackInput);
  dir = tempDir('recovery-resync');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const startCore = (dataDir: string): Core => startWebCore(dataDir, { sync: { runInWorkerThread: false } });

/** Answers the first question of the first sample skill in a new session; returns the session's id. */
async function answerOne(core: Core): Promise<string> {
  const tree = await callCore<{ domains: Array<{ title: string; skills: Array<{ id: string }> }> }>(core, 'library:tree');
  const session = await callCore<{ id: string }>(core, 'practice:start', { skillId: tree.domains[0]!.skills[0]!.id, mode: 'practice' });
  const next = await callCore<{ question: { id: string; type: string; steps?: string[] } }>(core, 'practice:next', { sessionId: session.id });
  const q = next.question;
  await callCore(core, 'practice:answer', {
    sessionId: session.id,
    questionId: q.id,
    answer: q.type === 'mcq_single' ? { choice: 0 } : { order: q.steps!.map((_, i) => i) },
  });
  return session.id;
}

/** The titles of every domain in the library, as the learner sees them. */
async function domainTitles(core: Core): Promise<string[]> {
  const tree = await callCore<{ domains: Array<{ title: string }> }>(core, 'library:tree');
  return tree.domains.map((d) => d.title);
}

/** The session ids of the Progress history the learner sees. */
async function historySessionIds(core: Core): Promise<string[]> {
  const progress = await callCore<ProgressOverview>(core, 'progress:overview');
  return progress.history.map((h) => h.sessionId);
}

describe('restoring a backup while signed in', () => {
  it('pulls back the content and the learner rows synced after the backup, and reports no event lost', async () => {
    const email = 'recovery-resync@example.com';
    const password = 'secret-pass';
    await createUser(stack, { email, password });
    const file = join(dir, DATABASE_FILE);

    // Day 1: sign in and sync.
    const first = startCore(dir);
    await callCore(first, 'sync:configure', { url: stack.url, anonKey: stack.anonKey });
    await callCore(first, 'sync:signIn', { email, password });
    await callCore(first, 'sync:now');
    await first.close();

    // The backup: taken at the next start (today's is removed so that start takes one, as the next day's would).
    for (const name of readdirSync(dir).filter((n) => n.includes('.daily-'))) rmSync(join(dir, name));
    const second = startCore(dir);
    const serverOnly = buildPack({ prefix: 'resync', domains: 1, skillsPerDomain: 1, questionsPerSkill: 3 });
    serverOnly.domains[0]!.title = 'Published after the backup';
    await publishPackOnServer(stack, serverOnly);
    const sessionId = await answerOne(second);
    const synced = await callCore<SyncStatus>(second, 'sync:now');
    expect(synced).toMatchObject({ pendingCount: 0, deadCount: 0, deviceOnlyCount: 0 });
    expect(await domainTitles(second)).toContain('Published after the backup');
    const historyBefore = await historySessionIds(second);
    expect(historyBefore).toContain(sessionId);
    await second.close();

    overwritePageOf(file, 'questions');
    const third = startCore(dir);
    try {
      expect((await callCore<RecoveryStatus>(third, 'recovery:status')).mode).toBe('recovery');
      const outcome = await callCore<RecoveryOutcome>(third, 'recovery:restoreBackup');
      expect(outcome.resyncStarted).toBe(true);
      // Every event of the damaged file had reached the server: nothing is reported lost.
      expect(outcome.lostEvents).toEqual({ readable: true, events: [] });

      // No sync call from here: core's own run after reopening brings back what the backup lacked.
      await vi.waitFor(
        async () => {
          expect(await domainTitles(third)).toContain('Published after the backup');
          expect(await historySessionIds(third)).toContain(sessionId);
        },
        { timeout: 30_000, interval: 250 },
      );
      expect(await callCore<SyncStatus>(third, 'sync:status')).toMatchObject({ signedInEmail: email, pendingCount: 0 });
    } finally {
      await third.close();
    }
  }, 120_000);
});
