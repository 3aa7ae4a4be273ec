/**
 * The synced-table registry: every table the learner's data syncs through, defined once. The typed outbox `enqueue`,
 * the local-to-server row conversion, the learner-id rewrite and the sign-in pull all derive from it, and
 * tests/sync/server/registry.test.ts checks that the server's SQL (public.sync_tables and the tables' columns)
 * accepts exactly these tables and columns.
 */
import { z } from 'zod';

/**
 * How a column is stored. Locally booleans are 0/1 and JSON is TEXT; the server receives booleans as booleans and
 * JSON as that same text (sync_push parses it), and sends JSON back parsed.
 */
type ColumnKind = 'uuid' | 'text' | 'integer' | 'real' | 'boolean' | 'json';
interface ColumnSpec {
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}
type Columns = Readonly<Record<string, ColumnSpec>>;

const required = <K extends ColumnKind>(kind: K) => ({ kind, nullable: false }) as const;
const optional = <K extends ColumnKind>(kind: K) => ({ kind, nullable: true }) as const;

/**
 * How the server (and the sign-in pull, locally) merges a snapshot into the row it already has:
 * - `insert_once`: the row never changes; a replay is a no-op (attempts).
 * - `session_span`: the start only moves earlier, the end only later; score and meta keep the latest known value.
 * - `max_wins_progress`: one row per (user, skill) whatever id each device chose; every measure only grows.
 * - `profile`: XP only grows; the streak and last active day follow the most recent activity; the newest edit names the learner.
 * - `latest_wins`: the snapshot with the greater `updated_utc_ms` wins (chat sessions, the learner's settings).
 * - `replace`: the newest snapshot replaces the mutable columns (chat messages, drill responses, evaluations).
 * - `newest_review`: one row per (user, question) whatever id each device chose; the memory state of the latest review
 *   wins (greater `last_review_utc_ms`, then more `reps`, then the later `updated_utc_ms`), whole, never mixed.
 * - `drill_status_rank`: the status never moves back (STARTED < SUBMITTED < PROCESSING < COMPLETED < FAILED);
 *   timestamps and metadata keep the latest known value.
 */
export type MergePolicy =
  | 'insert_once'
  | 'session_span'
  | 'max_wins_progress'
  | 'profile'
  | 'latest_wins'
  | 'replace'
  | 'newest_review'
  | 'drill_status_rank';

/** Who owns a row: its own user column, or the row of a parent table it points to. */
export type RowOwner = { userColumn: string } | { parentTable: string; parentColumn: string };

interface TableSpec<C extends Columns, O extends RowOwner = RowOwner> {
  columns: C;
  /** The column that identifies the row to the server (the outbox's row_id). */
  rowIdColumn: keyof C & string;
  owner: O;
  merge: MergePolicy;
  /** The learner's own rows come back down on sign-in and after a recovery. */
  pullOnSignIn: boolean;
  /** Columns a local upsert conflicts on when they are not the row id (skill_progress is one per user and skill). */
  conflictColumns?: ReadonlyArray<keyof C & string>;
}

/** Any table's spec, without its column names in the type. */
export interface SyncedTableSpec {
  columns: Columns;
  rowIdColumn: string;
  owner: RowOwner;
  merge: MergePolicy;
  pullOnSignIn: boolean;
  conflictColumns?: readonly string[];
}

const table = <C extends Columns, O extends RowOwner>(spec: TableSpec<C, O>): TableSpec<C, O> => spec;

