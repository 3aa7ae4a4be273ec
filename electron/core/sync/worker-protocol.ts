/** Messages between the sync service (main thread) and the sync worker thread. */
import type { AppError } from '../../../shared/errors';
import type { EngineSettings, RunProgress, RunReport, RunRequest } from './engine';

export interface WorkerStartData {
  dbFile: string;
  nativeBinding: string | null;
  settings: Partial<EngineSettings>;
}

export type ToWorker =
  | { type: 'run'; runId: number; request: RunRequest }
  | { type: 'token'; requestId: number; token: string }
  | { type: 'tokenFailed'; requestId: number; error: AppError }
  /** Finish the request in flight, close the connection, exit. */
  | { type: 'stop' };

export type FromWorker =
  | { type: 'progress'; runId: number; progress: RunProgress }
  | { type: 'report'; runId: number; report: RunReport }
  | { type: 'tokenRequest'; requestId: number; rejected: string | null }
  | { type: 'stopped' };
