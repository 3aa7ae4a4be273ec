/** Content provenance against the real local stack: pulls keep to the server's rows, local packs win, a new server's content replaces the old. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importPack } from '../../../electron/core/content/import';
import { createWritePriority } from '../../../electron/core/db/write-priority';
import type { SyncServiceOptions } from '../../../electron/core/sync/service';
import { buildPack, testUuid } from '../../content/pack-builder';
import { openClientDb, recordAttempts, testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-provenance');
let clients = 0;

/** An anonymous client (content pulls need no account) on a fresh database; pages as small as the test asks. */
function client(pullPageSize = 5000, extra: Partial<SyncServiceOptions> = {}) {
  const db = openClientDb(fixture.dir, `prov${++clients}.sqlite`);
  const service = testService({
    dbFile: db.file,
    sqlite: db.sqlite,
    overrides: { timerIntervalMs: 3_600_000, realtime: false, engine: { pullPageSize }, ...extra },
  });
  return { ...db, service };
}

async function publishTree(prefix: string, questions: number): Promise<{ domainId: string; skillId: string }> {
  const [domain] = await fixture.stack.query<{ id: string }>(
    `insert into public.domains (slug, title, is_published) values ($1, 'Server domain', true) returning id::text`,
    [`${prefix}_domain`],
  );
  const [skill] = await fixture.stack.query<{ id: string }>(
    `insert into public.skills (domain_id, slug, title, is_published) values ($1, $2, 'Server skill', true) returning id::text`,
    [domain!.id, `${prefix}_skill`],
  );
  await fixture.stack.query(
    `insert into public.questions (skill_id, slug, type, payload, sort_order, is_published)
     select $1, $2 || '_q_' || k, 'mcq_single',
            jsonb_build_object('prompt', 'Q' || k, 'choices', jsonb_build_array('a', 'b'), 'solution_index', 0), k, true
       from generate_series(1, $3) k`,
    [skill!.id, prefix, questions],
  );
  return { domainId: domain!.id, skillId: skill!.id };
}

const count = (sqlite: ReturnType<typeof client>['sqlite'], sql: string, ...params: unknown[]) =>
  sqlite.prepare(sql).pluck().get(...params) as number;

