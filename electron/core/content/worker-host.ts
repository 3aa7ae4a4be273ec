/**
 * Core's side of the content worker: starts it on the first content request, sends it jobs (content/jobs.ts) with
 * their uploads, relays their chunks and cancels. A worker that stopped (crashed, terminated) fails its jobs; the next
 * request starts another, which first removes the pending rows of an import the old one left.
 */
import { Worker } from 'node:worker_threads';
import { AppFailure } from '../../../shared/errors';
import type { WritePriority } from '../db/write-priority';
import { resolveThreadEntry } from '../process/thread-entry';
import type { ContentJobName, ContentJobs, JobContext } from './jobs';
import type { ContentWorkerStartData, FromContentWorker, ToContentWorker } from './worker-protocol';

type JobInput<K extends ContentJobName> = Parameters<ContentJobs[K]>[0];
type JobOutput<K extends ContentJobName> = Awaited<ReturnType<ContentJobs[K]>>;
type JobChunk<K extends ContentJobName> = Parameters<ContentJobs[K]>[1] extends JobContext<infer C> | undefined ? C : never;

export interface ContentWorker {
  /** Runs one job in the worker; `context` relays its upload (transferred), chunks and cancel. */
  run<K extends ContentJobName>(job: K, input: JobInput<K>, context?: Partial<JobContext<JobChunk<K>>>): Promise<JobOutput<K>>;
  /**
   * Cancels what runs and stops the worker, within `timeoutMs`: past it the worker is terminated, which rolls back the
   * one transaction it may hold (a running import's other pending rows go when the next worker starts). 0 terminates at
   * once, as a crash would.
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface ContentWorkerOptions {
  dbFile: string;
  nativeBinding?: string;
  writePriority: WritePriority;
  /** The bundled worker's path (electron-vite emits it beside core's bundle). */
  workerEntry?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  emit(chunk: unknown): void;
}

/** The upload's own bytes, transferable: a Buffer that views part of a larger pool is copied first. */
function transferable(upload: Uint8Array): Uint8Array {
  return upload.byteOffset === 0 && upload.byteLength === upload.buffer.byteLength ? upload : new Uint8Array(upload);
}

export function createContentWorker(options: ContentWorkerOptions): ContentWorker {
  const entry = resolveThreadEntry(new URL('./worker.ts', import.meta.url), new URL('./content-worker.js', import.meta.url), options.workerEntry);
  let worker: Worker | null = null;
  let stopped: (() => void) | null = null;
  let closed = false;
  const jobs = new Map<number, Pending>();
  let nextId = 1;

  const start = (): Worker => {
    const data: ContentWorkerStartData = {
      dbFile: options.dbFile,
      nativeBinding: options.nativeBinding ?? null,
      writePriorityBuffer: options.writePriority.buffer,
    };
    const started = new Worker(entry.script, { workerData: data, eval: entry.eval });
    started.unref();
    let failure: Error | null = null;
    started.on('error', (err) => (failure = err));
    started.on('exit', () => {
      if (worker === started) worker = null;
      const reason = failure ? `: ${failure.message}` : '';
      for (const job of jobs.values()) {
        job.reject(new AppFailure('internal', `The content worker stopped${reason}: an import it was running imported nothing. Open the pack file again.`));
      }
      jobs.clear();
      stopped?.();
    });
    started.on('message', (message: FromContentWorker) => {
      if (message.type === 'stopped') return stopped?.();
      const job = jobs.get(message.id);
      if (!job) return;
      if (message.type === 'chunk') return job.emit(message.chunk);
      jobs.delete(message.id);
      if (message.type === 'done') job.resolve(message.value);
      else job.reject(new AppFailure(message.error.code, message.error.message, message.error.details));
    });
    return started;
  };
  const send = (to: Worker, message: ToContentWorker, transfer: ArrayBuffer[] = []) => to.postMessage(message, transfer);

  return {
    run(job, input, context = {}) {
      if (closed) return Promise.reject(new AppFailure('internal', 'The content worker has stopped.'));
      worker ??= start();
      const target = worker;
      const id = nextId++;
      const upload = context.upload ? transferable(context.upload) : null;
      return new Promise((resolve, reject) => {
        jobs.set(id, { resolve: resolve as (value: unknown) => void, reject, emit: (chunk) => context.emit?.(chunk as never) });
        send(target, { type: 'run', id, job, input, upload }, upload ? [upload.buffer as ArrayBuffer] : []);
        const cancel = () => send(target, { type: 'cancel', id });
        if (context.signal?.aborted) cancel();
        else context.signal?.addEventListener('abort', cancel, { once: true });
      });
    },
    async close(timeoutMs = 2000) {
      closed = true;
      const running = worker;
      if (!running) return;
      if (timeoutMs > 0) {
        await new Promise<void>((resolve) => {
          stopped = resolve;
          send(running, { type: 'stop' });
          setTimeout(resolve, timeoutMs).unref();
        });
      }
      await running.terminate();
    },
  };
}
