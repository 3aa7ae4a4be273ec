/** The synced-table registry's conversions and the local merge of pulled rows, on a real migrated SQLite database. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Sqlite } from '../../electron/core/db/open';
import { createLocalMerge } from '../../electron/core/sync/local-merge';
import { createOutboxWriter } from '../../electron/core/sync/outbox-writer';
import { fromServerRow, toServerRow, type LocalRow, type SyncedTable } from '../../electron/core/sync/registry';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const user = '0190f5b2-0000-7000-8000-0000000000aa';
const uuid = (n: number) => `0190f5b2-0000-7000-8000-${String(n).padStart(12, '0')}`;

function database(): Sqlite {
  return openDatabase(join(tempDir(), 'registry.sqlite')).sqlite;
}

function merge<T extends SyncedTable>(sqlite: Sqlite, table: T, ...rows: Array<LocalRow<T>>): void {
  const mergeRows = createLocalMerge(sqlite, table);
  sqlite.transaction(() => mergeRows(rows))();
}

const attempt: LocalRow<'attempts'> = {
  id: uuid(1),
  user_id: user,
  question_id: uuid(2),
  session_id: null,
  answer: '{"choice":1}',
  is_correct: 1,
  ts_utc_ms: 1000,
  meta: null,
};

describe('registry conversions', () => {
  it('sends booleans as booleans and JSON as its text', () => {
    expect(toServerRow('attempts', attempt)).toEqual({ ...attempt, is_correct: true });
    expect(toServerRow('attempts', { ...attempt, is_correct: null })).toEqual({ ...attempt, is_correct: null });
    // Only the registry's columns are sent: a local-only column never reaches the server.
    expect(toServerRow('attempts', { ...attempt, extra: 1 } as LocalRow<'attempts'>)).not.toHaveProperty('extra');
  });

  it('reads a server row back into the local shape, refusing one the registry schema refuses', () => {
    const server = { ...attempt, answer: { choice: 1 }, is_correct: false, received_at: '2026-01-01' };
    expect(fromServerRow('attempts', server)).toEqual({ ...attempt, is_correct: 0 });
    const { meta: _meta, ...missing } = server;
    expect(() => fromServerRow('attempts', missing)).toThrow(/attempts row/);
    expect(() => fromServerRow('attempts', { ...server, user_id: 'me' })).toThrow(/user_id/);
    expect(() => fromServerRow('attempts', { ...server, ts_utc_ms: '1000' })).toThrow(/ts_utc_ms/);
  });

  it("queues a row with the row id the registry says, due at once for the current learner and waiting when it is another account's", () => {
    const sqlite = database();
    const writer = createOutboxWriter(sqlite);
    sqlite.prepare(`INSERT INTO sync_state (key, value, updated_utc_ms) VALUES ('learner_id', ?, 0)`).run(user);
    const profile: LocalRow<'profile'> = {
      user_id: user, display_name: null, xp: 10, streak_count: 1, last_active_day: '2026-01-01',
      last_active_utc_ms: 1, created_utc_ms: 1, updated_utc_ms: 1,
    };
    writer.enqueue('profile', profile, 1);
    writer.enqueue('chat_messages', { id: uuid(3), chat_id: uuid(4), sender: 'user', message_content: 'hi', tool_calls: '[]', sequence: 0, created_utc_ms: 1, status: null, source: null, error: null }, 2, user);
    // An answer in a session another account started before this one signed in.
    writer.enqueue('profile', { ...profile, user_id: uuid(99) }, 3);
    expect(sqlite.prepare('SELECT waiting_for_account, table_name, row_id FROM outbox ORDER BY ts_utc_ms').all()).toEqual([
      { waiting_for_account: null, table_name: 'profile', row_id: user },
      { waiting_for_account: null, table_name: 'chat_messages', row_id: uuid(3) },
      { waiting_for_account: uuid(99), table_name: 'profile', row_id: uuid(99) },
    ]);
  });
});

describe('merging pulled rows by each table policy', () => {
  it('insert_once: attempts never change, whatever id a replay carries', () => {
    const sqlite = database();
    merge(sqlite, 'attempts', attempt, { ...attempt, is_correct: 0 }, { ...attempt, id: uuid(9), is_correct: 0 });
    expect(sqlite.prepare('SELECT id, is_correct FROM attempts').all()).toEqual([{ id: attempt.id, is_correct: 1 }]);
  });

  it('session_span: the start only moves earlier, the end only later, score and meta keep the latest known', () => {
    const sqlite = database();
    const session: LocalRow<'sessions'> = { id: uuid(5), user_id: user, skill_id: null, mode: 'practice', started_utc_ms: 100, ended_utc_ms: 500, score: 0.5, meta: null };
    merge(sqlite, 'sessions', session, { ...session, started_utc_ms: 50, ended_utc_ms: null, score: null, meta: '{"a":1}' });
    expect(sqlite.prepare('SELECT started_utc_ms, ended_utc_ms, score, meta FROM sessions').get()).toEqual({
      started_utc_ms: 50, ended_utc_ms: 500, score: 0.5, meta: '{"a":1}',
    });
  });

  it('max_wins_progress: one row per user and skill whatever its id; every measure only grows', () => {
    const sqlite = database();
    const local: LocalRow<'skill_progress'> = {
      id: uuid(6), user_id: user, skill_id: uuid(7), progress: 0.8, mastered_count: 4, attempt_count: 3,
      correct_count: 2, last_attempt_ts: 900, updated_utc_ms: 900,
    };
    merge(sqlite, 'skill_progress', local);
    merge(sqlite, 'skill_progress', { ...local, id: uuid(8), progress: 0.5, attempt_count: 10, last_attempt_ts: 950 });
    merge(sqlite, 'skill_progress', { ...local, progress: 0.1, correct_count: 3 });
    expect(sqlite.prepare('SELECT id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts FROM skill_progress').all()).toEqual([
      { id: local.id, progress: 0.8, mastered_count: 4, attempt_count: 10, correct_count: 3, last_attempt_ts: 950 },
    ]);
  });

  it('profile: XP only grows, the streak follows the most recent activity', () => {
    const sqlite = database();
    const profile: LocalRow<'profile'> = {
      user_id: user, display_name: 'Ada', xp: 300, streak_count: 5, last_active_day: '2026-01-05',
      last_active_utc_ms: 5000, created_utc_ms: 100, updated_utc_ms: 5000,
    };
    merge(sqlite, 'profile', profile);
    merge(sqlite, 'profile', { ...profile, display_name: null, xp: 200, streak_count: 1, last_active_day: '2026-01-06', last_active_utc_ms: 6000, created_utc_ms: 50, updated_utc_ms: 6000 });
    merge(sqlite, 'profile', { ...profile, xp: 250, streak_count: 9, last_active_utc_ms: 4000, updated_utc_ms: 4000 });
    expect(sqlite.prepare('SELECT display_name, xp, streak_count, last_active_day, last_active_utc_ms, created_utc_ms FROM profile').get()).toEqual({
      display_name: 'Ada', xp: 300, streak_count: 1, last_active_day: '2026-01-06', last_active_utc_ms: 6000, created_utc_ms: 50,
    });
  });

  it('latest_wins and replace: chat sessions keep the newest edit, messages take the snapshot', () => {
    const sqlite = database();
    const chat: LocalRow<'chat_sessions'> = { id: uuid(10), user_id: user, chat_name: 'new', context_snapshot: null, skill_id: null, is_active: 1, created_utc_ms: 1, updated_utc_ms: 20 };
    merge(sqlite, 'chat_sessions', chat, { ...chat, chat_name: 'old', is_active: 0, updated_utc_ms: 10 });
    expect(sqlite.prepare('SELECT chat_name, is_active FROM chat_sessions').get()).toEqual({ chat_name: 'new', is_active: 1 });
    const message: LocalRow<'chat_messages'> = { id: uuid(11), chat_id: chat.id, sender: 'tutor', message_content: 'partial', tool_calls: '[]', sequence: 0, created_utc_ms: 2, status: null, source: 'provider', error: null };
    merge(sqlite, 'chat_messages', message, { ...message, message_content: 'complete' });
    expect(sqlite.prepare('SELECT message_content FROM chat_messages').pluck().get()).toBe('complete');
  });

  it('drill_status_rank: a drill session status never moves back', () => {
    const sqlite = database();
    const drill: LocalRow<'drill_sessions'> = {
      id: uuid(12), user_id: user, question_id: uuid(13), content_pack_version: '1', status: 'COMPLETED', started_utc_ms: 1,
      submitted_utc_ms: 2, completed_utc_ms: 3, processing_time_ms: 4, metadata: null,
    };
    merge(sqlite, 'drill_sessions', drill, { ...drill, status: 'SUBMITTED', completed_utc_ms: null });
    expect(sqlite.prepare('SELECT status, completed_utc_ms FROM drill_sessions').get()).toEqual({ status: 'COMPLETED', completed_utc_ms: 3 });
  });
});
