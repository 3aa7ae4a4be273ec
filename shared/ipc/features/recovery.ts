/**
 * The recovery feature: what is wrong with the database at start, and the ways out (restore the newest good backup,
 * start fresh from the built-in content, or try again once a read-only file is fixed). Core answers these in both of
 * its modes: normally (`mode: 'ok'`) and when it started in recovery mode instead of a usable database.
 */
import { z } from 'zod';
import { defineFeature } from '../define';
import { none, utcMs } from './common';

export const databaseProblemCauses = ['corrupt', 'read_only', 'unreadable'] as const;

/** A `database_error`'s details when it is about the database file itself: read by the recovery screen. */
export const databaseProblemSchema = z.object({
  file: z.string(),
  cause: z.enum(databaseProblemCauses),
  /** SQLite's or the system's own words, for support. */
  detail: z.string(),
  nextStep: z.string(),
});
export type DatabaseProblem = z.infer<typeof databaseProblemSchema>;

export const backupInfoSchema = z.object({
  path: z.string(),
  kind: z.enum(['daily', 'pre_migration']),
  createdUtcMs: utcMs,
  sizeBytes: z.number().int().nonnegative(),
  /** It opens, passes quick_check and this app can migrate it (checked only in recovery mode). */
  usable: z.boolean(),
});
export type BackupInfo = z.infer<typeof backupInfoSchema>;

export const recoveryOutcomeSchema = z.object({
  action: z.enum(['restore', 'fresh']),
  /** Where the damaged file was kept. */
  damagedCopyPath: z.string(),
  /** The backup put in its place; null when starting fresh. */
  restoredFrom: z.string().nullable(),
  /** Unsynced events (outbox rows) of the damaged file that the new one lacks. */
  lostEvents: z.object({
    /** False when the damaged file could not be read that far: which events were lost is unknown. */
    readable: z.boolean(),
    events: z.array(z.object({ table: z.string(), rowId: z.string(), tsUtcMs: utcMs })),
  }),
  /** Signed in: content and synced progress are being pulled from the server again. */
  resyncStarted: z.boolean(),
});
export type RecoveryOutcome = z.infer<typeof recoveryOutcomeSchema>;

export const recoveryStatusSchema = z.object({
  mode: z.enum(['ok', 'recovery']),
  /** What is wrong (recovery mode), else null. */
  problem: databaseProblemSchema.nullable(),
  /** Newest first; empty in `ok` mode. */
  backups: z.array(backupInfoSchema),
  /** The recovery made since this start, to tell the learner what it kept and lost. */
  lastRecovery: recoveryOutcomeSchema.nullable(),
});
export type RecoveryStatus = z.infer<typeof recoveryStatusSchema>;

export const recoveryContract = defineFeature({
  channels: {
    'recovery:status': { input: none, output: recoveryStatusSchema },
    /** Keeps a copy of the damaged file and restores a backup: the one named, else the newest usable one. */
    'recovery:restoreBackup': { input: z.object({ backupPath: z.string().min(1).max(4096).optional() }).strict(), output: recoveryOutcomeSchema },
    /** Keeps a copy of the damaged file and starts with a new database holding the built-in content. */
    'recovery:startFresh': { input: none, output: recoveryOutcomeSchema },
    /** Opens the database again (after the learner fixed a read-only file or folder). */
    'recovery:retry': { input: none, output: recoveryStatusSchema },
  },
});
