/**
 * `npm run content -- publish FILE --url URL (--service-key KEY | --email E --password P)`: validates a pack and
 * upserts it to the Supabase server (drafts stay unpublished), printing what changed.
 */
import { readFileSync, statSync } from 'node:fs';
import { applyPublishRule } from '../../../shared/content/publish-rule';
import type { ContentPack } from '../../../shared/content/pack';
import { AppFailure, toAppError } from '../../../shared/errors';
import { createAuthClient } from '../sync/auth';
import { requestJson, type FetchFn } from '../sync/http';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, parseOptions, projectUrlOption, UsageError, type CliOutput } from './cli-io';
import { tooLargeFinding, validatePackText } from './validate';

export const publishUsage = `Usage: npm run content -- publish FILE --url URL
         (--service-key KEY | --anon-key KEY --email EMAIL --password PASSWORD) [--json]

Validates FILE, then inserts or updates its domains, skills and questions on the server at URL
(the Supabase project URL). Rows keep the pack's ids; records marked is_published: false stay drafts,
and the publish rule keeps a skill without published questions (and a domain without published
skills) unpublished. Rows on the server that are not in the pack are left as they are.
Sign in as an instructor or admin (--email/--password with --anon-key or SUPABASE_ANON_KEY set), or use the
service role key.`;

const REQUEST_TIMEOUT_MS = 60_000;
/** Rows per upsert request and ids per lookup: bounded so requests and URLs stay small. */
const UPSERT_CHUNK = 1000;
const LOOKUP_CHUNK = 150;

interface PublishArgs {
  file: string;
  url: string;
  json: boolean;
  credentials: { serviceKey: string } | { anonKey: string; email: string; password: string };
}

type Table = 'domains' | 'skills' | 'questions';
/** Parents first. */
const publishTables: readonly Table[] = ['domains', 'skills', 'questions'];
type Row = Record<string, unknown> & { id: string };

export interface TableChanges {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows sent (or kept) as drafts: is_published false. */
  drafts: number;
}

function parsePublishArgs(argv: readonly string[]): PublishArgs | 'help' {
  const parsed = parseOptions(argv, { values: ['url', 'service-key', 'anon-key', 'email', 'password'], flags: ['json'] });
  if (parsed === 'help') return 'help';
  const { values, positional } = parsed;
  const json = parsed.flags.json;
  const [file, ...extra] = positional;
  if (file === undefined) throw new UsageError('publish needs a FILE');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const url = projectUrlOption(values.url, 'publish');
  const serviceKey = values['service-key'];
  const { email, password } = values;
  const anonKey = values['anon-key'] ?? process.env.SUPABASE_ANON_KEY;
  if (serviceKey && (email || password)) throw new UsageError('give either --service-key or --email and --password, not both');
  if (serviceKey) return { file, url, json, credentials: { serviceKey } };
  if (!email || !password || !anonKey) {
    throw new UsageError('publish needs --service-key KEY, or --anon-key KEY with --email EMAIL and --password PASSWORD');
  }
  return { file, url, json, credentials: { anonKey, email, password } };
}

/** Runs `publish` with the arguments after the word "publish"; returns the exit code (0 published, 1 failed, 2 usage). */
export async function runPublish(argv: readonly string[], io: CliOutput, fetchFn: FetchFn = globalThis.fetch): Promise<number> {
  const parsed = parseCommandArgs('publish', publishUsage, argv, parsePublishArgs, io);
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args;

  let bytes: Buffer;
  try {
    const size = statSync(args.file).size;
    const tooLarge = tooLargeFinding(size);
    if (tooLarge) {
      io.stderr(`content publish: ${args.file}: ${tooLarge.message}\n`);
      return EXIT_USAGE;
    }
    bytes = readFileSync(args.file);
  } catch (err) {
    io.stderr(`content publish: cannot read ${args.file}: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  const report = validatePackText(bytes);
  if (!report.ok || !report.pack) {
    const lines = report.errors.map((f) => `  ${f.path || '(file)'}  [${f.code}] ${f.message}`);
    if (args.json) io.stdout(`${JSON.stringify({ ok: false, errors: report.errors, warnings: report.warnings })}\n`);
    else io.stdout(`${args.file}: the pack is not valid, nothing was published:\n${lines.join('\n')}\n`);
    return EXIT_FAILED;
  }

  try {
    const { pack, keptUnpublished } = applyPublishRule(report.pack);
    const bearer = await authenticate(args, fetchFn);
    const changes = await publishPack(args.url, bearer, pack, report, fetchFn);
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, warnings: report.warnings, pack: pack.pack, changes, keptUnpublished })}\n`);
    } else {
      const row = (label: string, c: TableChanges) =>
        `  ${label.padEnd(10)} ${c.inserted} new, ${c.updated} updated, ${c.unchanged} unchanged (${c.drafts} drafts)\n`;
      io.stdout(
        `Published "${pack.pack.name}" ${pack.pack.version} to ${args.url}:\n` +
          row('domains', changes.domains) +
          row('skills', changes.skills) +
          row('questions', changes.questions) +
          (keptUnpublished.domains + keptUnpublished.skills > 0
            ? `  kept as drafts by the publish rule: ${keptUnpublished.domains} domains, ${keptUnpublished.skills} skills\n`
            : '') +
          (report.warnings.length > 0 ? `  ${report.warnings.length} warnings (run validate to list them)\n` : ''),
      );
    }
    return EXIT_OK;
  } catch (err) {
    const error = toAppError(err);
    if (args.json) io.stdout(`${JSON.stringify({ ok: false, errors: [{ path: '', code: error.code, message: error.message }] })}\n`);
    io.stderr(`content publish: ${error.message}\n`);
    return EXIT_FAILED;
  }
}

