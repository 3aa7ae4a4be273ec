/**
 * Core's recovery mode on a real damaged file: it starts instead of crashing, every study channel answers a clear
 * `database_error`, and the learner can restore the newest good backup or start fresh, learning which unsynced
 * events were lost.
 */
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, type Core } from '../../electron/core/app';
import { dispatch } from '../../electron/core/ipc/handlers';
import type { RecoveryOutcome, RecoveryStatus } from '../../shared/ipc/contract';
import { ManualClock } from '../helpers/clock';
import { overwritePageOf } from '../helpers/damage';
import { useTempDirs } from '../helpers/temp';
import { spawnTsAsUnprivileged } from '../helpers/unprivileged';
import { callCore, startWebCore } from '../helpers/web-core';

const tempDir = useTempDirs();
const DAY = 86_400_000;

const startCore = (dataDir: string, clock: ManualClock): Core => startWebCore(dataDir, { clock, sync: { runInWorkerThread: false } });

/** Answers the first question of the first skill in a new session; returns the ids of the outbox rows it queued. */
async function answerOne(core: Core): Promise<void> {
  const tree = await callCore<{ domains: Array<{ skills: Array<{ id: string }> }> }>(core, 'library:tree');
  const session = await callCore<{ id: string }>(core, 'practice:start', { skillId: tree.domains[0]!.skills[0]!.id, mode: 'practice' });
  const next = await callCore<{ question: { id: string; type: string; steps?: string[] } }>(core, 'practice:next', { sessionId: session.id });
  const q = next.question;
  await callCore(core, 'practice:answer', {
    sessionId: session.id,
    questionId: q.id,
    answer: q.type === 'mcq_single' ? { choice: 0 } : { order: q.steps!.map((_, i) => i) },
  });
}

/** Day 1: first start and an answer. Day 2: a start (today's backup), then more answers the backup does not hold. */
async function studiedTwoDays(): Promise<{ dir: string; file: string; clock: ManualClock }> {
  const dir = tempDir();
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
  const day1 = startCore(dir, clock);
  await answerOne(day1);
  await day1.close();
  clock.advance(DAY);
  const day2 = startCore(dir, clock);
  await answerOne(day2);
  await day2.close();
  clock.advance(60_000);
  return { dir, file: join(dir, DATABASE_FILE), clock };
}

