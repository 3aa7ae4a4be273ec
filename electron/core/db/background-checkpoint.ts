/**
 * A connection on a thread of its own that copies WAL frames into the database file (PASSIVE checkpoints) while the
 * bulk writer that asked for them goes on writing. A 100k-question pull spends ~0.5 s of its ~2.5 s in checkpoints on
 * its own thread; here they overlap its transactions and its waits for the server.
 *
 * The thread runs a few lines of CommonJS (eval) rather than an entry of its own: they need only the SQLite driver,
 * whose path the caller's thread resolves, so the same code runs from sources, in tests and in every bundle.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface BackgroundCheckpoints {
  /**
   * Starts a checkpoint on the thread; it resolves with the frames the WAL held when it finished (Infinity when it
   * failed). Null when none can start there now (the thread is starting, one still runs, or the thread failed).
   */
  start(): Promise<number> | null;
  /** True while a checkpoint started here runs. */
  readonly running: boolean;
  /** Waits for a running checkpoint, then ends the thread and its connection. */
  close(): Promise<void>;
  /** Waits for a running checkpoint, runs one last one (the writer has stopped writing), then ends the thread. */
  finish(): Promise<void>;
}

interface ThreadStart {
  driver: string;
  file: string;
  nativeBinding: string | null;
}

/** What the thread sends: 'ready' once its connection is open, then after each checkpoint the WAL's frames, or its error. */
type FromThread = { type: 'ready' } | { type: 'done'; walFrames: number } | { type: 'failed' };

const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'done', walFrames: result.log });
  } catch {
    parentPort.postMessage({ type: 'failed' });
  }
});
parentPort.postMessage({ type: 'ready' });
`;

/** Starts the thread for the database at `file` (a file: no other connection can open an in-memory one). */
export function startBackgroundCheckpoints(file: string, nativeBinding?: string): BackgroundCheckpoints {
  const start: ThreadStart = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, nativeBinding: nativeBinding ?? null };
  // Not unref'd: the caller awaits its answers, and close() always ends it.
  const thread = new Worker(threadSource, { eval: true, workerData: start });
  let ready = false;
  let failed = false;
  let running: { done: Promise<number>; finish: (walFrames: number) => void } | null = null;
  const finish = (walFrames: number) => {
    running?.finish(walFrames);
    running = null;
  };
  thread.on('message', (message: FromThread) => {
    if (message.type === 'ready') ready = true;
    // A checkpoint that failed copied what it could; the caller's own next checkpoint copies the rest.
    else finish(message.type === 'done' ? message.walFrames : Number.POSITIVE_INFINITY);
  });
  // A thread that cannot start (no driver, unreadable file) or ends: nothing more starts here, and the caller checkpoints itself.
  const stop = () => {
    failed = true;
    finish(Number.POSITIVE_INFINITY);
  };
  thread.on('error', stop);
  thread.on('exit', stop);

  const close = async () => {
    await running?.done;
    if (failed) return void (await thread.terminate());
    const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    thread.postMessage('close');
    await exited;
  };

  const startCheckpoint = (): Promise<number> | null => {
    if (!ready || failed || running) return null;
    let resolve: (walFrames: number) => void = () => undefined;
    const done = new Promise<number>((settle) => (resolve = settle));
    running = { done, finish: resolve };
    thread.postMessage('checkpoint');
    return done;
  };

  return {
    start: startCheckpoint,
    get running() {
      return running !== null;
    },
    close,
    async finish() {
      await running?.done;
      await startCheckpoint();
      await close();
    },
  };
}
