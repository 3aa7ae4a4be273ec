/** Messages between the sync service (main thread) and the sync worker thread. */
import type { AppError } from '../../../shared/errors';
import type { EngineSettings, RunProgress, RunReport, RunRequest } from './engine';

export interface WorkerStartData {
  dbFile: string;
  nativeBinding: string | null;
  settings: Partial<EngineSettings>;
  /** The write priority's shared counter (see db/write-priority.ts). */
  writePriorityBuffer: SharedArrayBuffer;
}

export type ToWorker =
  /** `clockNowMs`: the main thread's injected clock as the run was sent; the worker's `now` follows it. */
  | { type: 'run'; runId: number; request: RunRequest; clockNowMs: number }
  | { type: 'token'; requestId: number; token: string }
  | { type: 'tokenFailed'; requestId: number; error: AppError }
  /** Finish the request in flight, close the connection, exit. */
  | { type: 'stop' };

export type FromWorker =
  | { type: 'progress'; runId: number; progress: RunProgress }
  | { type: 'report'; runId: number; report: RunReport }
  | { type: 'tokenRequest'; requestId: number; rejected: string | null }
  | { type: 'stopped' };
