/** Messages between core's content handlers (worker-host.ts) and the content worker thread (worker.ts). */
import type { AppError } from '../../../shared/errors';
import type { ContentJobName } from './jobs';

export interface ContentWorkerStartData {
  dbFile: string;
  nativeBinding: string | null;
  /** The write priority's shared counter (see db/write-priority.ts). */
  writePriorityBuffer: SharedArrayBuffer;
}

export type ToContentWorker =
  /** `upload` is transferred, not copied. */
  | { type: 'run'; id: number; job: ContentJobName; input: unknown; upload: Uint8Array | null }
  | { type: 'cancel'; id: number }
  /** Cancel what runs (an import removes its pending rows), close the connection, exit. */
  | { type: 'stop' };

export type FromContentWorker =
  | { type: 'chunk'; id: number; chunk: unknown }
  | { type: 'done'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: AppError }
  | { type: 'stopped' };
