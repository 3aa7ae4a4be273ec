import { describe, expect, it } from 'vitest';
import { createPractice } from '../../electron/core/practice/practice';
import { toAppError } from '../../shared/errors';
import { ManualClock } from '../helpers/clock';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

describe('disk full while recording attempts', () => {
  it('fails with a clear storage_full error and writes nothing half', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
    const opened = openSampleDatabase(tempDir(), clock);
    const { sqlite } = opened;
    const practice = createPractice(sqlite, { clock, timeZone: () => 'UTC' });
    const { skillId } = skillWithBothTypes(opened);
    // Checkpoint, then cap the file at its current size: the next pages a write needs do not exist.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);

    const snapshot = () =>
      sqlite
        .prepare(
          "SELECT (SELECT COUNT(*) FROM attempts) || '/' || (SELECT COUNT(*) FROM outbox) || '/' || (SELECT COALESCE(SUM(attempt_count), 0) FROM skill_progress) || '/' || (SELECT COUNT(*) FROM sessions)",
        )
        .pluck()
        .get();

    let failure: ReturnType<typeof toAppError> | null = null;
    let before = snapshot();
    for (let i = 0; i < 2000 && failure === null; i++) {
      before = snapshot();
      try {
        const session = practice.startSession(skillId, 'practice');
        for (let q = practice.nextQuestion(session.id).question; q; q = practice.nextQuestion(session.id).question) {
          before = snapshot();
          clock.advance(1);
          practice.recordAttempt(session.id, q.id, q.type === 'mcq_single' ? { choice: 0 } : { order: q.initialOrder });
        }
        before = snapshot();
        practice.endSession(session.id);
      } catch (err) {
        failure = toAppError(err);
      }
    }
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe('storage_full');
    expect(failure!.message).toMatch(/disk is full/i);
    expect(snapshot()).toBe(before);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    sqlite.close();
  });
});