// Order matters: a parent comes before its children, which is the order the sign-in pull inserts them in.
export const syncedTables = {
  sessions: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      skill_id: optional('uuid'),
      mode: required('text'),
      started_utc_ms: required('integer'),
      ended_utc_ms: optional('integer'),
      score: optional('real'),
      meta: optional('json'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'session_span',
    pullOnSignIn: true,
  }),
  attempts: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      question_id: required('uuid'),
      session_id: optional('uuid'),
      answer: required('json'),
      is_correct: optional('boolean'),
      ts_utc_ms: required('integer'),
      meta: optional('json'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'insert_once',
    pullOnSignIn: true,
  }),
  skill_progress: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      skill_id: required('uuid'),
      progress: required('real'),
      mastered_count: required('integer'),
      attempt_count: required('integer'),
      correct_count: required('integer'),
      last_attempt_ts: required('integer'),
      updated_utc_ms: required('integer'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'max_wins_progress',
    pullOnSignIn: true,
    conflictColumns: ['user_id', 'skill_id'],
  }),
  memory_states: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      question_id: required('uuid'),
      stability: required('real'),
      difficulty: required('real'),
      due_utc_ms: required('integer'),
      scheduled_days: required('integer'),
      learning_steps: required('integer'),
      reps: required('integer'),
      lapses: required('integer'),
      state: required('integer'),
      last_review_utc_ms: required('integer'),
      updated_utc_ms: required('integer'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'newest_review',
    pullOnSignIn: true,
    conflictColumns: ['user_id', 'question_id'],
  }),
  profile: table({
    columns: {
      user_id: required('uuid'),
      display_name: optional('text'),
      xp: required('integer'),
      streak_count: required('integer'),
      last_active_day: optional('text'),
      last_active_utc_ms: optional('integer'),
      created_utc_ms: required('integer'),
      updated_utc_ms: required('integer'),
    },
    // One profile per learner: the user id is its row id.
    rowIdColumn: 'user_id',
    owner: { userColumn: 'user_id' },
    merge: 'profile',
    pullOnSignIn: true,
  }),
  user_settings: table({
    columns: {
      user_id: required('uuid'),
      app_theme: required('text'),
      prefers_assistive_learning: required('boolean'),
      time_zone: required('text'),
      rollover_hour: required('integer'),
      desired_retention: required('real'),
      daily_review_limit: required('integer'),
      created_utc_ms: required('integer'),
      updated_utc_ms: required('integer'),
    },
    // One row per learner, like the profile.
    rowIdColumn: 'user_id',
    owner: { userColumn: 'user_id' },
    merge: 'latest_wins',
    pullOnSignIn: true,
  }),
  chat_sessions: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      chat_name: optional('text'),
      context_snapshot: optional('json'),
      skill_id: optional('uuid'),
      is_active: required('boolean'),
      created_utc_ms: required('integer'),
      updated_utc_ms: required('integer'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'latest_wins',
    pullOnSignIn: true,
  }),
  chat_messages: table({
    columns: {
      id: required('uuid'),
      chat_id: required('uuid'),
      sender: required('text'),
      message_content: optional('text'),
      tool_calls: required('json'),
      sequence: required('integer'),
      created_utc_ms: required('integer'),
      status: optional('text'),
      source: optional('text'),
      error: optional('json'),
    },
    rowIdColumn: 'id',
    owner: { parentTable: 'chat_sessions', parentColumn: 'chat_id' },
    merge: 'replace',
    pullOnSignIn: true,
  }),
  drill_sessions: table({
    columns: {
      id: required('uuid'),
      user_id: required('uuid'),
      // A drill pack's question id: text, as packs and the seed have it.
      question_id: required('text'),
      content_pack_version: required('text'),
      status: required('text'),
      started_utc_ms: required('integer'),
      submitted_utc_ms: optional('integer'),
      completed_utc_ms: optional('integer'),
      processing_time_ms: optional('integer'),
      metadata: optional('json'),
    },
    rowIdColumn: 'id',
    owner: { userColumn: 'user_id' },
    merge: 'drill_status_rank',
    pullOnSignIn: true,
  }),
  drill_responses: table({
    columns: {
      id: required('uuid'),
      session_id: required('uuid'),
      // The transcript or typed answer. The local audio_url names a file in this device's data folder: it is not
      // synced (the server keeps its column for a later audio upload), so it is not a registry column.
      content: required('text'),
      audio_duration_s: optional('real'),
      word_count: optional('integer'),
      created_utc_ms: required('integer'),
    },
    rowIdColumn: 'id',
    owner: { parentTable: 'drill_sessions', parentColumn: 'session_id' },
    merge: 'replace',
    pullOnSignIn: true,
  }),
  evaluation_results: table({
    columns: {
      id: required('uuid'),
      session_id: required('uuid'),
      response_id: required('uuid'),
      duration_s: required('real'),
      words: required('integer'),
      wpm: required('real'),
      overall_score: required('real'),
      categories: required('json'),
      what_changed: required('json'),
      practice_rule: required('text'),
      model_used: required('text'),
      processing_time_ms: required('integer'),
      created_utc_ms: required('integer'),
    },
    rowIdColumn: 'id',
    owner: { parentTable: 'drill_sessions', parentColumn: 'session_id' },
    merge: 'replace',
    pullOnSignIn: true,
  }),
} as const;

export type SyncedTable = keyof typeof syncedTables;
export const syncedTableNames = Object.keys(syncedTables) as SyncedTable[];

// A child's parent must be a registry table listed before it (the pull inserts in this order): fail at start-up.
for (const name of syncedTableNames) {
  const owner = tableSpec(name).owner;
  if (!('parentTable' in owner)) continue;
  const parentAt = syncedTableNames.indexOf(owner.parentTable as SyncedTable);
  if (parentAt < 0 || parentAt >= syncedTableNames.indexOf(name)) {
    throw new Error(`The registry's ${name} must come after its parent table ${owner.parentTable}.`);
  }
}

