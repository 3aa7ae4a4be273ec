/** Push: sends the outbox to the server's sync_push RPC in queue order, in batches, and records each row's outcome. */
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { nextDelay, type BackoffPolicy } from './backoff';
import { requestJson, type FetchFn, type HttpOutcome } from './http';
import { DEVICE_ONLY_REASONS, type OutboxQueries, type QueuedRow } from './outbox';

/** Access tokens for the signed-in learner; the host owns the refresh token. */
export interface TokenSource {
  /** A token believed valid; throws AppFailure('auth_failed') when nobody is signed in. */
  accessToken(): Promise<string>;
  /** The server refused `rejected`: get a fresh one (once per refusal). */
  refreshAfterRejection(rejected: string): Promise<string>;
}

export interface PushSettings {
  maxBatchCount: number;
  maxBatchBytes: number;
  timeoutMs: number;
  /** Server-reached failures after which a row goes to the dead letters. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export const defaultPushSettings: PushSettings = {
  maxBatchCount: 500,
  maxBatchBytes: 1_000_000,
  timeoutMs: 30_000,
  maxAttempts: 20,
  backoff: { baseMs: 1_000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 },
};

export interface PushContext {
  url: string;
  anonKey: string;
  fetch: FetchFn;
  tokens: TokenSource;
  outbox: OutboxQueries;
  now: () => number;
  random: () => number;
  settings: PushSettings;
  /** Consecutive failed deliveries, kept by the engine across runs: it sizes the next backoff. */
  failureStreak: { count: number };
  /** Checked between batches so a shutdown waits for at most the batch in flight. */
  shouldStop: () => boolean;
  /** Told the running total after each batch the server answered. */
  onDelivered: (delivered: number) => void;
}

export type PushStop =
  | { kind: 'drained' }
  | { kind: 'stopped' }
  /** The head of the queue is backing off until retryAtMs. */
  | { kind: 'backoff'; retryAtMs: number }
  | { kind: 'failed'; offline: boolean; message: string; retryAtMs: number }
  | { kind: 'auth'; message: string };

export interface PushResult {
  delivered: number;
  dead: number;
  stop: PushStop;
}

/** Whole-batch refusals that can come from one bad row (bad JSON, a constraint, too large). */
const rowProblemStatuses = new Set([400, 409, 413, 422]);

const pushAnswerSchema = z.array(
  z.object({
    id: z.string(),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    reason: z.string().nullish(),
  }),
);