describe('provenance', () => {
  it('stores a child that arrives pages before its parent, and leaves no orphan once the pull completes', async () => {
    const { skillId } = await publishTree('early', 6);
    // Touched after its questions: the skill now sorts after them, pages later at two rows a page.
    await fixture.stack.query(`update public.skills set title = 'Renamed skill' where id = $1`, [skillId]);
    const c = client(2);
    // A leftover server row whose parent the server no longer has (an earlier, interrupted pull's).
    c.sqlite.pragma('foreign_keys = OFF');
    c.sqlite
      .prepare(
        `INSERT INTO questions (id, skill_id, slug, type, payload, origin) VALUES (?, ?, 'stray', 'mcq_single', '{}', 'server')`,
      )
      .run(testUuid('stray-question'), testUuid('gone-skill'));
    c.sqlite.pragma('foreign_keys = ON');

    const status = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    expect(status.lastError).toBeNull();
    expect(count(c.sqlite, `SELECT count(*) FROM questions WHERE skill_id = ? AND origin = 'server'`, skillId)).toBe(6);
    expect(c.sqlite.prepare('SELECT title FROM skills WHERE id = ?').pluck().get(skillId)).toBe('Renamed skill');
    expect(count(c.sqlite, 'SELECT count(*) FROM questions WHERE id = ?', testUuid('stray-question'))).toBe(0);
    expect(count(c.sqlite, 'SELECT count(*) FROM questions q WHERE NOT EXISTS (SELECT 1 FROM skills s WHERE s.id = q.skill_id)')).toBe(0);
    expect(c.sqlite.pragma('foreign_key_check')).toEqual([]);
    await c.service.close();
    c.sqlite.close();
  }, 60_000);

  it('holds the bulk-write claim from its first page until its rows are checkpointed, and lets go once they are', async () => {
    await publishTree('claim', 5);
    const shared = createWritePriority();
    // Core's view of the buffer the pull writes through, read inside the pull's transactions (between rows, where the
    // pull asks whether a learner write waits) and as each page is requested.
    const core = createWritePriority(shared.buffer);
    const claimedInTransactions: boolean[] = [];
    const claimedAtPageRequests: boolean[] = [];
    const c = client(2, {
      writePriority: {
        ...shared,
        learnerWaiting() {
          claimedInTransactions.push(core.bulkWriting());
          return shared.learnerWaiting();
        },
      },
      fetch: (input, init) => {
        if (String(input).includes('pull_content_changes')) claimedAtPageRequests.push(core.bulkWriting());
        return globalThis.fetch(input, init);
      },
    });
    const status = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    expect(status.lastError).toBeNull();
    // At two rows a page, a domain, a skill and five questions take four pages and a last empty one.
    expect(claimedInTransactions.length).toBeGreaterThanOrEqual(3);
    expect(claimedInTransactions.every(Boolean)).toBe(true);
    // Each page is asked for before the one before it is stored: free for the first two, then held, since 7 rows
    // are far fewer than a checkpoint waits for; checkpointed and released at the end.
    expect(claimedAtPageRequests.length).toBeGreaterThanOrEqual(4);
    expect(claimedAtPageRequests.slice(0, 2)).toEqual([false, false]);
    expect(claimedAtPageRequests.slice(2).every(Boolean)).toBe(true);
    // The last checkpoint may run on after the pull returns; stopping sync waits for it, well inside the claim's lease.
    await c.service.close();
    expect(core.bulkWriting()).toBe(false);
    c.sqlite.close();
  }, 60_000);

  it('checkpoints a long pull beside its writes, and leaves every row in the database file once it ends', async () => {
    // 45,000 questions: two checkpoints on the pull's checkpoint thread (every 20,000 rows) while it writes, then a last
    // one there once it has stopped writing (after the pull returns: stopping sync waits for it).
    const { skillId } = await publishTree('long', 45_000);
    const c = client();
    // Only the pull checkpoints: this connection's own commits (the service's state) would otherwise copy the WAL too.
    c.sqlite.pragma('wal_autocheckpoint = 0');
    const status = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    expect(status.lastError).toBeNull();
    expect(count(c.sqlite, 'SELECT count(*) FROM questions WHERE skill_id = ?', skillId)).toBe(45_000);
    await c.service.close();
    // The database file alone, without its WAL, holds them all (this connection, still open, checkpointed nothing).
    const copy = join(fixture.dir, 'long-pull-copy.sqlite');
    copyFileSync(c.file, copy);
    const fileAlone = new Database(copy, { readonly: true });
    try {
      expect(fileAlone.prepare('SELECT count(*) FROM questions WHERE skill_id = ?').pluck().get(skillId)).toBe(45_000);
      expect(fileAlone.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      fileAlone.close();
    }
    c.sqlite.close();
  }, 120_000);

  it('keeps a local pack row when a pulled row wants its slug or its id, and never overwrites a local draft', async () => {
    const c = client();
    const pack = buildPack({ name: 'instructor-draft', prefix: 'draft', published: false, domains: 2, skillsPerDomain: 1, questionsPerSkill: 2 });
    importPack(c.sqlite, JSON.stringify(pack), { mode: 'append' });
    // The server has a domain with the pack's first slug under another id, and the pack's second domain's id.
    await fixture.stack.query(`insert into public.domains (slug, title, is_published) values ('draft_domain_0', 'Server, same slug', true)`);
    const sameId = testUuid('draft-d1');
    await fixture.stack.query(
      `insert into public.domains (id, slug, title, is_published) values ($1, 'server_copy_of_draft', 'Server, same id', true)`,
      [sameId],
    );

    const status = await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    expect(status.lastError).toBeNull();
    const local = c.sqlite
      .prepare(`SELECT id, slug, title, origin, pack_name FROM domains WHERE slug LIKE 'draft_%' OR id = ? ORDER BY slug`)
      .all(sameId);
    expect(local).toEqual([
      { id: testUuid('draft-d0'), slug: 'draft_domain_0', title: 'Domain 0', origin: 'pack', pack_name: 'instructor-draft' },
      { id: sameId, slug: 'draft_domain_1', title: 'Domain 1', origin: 'pack', pack_name: 'instructor-draft' },
    ]);
    // The pack's drafts are all still here, as the instructor left them.
    expect(count(c.sqlite, `SELECT count(*) FROM questions WHERE origin = 'pack' AND pack_name = 'instructor-draft' AND is_published = 0`)).toBe(4);
    await c.service.close();
    c.sqlite.close();
  }, 60_000);

  it('configuring another server removes the old server’s content and keeps local packs and the learner’s own data', async () => {
    await publishTree('old', 3);
    const c = client();
    importPack(c.sqlite, JSON.stringify(buildPack({ name: 'local-pack', prefix: 'mine' })), { mode: 'append' });
    await c.service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    const serverRows = count(c.sqlite, `SELECT count(*) FROM questions WHERE origin = 'server'`);
    expect(serverRows).toBeGreaterThan(0);
    const attempts = recordAttempts(c.sqlite, 3);
    const packQuestions = count(c.sqlite, `SELECT count(*) FROM questions WHERE origin = 'pack'`);

    // Another server, unreachable for now: the old one's content must go at once, not with the next pull.
    await fixture.proxy.setFault({ fault: { mode: 'down' } });
    const other = new URL(fixture.proxy.url);
    other.hostname = 'localhost';
    const status = await c.service.configure({ url: other.toString(), anonKey: fixture.stack.anonKey });
    await fixture.proxy.setFault({ fault: { mode: 'pass' } });
    expect(status.state).toBe('offline');
    expect(status.contentVersion).toBeNull();
    for (const table of ['domains', 'skills', 'questions']) {
      expect(count(c.sqlite, `SELECT count(*) FROM ${table} WHERE origin = 'server'`)).toBe(0);
    }
    expect(count(c.sqlite, `SELECT count(*) FROM questions WHERE origin = 'pack'`)).toBe(packQuestions);
    expect(count(c.sqlite, `SELECT count(*) FROM attempts WHERE id IN (${attempts.map(() => '?').join(', ')})`, ...attempts)).toBe(3);
    await c.service.close();
    c.sqlite.close();
  }, 60_000);
});
