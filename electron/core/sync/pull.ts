/**
 * Pull: brings the local content tables up to the server's, pruning tombstones. pull_content_changes pages by
 * (change_xid, id), the transaction that last changed a row, only below the oldest transaction still running, so
 * no row that commits late is ever passed by the cursor (supabase/migrations/20261201002000_pull_content_v2.sql; its
 * page as rows since 20261204000000_pull_content_changes.sql).
 */
import { AppFailure } from '../../../shared/errors';
import type { Statement } from 'better-sqlite3';
import { createOrphanSweep } from '../content/provenance';
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from '../db/background-checkpoint';
import type { Sqlite } from '../db/open';
import type { WritePriority } from '../db/write-priority';
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
  /** Core's learner writes go first: a transaction commits early, and the next waits, while one is waiting. */
  writePriority: WritePriority;
  now: () => number;
  pageSize: number;
  timeoutMs: number;
  /** The SQLite driver's native binding, for the checkpoint thread's own connection (Electron's, when not packaged). */
  nativeBinding?: string;
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

/** The local columns of each content entity, in the order pull_content_changes sends their values (after the id). */
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
type Entity = keyof typeof contentColumns;
/** A value as it is bound to SQLite: the server sends booleans as 0/1 and JSON columns as JSON text. */
type Value = string | number | null;

/** One change: the values of the row's columns after its id, or null when the device should remove the row. */
interface PageRow {
  entity: Entity;
  changeXid: string;
  id: string;
  values: Value[] | null;
}

interface Page {
  rows: PageRow[];
  /** Rows committed above the server's horizon exist: this pull is not up to date yet. */
  heldBack: boolean;
}

interface Cursor {
  change_xid: string;
  id: string;
}

/** The last checkpoints of each connection's latest pull, still running after it returned (see the end of pullContent). */
const tidying = new WeakMap<Sqlite, Promise<void>>();

/** Resolves once the checkpoints of the last pull on `sqlite` have ended (at once when there are none). */
export function checkpointsSettled(sqlite: Sqlite): Promise<void> {
  return tidying.get(sqlite) ?? Promise.resolve();
}

