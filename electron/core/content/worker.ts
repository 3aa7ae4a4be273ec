/** The content worker thread: the workspace's jobs (content/jobs.ts) on their own connection, off core's thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { toAppError } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { createWritePriority } from '../db/write-priority';
import { createContentJobs, type JobContext } from './jobs';
import { clearUnlistedMarksSteps, drainStepsAside, removePendingImportSteps } from './pending';
import type { ContentWorkerStartData, FromContentWorker, ToContentWorker } from './worker-protocol';

if (!parentPort) throw new Error('content/worker.ts runs only as a worker thread.');
const port = parentPort;
const start = workerData as ContentWorkerStartData;
const post = (message: FromContentWorker) => port.postMessage(message);

const { sqlite } = openDatabase(start.dbFile, {
  skipMigrations: true,
  ...(start.nativeBinding ? { nativeBinding: start.nativeBinding } : {}),
});
const priority = createWritePriority(start.writePriorityBuffer);
const jobs = createContentJobs(sqlite, priority);
const running = new Map<number, { controller: AbortController; settled: Promise<void> }>();

/**
 * Only one worker runs at a time, and only it imports while core runs: an import still listed when it starts was cut
 * short by the worker before it (terminated, crashed). Its rows go, and the marks a committed import could not clear
 * are cleared, stepping aside for the learner's writes.
 */
async function removeAbandoned(): Promise<void> {
  for (const id of sqlite.prepare('SELECT id FROM pending_imports').pluck().all() as string[]) {
    await drainStepsAside(removePendingImportSteps(sqlite, id), priority.stepAside);
  }
  await drainStepsAside(clearUnlistedMarksSteps(sqlite), priority.stepAside);
}
const ready = removeAbandoned();

port.on('message', (message: ToContentWorker) => {
  switch (message.type) {
    case 'run': {
      const { id } = message;
      const controller = new AbortController();
      const context: JobContext<unknown> = {
        upload: message.upload,
        emit: (chunk) => post({ type: 'chunk', id, chunk }),
        signal: controller.signal,
      };
      // The job's name and input were typed by the host (worker-host.ts); one call shape serves them all.
      const job = jobs[message.job] as (input: unknown, context: JobContext<unknown>) => unknown;
      const settled = ready
        .then(() => job(message.input, context))
        .then(
          (value) => post({ type: 'done', id, value }),
          (err: unknown) => post({ type: 'failed', id, error: toAppError(err) }),
        )
        .finally(() => running.delete(id));
      running.set(id, { controller, settled });
      break;
    }
    case 'cancel':
      running.get(message.id)?.controller.abort();
      break;
    case 'stop': {
      // A running import is cancelled, so its pending rows go now (the host terminates us if that takes too long).
      const jobsLeft = [...running.values()];
      for (const { controller } of jobsLeft) controller.abort();
      void Promise.allSettled(jobsLeft.map((j) => j.settled)).then(() => {
        sqlite.close();
        post({ type: 'stopped' });
        port.close();
      });
      break;
    }
  }
});
