/** The outbox cap with the real practice writes and the real engine: snapshots collapse to the newest, insert-once rows stay. */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importPack } from '../../../electron/core/content/import';
import { createPractice } from '../../../electron/core/practice/practice';
import { systemClock } from '../../../electron/core/ports';
import { createSyncEngine } from '../../../electron/core/sync/engine';
import { createOutboxCompactor } from '../../../electron/core/sync/outbox-cap';
import { fixedTokens } from '../../helpers/tokens';
import { openClientDb, tempDir, testService } from './helpers';

const dir = tempDir('sync-outbox-cap');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A learner who answered every question of one skill three times over, offline. */
function studiedOffline(name: string) {
  const db = openClientDb(dir, `${name}.sqlite`);
  importPack(db.sqlite, readFileSync(new URL('../../../resources/sample-pack.json', import.meta.url)), { mode: 'append' });
  const practice = createPractice(db.sqlite, { clock: systemClock, timeZone: () => 'UTC' });
  const skillId = db.sqlite.prepare('SELECT skill_id FROM questions WHERE is_published = 1 LIMIT 1').pluck().get() as string;
  for (let round = 0; round < 3; round++) {
    const session = practice.startSession(skillId, 'practice');
    for (;;) {
      const { question } = practice.nextQuestion(session.id);
      if (!question) break;
      practice.recordAttempt(
        session.id,
        question.id,
        question.type === 'reorder_steps' ? { order: question.steps.map((_, i) => i) } : { choice: 0 },
      );
    }
    practice.endSession(session.id);
  }
  return db;
}

const queued = (sqlite: ReturnType<typeof openClientDb>['sqlite']) =>
  sqlite
    .prepare(`SELECT table_name, row_id, count(*) AS n FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL GROUP BY table_name, row_id`)
    .all() as Array<{ table_name: string; row_id: string; n: number }>;

describe('the outbox cap', () => {
  it('near the cap, collapses snapshots of a row to the newest and keeps every insert-once event', () => {
    const { sqlite } = studiedOffline('collapse');
    const before = queued(sqlite);
    const attemptsBefore = before.filter((r) => r.table_name === 'attempts').length;
    expect(attemptsBefore).toBeGreaterThan(3);
    // The practice code queues a progress and a profile snapshot with every answer.
    expect(before.some((r) => r.table_name === 'skill_progress' && r.n > 1)).toBe(true);
    const progressRow = before.find((r) => r.table_name === 'skill_progress')!;
    const newest = sqlite
      .prepare(`SELECT id, payload FROM outbox WHERE table_name = 'skill_progress' AND row_id = ? ORDER BY ts_utc_ms DESC, id DESC LIMIT 1`)
      .get(progressRow.row_id) as { id: string; payload: string };
    const firstTs = sqlite.prepare(`SELECT min(ts_utc_ms) FROM outbox WHERE table_name = 'skill_progress' AND row_id = ?`).pluck().get(progressRow.row_id);

    // Far from the cap nothing changes.
    expect(createOutboxCompactor(sqlite, { limit: 1_000_000, warnAtShare: 0.8 }).compactIfNearLimit()).toBe(0);
    const total = before.reduce((sum, r) => sum + r.n, 0);
    const removed = createOutboxCompactor(sqlite, { limit: total, warnAtShare: 0.5 }).compactIfNearLimit();
    expect(removed).toBe(total - before.length);

    const after = queued(sqlite);
    expect(after.every((r) => r.n === 1)).toBe(true);
    expect(after.filter((r) => r.table_name === 'attempts').length).toBe(attemptsBefore);
    expect(after.length).toBe(before.length);
    // The newest snapshot stays, under its own id, at the oldest one's place in the queue.
    const kept = sqlite
      .prepare(`SELECT id, payload, ts_utc_ms FROM outbox WHERE table_name = 'skill_progress' AND row_id = ? AND processed = 0`)
      .get(progressRow.row_id) as { id: string; payload: string; ts_utc_ms: number };
    expect(kept).toEqual({ id: newest.id, payload: newest.payload, ts_utc_ms: firstTs });
    sqlite.close();
  });

  it('the engine compacts on every run, even offline, and the status warns near the cap', async () => {
    const db = studiedOffline('engine');
    const total = queued(db.sqlite).reduce((sum, r) => sum + r.n, 0);
    const cap = { limit: Math.ceil(total / 2), warnAtShare: 0.8 };
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, overrides: { engine: { outboxCap: cap } } });
    expect(service.status()).toMatchObject({ outboxLimit: cap.limit, outboxNearLimit: true });
    const engine = createSyncEngine({
      sqlite: db.sqlite,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      tokens: fixedTokens('token'),
      now: () => Date.now(),
      random: () => 0.5,
      settings: { outboxCap: cap },
    });
    const report = await engine.run({ url: 'http://127.0.0.1:9', anonKey: 'k', signedIn: true, force: true }, () => undefined);
    expect(report.pushed).toBe(0);
    expect(report.outcome).not.toBe('ok');
    expect(queued(db.sqlite).every((r) => r.n === 1)).toBe(true);
    await service.close();
    db.sqlite.close();
  });
});
