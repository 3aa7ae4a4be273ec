/** Pull: brings the local content tables up to the server's (pull_content pages by (updated_at, id)), pruning tombstones. */
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import type { Statement } from 'better-sqlite3';
import { createOrphanSweep } from '../content/provenance';
import type { Sqlite } from '../db/open';
import { requestJson, type FetchFn, type HttpOutcome } from './http';
import { createSyncStateStore } from './sync-state';

export const CONTENT_CURSOR_KEY = 'content_cursor';
export const CONTENT_VERSION_KEY = 'content_version';

export interface PullContext {
  url: string;
  anonKey: string;
  fetch: FetchFn;
  /** The bearer for the RPCs: the learner's access token, or the anon key when nobody is signed in. */
  bearer: () => Promise<string>;
  /** Called once when the bearer was refused; returns a fresh one or throws. */
  refreshBearer: (rejected: string) => Promise<string>;
  /** A connection of the sync worker: content rows are a replica, written with foreign keys off (see applyPage). */
  sqlite: Sqlite;
  now: () => number;
  pageSize: number;
  timeoutMs: number;
  onProgress: (done: number) => void;
  shouldStop: () => boolean;
}

export type PullStop =
  | { kind: 'done' }
  | { kind: 'stopped' }
  | { kind: 'failed'; offline: boolean; message: string; retryAfterMs?: number };

export interface PullResult {
  /** Rows inserted, updated or deleted locally. */
  changed: number;
  /** Pulled rows a local pack's row kept out (same id or slug): the pack wins. */
  shadowed: number;
  /** The longest write transaction of this pull, in ms (the lock a learner's answer could wait behind). */
  longestTransactionMs: number;
  contentVersion: number | null;
  serverContentVersion: number | null;
  stop: PullStop;
}

