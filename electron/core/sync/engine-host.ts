/** Where the sync engine runs: inline on the caller's thread (tests, bench) or in a worker thread (the app). */
import { Worker } from 'node:worker_threads';
import { AppFailure, toAppError } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { resolveThreadEntry } from '../process/thread-entry';
import type { WritePriority } from '../db/write-priority';
import { createSyncEngine, type EngineSettings, type RunProgress, type RunReport, type RunRequest } from './engine';
import type { FetchFn } from './http';
import { checkpointsSettled } from './pull';
import type { TokenSource } from './push';
import type { FromWorker, ToWorker, WorkerStartData } from './worker-protocol';

export interface EngineHost {
  run(request: RunRequest, onProgress: (progress: RunProgress) => void): Promise<RunReport>;
  /**
   * Stops the run in flight (its request is aborted) and releases the connection, within `timeoutMs`: past it the
   * worker is terminated, which rolls back the one transaction it may hold, so no page is ever half-written.
   */
  close(timeoutMs: number): Promise<void>;
}

export interface EngineHostOptions {
  dbFile: string;
  nativeBinding: string | undefined;
  tokens: TokenSource;
  settings: Partial<EngineSettings>;
  writePriority: WritePriority;
}

export function createInlineEngineHost(
  options: EngineHostOptions & { fetch: FetchFn; now: () => number; random: () => number },
): EngineHost {
  const { sqlite } = openDatabase(options.dbFile, {
    skipMigrations: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const engine = createSyncEngine({
    sqlite,
    fetch: options.fetch,
    tokens: options.tokens,
    now: options.now,
    random: options.random,
    settings: options.settings,
    writePriority: options.writePriority,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  let running: Promise<unknown> = Promise.resolve();
  return {
    run(request, onProgress) {
      const run = engine.run(request, onProgress);
      running = run.catch(() => undefined);
      return run;
    },
    async close(timeoutMs) {
      engine.requestStop();
      // Inline, a transaction is synchronous and always whole: waiting for the aborted request is all there is.
      // A pull's last checkpoint may still run on its thread (pull.ts): it ends before the connection does.
      await Promise.race([running.then(() => checkpointsSettled(sqlite)), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      sqlite.close();
    },
  };
}

export function createWorkerEngineHost(
  options: EngineHostOptions & { workerEntry?: string; now: () => number },
): EngineHost {
  const entry = resolveThreadEntry(new URL('./worker.ts', import.meta.url), new URL('./worker.js', import.meta.url), options.workerEntry);
  const startData: WorkerStartData = {
    dbFile: options.dbFile,
    nativeBinding: options.nativeBinding ?? null,
    settings: options.settings,
    writePriorityBuffer: options.writePriority.buffer,
  };
  const worker = new Worker(entry.script, { workerData: startData, eval: entry.eval });
  worker.unref();
  const runs = new Map<number, { resolve: (r: RunReport) => void; reject: (e: Error) => void; onProgress: (p: RunProgress) => void }>();
  let nextRunId = 1;
  let exited = false;
  let stopped: (() => void) | null = null;
  const send = (message: ToWorker) => worker.postMessage(message);

  const failAll = (err: Error) => {
    for (const run of runs.values()) run.reject(err);
    runs.clear();
  };
  worker.on('error', (err) => failAll(new AppFailure('internal', `The sync worker failed: ${err.message}`)));
  worker.on('exit', () => {
    exited = true;
    failAll(new AppFailure('internal', 'The sync worker stopped.'));
    stopped?.();
  });
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'progress':
        runs.get(message.runId)?.onProgress(message.progress);
        break;
      case 'report':
        runs.get(message.runId)?.resolve(message.report);
        runs.delete(message.runId);
        break;
      case 'tokenRequest': {
        const pending = message.rejected === null ? options.tokens.accessToken() : options.tokens.refreshAfterRejection(message.rejected);
        pending.then(
          (token) => send({ type: 'token', requestId: message.requestId, token }),
          (err: unknown) => send({ type: 'tokenFailed', requestId: message.requestId, error: toAppError(err) }),
        );
        break;
      }
      case 'stopped':
        stopped?.();
        break;
    }
  });

  return {
    run(request, onProgress) {
      if (exited) return Promise.reject(new AppFailure('internal', 'The sync worker has stopped.'));
      return new Promise((resolve, reject) => {
        const runId = nextRunId++;
        runs.set(runId, { resolve, reject, onProgress });
        // The worker keeps time by the injected clock: its reading now, advanced by the worker's own elapsed time.
        send({ type: 'run', runId, request, clockNowMs: options.now() });
      });
    },
    async close(timeoutMs) {
      if (exited) return;
      await new Promise<void>((resolve) => {
        stopped = resolve;
        send({ type: 'stop' });
        setTimeout(resolve, timeoutMs).unref();
      });
      await worker.terminate();
    },
  };
}
