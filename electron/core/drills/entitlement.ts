/**
 * The learner's drill entitlement: the server's (public.users.entitlement_level), cached on this device.
 * - No server configured, or nobody signed in: the device counts as BASIC.
 * - Signed in: the level is read from the server at most once an hour; the answer is kept in sync_state, so a restart
 *   keeps it.
 * - Grace: when the server cannot be read (offline, or failing), the last known level stays in force, however old,
 *   and is read again on the next call once the hour has passed (so on the next connection). An account never read
 *   yet counts as BASIC meanwhile: drills done then are kept, and if the server refuses them later they stay on this
 *   device only (docs/decisions.md, "Drills: packs, entitlements and sync").
 * - Once the server says the account is entitled, its drills refused as `locked` are queued again.
 */
import { z } from 'zod';
import { toAppError, zodToAppError } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import type { Clock } from '../ports';
import { getAsLearner, ReadFailure, type LearnerServer } from '../sync/learner-request';
import { ENTITLEMENT_LOCKED, requeueDeviceOnly } from '../sync/outbox';
import { createSyncStateStore } from '../sync/sync-state';

export type EntitlementLevel = 'LOCKED' | 'BASIC' | 'PRO';
export const entitlementLevels: readonly EntitlementLevel[] = ['LOCKED', 'BASIC', 'PRO'];

export interface Entitlement {
  level: EntitlementLevel;
  /** server: read just now; cache: the last known level (fresh, or kept by the grace rule); no-account: BASIC. */
  source: 'server' | 'cache' | 'no-account';
  /** When the server last confirmed the level (UTC ms); null when it never has for this account. */
  checkedUtcMs: number | null;
  /**
   * Set when the server could not be read this time (offline, refused, or an answer that is not a level) and the grace
   * rule chose the level: what went wrong, in one line.
   */
  unreadable?: string;
}

/** How long a level read from the server is used without asking again. */
export const ENTITLEMENT_CACHE_MS = 60 * 60 * 1000;
/** sync_state key of the cache: { userId, level, checkedUtcMs } of the last account read. */
export const ENTITLEMENT_CACHE_KEY = 'entitlement';

export interface EntitlementOptions {
  sqlite: Sqlite;
  clock: Clock;
  /** The configured server and signed-in learner (the sync service's learnerServer), or null. */
  server: () => LearnerServer | null;
  /**
   * Told when drills the server had refused as `locked` were queued again because the account is entitled now
   * (e.g. the sync service's trigger, so they go up at once).
   */
  onRequeued?: (count: number) => void;
}

const cacheSchema = z.object({
  userId: z.string(),
  level: z.enum(['LOCKED', 'BASIC', 'PRO']),
  checkedUtcMs: z.number().int(),
});
type Cached = z.infer<typeof cacheSchema>;

// PostgREST's answer for the learner's own row (RLS shows no other); no row means the server's default, LOCKED.
const usersAnswerSchema = z
  .array(
    z.object({
      entitlement_level: z.enum(['LOCKED', 'BASIC', 'PRO'], {
        error: (issue) => `${issue.input === undefined ? 'missing' : JSON.stringify(issue.input)}, not one of ${entitlementLevels.join(', ')}`,
      }),
    }),
  )
  .max(1);

/** The learner's entitlement now, by the rules above. Never throws for a server that cannot be read. */
export async function entitlementLevel(options: EntitlementOptions): Promise<Entitlement> {
  const server = options.server();
  if (server === null) return { level: 'BASIC', source: 'no-account', checkedUtcMs: null };
  const store = createSyncStateStore(options.sqlite);
  const cached = readCache(store.get(ENTITLEMENT_CACHE_KEY), server.userId);
  const nowMs = options.clock.now();
  // A clock set back makes the cache look fresh forever: only an age in [0, 1 h) counts as fresh.
  if (cached && nowMs >= cached.checkedUtcMs && nowMs - cached.checkedUtcMs < ENTITLEMENT_CACHE_MS) {
    return { level: cached.level, source: 'cache', checkedUtcMs: cached.checkedUtcMs };
  }
  let level: EntitlementLevel;
  try {
    level = await fetchLevel(server);
  } catch (err) {
    // The grace rule: the last known level, or BASIC for an account never read yet; the cache is left as it was.
    // Why alone: the screen already says what could not be checked (renderer/src/drills/drillText.ts).
    const unreadable = err instanceof ReadFailure ? err.reason : toAppError(err).message;
    return cached
      ? { level: cached.level, source: 'cache', checkedUtcMs: cached.checkedUtcMs, unreadable }
      : { level: 'BASIC', source: 'cache', checkedUtcMs: null, unreadable };
  }
  const fresh: Cached = { userId: server.userId, level, checkedUtcMs: nowMs };
  store.set(ENTITLEMENT_CACHE_KEY, JSON.stringify(fresh), nowMs);
  if (level !== 'LOCKED') {
    const requeued = requeueDeviceOnly(options.sqlite, ENTITLEMENT_LOCKED);
    if (requeued > 0) options.onRequeued?.(requeued);
  }
  return { level, source: 'server', checkedUtcMs: nowMs };
}

function readCache(raw: string | null, userId: string): Cached | null {
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const checked = cacheSchema.safeParse(parsed);
  // Another account's level is not this one's.
  return checked.success && checked.data.userId === userId ? checked.data : null;
}

const READING_ENTITLEMENT = 'Reading your drill entitlement';

async function fetchLevel(server: LearnerServer): Promise<EntitlementLevel> {
  const url = `${server.url.replace(/\/+$/, '')}/rest/v1/users?select=entitlement_level&id=eq.${encodeURIComponent(server.userId)}`;
  const body = await getAsLearner(server, url, READING_ENTITLEMENT, 15_000);
  const rows = usersAnswerSchema.safeParse(body);
  if (!rows.success) {
    throw new ReadFailure('internal', READING_ENTITLEMENT, zodToAppError(rows.error, 'answer from the server').message.slice(0, 300));
  }
  return rows.data[0]?.entitlement_level ?? 'LOCKED';
}
