/** The local drill tables keep the server's uniqueness: one response and one evaluation per drill session. */
import { describe, expect, it } from 'vitest';
import { useTempDatabases, type TempDatabase } from '../content/temp-database';

const freshDatabase = useTempDatabases();

function databaseWithSession(): TempDatabase {
  const db = freshDatabase();
  db.sqlite
    .prepare(
      `INSERT INTO drill_sessions (id, user_id, question_id, content_pack_version, status, started_utc_ms)
       VALUES ('s1', 'u1', 'pack-q1', '1.0.0', 'STARTED', 1)`,
    )
    .run();
  db.sqlite
    .prepare(`INSERT INTO drill_responses (id, session_id, content, word_count, created_utc_ms) VALUES ('r1', 's1', 'An answer', 2, 2)`)
    .run();
  return db;
}

const insertEvaluation = (db: TempDatabase, id: string) =>
  db.sqlite
    .prepare(
      `INSERT INTO evaluation_results (id, session_id, response_id, duration_s, words, wpm, overall_score, categories, what_changed,
         practice_rule, model_used, processing_time_ms, created_utc_ms)
       VALUES (?, 's1', 'r1', 10, 2, 12, 50, '[]', '[]', 'Rule', 'local-rules-1', 5, 3)`,
    )
    .run(id);

describe('local drill tables', () => {
  it('keep one evaluation per session', () => {
    const db = databaseWithSession();
    insertEvaluation(db, 'e1');
    expect(() => insertEvaluation(db, 'e2')).toThrow(/UNIQUE constraint failed: evaluation_results.session_id/);
  });

  it('keep one response per session', () => {
    const db = databaseWithSession();
    expect(() =>
      db.sqlite
        .prepare(`INSERT INTO drill_responses (id, session_id, content, created_utc_ms) VALUES ('r2', 's1', 'Another', 4)`)
        .run(),
    ).toThrow(/UNIQUE constraint failed: drill_responses.session_id/);
  });
});
