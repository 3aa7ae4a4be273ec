/**
 * The sync soak: a pushing client killed (SIGKILL, a real child process) at random moments mid-push, and its link cut
 * (a loopback TCP proxy that destroys every open connection and refuses new ones for a while) at random moments
 * mid-push, against the local stack. After each fault ends the queue is drained and the time it took recorded; at the
 * end every answer recorded on the device must be on the server exactly once, and nothing may be left queued or dead.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sqlite } from '../../electron/core/db/open';
import type { SyncService } from '../../electron/core/sync/service';
import { startCuttableLink } from '../stack/link';
import { createUser } from '../stack/stack';
import {
  openClientDb,
  pendingOutbox,
  publishPracticePack,
  recordAttempts,
  startTestStack,
  tempDir,
  testService,
} from '../../tests/sync/client/helpers';

export interface SoakOptions {
  kills: number;
  partitions: number;
  /** Wall-clock budget of the whole run: no new fault starts once it is spent (setup and the final check aside). */
  budgetS: number;
  /** The pushing client's retry backoff (base and cap): small, so a run fits its budget. */
  backoff: { baseMs: number; capMs: number };
  /** Answers recorded before each fault (each queues its attempt, progress, profile and session rows). */
  answersPerFault: number;
}

export interface SoakReport {
  killsDone: number;
  partitionsDone: number;
  /** Faults whose moment fell while rows were moving (the queue shrank before the fault and was not empty). */
  midPush: number;
  answers: number;
  lost: number;
  duplicated: number;
  stuck: number;
  drainMs: { kill: number[]; partition: number[] };
  budgetSpent: boolean;
}

export const defaultSoakOptions: SoakOptions = {
  kills: 200,
  partitions: 100,
  budgetS: 900,
  backoff: { baseMs: 20, capMs: 300 },
  answersPerFault: 8,
};

const PASSWORD = 'soak-pass';
/** No single step may wait longer than this: a wedged client is a finding (stuck), not a hang. */
const STEP_TIMEOUT_MS = 60_000;
const childScript = fileURLToPath(new URL('../../tests/sync/client/push-child.ts', import.meta.url));

