/**
 * One round of pull_100k in a process of its own (bench/sync.ts forks it): the app's sync engine pulls the served
 * content into a new database file and sends back how long it took and its longest transaction.
 */
import { openDatabase } from '../electron/core/db/open';
import { createSyncEngine } from '../electron/core/sync/engine';
import { checkpointsSettled } from '../electron/core/sync/pull';
import { AppFailure } from '../shared/errors';

export interface PullRoundRequest {
  url: string;
  anonKey: string;
  file: string;
  pageSize: number;
  expectedQuestions: number;
}

export interface PullRoundResult {
  ms: number;
  longestTransactionMs: number;
}

const notSignedIn = {
  accessToken: () => Promise.reject(new AppFailure('auth_failed', 'not signed in')),
  refreshAfterRejection: () => Promise.reject(new AppFailure('auth_failed', 'not signed in')),
};

process.once('message', (message) => {
  void pullOnce(message as PullRoundRequest).then(
    (result) => process.send?.({ ok: true, result }),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

async function pullOnce(request: PullRoundRequest): Promise<PullRoundResult> {
  const client = openDatabase(request.file).sqlite;
  try {
    const engine = createSyncEngine({
      sqlite: client,
      fetch: globalThis.fetch,
      tokens: notSignedIn,
      now: Date.now,
      random: Math.random,
      settings: { pullPageSize: request.pageSize },
    });
    const started = performance.now();
    const report = await engine.run({ url: request.url, anonKey: request.anonKey, signedIn: false, force: true }, () => undefined);
    const ms = performance.now() - started;
    if (report.outcome !== 'ok') throw new Error(`pull failed: ${report.message}`);
    const pulled = client.prepare('SELECT count(*) FROM questions').pluck().get() as number;
    if (pulled !== request.expectedQuestions) throw new Error(`pull_100k stored ${pulled} questions, expected ${request.expectedQuestions}`);
    return { ms, longestTransactionMs: report.longestPullTransactionMs };
  } finally {
    // The pull's last checkpoint runs on after it returns (pull.ts), not counted, as the learner does not wait for it.
    await checkpointsSettled(client);
    client.close();
  }
}
