/**
 * The learner's own data comes back down: on sign-in (and after a recovery) every registry table marked
 * `pullOnSignIn` is read from the server under RLS, in keyset pages by row id, and merged locally by its policy, one
 * short transaction per page. Another device's XP, streak, progress and history thus reach this one.
 */
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import type { FetchFn } from './http';
import { getAsLearner } from './learner-request';
import { createLocalMerge } from './local-merge';
import type { TokenSource } from './push';
import { columnNames, fromServerRow, syncedTableNames, tableSpec, type SyncedTable } from './registry';

export interface LearnerPullContext {
  sqlite: Sqlite;
  url: string;
  anonKey: string;
  fetch: FetchFn;
  tokens: TokenSource;
  now: () => number;
  pageSize?: number;
  timeoutMs?: number;
}

export interface LearnerPullResult {
  /** Rows received per table. */
  rows: Partial<Record<SyncedTable, number>>;
}

const DEFAULT_PAGE_SIZE = 1000;

/** Pulls and merges all of the signed-in learner's rows; throws AppFailure when the server cannot be read. */
export async function pullLearnerData(ctx: LearnerPullContext): Promise<LearnerPullResult> {
  const pageSize = ctx.pageSize ?? DEFAULT_PAGE_SIZE;
  const base = `${ctx.url.replace(/\/+$/, '')}/rest/v1`;
  const result: LearnerPullResult = { rows: {} };
  // Parents before children (the registry's order), so local foreign keys hold page by page.
  for (const table of syncedTableNames.filter((name) => tableSpec(name).pullOnSignIn)) {
    const spec = tableSpec(table);
    const merge = createLocalMerge(ctx.sqlite, table);
    const mergePage = ctx.sqlite.transaction((rows: Array<Record<string, unknown>>) => merge(rows.map((r) => fromServerRow(table, r))));
    let after: string | null = null;
    let received = 0;
    for (;;) {
      // RLS hands out only the signed-in learner's rows (children through their parent), so no filter is needed.
      const query = new URLSearchParams({ select: columnNames(table).join(','), order: `${spec.rowIdColumn}.asc`, limit: String(pageSize) });
      if (after !== null) query.set(spec.rowIdColumn, `gt.${after}`);
      const rows = await fetchPage(ctx, `${base}/${table}?${query.toString()}`);
      if (rows.length === 0) break;
      mergePage.immediate(rows);
      received += rows.length;
      after = String(rows[rows.length - 1]![spec.rowIdColumn]);
      if (rows.length < pageSize) break;
    }
    result.rows[table] = received;
  }
  return result;
}

async function fetchPage(ctx: LearnerPullContext, url: string): Promise<Array<Record<string, unknown>>> {
  const body = await getAsLearner(ctx, url, 'Pulling your data', ctx.timeoutMs);
  if (Array.isArray(body)) return body as Array<Record<string, unknown>>;
  throw new AppFailure('internal', 'The server answered the learner data pull in an unexpected shape.');
}
