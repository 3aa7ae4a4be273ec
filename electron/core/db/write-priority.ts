/**
 * The learner's writes go before bulk writes. SQLite has one writer: a learner's answer that finds the lock held by a
 * bulk writer on another connection (the sync worker's pull, the content worker's import) waits until that
 * transaction commits. Short transactions bound the wait; this flag shortens it further: a learner write that found
 * the database busy says so here, and the bulk writer commits what it has at its next row and steps aside until the
 * learner's write got in. The flag is a counter in a SharedArrayBuffer, so core's thread and its worker threads share
 * it without messages (a message would wait for the worker's event loop, which is busy writing).
 */

/** Longest a bulk writer steps aside for one learner write before going on (a learner write takes ~1 ms). */
export const STEP_ASIDE_MAX_MS = 50;

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
}

export function createWritePriority(buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)): WritePriority {
  const waiting = new Int32Array(buffer, 0, 1);
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
  };
}
