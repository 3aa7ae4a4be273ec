/** When sync runs: every trigger goes through here, and runs are debounced and single-flight. */

/**
 * Why a run was asked for. `write`: a learner write was committed; `retry`: a failure's backoff ended;
 * `watchdog`: rows are due and nothing was scheduled.
 */
export type SyncTrigger = 'start' | 'focus' | 'timer' | 'online' | 'realtime' | 'manual' | 'write' | 'retry' | 'watchdog';

export interface SchedulerOptions {
  /** One run; resolves with when to try again (a failure's backoff, or the queue head's), or null. */
  run(request: { force: boolean; reasons: readonly SyncTrigger[] }): Promise<{ retryAtMs: number | null }>;
  /** False while sync is not configured: triggers are dropped. */
  enabled(): boolean;
  /** Whether the last run found the server unreachable: writes then wait for the retry instead of knocking again. */
  offline(): boolean;
  /** When the outbox head is due, or null when nothing is queued (the watchdog's question). */
  headDueAtMs(): number | null;
  signedIn(): boolean;
  now(): number;
  /** Triggers within this window make one run (focus, timer, realtime, start). */
  debounceMs: number;
  /** A learner write is pushed at most this long after it happened (when online). */
  writeDelayMs: number;
  timerIntervalMs: number;
  watchdogIntervalMs: number;
}

export interface Scheduler {
  trigger(reason: SyncTrigger): void;
  /** Resolves when a run that starts after this call has finished. */
  runNow(): Promise<void>;
  /** The run in flight, if any (sign-in waits for it before rewriting learner ids). */
  idle(): Promise<void>;
  startTimers(): void;
  /** Stops timers and triggers; resolves waiters; the run in flight is the caller's to wait for. */
  stop(): void;
}

/** How each trigger asks: `force` ignores the queue head's backoff; `delay` is the longest wait before the run. */
function policyOf(reason: SyncTrigger, options: SchedulerOptions): { force: boolean; delayMs: number } {
  switch (reason) {
    case 'manual':
      return { force: true, delayMs: 0 };
    // Coming back online deserves an attempt now, even while the queue head backs off.
    case 'online':
      return { force: true, delayMs: options.debounceMs };
    case 'write':
      return { force: false, delayMs: options.writeDelayMs };
    case 'retry':
    case 'watchdog':
      return { force: false, delayMs: 0 };
    case 'start':
    case 'focus':
    case 'timer':
    case 'realtime':
      return { force: false, delayMs: options.debounceMs };
  }
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  let stopped = false;
  let inFlight: Promise<void> | null = null;
  let queued: { force: boolean; reasons: Set<SyncTrigger> } | null = null;
  let debounceTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let intervalTimer: NodeJS.Timeout | null = null;
  let watchdogTimer: NodeJS.Timeout | null = null;
  /** Callers of runNow waiting for the next run to start and finish. */
  let waiters: Array<() => void> = [];

  const request = (reason: SyncTrigger) => {
    if (stopped || !options.enabled()) return;
    // A write while offline waits for the retry timer: knocking on every answer would only spend battery.
    if (reason === 'write' && (options.offline() || !options.signedIn())) return;
    const { force, delayMs } = policyOf(reason, options);
    queued ??= { force: false, reasons: new Set() };
    queued.force ||= force;
    queued.reasons.add(reason);
    if (inFlight) return;
    // A pending timer fires no later than any delay asked since (never pushed back), so a burst of writes still
    // runs within writeDelayMs of the first one; a shorter delay brings it forward.
    if (debounceTimer) {
      if (performance.now() + delayMs >= debounceDueAt) return;
      clearTimeout(debounceTimer);
    }
    // Timers run on real time, whatever the injected clock says, so their due time is measured on it too.
    debounceDueAt = performance.now() + delayMs;
    // Not unref'd: whoever awaits runNow() is waiting on this timer.
    debounceTimer = setTimeout(startRun, delayMs);
  };
  let debounceDueAt = 0;

  const startRun = () => {
    debounceTimer = null;
    const next = queued;
    queued = null;
    const runWaiters = waiters;
    waiters = [];
    if (!next || stopped || !options.enabled()) {
      for (const resolve of runWaiters) resolve();
      return;
    }
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    inFlight = options
      .run({ force: next.force, reasons: [...next.reasons] })
      .then(({ retryAtMs }) => {
        if (retryAtMs === null || stopped) return;
        retryTimer = setTimeout(() => request('retry'), Math.max(0, retryAtMs - options.now()));
        retryTimer.unref();
      })
      .finally(() => {
        inFlight = null;
        for (const resolve of runWaiters) resolve();
        // Triggers that came during the run make one more run at once, keeping what they asked.
        if (queued && !stopped) debounceTimer = setTimeout(startRun, 0);
      });
  };

  return {
    trigger: request,
    runNow() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        request('manual');
        // Dropped (closed or not configured): nobody would resolve it.
        if (stopped || !options.enabled()) {
          waiters = waiters.filter((w) => w !== resolve);
          resolve();
        }
      });
    },
    idle: async () => {
      await inFlight;
    },
    startTimers() {
      if (intervalTimer || stopped) return;
      intervalTimer = setInterval(() => request('timer'), options.timerIntervalMs);
      intervalTimer.unref();
      // Rows due and nothing in flight or scheduled means something dropped a trigger; run anyway.
      watchdogTimer = setInterval(() => {
        if (inFlight || debounceTimer || !options.signedIn()) return;
        const dueAt = options.headDueAtMs();
        if (dueAt !== null && dueAt <= options.now()) request('watchdog');
      }, options.watchdogIntervalMs);
      watchdogTimer.unref();
    },
    stop() {
      stopped = true;
      for (const timer of [intervalTimer, watchdogTimer]) if (timer) clearInterval(timer);
      for (const timer of [retryTimer, debounceTimer]) if (timer) clearTimeout(timer);
      intervalTimer = watchdogTimer = retryTimer = debounceTimer = null;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
  };
}