export async function pullContent(ctx: PullContext): Promise<PullResult> {
  await checkpointsSettled(ctx.sqlite);
  const base = `${ctx.url.replace(/\/+$/, '')}/rest/v1/rpc`;
  const store = createContentStore(ctx.sqlite, ctx.writePriority, ctx.now);
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
    const page = call(pageFunctions[pageShape], { after_xid: after?.change_xid ?? null, after_id: after?.id ?? null, page_size: ctx.pageSize });
    // Awaited below unless the pull stops first; a page nobody waits for must not become an unhandled rejection.
    page.catch(() => undefined);
    return page;
  };

  let done = 0;
  let heldBack = false;
  let uncheckpointedRows = 0;
  // A server without the newest migration has only the page as one object: asked once its rows are not found.
  let pageShape: PageShape = 'rows';
  ctx.onProgress(0);
  let nextPage = fetchPage(cursor);
  // Started for a pull from the beginning (a first pull, a new server: the long ones) while the first page is on its
  // way, when the thread's start takes nothing from this one; else with the first of several pages. See CHECKPOINT_EVERY_ROWS.
  let background = null as BackgroundCheckpoints | null; // "as": assigned in startBackground, which flow analysis does not follow
  const startBackground = () => {
    if (!background && !ctx.sqlite.memory) background = startBackgroundCheckpoints(ctx.sqlite.name, ctx.nativeBinding);
  };
  if (cursor === null) startBackground();
  let walFrames = 0;
  const checkpointHere = () => {
    store.checkpoint();
    uncheckpointedRows = 0;
    walFrames = 0;
  };
  try {
    for (;;) {
      const outcome = await nextPage;
      if (outcome.kind === 'refused' && outcome.status === 404 && pageShape === 'rows' && done === 0) {
        pageShape = 'object';
        nextPage = fetchPage(cursor);
        continue;
      }
      if (outcome.kind !== 'ok') return { ...result, stop: failure(outcome) };
      const { rows, heldBack: pageHeldBack } = parsePage(pageShape, outcome.body, outcome.headers.get(HELD_BACK_HEADER));
      const more = rows.length >= ctx.pageSize;
      if (rows.length > 0) {
        const last = rows[rows.length - 1]!;
        cursor = { change_xid: last.changeXid, id: last.id };
        if (more) {
          // Ask for the next page before storing this one: the server and the disk work at the same time.
          nextPage = fetchPage(cursor);
          startBackground();
        }
        uncheckpointedRows += rows.length;
        const applied = await store.applyPage(rows);
        result.changed += applied.changed;
        result.shadowed += applied.shadowed;
        result.longestTransactionMs = Math.max(result.longestTransactionMs, applied.longestTransactionMs);
        done += rows.length;
        ctx.onProgress(done);
        // A checkpoint every few pages, on the thread while the WAL is short enough, and one when the pull ends (below).
        if (more && uncheckpointedRows >= CHECKPOINT_EVERY_ROWS && !background?.running) {
          const started = walFrames <= MAX_WAL_FRAMES ? (background?.start() ?? null) : null;
          if (started) {
            uncheckpointedRows = 0;
            void started.then((frames) => (walFrames = frames));
          } else checkpointHere();
        }
      }
      if (!more) {
        heldBack = pageHeldBack;
        break;
      }
      if (ctx.shouldStop()) return { ...result, stop: { kind: 'stopped' } };
    }
  } finally {
    // However the pull ends (done, stopped, failed, thrown): nothing it wrote waits for a checkpoint, and the claim goes.
    // With the thread, the pull is over once its rows are committed: the thread's last checkpoint copies them into the
    // database file after this returns (~0.1 s of a 100k-question pull), then this connection's own one, now nearly
    // nothing, gives the claim back. The next pull, and the sync worker's stop, wait for that (checkpointsSettled).
    if (background) {
      const thread = background;
      tidying.set(
        ctx.sqlite,
        thread
          .finish()
          // A checkpoint that fails copied what it could; the next one copies the rest. The claim goes either way.
          .catch(() => undefined)
          .then(checkpointHere)
          .catch(() => undefined),
      );
    } else if (uncheckpointedRows > 0) checkpointHere();
  }
  // Rows above the server's horizon wait for a transaction still running: a parent may be among them, and the
  // content is not at the version read above yet. The next run goes on from the cursor.
  if (heldBack) return result;
  // Complete: every parent the server shows has arrived, so a child still without one will not get it.
  result.changed += store.sweepOrphans();
  // The version read before paging: anything changed meanwhile has a later stamp and a newer version.
  if (result.serverContentVersion !== null) store.setLocalVersion(result.serverContentVersion);
  result.contentVersion = result.serverContentVersion;
  return result;
}

const entityValueCount: Record<Entity, number> = {
  domain: contentColumns.domain.length - 1,
  skill: contentColumns.skill.length - 1,
  question: contentColumns.question.length - 1,
};

/**
 * How the server answers a page: `rows` from pull_content_changes (PostgREST does not parse the page again, see its
 * migration), with held_back in HELD_BACK_HEADER; `object`, `{ changes, held_back }`, from pull_content_page on a
 * server without that migration.
 */
type PageShape = 'rows' | 'object';
const pageFunctions: Record<PageShape, string> = { rows: 'pull_content_changes', object: 'pull_content_page' };
/** "true" when rows above the server's horizon wait for a transaction still running; set by pull_content_changes. */
const HELD_BACK_HEADER = 'x-content-held-back';

/**
 * Checks a page's shape by hand rather than with a schema: a page holds up to 5000 rows and this runs on every one.
 * Value types are left to SQLite's binding, which refuses anything but strings, numbers and null (as `internal`).
 */