const pageRowSchema = z.object({
  entity: z.enum(['domain', 'skill', 'question']),
  id: z.string(),
  updated_at: z.string(),
  deleted: z.boolean(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
const pageSchema = z.array(pageRowSchema);
type PageRow = z.infer<typeof pageRowSchema>;

interface Cursor {
  updated_at: string;
  id: string;
}

export async function pullContent(ctx: PullContext): Promise<PullResult> {
  const base = `${ctx.url.replace(/\/+$/, '')}/rest/v1/rpc`;
  const store = createContentStore(ctx.sqlite, ctx.now);
  const result: PullResult = {
    changed: 0,
    shadowed: 0,
    longestTransactionMs: 0,
    contentVersion: store.localVersion(),
    serverContentVersion: null,
    stop: { kind: 'done' },
  };
  let bearer = await ctx.bearer();
  const call = async (fn: string, body: unknown): Promise<HttpOutcome<unknown>> => {
    const send = () =>
      requestJson<unknown>(ctx.fetch, {
        method: 'POST',
        url: `${base}/${fn}`,
        headers: { apikey: ctx.anonKey, Authorization: `Bearer ${bearer}` },
        body: JSON.stringify(body),
        timeoutMs: ctx.timeoutMs,
        nowMs: ctx.now(),
      });
    const first = await send();
    if (first.kind !== 'unauthorized') return first;
    bearer = await ctx.refreshBearer(bearer);
    return send();
  };

  const versionOutcome = await call('content_version', {});
  if (versionOutcome.kind !== 'ok') return { ...result, stop: failure(versionOutcome) };
  const serverVersion = Number(versionOutcome.body);
  result.serverContentVersion = Number.isFinite(serverVersion) ? serverVersion : null;
  let cursor = store.cursor();
  // Same version and a cursor: nothing changed since the last complete pull, one request is enough.
  if (cursor !== null && result.serverContentVersion !== null && result.serverContentVersion === result.contentVersion) {
    return result;
  }

  const fetchPage = (after: Cursor | null): Promise<HttpOutcome<unknown>> => {
    const page = call('pull_content', { after_updated_at: after?.updated_at ?? null, after_id: after?.id ?? null, page_size: ctx.pageSize });
    // Awaited below unless the pull stops first; a page nobody waits for must not become an unhandled rejection.
    page.catch(() => undefined);
    return page;
  };

  let done = 0;
  ctx.onProgress(0);
  let nextPage = fetchPage(cursor);
  for (;;) {
    const outcome = await nextPage;
    if (outcome.kind !== 'ok') return { ...result, stop: failure(outcome) };
    const parsed = pageSchema.safeParse(outcome.body);
    if (!parsed.success) {
      throw new AppFailure('internal', `pull_content answered in an unexpected shape: ${parsed.error.message.slice(0, 300)}`);
    }
    const page = parsed.data;
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    cursor = { updated_at: last.updated_at, id: last.id };
    const more = page.length >= ctx.pageSize;
    // Ask for the next page before storing this one: the server and the disk work at the same time.
    if (more) nextPage = fetchPage(cursor);
    const applied = await store.applyPage(page);
    result.changed += applied.changed;
    result.shadowed += applied.shadowed;
    result.longestTransactionMs = Math.max(result.longestTransactionMs, applied.longestTransactionMs);
    done += page.length;
    ctx.onProgress(done);
    if (!more) break;
    if (ctx.shouldStop()) return { ...result, stop: { kind: 'stopped' } };
  }
  // Complete: every parent the server shows has arrived, so a child still without one will not get it.
  result.changed += store.sweepOrphans();
  // The version read before paging: anything changed meanwhile has a later stamp and a newer version.
  if (result.serverContentVersion !== null) store.setLocalVersion(result.serverContentVersion);
  result.contentVersion = result.serverContentVersion;
  return result;
}

function failure(outcome: Exclude<HttpOutcome<unknown>, { kind: 'ok' }>): PullStop {
  if (outcome.kind === 'transient') {
    return outcome.retryAfterMs === undefined
      ? { kind: 'failed', offline: outcome.offline, message: outcome.message }
      : { kind: 'failed', offline: outcome.offline, message: outcome.message, retryAfterMs: outcome.retryAfterMs };
  }
  return { kind: 'failed', offline: false, message: outcome.message };
}

interface ContentStore {
  cursor(): Cursor | null;
  localVersion(): number | null;
  setLocalVersion(version: number): void;
  /** Applies one page, a few rows per transaction, each moving the cursor to its last row. */
  applyPage(page: readonly PageRow[]): Promise<PageOutcome>;
  /** Removes the server's rows left without a parent; run once a pull is complete. */
  sweepOrphans(): number;
}

interface PageOutcome {
  changed: number;
  /** Pulled rows not stored because a local pack's row holds their id or slug (the pack wins). */
  shadowed: number;
  longestTransactionMs: number;
}

/**
 * How long one write transaction may hold SQLite's lock. A page of 5000 rows in one transaction held it for ~50 ms
 * and more; the pull sizes its transactions to stay near this, whatever the machine: each commit writes every
 * index leaf it touched (ids are random), so the fewer commits the cheaper the pull, and the shorter the less a
 * learner's answer waits.
 */
export const PULL_TRANSACTION_TARGET_MS = 15;
const MIN_ROWS_PER_TRANSACTION = 50;
const MAX_ROWS_PER_TRANSACTION = 5000;

const contentColumns = {
  domain: ['id', 'slug', 'title', 'sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms'],
  skill: ['id', 'domain_id', 'slug', 'title', 'description', 'sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms'],
  question: [
    'id',
    'skill_id',
    'slug',
    'type',
    'payload',
    'explanation',
    'sort_order',
    'is_published',
    'created_utc_ms',
    'updated_utc_ms',
  ],
} as const;
const tableOf = { domain: 'domains', skill: 'skills', question: 'questions' } as const;
/** The columns a slug is unique within (the local unique indexes). */
const slugScope = { domain: [], skill: ['domain_id'], question: ['skill_id'] } as const;

type Entity = PageRow['entity'];

function createContentStore(sqlite: Sqlite, now: () => number): ContentStore {
  // Pages arrive in (updated_at, id) order, so a question may come before the skill it belongs to: the content
  // tables are a replica whose integrity the server guarantees, so this connection writes them without FK checks,
  // deletes children explicitly instead of by cascade, and sweeps orphans once the pull is complete.
  sqlite.pragma('foreign_keys = OFF');
  const durableSync = sqlite.pragma('synchronous', { simple: true }) as number;
  // This connection checkpoints after each transaction itself, outside it, instead of SQLite doing it inside the
  // commit: the WAL stays as small as before (a learner's commit never meets a big one to checkpoint), and the
  // time measured for a transaction is the time it held the write lock, not the copy to the database file.
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpoint = () => sqlite.pragma('wal_checkpoint(PASSIVE)');
  let rowsPerTransaction = 250;
  const syncState = createSyncStateStore(sqlite);
  // An upsert by id (ON CONFLICT DO UPDATE) that changes only the server's rows: a delete-and-insert would also remove
  // whatever row holds the slug, a local pack's included. A local pack's row with the same id stays as it is.
  const upserts = Object.fromEntries(
    (Object.keys(contentColumns) as Entity[]).map((entity) => {
      const columns = contentColumns[entity];
      const table = tableOf[entity];
      return [
        entity,
        sqlite.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}, origin, pack_name) VALUES (${columns.map((c) => `@${c}`).join(', ')}, 'server', NULL)
           ON CONFLICT (id) DO UPDATE SET ${columns
             .filter((c) => c !== 'id')
             .map((c) => `${c} = excluded.${c}`)
             .join(', ')} WHERE ${table}.origin = 'server'`,
        ),
      ];
    }),
  ) as Record<Entity, Statement>;
  // The row holding a slug that a pulled row wants, in the slug's scope.
  const slugHolders = Object.fromEntries(
    (Object.keys(contentColumns) as Entity[]).map((entity) => {
      const scope = slugScope[entity].map((c) => ` AND ${c} = @${c}`).join('');
      return [entity, sqlite.prepare(`SELECT id, origin FROM ${tableOf[entity]} WHERE slug = @slug${scope} AND id <> @id`)];
    }),
  ) as Record<Entity, Statement>;
  // A stale server row still holding the slug gives it up: its own change (a new slug or a tombstone) is in this
  // pull, no later than the row that took the slug, since the server's unique index ordered the two.
  const moveAside = Object.fromEntries(
    (Object.keys(contentColumns) as Entity[]).map((entity) => [
      entity,
      sqlite.prepare(`UPDATE ${tableOf[entity]} SET slug = slug || '__' || id WHERE id = ? AND origin = 'server'`),
    ]),
  ) as Record<Entity, Statement>;
  const deleteQuestionsOfDomain = sqlite.prepare(
    `DELETE FROM questions WHERE origin = 'server' AND skill_id IN (SELECT id FROM skills WHERE domain_id = ?)`,
  );
  const deleteSkillsOfDomain = sqlite.prepare(`DELETE FROM skills WHERE origin = 'server' AND domain_id = ?`);
  const deleteDomain = sqlite.prepare(`DELETE FROM domains WHERE origin = 'server' AND id = ?`);
  const deleteQuestionsOfSkill = sqlite.prepare(`DELETE FROM questions WHERE origin = 'server' AND skill_id = ?`);
  const deleteSkill = sqlite.prepare(`DELETE FROM skills WHERE origin = 'server' AND id = ?`);
  const deleteQuestion = sqlite.prepare(`DELETE FROM questions WHERE origin = 'server' AND id = ?`);
  const sweepOrphans = createOrphanSweep(sqlite);

  const remove = (row: PageRow): number => {
    switch (row.entity) {
      case 'domain':
        return (
          deleteQuestionsOfDomain.run(row.id).changes + deleteSkillsOfDomain.run(row.id).changes + deleteDomain.run(row.id).changes
        );
      case 'skill':
        return deleteQuestionsOfSkill.run(row.id).changes + deleteSkill.run(row.id).changes;
      case 'question':
        return deleteQuestion.run(row.id).changes;
    }
  };

  const localShape = (row: PageRow, data: Record<string, unknown>): Record<string, unknown> => {
    const common = {
      id: row.id,
      slug: data.slug,
      title: data.title,
      sort_order: data.sort_order ?? 0,
      is_published: data.is_published === true ? 1 : 0,
      created_utc_ms: data.created_utc_ms ?? 0,
      updated_utc_ms: data.updated_utc_ms ?? 0,
    };
    switch (row.entity) {
      case 'domain':
        return common;
      case 'skill':
        return { ...common, domain_id: data.domain_id, description: data.description ?? null };
      case 'question':
        return {
          id: common.id,
          slug: common.slug,
          sort_order: common.sort_order,
          is_published: common.is_published,
          created_utc_ms: common.created_utc_ms,
          updated_utc_ms: common.updated_utc_ms,
          skill_id: data.skill_id,
          type: data.type,
          payload: JSON.stringify(data.payload ?? {}),
          explanation: data.explanation == null ? null : JSON.stringify(data.explanation),
        };
    }
  };

  /** 'changed', or 'shadowed' when a local pack's row keeps the id or the slug. */
  const upsert = (row: PageRow, data: Record<string, unknown>): 'changed' | 'shadowed' => {
    const local = localShape(row, data);
    for (;;) {
      try {
        return upserts[row.entity].run(local).changes > 0 ? 'changed' : 'shadowed';
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
        const holder = slugHolders[row.entity].get(local) as { id: string; origin: 'server' | 'pack' } | undefined;
        if (!holder) throw err;
        if (holder.origin === 'pack') return 'shadowed';
        moveAside[row.entity].run(holder.id);
      }
    }
  };

  const applyChunk = sqlite.transaction((rows: readonly PageRow[]): Omit<PageOutcome, 'longestTransactionMs'> => {
    let changed = 0;
    let shadowed = 0;
    for (const row of rows) {
      try {
        if (row.deleted || row.data === null) {
          changed += remove(row) > 0 ? 1 : 0;
        } else if (upsert(row, row.data) === 'changed') {
          changed += 1;
        } else {
          shadowed += 1;
        }
      } catch (err) {
        throw new AppFailure('internal', `Could not store ${row.entity} ${row.id} from the server: ${(err as Error).message}`);
      }
    }
    const last = rows[rows.length - 1]!;
    syncState.set(CONTENT_CURSOR_KEY, JSON.stringify({ updated_at: last.updated_at, id: last.id }), now());
    return { changed, shadowed };
  });

  return {
    cursor() {
      const raw = syncState.get(CONTENT_CURSOR_KEY);
      return raw === null ? null : (JSON.parse(raw) as Cursor);
    },
    localVersion: () => syncState.getNumber(CONTENT_VERSION_KEY),
    setLocalVersion(version) {
      syncState.set(CONTENT_VERSION_KEY, String(version), now());
    },
    async applyPage(page) {
      const outcome: PageOutcome = { changed: 0, shadowed: 0, longestTransactionMs: 0 };
      try {
        for (let i = 0; i < page.length; ) {
          const rows = page.slice(i, i + rowsPerTransaction);
          // Only a page's last transaction waits for the disk (the connection's own synchronous level). The ones
          // before it commit atomically without an fsync: a power cut can lose them, but never split rows from
          // their cursor, and the lost rows are pulled again; the last one's fsync makes them all durable (WAL).
          const lastOfPage = i + rows.length >= page.length;
          sqlite.pragma(`synchronous = ${lastOfPage ? durableSync : 'NORMAL'}`);
          // Between commits the lock is free for a moment: long enough for a writer on another connection, whose
          // busy handler polls every few ms, to get in, rather than finding back-to-back transactions.
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
          const started = performance.now();
          const chunk = applyChunk(rows);
          i += rows.length;
          const elapsedMs = performance.now() - started;
          outcome.longestTransactionMs = Math.max(outcome.longestTransactionMs, elapsedMs);
          // The next transaction is sized from this one's pace (at most doubling, so one quick commit cannot
          // make the next one long).
          const paced = Math.round((rows.length * PULL_TRANSACTION_TARGET_MS) / Math.max(elapsedMs, 0.1));
          rowsPerTransaction = Math.min(
            MAX_ROWS_PER_TRANSACTION,
            Math.max(MIN_ROWS_PER_TRANSACTION, Math.min(paced, rowsPerTransaction * 2)),
          );
          checkpoint();
          outcome.changed += chunk.changed;
          outcome.shadowed += chunk.shadowed;
        }
      } finally {
        sqlite.pragma(`synchronous = ${durableSync}`);
      }
      return outcome;
    },
    sweepOrphans,
  };
}
