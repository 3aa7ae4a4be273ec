/**
 * The device's side of the commit-ordered pull against the real stack: rows held back behind a transaction still
 * running keep the pull "not up to date" (no content version recorded, no orphan sweep), and a cursor of the pull by
 * updated_at starts the pull over.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CONTENT_CURSOR_KEY, CONTENT_VERSION_KEY } from '../../../electron/core/sync/pull';
import { openClientDb, testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-pull-horizon');
let clients = 0;

function client() {
  const db = openClientDb(fixture.dir, `horizon${++clients}.sqlite`);
  const service = testService({
    dbFile: db.file,
    sqlite: db.sqlite,
    overrides: { timerIntervalMs: 3_600_000, realtime: false, engine: { pullPageSize: 5000 } },
  });
  return { ...db, service };
}

async function publishTree(prefix: string): Promise<{ skillId: string; questionId: string }> {
  const [domain] = await fixture.stack.query<{ id: string }>(
    `insert into public.domains (slug, title, is_published) values ($1, 'Domain', true) returning id::text`,
    [`${prefix}_domain`],
  );
  const [skill] = await fixture.stack.query<{ id: string }>(
    `insert into public.skills (domain_id, slug, title, is_published) values ($1, $2, 'Skill', true) returning id::text`,
    [domain!.id, `${prefix}_skill`],
  );
  const [question] = await fixture.stack.query<{ id: string }>(
    `insert into public.questions (skill_id, slug, type, payload, is_published)
     values ($1, $2, 'mcq_single', '{"prompt":"p","choices":["a","b"],"solution_index":0}', true) returning id::text`,
    [skill!.id, `${prefix}_q`],
  );
  return { skillId: skill!.id, questionId: question!.id };
}

const stateValue = (sqlite: ReturnType<typeof client>['sqlite'], key: string) =>
  sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck().get(key) as string | undefined;
const count = (sqlite: ReturnType<typeof client>['sqlite'], sql: string, ...params: unknown[]) =>
  sqlite.prepare(sql).pluck().get(...params) as number;

describe('pull horizon on the device', () => {
  it('keeps a child whose parent is held back, records no version until the pull is up to date, then catches up', async () => {
    const { skillId, questionId } = await publishTree('held');
    const writer = new pg.Client({ connectionString: fixture.stack.databaseUrl });
    await writer.connect();
    const c = client();
    try {
      // A transaction still running elsewhere; the skill changes after it began, so its row is held back while the
      // question (committed before) comes down without its parent.
      await writer.query('begin');
      await writer.query('select pg_current_xact_id()');
      await fixture.stack.query(`update public.skills set title = 'Renamed skill' where id = $1`, [skillId]);

      const first = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
      expect(first.lastError).toBeNull();
      expect(count(c.sqlite, 'SELECT count(*) FROM questions WHERE id = ?', questionId)).toBe(1);
      expect(count(c.sqlite, 'SELECT count(*) FROM skills WHERE id = ?', skillId)).toBe(0);
      // Not up to date: the next run must pull again even though the server's version has not moved.
      expect(stateValue(c.sqlite, CONTENT_VERSION_KEY)).toBeUndefined();

      await writer.query('commit');
      const second = await c.service.syncNow();
      expect(second.lastError).toBeNull();
      expect(c.sqlite.prepare('SELECT title FROM skills WHERE id = ?').pluck().get(skillId)).toBe('Renamed skill');
      // The question was never swept as an orphan while its parent waited.
      expect(count(c.sqlite, 'SELECT count(*) FROM questions WHERE id = ?', questionId)).toBe(1);
      const [server] = await fixture.stack.query<{ version: string }>('select public.content_version()::text as version');
      expect(stateValue(c.sqlite, CONTENT_VERSION_KEY)).toBe(server!.version);
    } finally {
      await writer.end();
      await c.service.close();
      c.sqlite.close();
    }
  }, 60_000);

  it('starts over from the beginning when the stored cursor is one of the pull by updated_at', async () => {
    const c = client();
    try {
      const status = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
      expect(status.lastError).toBeNull();
      // What an earlier app version left: a cursor by time, here past every row the server has or will have.
      c.sqlite
        .prepare('UPDATE sync_state SET value = ? WHERE key = ?')
        .run(JSON.stringify({ updated_at: '2999-01-01T00:00:00Z', id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }), CONTENT_CURSOR_KEY);
      const { questionId } = await publishTree('old_cursor');
      // Rows from before the migration to commit order carry change_xid 0 (set here without the stamp triggers).
      const admin = new pg.Client({ connectionString: fixture.stack.databaseUrl });
      await admin.connect();
      try {
        await admin.query(`set session_replication_role = replica`);
        await admin.query(`update public.questions set change_xid = '0' where id = $1`, [questionId]);
      } finally {
        await admin.end();
      }
      const again = await c.service.syncNow();
      expect(again.lastError).toBeNull();
      expect(count(c.sqlite, 'SELECT count(*) FROM questions WHERE id = ?', questionId)).toBe(1);
      expect(JSON.parse(stateValue(c.sqlite, CONTENT_CURSOR_KEY)!)).toHaveProperty('change_xid');
    } finally {
      await c.service.close();
      c.sqlite.close();
    }
  }, 60_000);
});