/** Who publishes: the project's key and a bearer token (the service key, or a signed-in content editor's access token). */
export interface Bearer {
  apikey: string;
  token: string;
}

async function authenticate(args: PublishArgs, fetchFn: FetchFn): Promise<Bearer> {
  if ('serviceKey' in args.credentials) return { apikey: args.credentials.serviceKey, token: args.credentials.serviceKey };
  const { anonKey, email, password } = args.credentials;
  const auth = createAuthClient({ url: args.url, anonKey, fetch: fetchFn, timeoutMs: REQUEST_TIMEOUT_MS, now: Date.now });
  const session = await auth.signIn(email, password);
  return { apikey: anonKey, token: session.accessToken };
}

/** Server rows in the pack's shape, so "unchanged" can be told from "updated" before anything is written. */
function serverRows(pack: ContentPack): Record<Table, Row[]> {
  return {
    domains: pack.domains.map((d) => ({ id: d.id, slug: d.slug, title: d.title, sort_order: d.sort_order, is_published: d.is_published })),
    skills: pack.skills.map((s) => ({
      id: s.id,
      domain_id: s.domain_id,
      slug: s.slug,
      title: s.title,
      description: s.description ?? null,
      sort_order: s.sort_order,
      is_published: s.is_published,
    })),
    questions: pack.questions.map((q) => ({
      id: q.id,
      skill_id: q.skill_id,
      slug: q.slug,
      type: q.type,
      payload: q.payload,
      explanation: q.explanation ?? null,
      sort_order: q.sort_order,
      is_published: q.is_published,
    })),
  };
}

/** What publishing would write, table by table (parents first), after reading the server's rows; writes nothing. */
export interface PublishPlan {
  changes: Record<Table, TableChanges>;
  toWrite: Record<Table, Row[]>;
  /**
   * The server's content_packs record of a drill pack (name, version, the drill content, who uploaded it, file size and
   * checksum): null when the pack has no drill pack or the server already holds this name, version and checksum.
   */
  packRecord: Record<string, unknown> | null;
  /** Set when the server holds this name and version with another checksum: publishing is refused with this message. */
  refusal: string | null;
}

/** The pack file as published: its checksum (SHA-256, hex) and size, recorded on the server. */
export interface PublishedFile {
  sha256: string;
  byteLength: number;
}

/** The server-side diff: reads the pack's rows on the server (as `bearer`) and compares them with the pack's. */
export async function planPublish(url: string, bearer: Bearer, pack: ContentPack, file: PublishedFile, fetchFn: FetchFn): Promise<PublishPlan> {
  const { packRecord, refusal } = await planPackRecord(url, bearer, pack, file, fetchFn);
  const rows = serverRows(pack);
  const changes = {} as Record<Table, TableChanges>;
  const toWrite = {} as Record<Table, Row[]>;
  for (const table of publishTables) {
    const wanted = rows[table];
    const existing = await lookup(url, bearer, table, Object.keys(wanted[0] ?? { id: '' }), wanted.map((r) => r.id), fetchFn);
    toWrite[table] = wanted.filter((row) => {
      const current = existing.get(row.id);
      return current === undefined || canonical(current) !== canonical(row);
    });
    const inserted = toWrite[table].filter((row) => !existing.has(row.id)).length;
    changes[table] = {
      inserted,
      updated: toWrite[table].length - inserted,
      unchanged: wanted.length - toWrite[table].length,
      drafts: wanted.filter((r) => r.is_published !== true).length,
    };
  }
  return { changes, toWrite, packRecord, refusal };
}

