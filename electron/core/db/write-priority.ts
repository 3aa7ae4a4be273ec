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
 * commit that fills the WAL), or that waited on the disk behind one, took 15–30 ms instead of 1–5. The pull and an
 * import each have their own claim, so one giving its claim up leaves the other's in force.
 *
 * While the learner is studying (a learner write within LEARNER_ACTIVE_MS), a bulk writer also rests between its
 * transactions, REST_FACTOR times as long as the last one took: on 2 cores the pull's CPU, not only its lock, slowed the
 * learner's answers (docs/decisions.md). With nobody studying it writes at full speed.
 */

/** Longest a bulk writer steps aside for one learner write before going on (a learner write takes ~1 ms). */
export const STEP_ASIDE_MAX_MS = 50;
/** How long after a learner write the learner counts as studying. */
export const LEARNER_ACTIVE_MS = 1000;
/** While the learner studies, a bulk writer rests this many times its last transaction's length: writing a quarter of the time. */
export const REST_FACTOR = 3;
/** How long a bulk writer's claim lasts unless renewed, so a worker stopped mid-write cannot keep it. */
export const BULK_WRITE_LEASE_MS = 5000;
/** The bulk writers: the sync worker's pull and the content worker's import. */
export const bulkWriters = ['sync', 'content'] as const;
export type BulkWriter = (typeof bulkWriters)[number];

export interface WritePriority {
  /** Shared with the workers (workerData): each wraps it with `createWritePriority(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Core: marks a learner write as waiting for the lock until the returned function is called. */
  markWaiting(): () => void;
  /** Core, at each learner write: the learner is studying (bulk writers rest between transactions for a while). */
  noteLearnerWrite(): void;
  /** Bulk writer, between rows of a transaction: a learner write is waiting, commit now. */
  learnerWaiting(): boolean;
  /**
   * Bulk writer, between transactions: resolves on the next turn of the event loop when no learner write waits, or
   * once the waiting ones got in (at most STEP_ASIDE_MAX_MS, so a learner write that fails for another reason cannot
   * stall it); while the learner studies, only after resting REST_FACTOR × `lastTransactionMs`.
   */
  stepAside(lastTransactionMs?: number): Promise<void>;
  /** Bulk writer, before each transaction: claims (or renews) the database for bulk writing. */
  claimBulkWrite(writer: BulkWriter): void;
  /** Bulk writer, when its writing is done (checkpointed): gives its claim up (not one renewed since by another thread). */
  releaseBulkWrite(writer: BulkWriter): void;
  /** Core: whether any bulk writer holds an unexpired claim. */
  bulkWriting(): boolean;
}

/**
 * The shared state: the count of learner writes waiting (Int32 at 0), the epoch ms of the last learner write (BigInt64
 * at 8), and each bulk writer's claim (a BigInt64 from 16, in bulkWriters' order): its expiry in epoch ms, shifted left
 * by CLAIM_TAG_BITS, with the claiming thread's tag in the low bits.
 */
const LEARNER_WROTE_OFFSET = 8;
const CLAIMS_OFFSET = 16;
const BUFFER_BYTES = CLAIMS_OFFSET + 8 * bulkWriters.length;
const CLAIM_TAG_BITS = 16n;

export function createWritePriority(buffer: SharedArrayBuffer = new SharedArrayBuffer(BUFFER_BYTES)): WritePriority {
  const waiting = new Int32Array(buffer, 0, 1);
  const learnerWrote = new BigInt64Array(buffer, LEARNER_WROTE_OFFSET, 1);
  const claims = new BigInt64Array(buffer, CLAIMS_OFFSET, bulkWriters.length);
  // Epoch ms that never go back within a thread (the clock taken at the thread's start, then its monotonic clock): each
  // thread's performance.now() alone has its own origin, and Date.now() jumps with the system clock.
  const nowMs = () => BigInt(Math.round(performance.timeOrigin + performance.now()));
  // This thread's last claim per writer, so its release cannot end a claim renewed since by another thread (a worker
  // started while the one it replaces is still stopping), even in the same ms.
  const tag = BigInt(1 + Math.floor(Math.random() * (2 ** Number(CLAIM_TAG_BITS) - 1)));
  const ownClaims = new BigInt64Array(bulkWriters.length);
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
    noteLearnerWrite() {
      Atomics.store(learnerWrote, 0, nowMs());
    },
    learnerWaiting,
    async stepAside(lastTransactionMs = 0) {
      const studying = nowMs() - Atomics.load(learnerWrote, 0) < BigInt(LEARNER_ACTIVE_MS);
      const restMs = studying ? Math.round(REST_FACTOR * lastTransactionMs) : 0;
      // One turn of the event loop even when nobody waits: this thread's own messages (progress, a cancel) get in.
      await new Promise((resolve) => (restMs > 0 ? setTimeout(resolve, restMs) : setImmediate(resolve)));
      const deadline = performance.now() + STEP_ASIDE_MAX_MS;
      while (learnerWaiting() && performance.now() < deadline) {
        // The learner's write polls every millisecond; waiting the same keeps the lock free for its next try.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    claimBulkWrite(writer) {
      const slot = bulkWriters.indexOf(writer);
      ownClaims[slot] = ((nowMs() + BigInt(BULK_WRITE_LEASE_MS)) << CLAIM_TAG_BITS) | tag;
      Atomics.store(claims, slot, ownClaims[slot]!);
    },
    releaseBulkWrite(writer) {
      const slot = bulkWriters.indexOf(writer);
      Atomics.compareExchange(claims, slot, ownClaims[slot]!, 0n);
    },
    bulkWriting() {
      const now = nowMs();
      for (let slot = 0; slot < bulkWriters.length; slot++) {
        if (Atomics.load(claims, slot) >> CLAIM_TAG_BITS > now) return true;
      }
      return false;
    },
  };
}
