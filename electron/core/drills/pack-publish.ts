/**
 * Uploads a pack's drill pack to the server's content_packs (one row per name and version: publishing again updates
 * it) and, when asked, makes it the server's active pack, which archives the previous one. For the content publish
 * (CLI and workspace): devices then receive it with their next sync, and drills on its questions are accepted.
 * The caller authenticates as a content editor or with the service key; RLS refuses anyone else.
 */
import { z } from 'zod';
import type { DrillPack } from '../../../shared/content/pack';
import { AppFailure } from '../../../shared/errors';
import { requestJson, type FetchFn } from '../sync/http';

export interface DrillPackUpload {
  /** The content pack's name, version, description and schema version (the file that holds the drill pack). */
  name: string;
  version: string;
  description: string | null;
  schemaVersion: string;
  drill: DrillPack;
  /** The pack file's size in bytes and SHA-256 (hex). */
  fileSize: number;
  checksum: string;
}

export interface DrillPackPublishArgs {
  url: string;
  /** apikey header and bearer token: the service key twice, or the anon key and an editor's access token. */
  apikey: string;
  token: string;
  fetch: FetchFn;
  pack: DrillPackUpload;
  activate: boolean;
  timeoutMs?: number;
}

const storedSchema = z.array(z.object({ id: z.guid(), status: z.enum(['DRAFT', 'ACTIVE', 'ARCHIVED']) })).length(1);

/** Returns the server's pack id and its status after the upload. */
export async function publishDrillPack(args: DrillPackPublishArgs): Promise<{ id: string; status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED' }> {
  const base = args.url.replace(/\/+$/, '');
  const headers = { apikey: args.apikey, Authorization: `Bearer ${args.token}` };
  const timeoutMs = args.timeoutMs ?? 60_000;
  const upsert = await requestJson<unknown>(args.fetch, {
    method: 'POST',
    url: `${base}/rest/v1/content_packs?on_conflict=version,name&select=id,status`,
    headers: { ...headers, Prefer: 'resolution=merge-duplicates,return=representation' },
    body: JSON.stringify({
      name: args.pack.name,
      version: args.pack.version,
      description: args.pack.description,
      schema_version: args.pack.schemaVersion,
      content: args.pack.drill,
      file_size: args.pack.fileSize,
      checksum: args.pack.checksum,
    }),
    timeoutMs,
    nowMs: Date.now(),
  });
  if (upsert.kind !== 'ok') throw publishFailure(upsert, 'Uploading the drill pack');
  const parsed = storedSchema.safeParse(upsert.body);
  if (!parsed.success) throw new AppFailure('internal', 'The server answered the drill pack upload in an unexpected shape.');
  const stored = parsed.data[0]!;
  if (!args.activate || stored.status === 'ACTIVE') return stored;

  const activation = await requestJson<unknown>(args.fetch, {
    method: 'POST',
    url: `${base}/rest/v1/rpc/set_content_pack_status`,
    headers,
    body: JSON.stringify({ pack_id: stored.id, new_status: 'ACTIVE' }),
    timeoutMs,
    nowMs: Date.now(),
  });
  if (activation.kind !== 'ok') throw publishFailure(activation, 'Activating the drill pack');
  return { id: stored.id, status: 'ACTIVE' };
}

function publishFailure(outcome: { kind: string; message: string }, what: string): AppFailure {
  const code = outcome.kind === 'transient' ? 'network' : outcome.kind === 'unauthorized' ? 'auth_failed' : 'forbidden';
  return new AppFailure(code, `${what} failed: ${outcome.message}`);
}
