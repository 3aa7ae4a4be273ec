/**
 * Runs a learner write (one IMMEDIATE transaction) so it gets the database soon after a bulk writer
 * (the sync worker's pull) lets go. SQLite's own busy handler sleeps 1, 2, 5 … 50, 100 ms between tries,
 * so a write queued behind a stream of short pull transactions woke long after the lock was free
 * (p99 ~130 ms measured, against ~17 ms with 1 ms retries). Here the write tries without SQLite's wait
 * and retries every millisecond, without blocking the core thread, up to the connection's busy timeout. While it
 * waits it says so through the shared write priority, so the bulk writer commits early and steps aside; each write also
 * tells bulk writers that the learner is studying, so they rest between transactions for a while. While a bulk writer
 * holds its claim, this connection leaves checkpoints to it (write-priority.ts says why).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isSqliteBusy } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import { createWritePriority, type WritePriority } from '../db/write-priority';

export type LearnerWriteRunner = <T>(write: () => T) => Promise<T>;

/** How often core looks whether a bulk writer's claim has ended, while it leaves checkpoints to it. */
export const CLAIM_WATCH_MS = 1000;

/**
 * Only for writes that are a single IMMEDIATE transaction plus reads: a SQLITE_BUSY at BEGIN has written
 * nothing, so trying again is safe, and in WAL mode the reads around it do not wait for writers. Past the
 * bound the SQLITE_BUSY is thrown, and reaches the caller as `busy`.
 */
export function createLearnerWriteRunner(sqlite: Sqlite, priority: WritePriority = createWritePriority()): LearnerWriteRunner {
  const ownCheckpointPages = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  let checkpointsLeft = false;
  let claimWatch: NodeJS.Timeout | null = null;
  const takeCheckpointsBack = () => {
    if (claimWatch) clearInterval(claimWatch);
    claimWatch = null;
    checkpointsLeft = false;
    // Core's other writes (settings, sync state, the learner's pulled history) need checkpoints too.
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${ownCheckpointPages}`);
  };
  const followClaim = () => {
    if (!priority.bulkWriting()) {
      if (checkpointsLeft) takeCheckpointsBack();
      return;
    }
    if (checkpointsLeft) return;
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointsLeft = true;
    // Taken back once the claim ends (released, or lapsed with a worker that died), with or without a next write.
    claimWatch = setInterval(() => {
      if (!sqlite.open || !priority.bulkWriting()) takeCheckpointsBack();
    }, CLAIM_WATCH_MS);
    claimWatch.unref();
  };
  return async (write) => {
    priority.noteLearnerWrite();
    followClaim();
    const boundMs = sqlite.pragma('busy_timeout', { simple: true }) as number;
    const deadline = performance.now() + boundMs;
    let unmark: (() => void) | null = null;
    try {
      for (;;) {
        sqlite.pragma('busy_timeout = 0');
        try {
          return write();
        } catch (err) {
          if (!isSqliteBusy(err) || performance.now() >= deadline) throw err;
        } finally {
          // The write is synchronous: nothing else used the connection while its wait was off.
          sqlite.pragma(`busy_timeout = ${boundMs}`);
        }
        unmark ??= priority.markWaiting();
        await sleep(1);
      }
    } finally {
      unmark?.();
    }
  };
}