/** Pushes until the queue is empty, a delivery fails, or `shouldStop`. `force` ignores the head's backoff once. */
export async function pushOutbox(ctx: PushContext, force: boolean): Promise<PushResult> {
  const result: PushResult = { delivered: 0, dead: 0, stop: { kind: 'drained' } };
  const endpoint = `${ctx.url.replace(/\/+$/, '')}/rest/v1/rpc/sync_push`;
  let ignoreBackoff = force;
  // After a whole-batch refusal, rows go one by one so the one the server cannot take is found and set aside.
  let singlesLeft = 0;
  let token: string;
  try {
    token = await ctx.tokens.accessToken();
  } catch (err) {
    return { ...result, stop: tokenProblem(err, ctx) };
  }

  for (;;) {
    if (ctx.shouldStop()) return { ...result, stop: { kind: 'stopped' } };
    const dueAt = ctx.outbox.headDueAtMs();
    if (dueAt === null) return result;
    if (!ignoreBackoff && dueAt > ctx.now()) return { ...result, stop: { kind: 'backoff', retryAtMs: dueAt } };
    ignoreBackoff = false;

    const batch = ctx.outbox.nextBatch(singlesLeft > 0 ? 1 : ctx.settings.maxBatchCount, ctx.settings.maxBatchBytes);
    if (batch.length === 0) return result;
    const body = batchBody(batch);

    let outcome = await send(ctx, endpoint, token, body);
    if (outcome.kind === 'unauthorized') {
      // An expired token is not the rows' fault: refresh once and resend without counting a failure.
      try {
        token = await ctx.tokens.refreshAfterRejection(token);
      } catch (err) {
        return { ...result, stop: tokenProblem(err, ctx) };
      }
      outcome = await send(ctx, endpoint, token, body);
      if (outcome.kind === 'unauthorized') return { ...result, stop: { kind: 'auth', message: outcome.message } };
    }

    const ids = batch.map((r) => r.id);
    // Refusals that say nothing about the rows (no such RPC, forbidden) must not dead-letter the queue row by row.
    if (outcome.kind === 'transient' || (outcome.kind === 'refused' && !rowProblemStatuses.has(outcome.status))) {
      ctx.failureStreak.count++;
      const nowMs = ctx.now();
      const retryAfterMs = outcome.kind === 'transient' ? outcome.retryAfterMs : undefined;
      const retryAtMs = nowMs + nextDelay(ctx.failureStreak.count, retryAfterMs, ctx.random, ctx.settings.backoff);
      result.dead += ctx.outbox.recordFailure(ids, {
        error: outcome.message,
        // Offline, rate limiting and a misconfigured service say nothing against the rows themselves.
        countsAsAttempt: outcome.kind === 'transient' && outcome.reachedServer && retryAfterMs === undefined,
        nextAttemptUtcMs: retryAtMs,
        maxAttempts: ctx.settings.maxAttempts,
        nowMs,
      });
      const offline = outcome.kind === 'transient' && outcome.offline;
      return { ...result, stop: { kind: 'failed', offline, message: outcome.message, retryAtMs } };
    }
    ctx.failureStreak.count = 0;
    if (singlesLeft > 0) singlesLeft--;

    if (outcome.kind === 'refused') {
      if (batch.length > 1) {
        singlesLeft = batch.length;
      } else {
        ctx.outbox.markDead([{ id: batch[0]!.id, reason: outcome.message }], ctx.now());
        result.dead++;
      }
      continue;
    }

    const parsed = pushAnswerSchema.safeParse(outcome.body);
    if (!parsed.success) {
      throw new AppFailure('internal', `sync_push answered in an unexpected shape: ${parsed.error.message.slice(0, 300)}`);
    }
    const answers = new Map(parsed.data.map((a) => [a.id, a]));
    const delivered: string[] = [];
    const rejected: Array<{ id: string; reason: string }> = [];
    // Practice on content the server never published (a local pack, the built-in sample) and drills of a LOCKED
    // account stay on this device.
    const deviceOnly: Array<{ id: string; reason: string }> = [];
    const unanswered: string[] = [];
    for (const id of ids) {
      const answer = answers.get(id);
      if (!answer) unanswered.push(id);
      else if (answer.status === 'rejected' && answer.reason != null && DEVICE_ONLY_REASONS.has(answer.reason)) {
        deviceOnly.push({ id, reason: answer.reason });
      }
      else if (answer.status === 'rejected') rejected.push({ id, reason: answer.reason || 'Rejected by the server.' });
      else delivered.push(id);
    }
    const nowMs = ctx.now();
    ctx.outbox.recordAnswers(delivered, rejected, deviceOnly, nowMs);
    result.delivered += delivered.length;
    result.dead += rejected.length;
    ctx.onDelivered(result.delivered);
    if (unanswered.length > 0) {
      // A server that skips items is misbehaving; count it against those rows so they cannot loop forever.
      result.dead += ctx.outbox.recordFailure(unanswered, {
        error: 'The server did not answer for this row.',
        countsAsAttempt: true,
        nextAttemptUtcMs: nowMs + nextDelay(1, undefined, ctx.random, ctx.settings.backoff),
        maxAttempts: ctx.settings.maxAttempts,
        nowMs,
      });
    }
  }
}

function send(ctx: PushContext, endpoint: string, token: string, body: string): Promise<HttpOutcome<unknown>> {
  return requestJson<unknown>(ctx.fetch, {
    method: 'POST',
    url: endpoint,
    headers: { apikey: ctx.anonKey, Authorization: `Bearer ${token}` },
    body,
    timeoutMs: ctx.settings.timeoutMs,
    nowMs: ctx.now(),
  });
}

/** The RPC body, with each stored payload spliced in as it is (it is already the row's JSON). */
function batchBody(batch: readonly QueuedRow[]): string {
  const items = batch.map(
    (r) =>
      `{"id":${JSON.stringify(r.id)},"table_name":${JSON.stringify(r.table_name)},"row_id":${JSON.stringify(r.row_id)},"row":${r.payload}}`,
  );
  return `{"items":[${items.join(',')}]}`;
}

function tokenProblem(err: unknown, ctx: PushContext): PushStop {
  if (err instanceof AppFailure && err.code === 'network') {
    ctx.failureStreak.count++;
    const retryAtMs = ctx.now() + nextDelay(ctx.failureStreak.count, undefined, ctx.random, ctx.settings.backoff);
    return { kind: 'failed', offline: true, message: err.message, retryAtMs };
  }
  return { kind: 'auth', message: err instanceof Error ? err.message : String(err) };
}