/** Syncs until the queue is empty, bounded in time; returns false when it did not drain. */
async function drain(service: SyncService, sqlite: Sqlite): Promise<boolean> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (pendingOutbox(sqlite) > 0) {
    if (Date.now() > deadline) return false;
    await service.syncNow();
  }
  return true;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const budgetLeft = () => Date.now() - started < options.budgetS * 1000;
  const stack = await startTestStack();
  const dir = tempDir('soak');
  const link = await startCuttableLink(new URL(stack.url));
  const report: SoakReport = {
    killsDone: 0,
    partitionsDone: 0,
    midPush: 0,
    answers: 0,
    lost: 0,
    duplicated: 0,
    stuck: 0,
    drainMs: { kill: [], partition: [] },
    budgetSpent: false,
  };
  let service: SyncService | null = null;
  const { file, sqlite } = openClientDb(dir, 'soak.sqlite');
  try {
    await publishPracticePack(stack);
    const email = 'soak@example.test';
    const user = await createUser(stack, { email, password: PASSWORD });
    // The in-process client drains after each fault; nothing but this script triggers it.
    service = testService({
      dbFile: file,
      sqlite,
      push: { maxBatchCount: 5, backoff: { ...options.backoff, maxRetryAfterMs: options.backoff.capMs } },
      overrides: { timerIntervalMs: 3_600_000, watchdogIntervalMs: 3_600_000, realtime: false },
    });
    await service.configure({ url: link.url, anonKey: stack.anonKey });
    await service.signIn({ email, password: PASSWORD });
    const record = () => {
      recordAttempts(sqlite, options.answersPerFault);
      report.answers += options.answersPerFault;
    };

    // Kills and partitions interleave in proportion, so a run cut short by its budget still has both.
    while (report.killsDone < options.kills || report.partitionsDone < options.partitions) {
      if (!budgetLeft()) {
        report.budgetSpent = true;
        break;
      }
      const killNext =
        report.partitionsDone >= options.partitions ||
        (report.killsDone < options.kills && report.killsDone / options.kills <= report.partitionsDone / options.partitions);
      if (killNext) {
        record();
        const before = pendingOutbox(sqlite);
        const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
          env: {
            ...process.env,
            SYNC_CHILD_DB: file,
            SYNC_CHILD_URL: link.url,
            SYNC_CHILD_ANON_KEY: stack.anonKey,
            SYNC_CHILD_EMAIL: email,
            SYNC_CHILD_PASSWORD: PASSWORD,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        const readyBy = Date.now() + STEP_TIMEOUT_MS;
        while (!/PUSHING|DRAINED|LEFT/.test(output) && Date.now() < readyBy) await sleep(5);
        // A random moment within the push (the child pushes batches of 5 rows).
        await sleep(Math.random() * 100);
        child.kill('SIGKILL');
        await exited;
        const after = pendingOutbox(sqlite);
        if (after < before && after > 0) report.midPush++;
        const faultEnded = Date.now();
        if (!(await drain(service, sqlite))) break;
        report.killsDone++;
        report.drainMs.kill.push(Date.now() - faultEnded);
      } else {
        record();
        const before = pendingOutbox(sqlite);
        const run = service.syncNow();
        const movingBy = Date.now() + STEP_TIMEOUT_MS;
        while (pendingOutbox(sqlite) === before && Date.now() < movingBy) await sleep(1);
        await sleep(Math.random() * 20);
        await link.cut();
        const after = pendingOutbox(sqlite);
        if (after < before && after > 0) report.midPush++;
        await sleep(20 + Math.random() * 200);
        await link.restore();
        const faultEnded = Date.now();
        await run;
        if (!(await drain(service, sqlite))) break;
        report.partitionsDone++;
        report.drainMs.partition.push(Date.now() - faultEnded);
      }
    }

    await drain(service, sqlite);
    const local = new Set(sqlite.prepare('SELECT id FROM attempts').pluck().all() as string[]);
    const server = await stack.query<{ id: string; n: string }>(
      'select id::text as id, count(*)::text as n from public.attempts where user_id = $1 group by id',
      [user.id],
    );
    const onServer = new Map(server.map((r) => [r.id, Number(r.n)]));
    report.lost = [...local].filter((id) => !onServer.has(id)).length;
    // A row on the server that the device never recorded, or one stored twice.
    report.duplicated =
      server.filter((r) => !local.has(r.id)).length + server.reduce((sum, r) => sum + Math.max(0, Number(r.n) - 1), 0);
    report.stuck = sqlite
      .prepare('SELECT count(*) FROM outbox WHERE processed = 0 AND (dead_utc_ms IS NOT NULL OR device_only_utc_ms IS NULL)')
      .pluck()
      .get() as number;
    return report;
  } finally {
    await service?.close();
    sqlite.close();
    await link.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function summary(samples: number[]): string {
  if (samples.length === 0) return 'none';
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return `median ${at(50)} ms, p95 ${at(95)} ms, max ${sorted.at(-1)} ms`;
}

/** The report as the soak prints it: one line per figure. */
export function formatSoakReport(options: SoakOptions, report: SoakReport): string[] {
  return [
    `kills: ${report.killsDone} of ${options.kills}; partitions: ${report.partitionsDone} of ${options.partitions}` +
      (report.budgetSpent ? ` (the ${options.budgetS} s budget ran out)` : ''),
    `faults that landed mid-push: ${report.midPush}`,
    `answers recorded: ${report.answers}`,
    `lost: ${report.lost}`,
    `duplicated: ${report.duplicated}`,
    `stuck: ${report.stuck}`,
    `time to drain after a kill: ${summary(report.drainMs.kill)}`,
    `time to drain after a partition heals: ${summary(report.drainMs.partition)}`,
  ];
}

export function soakClean(report: SoakReport): boolean {
  return report.lost === 0 && report.duplicated === 0 && report.stuck === 0;
}
