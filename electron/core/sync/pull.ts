/** Pull: brings the local content tables up to the server's (pull_content pages by (updated_at, id)), pruning tombstones. */
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import { requestJson, type FetchFn, type HttpOutcome } from './http';

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
    result.changed += store.applyPage(page, cursor);
    done += page.length;
    ctx.onProgress(done);
    if (!more) break;
    if (ctx.shouldStop()) return { ...result, stop: { kind: 'stopped' } };
  }
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
  /** Applies one page and moves the cursor in the same transaction; returns the rows changed. */
  applyPage(page: readonly PageRow[], cursor: Cursor): number;
}

function createContentStore(sqlite: Sqlite, now: () => number): ContentStore {
  // Pages arrive in (updated_at, id) order, so a question may come before the skill it belongs to: the content
  // tables are a replica whose integrity the server guarantees, so this connection writes them without FK checks
  // and deletes children explicitly instead of by cascade.
  sqlite.pragma('foreign_keys = OFF');
  const getState = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const setState = sqlite.prepare(
    `INSERT INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_utc_ms = excluded.updated_utc_ms`,
  );
  // REPLACE: the server is authoritative, so a local row holding the same slug under another id gives way.
  const upsertDomain = sqlite.prepare(
    `INSERT OR REPLACE INTO domains (id, slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms)
     VALUES (@id, @slug, @title, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms)`,
  );
  const upsertSkill = sqlite.prepare(
    `INSERT OR REPLACE INTO skills (id, domain_id, slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms)
     VALUES (@id, @domain_id, @slug, @title, @description, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms)`,
  );
  const upsertQuestion = sqlite.prepare(
    `INSERT OR REPLACE INTO questions (id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms)
     VALUES (@id, @skill_id, @slug, @type, @payload, @explanation, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms)`,
  );
  const deleteQuestionsOfDomain = sqlite.prepare(
    'DELETE FROM questions WHERE skill_id IN (SELECT id FROM skills WHERE domain_id = ?)',
  );
  const deleteSkillsOfDomain = sqlite.prepare('DELETE FROM skills WHERE domain_id = ?');
  const deleteDomain = sqlite.prepare('DELETE FROM domains WHERE id = ?');
  const deleteQuestionsOfSkill = sqlite.prepare('DELETE FROM questions WHERE skill_id = ?');
  const deleteSkill = sqlite.prepare('DELETE FROM skills WHERE id = ?');
  const deleteQuestion = sqlite.prepare('DELETE FROM questions WHERE id = ?');

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

  const upsert = (row: PageRow, data: Record<string, unknown>): number => {
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
        return upsertDomain.run(common).changes;
      case 'skill':
        return upsertSkill.run({ ...common, domain_id: data.domain_id, description: data.description ?? null }).changes;
      case 'question':
        return upsertQuestion.run({
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
        }).changes;
    }
  };

  const applyPage = sqlite.transaction((page: readonly PageRow[], cursor: Cursor): number => {
    let changed = 0;
    for (const row of page) {
      try {
        changed += row.deleted || row.data === null ? remove(row) : upsert(row, row.data) > 0 ? 1 : 0;
      } catch (err) {
        throw new AppFailure('internal', `Could not store ${row.entity} ${row.id} from the server: ${(err as Error).message}`);
      }
    }
    setState.run(CONTENT_CURSOR_KEY, JSON.stringify(cursor), now());
    return changed;
  });

  return {
    cursor() {
      const raw = getState.get(CONTENT_CURSOR_KEY) as string | undefined;
      return raw === undefined ? null : (JSON.parse(raw) as Cursor);
    },
    localVersion() {
      const raw = getState.get(CONTENT_VERSION_KEY) as string | undefined;
      return raw === undefined ? null : Number(raw);
    },
    setLocalVersion(version) {
      setState.run(CONTENT_VERSION_KEY, String(version), now());
    },
    applyPage: (page, cursor) => applyPage(page, cursor),
  };
}
