/**
 * The server's active drill pack comes down in the same run as the content pull (the sync engine calls this after
 * pull_content_changes' pages): stored as a local content pack with the server's id and its drill questions, and made
 * the active one here (the previous active pack is archived). A server without an active pack, or one older than
 * drill packs, changes nothing: the device keeps drilling on its own active pack.
 */
import { z } from 'zod';
import { drillPackSchema } from '../../../shared/content/pack';
import { AppFailure, zodToAppError } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import type { LearnerPullContext } from '../sync/learner-pull';
import { getAsLearner } from '../sync/learner-request';
import { createSyncStateStore } from '../sync/sync-state';
import { setDrillPackStatus } from './packs';

/** sync_state key: `<id>@<updated_utc_ms>` of the last server pack stored, so an unchanged pack is not rewritten. */
export const SERVER_DRILL_PACK_KEY = 'server_drill_pack';

/** The same server, account and clock as the learner's data pull; the pack is one row, so no page size. */
export type DrillPackPullContext = Omit<LearnerPullContext, 'pageSize'>;

const activePackSchema = z.object({
  id: z.guid(),
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().nullable(),
  schema_version: z.string().min(1),
  content: drillPackSchema,
  // The pack file's SHA-256 (hex), as the server's content_packs check requires.
  checksum: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 (64 lowercase hex digits)'),
  file_size: z.number().int().positive(),
  updated_utc_ms: z.number().int(),
});

/** Fetches the server's active drill pack and stores it as the active one; true when local content changed. */
export async function pullActiveDrillPack(ctx: DrillPackPullContext): Promise<boolean> {
  let body: unknown;
  try {
    body = await getAsLearner(ctx, `${ctx.url.replace(/\/+$/, '')}/rest/v1/rpc/active_drill_pack`, 'Pulling the active drill pack', ctx.timeoutMs);
  } catch (err) {
    // A server from before drill packs has no such function (PostgREST answers 404): nothing to pull.
    if (err instanceof AppFailure && (err.details as { status?: number } | undefined)?.status === 404) return false;
    throw err;
  }
  if (body === null) return false;
  const parsed = activePackSchema.safeParse(body);
  if (!parsed.success) {
    // Nothing is written: the device keeps drilling on the active pack it has.
    const problem = zodToAppError(parsed.error, 'answer to active_drill_pack').message.slice(0, 500);
    throw new AppFailure('internal', `The server's active drill pack cannot be used on this device: ${problem}`);
  }
  return storeActiveDrillPack(ctx.sqlite, parsed.data, ctx.now());
}

type ServerDrillPack = z.output<typeof activePackSchema>;

/** Stores the server's pack (one transaction) unless this very version was stored already; true when it wrote. */
export function storeActiveDrillPack(sqlite: Sqlite, pack: ServerDrillPack, nowMs: number): boolean {
  const state = createSyncStateStore(sqlite);
  const stamp = `${pack.id}@${pack.updated_utc_ms}`;
  // Only a change on the server activates its pack again: a pack activated on this device since then stays active.
  const stored = sqlite.prepare('SELECT 1 FROM content_packs WHERE id = ?').pluck().get(pack.id) !== undefined;
  if (stored && state.get(SERVER_DRILL_PACK_KEY) === stamp) return false;
  const drill = pack.content;
  const write = sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO content_packs (id, name, version, schema_version, description, sha256, file_size, import_mode, drill_metadata, imported_utc_ms)
         VALUES (@id, @name, @version, @schema_version, @description, @sha256, @file_size, 'override', @drill_metadata, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, schema_version = excluded.schema_version,
           description = excluded.description, sha256 = excluded.sha256, file_size = excluded.file_size,
           drill_metadata = excluded.drill_metadata, imported_utc_ms = excluded.imported_utc_ms`,
      )
      .run({
        id: pack.id,
        name: pack.name,
        version: pack.version,
        schema_version: pack.schema_version,
        description: pack.description,
        sha256: pack.checksum,
        file_size: pack.file_size,
        // The shape an imported pack's drill metadata has (content/import.ts): the drill pack's version and metadata.
        drill_metadata: JSON.stringify({ version: drill.version, ...drill.metadata }),
        now: nowMs,
      });
    // A question id is the question's across packs: it moves to this pack with its latest text.
    const upsertQuestion = sqlite.prepare(
      `INSERT INTO drill_questions (id, pack_id, category, prompt, expected_duration_s, evaluation_criteria)
       VALUES (@id, @pack_id, @category, @prompt, @expected_duration_s, @evaluation_criteria)
       ON CONFLICT (id) DO UPDATE SET pack_id = excluded.pack_id, category = excluded.category, prompt = excluded.prompt,
         expected_duration_s = excluded.expected_duration_s, evaluation_criteria = excluded.evaluation_criteria`,
    );
    for (const question of drill.questions) {
      upsertQuestion.run({ ...question, pack_id: pack.id, evaluation_criteria: JSON.stringify(question.evaluation_criteria) });
    }
    setDrillPackStatus(sqlite, pack.id, 'ACTIVE', nowMs);
    state.set(SERVER_DRILL_PACK_KEY, stamp, nowMs);
  });
  write.immediate();
  return true;
}