function parsePage(shape: PageShape, body: unknown, heldBackHeader: string | null): Page {
  const unexpected = (what: string) => new AppFailure('internal', `${pageFunctions[shape]} answered in an unexpected shape: ${what}`);
  if (shape === 'rows') {
    if (heldBackHeader !== 'true' && heldBackHeader !== 'false') {
      throw unexpected(`its ${HELD_BACK_HEADER} header is ${heldBackHeader === null ? 'missing' : `"${heldBackHeader.slice(0, 20)}"`}, not true or false`);
    }
    return pageOf(body, heldBackHeader === 'true', unexpected);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unexpected('not an object');
  const { changes, held_back: heldBack } = body as { changes?: unknown; held_back?: unknown };
  if (typeof heldBack !== 'boolean') throw unexpected('held_back is not a boolean');
  return pageOf(changes, heldBack, unexpected);
}

function pageOf(changes: unknown, heldBack: boolean, unexpected: (what: string) => AppFailure): Page {
  if (!Array.isArray(changes)) throw unexpected('not an array of changes');
  const rows: PageRow[] = new Array<PageRow>(changes.length);
  for (let i = 0; i < changes.length; i++) {
    const change: unknown = changes[i];
    if (!Array.isArray(change) || change.length !== 4) throw unexpected(`change ${i} is not [entity, change_xid, id, values]`);
    const [entity, changeXid, id, values] = change as [unknown, unknown, unknown, unknown];
    if (entity !== 'domain' && entity !== 'skill' && entity !== 'question') throw unexpected(`change ${i} has entity ${String(entity)}`);
    if (typeof changeXid !== 'string' || typeof id !== 'string') throw unexpected(`change ${i} has no change_xid or id`);
    if (values !== null && (!Array.isArray(values) || values.length !== entityValueCount[entity])) {
      throw unexpected(`change ${i} (${entity} ${id}) has no ${entityValueCount[entity]} values`);
    }
    rows[i] = { entity, changeXid, id, values: values as Value[] | null };
  }
  return { rows, heldBack };
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
  /**
   * Applies one page, a few rows per transaction (grouped by parent), the last one moving the cursor past the page. Holds
   * the bulk-write claim from its first transaction on; `checkpoint` gives it up.
   */
  applyPage(page: readonly PageRow[]): Promise<PageOutcome>;
  /** Copies the pulled frames into the database file (a PASSIVE checkpoint), then releases the bulk-write claim. */
  checkpoint(): void;
  /** Removes the server's rows left without a parent; run once a pull is complete. */
  sweepOrphans(): number;
}

type ChunkOutcome = Omit<PageOutcome, 'longestTransactionMs'> & { applied: number };

interface PageOutcome {
  changed: number;
  /** Pulled rows not stored because a local pack's row holds their id or slug (the pack wins). */
  shadowed: number;
  longestTransactionMs: number;
}

/**
 * How long one write transaction may hold SQLite's lock. A page of 5000 rows in one transaction held it for ~50 ms
 * and more; the pull sizes its transactions to stay near this, whatever the machine. Each commit writes every index
 * leaf it touched (ids are random), so the fewer commits the cheaper the pull, and the shorter the less a learner's
 * answer waits: measured on 2 cores, 3 ms instead of 15 took the answers' p99 during a pull from ~21 to ~14.5 ms and
 * the longest transaction (preemption included) from 21–38 to ~11 ms, for a pull ~10% slower.
 */
export const PULL_TRANSACTION_TARGET_MS = 3;
/**
 * How many pulled rows the WAL gathers before the pull checkpoints them: 4 pages of 5000. Each checkpoint syncs the disk
 * twice and copies every page its frames touched (~40–150 ms here), so fewer of them are cheaper. A pull of several
 * pages checkpoints on a thread of its own (db/background-checkpoint.ts), so this one goes on writing meanwhile: 2.13–
 * 2.34 s against 2.33–2.92 s for 100k questions, 6 bench runs each, alternating, on 2 cores (docs/decisions.md).
 */
const CHECKPOINT_EVERY_ROWS = 20_000;
/**
 * The WAL restarts from its beginning only after a checkpoint that copied all of it with no write since, which a
 * checkpoint on the thread never does while this one writes: once one of them leaves this many frames (64 MiB of 4 KiB
 * pages), the next checkpoint runs here, between transactions, so the WAL restarts. The WAL file still reaches ~165 MB
 * over 100k questions (~70 MB with every checkpoint here), and SQLite keeps it at that size, reused from its start, until
 * the last connection closes (docs/decisions.md: why it is not cut back sooner).
 */
const MAX_WAL_FRAMES = 16_384;
const MIN_ROWS_PER_TRANSACTION = 50;
const MAX_ROWS_PER_TRANSACTION = 5000;

const entityRank: Record<Entity, number> = { domain: 0, skill: 1, question: 2 };
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A page's rows in the order that writes the fewest pages: upserts grouped by parent (a skill's questions together, so
 * a transaction touches a few leaves of the per-skill indexes instead of one per row: ~2.5x fewer WAL frames and ~20%
 * faster at 100k questions), then the removals in the page's order. Any order within a page is safe: each id appears
 * once, a removal deletes only what is its own, and a slug taken before its old holder's change is moved aside.
 */