type ColumnsOf<T extends SyncedTable> = (typeof syncedTables)[T]['columns'];
type LocalValue<S> = S extends { kind: 'integer' | 'real' } ? number : S extends { kind: 'boolean' } ? 0 | 1 : string;
type ServerValue<S> = S extends { kind: 'integer' | 'real' } ? number : S extends { kind: 'boolean' } ? boolean : string;
type Nullable<S, V> = S extends { nullable: true } ? V | null : V;

/** A row as SQLite stores it: booleans 0/1, JSON as text. */
export type LocalRow<T extends SyncedTable> = {
  -readonly [K in keyof ColumnsOf<T>]: Nullable<ColumnsOf<T>[K], LocalValue<ColumnsOf<T>[K]>>;
};
/** A row as sync_push receives it: booleans as booleans, JSON still as its text. */
export type ServerRow<T extends SyncedTable> = {
  -readonly [K in keyof ColumnsOf<T>]: Nullable<ColumnsOf<T>[K], ServerValue<ColumnsOf<T>[K]>>;
};

export function tableSpec(name: SyncedTable): SyncedTableSpec {
  return syncedTables[name];
}

export function columnNames(name: SyncedTable): string[] {
  return Object.keys(syncedTables[name].columns);
}

const jsonText = z.string().refine((text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}, 'must be JSON text');

const serverValueSchemas: Record<ColumnKind, z.ZodType> = {
  // Content ids of local packs need not be RFC 4122 versions; any UUID-shaped id is accepted, as Postgres does.
  uuid: z.guid(),
  text: z.string(),
  integer: z.number().int(),
  real: z.number(),
  boolean: z.boolean(),
  json: jsonText,
};

function serverObjectSchema(columns: Columns): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(columns)) {
    const value = serverValueSchemas[spec.kind];
    shape[name] = spec.nullable ? value.nullable() : value;
  }
  return z.strictObject(shape);
}

const serverSchemas = new Map(syncedTableNames.map((name) => [name, serverObjectSchema(tableSpec(name).columns)]));

/** The zod schema of a row as the server receives it. */
export function serverRowSchema<T extends SyncedTable>(name: T): z.ZodType<ServerRow<T>> {
  return serverSchemas.get(name) as unknown as z.ZodType<ServerRow<T>>;
}

/**
 * The row the server receives for a local row: booleans become booleans, JSON text stays text. Not checked against
 * the schema at run time: `LocalRow` already types every writer's rows, and this runs inside each learner write.
 */
export function toServerRow<T extends SyncedTable>(name: T, row: LocalRow<T>): ServerRow<T> {
  const converted: Record<string, unknown> = {};
  for (const [column, spec] of Object.entries(tableSpec(name).columns)) {
    const value = (row as Record<string, unknown>)[column] ?? null;
    converted[column] = spec.kind === 'boolean' && value !== null ? value === 1 : value;
  }
  return converted as ServerRow<T>;
}

/**
 * The local row for a row the server sent back (PostgREST's JSON, parsed JSON columns): checked against the
 * registry's schema (it is untyped input), then JSON columns become text and booleans 0/1. Columns the registry does
 * not name are dropped.
 */
export function fromServerRow<T extends SyncedTable>(name: T, row: Record<string, unknown>): LocalRow<T> {
  const columns = Object.entries(tableSpec(name).columns);
  const received: Record<string, unknown> = {};
  for (const [column, spec] of columns) {
    const value = row[column];
    received[column] = spec.kind === 'json' && value !== null && value !== undefined ? JSON.stringify(value) : value;
  }
  const checked = serverRowSchema(name).safeParse(received);
  if (!checked.success) throw new Error(`The server sent a ${name} row this device cannot store: ${checked.error.message}`);
  const local: Record<string, unknown> = { ...checked.data };
  for (const [column, spec] of columns) {
    if (spec.kind === 'boolean' && local[column] !== null) local[column] = local[column] === true ? 1 : 0;
  }
  return local as LocalRow<T>;
}

/** The id the outbox and the server know this row by. */
export function rowIdOf<T extends SyncedTable>(name: T, row: LocalRow<T>): string {
  return String((row as Record<string, unknown>)[tableSpec(name).rowIdColumn]);
}

/** Tables whose rows name their learner in a column of their own, with that column. */
export function userColumns(): Array<{ table: SyncedTable; userColumn: string; rowIdColumn: string }> {
  return syncedTableNames.flatMap((name) => {
    const spec = tableSpec(name);
    return 'userColumn' in spec.owner ? [{ table: name, userColumn: spec.owner.userColumn, rowIdColumn: spec.rowIdColumn }] : [];
  });
}