describe('recovery mode', () => {
  it('starts on a damaged file, refuses study calls clearly, and restores the newest good backup', async () => {
    const { dir, file, clock } = await studiedTwoDays();
    overwritePageOf(file, 'questions');

    const core = startCore(dir, clock);
    try {
      const refused = await dispatch(core.handlers, 'practice:start', { skillId: '00000000-0000-4000-8000-000000000000', mode: 'practice' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'database_error', details: { file, cause: 'corrupt' } } });
      expect(await callCore(core, 'app:info')).toMatchObject({ questionCount: 0 });

      const status = await callCore<RecoveryStatus>(core, 'recovery:status');
      expect(status.mode).toBe('recovery');
      expect(status.problem).toMatchObject({ file, cause: 'corrupt' });
      const newest = status.backups[0]!;
      expect(newest).toMatchObject({ kind: 'daily', createdUtcMs: clock.now() - 60_000, usable: true });

      const outcome = await callCore<RecoveryOutcome>(core, 'recovery:restoreBackup');
      expect(outcome.restoredFrom).toBe(newest.path);
      expect(existsSync(outcome.damagedCopyPath)).toBe(true);
      // Day 2's answer came after its backup: its session, attempt, progress and profile rows are reported lost.
      expect(outcome.lostEvents.readable).toBe(true);
      const lostTables = outcome.lostEvents.events.map((e) => e.table);
      expect(lostTables).toEqual(expect.arrayContaining(['sessions', 'attempts', 'skill_progress', 'profile']));
      expect(lostTables.filter((t) => t === 'attempts')).toHaveLength(1);
      for (const event of outcome.lostEvents.events) expect(event.tsUtcMs).toBeGreaterThanOrEqual(newest.createdUtcMs);
      expect(outcome.resyncStarted).toBe(false);

      // Study works again on the restored file, which holds day 1's answer.
      await answerOne(core);
      expect(await callCore<RecoveryStatus>(core, 'recovery:status')).toMatchObject({ mode: 'ok', problem: null, lastRecovery: outcome });
      expect(await callCore(core, 'app:info')).toMatchObject({ questionCount: 106 });
    } finally {
      await core.close();
    }
  });

  it('starts fresh from the built-in content, keeping the damaged copy and listing every unsynced event as lost', async () => {
    const { dir, file, clock } = await studiedTwoDays();
    overwritePageOf(file, 'questions');
    const core = startCore(dir, clock);
    try {
      const outcome = await callCore<RecoveryOutcome>(core, 'recovery:startFresh');
      expect(outcome).toMatchObject({ action: 'fresh', restoredFrom: null, lostEvents: { readable: true } });
      // Two days of one answer each: two sessions, two attempts, each day's progress and profile snapshots.
      expect(outcome.lostEvents.events.filter((e) => e.table === 'attempts')).toHaveLength(2);
      expect(existsSync(outcome.damagedCopyPath)).toBe(true);
      expect(await callCore(core, 'app:info')).toMatchObject({ questionCount: 106 });
      await answerOne(core);
    } finally {
      await core.close();
    }
  });

  it('says so when the damaged file cannot be read for its unsynced events', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
    writeFileSync(join(dir, DATABASE_FILE), 'not a database at all'.repeat(400));
    const core = startCore(dir, clock);
    try {
      expect(await callCore<RecoveryStatus>(core, 'recovery:status')).toMatchObject({ mode: 'recovery', backups: [] });
      const noBackup = await dispatch(core.handlers, 'recovery:restoreBackup', {});
      expect(noBackup).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const outcome = await callCore<RecoveryOutcome>(core, 'recovery:startFresh');
      expect(outcome.lostEvents).toEqual({ readable: false, events: [] });
    } finally {
      await core.close();
    }
  });

  it('names damage found while running with the file and the next step, not as bare SQLite text', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
    const first = startCore(dir, clock);
    await first.close();
    const core = startCore(dir, clock);
    try {
      // Damaged after the start's check, before the library's index is first read.
      overwritePageOf(join(dir, DATABASE_FILE), 'questions_skill_published_order_idx');
      const tree = await dispatch(core.handlers, 'library:tree', {});
      expect(tree).toMatchObject({ ok: false, error: { code: 'database_error', details: { file: join(dir, DATABASE_FILE), cause: 'corrupt' } } });
      expect(tree.ok || tree.error.message).toMatch(/recovery screen/);
    } finally {
      await core.close();
    }
  });

  it('starts in recovery mode on a read-only folder and accepts no write (run as an unprivileged user)', async () => {
    const dir = tempDir();
    const first = startCore(dir, new ManualClock(Date.UTC(2026, 10, 2, 9)));
    const tree = await callCore<{ domains: Array<{ skills: Array<{ id: string }> }> }>(first, 'library:tree');
    await first.close();
    const before = readdirSync(dir).sort();
    for (const name of before) chmodSync(join(dir, name), 0o644);
    chmodSync(dir, 0o555);
    // Root ignores file modes: as root, the child runs as `nobody`, for whom the folder really is read-only.
    const child = spawnTsAsUnprivileged(join(import.meta.dirname, 'core-child.ts'), [dir, tree.domains[0]!.skills[0]!.id], 60_000);
    chmodSync(dir, 0o755);
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    expect(line.startsWith('{'), child.stderr).toBe(true);
    const { status, start, fresh } = JSON.parse(line) as Record<string, { ok: boolean; value?: RecoveryStatus; error?: { code: string; details?: unknown } }>;
    expect(status!.value).toMatchObject({ mode: 'recovery', problem: { cause: 'read_only', file: join(dir, DATABASE_FILE) } });
    expect(start).toMatchObject({ ok: false, error: { code: 'database_error', details: { cause: 'read_only' } } });
    // Nothing can be restored or started fresh in a folder that cannot be written: the learner is told to fix it.
    expect(fresh).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('refuses recovery actions while the database is fine', async () => {
    const dir = tempDir();
    const core = startCore(dir, new ManualClock(Date.UTC(2026, 10, 2, 9)));
    try {
      expect(await callCore(core, 'recovery:status')).toMatchObject({ mode: 'ok', problem: null, backups: [] });
      expect(await dispatch(core.handlers, 'recovery:startFresh', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      await core.close();
    }
  });
});
