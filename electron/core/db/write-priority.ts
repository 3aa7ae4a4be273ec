/**
 * The learner's writes go before bulk writes. SQLite has one writer: a learner's answer that finds the lock held by a
 * bulk writer on another connection (the sync worker's pull, the content worker's import) waits until that
 * transaction commits. Short transactions bound the wait; this flag shortens it further: a learner write that found
 * the database busy says so here, and the bulk writer commits what it has at its next row and steps aside until the
 * learner's write got in. The flag is a counter in a SharedArrayBuffer, so core's thread and its worker threads share
 * it without messages (a message would wait for the worker's event loop, which is busy writing).
 *
 * A bulk writer also holds a claim while it writes, renewed at each transaction: meanwhile core's connection leaves
 * checkpoints to it. A checkpoint syncs the database file, and a learner commit that ran one (SQLite runs it in the
 * commit that fills the WAL), or that waited on the disk behind one, took 15–30 ms instead of 1–5.
 */

/** Longest a bulk writer steps aside for one learner write before going on (a learner write takes ~1 ms). */
export const STEP_ASIDE_MAX_MS = 50;
/** How long a bulk writer's claim lasts unless renewed, so a worker stopped mid-write cannot keep it. */
export const BULK_WRITE_LEASE_MS = 5000;

export interface WritePriority {
  /** Shared with the workers (workerData): each wraps it with `createWritePriority(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Core: marks a learner write as waiting for the lock until the returned function is called. */
  markWaiting(): () => void;
  /** Bulk writer, between rows of a transaction: a learner write is waiting, commit now. */
  learnerWaiting(): boolean;
  /**
   * Bulk writer, between transactions: resolves on the next turn of the event loop when no learner write waits, or
   * once the waiting ones got in (at most `maxMs`, so a learner write that fails for another reason cannot stall it).
   */
  stepAside(maxMs?: number): Promise<void>;
  /** Bulk writer, before each transaction: claims (or renews) the database for bulk writing. */
  claimBulkWrite(): void;
  /** Bulk writer, when its writing is done (checkpointed): gives its claim up (not one another writer renewed since). */
  releaseBulkWrite(): void;
  /** Core: whether a bulk writer holds an unexpired claim. */
  bulkWriting(): boolean;
}

/**
 * The shared state: the count of learner writes waiting (Int32 at 0), and the bulk claim (BigInt64 at 8): its expiry in
 * epoch ms, shifted left by CLAIM_TAG_BITS, with the claiming writer's tag in the low bits.
 */
const BUFFER_BYTES = 16;
const CLAIM_TAG_BITS = 16n;

export function createWritePriority(buffer: SharedArrayBuffer = new SharedArrayBuffer(BUFFER_BYTES)): WritePriority {
  const waiting = new Int32Array(buffer, 0, 1);
  const bulkClaimUntil = new BigInt64Array(buffer, 8, 1);
  // Epoch ms that never go back within a thread (the clock taken at the thread's start, then its monotonic clock): each
  // thread's performance.now() alone has its own origin, and Date.now() jumps with the system clock.
  const nowMs = () => BigInt(Math.round(performance.timeOrigin + performance.now()));
  // This writer's last claim, so its release cannot end a claim another writer renewed since, even in the same ms.
  const tag = BigInt(1 + Math.floor(Math.random() * (2 ** Number(CLAIM_TAG_BITS) - 1)));
  let ownClaim = 0n;
  const learnerWaiting = () => Atomics.load(waiting, 0) > 0;
  return {
    buffer,
    markWaiting() {
      Atomics.add(waiting, 0, 1);
      let marked = true;
      return () => {
        if (!marked) return;
        marked = false;
        Atomics.sub(waiting, 0, 1);
      };
    },
    learnerWaiting,
    async stepAside(maxMs = STEP_ASIDE_MAX_MS) {
      // One turn of the event loop even when nobody waits: this thread's own messages (progress, a cancel) get in.
      await new Promise((resolve) => setImmediate(resolve));
      const deadline = performance.now() + maxMs;
      while (learnerWaiting() && performance.now() < deadline) {
        // The learner's write polls every millisecond; waiting the same keeps the lock free for its next try.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    claimBulkWrite() {
      ownClaim = ((nowMs() + BigInt(BULK_WRITE_LEASE_MS)) << CLAIM_TAG_BITS) | tag;
      Atomics.store(bulkClaimUntil, 0, ownClaim);
    },
    releaseBulkWrite() {
      Atomics.compareExchange(bulkClaimUntil, 0, ownClaim, 0n);
    },
    bulkWriting() {
      return Atomics.load(bulkClaimUntil, 0) >> CLAIM_TAG_BITS > nowMs();
    },
  };
}