function localityOrder(page: readonly PageRow[]): PageRow[] {
  // Each upsert's sort key once, not per comparison: its entity's rank, then its parent's id (a domain has none).
  const upserts = page.flatMap((row) =>
    row.values === null ? [] : [{ row, rank: entityRank[row.entity], parent: row.entity === 'domain' ? '' : String(row.values[0]) }],
  );
  // Stable: rows of one parent stay in the page's (id) order.
  upserts.sort((a, b) => a.rank - b.rank || compareText(a.parent, b.parent));
  return [...upserts.map(({ row }) => row), ...page.filter((row) => row.values === null)];
}

const tableOf = { domain: 'domains', skill: 'skills', question: 'questions' } as const;
/** The columns a slug is unique within (the local unique indexes). */
const slugScope = { domain: [], skill: ['domain_id'], question: ['skill_id'] } as const;

function createContentStore(sqlite: Sqlite, writePriority: WritePriority, now: () => number): ContentStore {
  // Pages arrive in (change_xid, id) order, so a question may come before the skill it belongs to: the content
  // tables are a replica whose integrity the server guarantees, so this connection writes them without FK checks,
  // deletes children explicitly instead of by cascade, and sweeps orphans once the pull is complete.
  sqlite.pragma('foreign_keys = OFF');
  const durableSync = sqlite.pragma('synchronous', { simple: true }) as number;
  // This connection checkpoints itself (see checkpoint below), outside a transaction, instead of SQLite doing it inside
  // a commit: the time measured for a transaction is the time it held the write lock, not the copy to the database
  // file, and the disk syncs once per few pages instead of after every transaction, where each sync held up the
  // learner's commits behind it (write-priority.ts). Core's connection leaves checkpoints to this one while it holds
  // the bulk-write claim, which it keeps from its first transaction until its frames are checkpointed.
  sqlite.pragma('wal_autocheckpoint = 0');
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
          `INSERT INTO ${table} (${columns.join(', ')}, origin, pack_name) VALUES (${columns.map(() => '?').join(', ')}, 'server', NULL)
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

  /** 'changed', or 'shadowed' when a local pack's row keeps the id or the slug. */
  const upsert = (row: PageRow, values: readonly Value[]): 'changed' | 'shadowed' => {
    for (;;) {
      try {
        return upserts[row.entity].run(row.id, ...values).changes > 0 ? 'changed' : 'shadowed';
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
        const named = Object.fromEntries(contentColumns[row.entity].map((column, i) => [column, i === 0 ? row.id : values[i - 1]]));
        const holder = slugHolders[row.entity].get(named) as { id: string; origin: 'server' | 'pack' } | undefined;
        if (!holder) throw err;
        if (holder.origin === 'pack') return 'shadowed';
        moveAside[row.entity].run(holder.id);
      }
    }
  };

  /**
   * Applies rows until they run out or a learner write is waiting; `applied` says how many, at least one. `pageEnd`: the
   * cursor to store when these are the page's last rows.
   */
  const applyChunk = sqlite.transaction((rows: readonly PageRow[], pageEnd: Cursor | null): ChunkOutcome => {
    let changed = 0;
    let shadowed = 0;
    let applied = 0;
    for (const row of rows) {
      if (applied > 0 && writePriority.learnerWaiting()) break;
      applied += 1;
      try {
        if (row.values === null) {
          changed += remove(row) > 0 ? 1 : 0;
        } else if (upsert(row, row.values) === 'changed') {
          changed += 1;
        } else {
          shadowed += 1;
        }
      } catch (err) {
        throw new AppFailure('internal', `Could not store ${row.entity} ${row.id} from the server: ${(err as Error).message}`);
      }
    }
    // Rows are applied out of the page's order: the cursor moves past the page with the transaction that ends it.
    if (pageEnd !== null && applied === rows.length) syncState.set(CONTENT_CURSOR_KEY, JSON.stringify(pageEnd), now());
    return { changed, shadowed, applied };
  });

  return {
    cursor() {
      const raw = syncState.get(CONTENT_CURSOR_KEY);
      const stored = raw === null ? null : (JSON.parse(raw) as Partial<Cursor>);
      // A cursor of the pull by updated_at (before commit order) says nothing about transaction ids: pull everything
      // again once. Upserts and tombstones are idempotent, so this only costs the one full pull.
      return typeof stored?.change_xid === 'string' && typeof stored.id === 'string' ? { change_xid: stored.change_xid, id: stored.id } : null;
    },
    localVersion: () => syncState.getNumber(CONTENT_VERSION_KEY),
    setLocalVersion(version) {
      syncState.set(CONTENT_VERSION_KEY, String(version), now());
    },
    async applyPage(page) {
      const outcome: PageOutcome = { changed: 0, shadowed: 0, longestTransactionMs: 0 };
      // Durability: the page's transactions commit atomically without an fsync, so none waits for the disk while it
      // holds the write lock. A power cut can lose them, but never split rows from their cursor, and lost rows are
      // pulled again. The next checkpoint syncs the WAL first, outside any transaction, when it can run (a PASSIVE one
      // does nothing while another connection checkpoints or a reader holds every new frame); otherwise the next
      // commit at FULL (the learner's, or the pull's end) makes the pages durable.
      sqlite.pragma('synchronous = NORMAL');
      const ordered = localityOrder(page);
      const last = page[page.length - 1]!;
      const pageEnd: Cursor = { change_xid: last.changeXid, id: last.id };
      let elapsedMs = 0;
      try {
        for (let i = 0; i < ordered.length; ) {
          // Between commits the lock is free: a learner write that found it held gets in before the next one starts.
          if (i > 0) await writePriority.stepAside(elapsedMs);
          const rows = ordered.slice(i, i + rowsPerTransaction);
          writePriority.claimBulkWrite('sync');
          const started = performance.now();
          const chunk = applyChunk(rows, i + rows.length === ordered.length ? pageEnd : null);
          i += chunk.applied;
          elapsedMs = performance.now() - started;
          outcome.longestTransactionMs = Math.max(outcome.longestTransactionMs, elapsedMs);
          // The next transaction is sized from this one's pace (at most doubling, so one quick commit cannot
          // make the next one long). One cut short for a learner write says nothing about the pace: the size stays.
          if (chunk.applied === rows.length) {
            const paced = Math.round((rows.length * PULL_TRANSACTION_TARGET_MS) / Math.max(elapsedMs, 0.1));
            rowsPerTransaction = Math.min(
              MAX_ROWS_PER_TRANSACTION,
              Math.max(MIN_ROWS_PER_TRANSACTION, Math.min(paced, rowsPerTransaction * 2)),
            );
          }
          outcome.changed += chunk.changed;
          outcome.shadowed += chunk.shadowed;
        }
      } finally {
        sqlite.pragma(`synchronous = ${durableSync}`);
      }
      return outcome;
    },
    checkpoint() {
      try {
        sqlite.pragma('wal_checkpoint(PASSIVE)');
      } finally {
        writePriority.releaseBulkWrite('sync');
      }
    },
    sweepOrphans,
  };
}
