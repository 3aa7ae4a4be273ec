/**
 * Two windows answering the same question in the same millisecond: both answers are kept. Two practice instances on
 * two connections to one database file, with one injected clock that never moves, as two windows on a fast machine.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { createPractice } from '../../electron/core/practice/practice';
import { ManualClock } from '../helpers/clock';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

describe('answers in the same millisecond', () => {
  it('keeps every answer, moving a clashing one on by a millisecond', () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    const first = openSampleDatabase(dir, clock);
    const second = openDatabase(join(dir, 'study.sqlite'), { nowMs: clock.now() });
    try {
      const skill = skillWithBothTypes(first);
      const windowA = createPractice(first.sqlite, { clock, timeZone: () => 'UTC' });
      const windowB = createPractice(second.sqlite, { clock, timeZone: () => 'UTC' });
      const sessionA = windowA.startSession(skill.skillId, 'practice');
      const sessionB = windowB.startSession(skill.skillId, 'practice');
      const mcq = skill.mcq[0]!;
      const third = windowA.startSession(skill.skillId, 'test');

      const a = windowA.recordAttempt(sessionA.id, mcq.id, { choice: mcq.solution_index });
      const b = windowB.recordAttempt(sessionB.id, mcq.id, { choice: 0 });
      const c = windowA.recordAttempt(third.id, mcq.id, { choice: 1 });

      const rows = first.sqlite
        .prepare('SELECT id, ts_utc_ms FROM attempts WHERE question_id = ? ORDER BY ts_utc_ms')
        .all(mcq.id) as Array<{ id: string; ts_utc_ms: number }>;
      expect(rows.map((r) => r.id)).toEqual([a.attemptId, b.attemptId, c.attemptId]);
      expect(rows.map((r) => r.ts_utc_ms)).toEqual([clock.now(), clock.now() + 1, clock.now() + 2]);
      // Each attempt's outbox snapshot carries the time it was stored with.
      const snapshots = first.sqlite
        .prepare("SELECT payload FROM outbox WHERE table_name = 'attempts' ORDER BY id")
        .pluck()
        .all() as string[];
      expect(snapshots.map((p) => (JSON.parse(p) as { ts_utc_ms: number }).ts_utc_ms).sort()).toEqual(rows.map((r) => r.ts_utc_ms));
    } finally {
      second.sqlite.close();
      first.sqlite.close();
    }
  });
});
