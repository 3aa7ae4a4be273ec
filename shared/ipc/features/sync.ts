/** The sync feature: server configuration, account, status (a broadcast event) and the dead letters. */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, none, utcMs } from './common';

export const syncStateSchema = z.enum(['disabled', 'idle', 'syncing', 'offline', 'error']);
export const syncStatusSchema = z.object({
  state: syncStateSchema,
  configured: z.boolean(),
  signedInEmail: z.string().nullable(),
  pendingCount: z.number().int().nonnegative(),
  deadCount: z.number().int().nonnegative(),
  /** Changes kept on this device only: about content the server never published (a local pack, the built-in sample). */
  deviceOnlyCount: z.number().int().nonnegative(),
  lastSyncUtcMs: utcMs.nullable(),
  lastError: z.string().nullable(),
  /** Download progress of a content pull, when one is running. */
  download: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable() }).nullable(),
  contentVersion: z.number().int().nonnegative().nullable(),
  serverContentVersion: z.number().int().nonnegative().nullable(),
  contentOutdated: z.boolean(),
  /** The outbox cap: queued rows past it are compacted (snapshots of one row collapse); the Sync screen warns near it. */
  outboxLimit: z.number().int().positive(),
  /** Pending rows have reached the warning share of the cap, even after compaction. */
  outboxNearLimit: z.boolean(),
});

/** Triggers the renderer may fire without waiting for the run (e.g. the browser's `online` event). */
export const syncTriggerSchema = z.object({ reason: z.enum(['online', 'focus']) }).strict();

export const deadLetterSchema = z.object({
  id,
  tableName: z.string(),
  rowId: z.string(),
  lastError: z.string().nullable(),
  attemptCount: z.number().int().nonnegative(),
  tsUtcMs: utcMs,
  deadUtcMs: utcMs,
});

export const syncConfigSchema = z.object({
  url: z.string().url().max(2048),
  anonKey: z.string().min(1).max(4096),
});
export const credentialsSchema = z.object({
  email: z.string().email().max(320),
  password: z.string().min(6).max(1024),
});

/** What a short check of a server address and anon key found (sync:checkServer): `problem` says what is wrong and what to do. */
export const syncServerCheckSchema = z.object({ ok: z.boolean(), problem: z.string().nullable() });

const deadLetterIds = z.object({ ids: z.array(id).min(1).max(1000) }).strict();
/** What a dead-letter action changed: how many of the asked ids it found, and the status after it. */
export const deadLetterChangeSchema = z.object({
  changed: z.number().int().nonnegative(),
  status: syncStatusSchema,
});

export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type DeadLetter = z.infer<typeof deadLetterSchema>;
export type DeadLetterChange = z.infer<typeof deadLetterChangeSchema>;
export type SyncServerCheck = z.infer<typeof syncServerCheckSchema>;

export const syncContract = defineFeature({
  channels: {
    'sync:status': { input: none, output: syncStatusSchema },
    'sync:configure': { input: syncConfigSchema.strict(), output: syncStatusSchema },
    /** Asks the server whether it answers as a Supabase project with this key (one short request); saves nothing. */
    'sync:checkServer': { input: syncConfigSchema.strict(), output: syncServerCheckSchema },
    'sync:now': { input: none, output: syncStatusSchema },
    /** Asks for a run and answers at once with the status (the run's progress comes as sync:status events). */
    'sync:trigger': { input: syncTriggerSchema, output: syncStatusSchema },
    'sync:signUp': { input: credentialsSchema.strict(), output: syncStatusSchema },
    'sync:signIn': { input: credentialsSchema.strict(), output: syncStatusSchema },
    'sync:signOut': { input: none, output: syncStatusSchema },
    'sync:deadLetters': { input: none, output: z.array(deadLetterSchema) },
    'sync:retryDead': { input: deadLetterIds, output: deadLetterChangeSchema },
    'sync:discardDead': { input: deadLetterIds, output: deadLetterChangeSchema },
  },
  events: {
    'sync:status': syncStatusSchema,
  },
});
