/** The sync worker thread: runs the engine on its own connection, asking the main thread for access tokens. */
import { parentPort, workerData } from 'node:worker_threads';
import { AppFailure } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { createWritePriority } from '../db/write-priority';
import { createSyncEngine } from './engine';
import { checkpointsSettled } from './pull';
import type { FromWorker, ToWorker, WorkerStartData } from './worker-protocol';

if (!parentPort) throw new Error('worker.ts runs only as a worker thread.');
const port = parentPort;
const start = workerData as WorkerStartData;
const post = (message: FromWorker) => port.postMessage(message);

const { sqlite } = openDatabase(start.dbFile, {
  skipMigrations: true,
  ...(start.nativeBinding ? { nativeBinding: start.nativeBinding } : {}),
});
const tokenWaiters = new Map<number, { resolve: (token: string) => void; reject: (err: Error) => void }>();
let nextRequestId = 1;

// The refresh token and its secret store live on the main thread; the worker only ever holds access tokens.
const askForToken = (rejected: string | null): Promise<string> =>
  new Promise((resolve, reject) => {
    const requestId = nextRequestId++;
    tokenWaiters.set(requestId, { resolve, reject });
    post({ type: 'tokenRequest', requestId, rejected });
  });

// The injected clock lives on the main thread: each run brings its reading, and time runs on from there.
let clockOffsetMs = 0;
const now = () => Math.round(performance.now() + clockOffsetMs);

const engine = createSyncEngine({
  sqlite,
  fetch: globalThis.fetch,
  tokens: { accessToken: () => askForToken(null), refreshAfterRejection: (rejected) => askForToken(rejected) },
  now,
  random: Math.random,
  settings: start.settings,
  writePriority: createWritePriority(start.writePriorityBuffer),
  ...(start.nativeBinding ? { nativeBinding: start.nativeBinding } : {}),
});

let running: Promise<void> = Promise.resolve();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'run':
      clockOffsetMs = message.clockNowMs - performance.now();
      running = engine
        .run(message.request, (progress) => post({ type: 'progress', runId: message.runId, progress }))
        .then((report) => post({ type: 'report', runId: message.runId, report }));
      break;
    case 'token':
      tokenWaiters.get(message.requestId)?.resolve(message.token);
      tokenWaiters.delete(message.requestId);
      break;
    case 'tokenFailed':
      tokenWaiters.get(message.requestId)?.reject(new AppFailure(message.error.code, message.error.message));
      tokenWaiters.delete(message.requestId);
      break;
    case 'stop':
      engine.requestStop();
      // A pull's last checkpoint may still run on its thread (pull.ts): it ends before the connection does.
      void running.finally(() => checkpointsSettled(sqlite)).finally(() => {
        sqlite.close();
        post({ type: 'stopped' });
        port.close();
      });
      break;
  }
});