/** The same name and version may be published again only with the same file (checksum); a drill pack gets its record. */
async function planPackRecord(
  url: string,
  bearer: Bearer,
  pack: ContentPack,
  file: PublishedFile,
  fetchFn: FetchFn,
): Promise<Pick<PublishPlan, 'packRecord' | 'refusal'>> {
  const { name, version } = pack.pack;
  const outcome = await requestJson<Array<{ checksum: string }>>(fetchFn, {
    method: 'GET',
    url: `${url}/rest/v1/content_packs?select=checksum&name=eq.${encodeURIComponent(name)}&version=eq.${encodeURIComponent(version)}`,
    headers: { apikey: bearer.apikey, Authorization: `Bearer ${bearer.token}` },
    timeoutMs: REQUEST_TIMEOUT_MS,
    nowMs: Date.now(),
  });
  if (outcome.kind !== 'ok') throw new AppFailure('network', `reading content_packs on the server failed: ${outcome.message}`);
  const existing = outcome.body[0];
  if (existing && existing.checksum !== file.sha256) {
    return {
      packRecord: null,
      refusal:
        `"${name}" ${version} is already published from another file (checksum ${existing.checksum.slice(0, 12)}…, this file ` +
        `${file.sha256.slice(0, 12)}…): give the pack a new version to publish it.`,
    };
  }
  const drill = pack.drill_pack;
  if (existing || !drill) return { packRecord: null, refusal: null };
  return {
    packRecord: {
      name,
      version,
      description: pack.pack.description ?? null,
      schema_version: pack.pack.schema_version,
      content: { version: drill.version, metadata: drill.metadata, questions: drill.questions },
      file_size: file.byteLength,
      checksum: file.sha256,
    },
    refusal: null,
  };
}

/** Upserts a plan's rows, parents first (a skill's domain must exist when the skill arrives), reporting progress. */
export async function writePublishPlan(
  url: string,
  bearer: Bearer,
  plan: PublishPlan,
  fetchFn: FetchFn,
  onProgress?: (progress: { table: string; written: number; total: number }) => void,
): Promise<void> {
  if (plan.refusal !== null) throw new AppFailure('conflict', plan.refusal);
  if (plan.packRecord !== null) {
    // uploaded_by is the server's default (auth.uid()): the signed-in editor, or null with the service key.
    const outcome = await requestJson<unknown>(fetchFn, {
      method: 'POST',
      url: `${url}/rest/v1/content_packs`,
      headers: { apikey: bearer.apikey, Authorization: `Bearer ${bearer.token}`, Prefer: 'return=minimal' },
      body: JSON.stringify(plan.packRecord),
      timeoutMs: REQUEST_TIMEOUT_MS,
      nowMs: Date.now(),
    });
    if (outcome.kind !== 'ok') {
      const refused = outcome.kind === 'refused' && (outcome.status === 401 || outcome.status === 403);
      throw new AppFailure(refused ? 'forbidden' : 'network', `writing content_packs failed: ${outcome.message}`);
    }
    onProgress?.({ table: 'content_packs', written: 1, total: 1 });
  }
  for (const table of publishTables) {
    const toWrite = plan.toWrite[table];
    for (let i = 0; i < toWrite.length; i += UPSERT_CHUNK) {
      const outcome = await requestJson<unknown>(fetchFn, {
        method: 'POST',
        url: `${url}/rest/v1/${table}`,
        headers: {
          apikey: bearer.apikey,
          Authorization: `Bearer ${bearer.token}`,
          Prefer: 'resolution=merge-duplicates,return=minimal',
        },
        body: JSON.stringify(toWrite.slice(i, i + UPSERT_CHUNK)),
        timeoutMs: REQUEST_TIMEOUT_MS,
        nowMs: Date.now(),
      });
      if (outcome.kind !== 'ok') {
        const refused = outcome.kind === 'refused' && (outcome.status === 401 || outcome.status === 403);
        throw new AppFailure(
          refused ? 'forbidden' : 'network',
          `writing ${table} ${i + 1}–${Math.min(i + UPSERT_CHUNK, toWrite.length)} failed: ${outcome.message}` +
            (refused ? ' (publishing needs a content editor: instructor or admin)' : ''),
        );
      }
      onProgress?.({ table, written: Math.min(i + UPSERT_CHUNK, toWrite.length), total: toWrite.length });
    }
  }
}

async function publishPack(
  url: string,
  bearer: Bearer,
  pack: ContentPack,
  file: PublishedFile,
  fetchFn: FetchFn,
): Promise<Record<Table, TableChanges>> {
  const plan = await planPublish(url, bearer, pack, file, fetchFn);
  await writePublishPlan(url, bearer, plan, fetchFn);
  return plan.changes;
}

async function lookup(url: string, bearer: Bearer, table: Table, columns: string[], ids: string[], fetchFn: FetchFn): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const outcome = await requestJson<Row[]>(fetchFn, {
      method: 'GET',
      url: `${url}/rest/v1/${table}?select=${columns.join(',')}&id=in.(${chunk.join(',')})`,
      headers: { apikey: bearer.apikey, Authorization: `Bearer ${bearer.token}` },
      timeoutMs: REQUEST_TIMEOUT_MS,
      nowMs: Date.now(),
    });
    if (outcome.kind !== 'ok') throw new Error(`reading ${table} on the server failed: ${outcome.message}`);
    for (const row of outcome.body) found.set(row.id, row);
  }
  return found;
}

/** JSON with object keys sorted, so jsonb (which reorders keys) compares equal to the pack's objects. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
