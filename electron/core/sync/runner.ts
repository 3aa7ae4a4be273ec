/** One sync run from the service's side: hands it to the engine host and turns its report into status. */
import type { WritePriority } from '../db/write-priority';
import type { SyncConfig } from './config';
import { emptyRunReport, type EngineSettings, type RunReport } from './engine';
import { createInlineEngineHost, createWorkerEngineHost, type EngineHost } from './engine-host';
import type { FetchFn } from './http';
import type { TokenSource } from './push';
import type { StatusBoard } from './status';

export interface RunnerOptions {
  dbFile: string;
  nativeBinding: string | undefined;
  tokens: TokenSource;
  signedIn: () => boolean;
  settings: Partial<EngineSettings>;
  writePriority: WritePriority;
  board: StatusBoard;
  now: () => number;
  /** Worker thread (the app) or inline on this thread, with this fetch and jitter (tests, benchmarks). */
  placement: { kind: 'worker'; workerEntry?: string } | { kind: 'inline'; fetch: FetchFn; random: () => number };
  /** After a successful run (Realtime starts then, so a server that is down is not also asked for a websocket). */
  onSuccess: (config: SyncConfig) => void;
}

export interface Runner {
  run(config: SyncConfig, force: boolean): Promise<{ retryAtMs: number | null }>;
  /** Stops the engine within `timeoutMs`: the run in flight ends at its next transaction boundary. */
  close(timeoutMs: number): Promise<void>;
}

/** After the worker died, try a fresh one this much later. */
const WORKER_RESTART_MS = 5_000;

export function createRunner(options: RunnerOptions): Runner {
  const { board } = options;
  // Created on the first run and re-created if its worker dies.
  let host: EngineHost | null = null;
  const engineHost = (): EngineHost => {
    const common = { dbFile: options.dbFile, nativeBinding: options.nativeBinding, tokens: options.tokens, settings: options.settings, writePriority: options.writePriority };
    host ??=
      options.placement.kind === 'inline'
        ? createInlineEngineHost({ ...common, fetch: options.placement.fetch, now: options.now, random: options.placement.random })
        : createWorkerEngineHost({
            ...common,
            now: options.now,
            ...(options.placement.workerEntry ? { workerEntry: options.placement.workerEntry } : {}),
          });
    return host;
  };

  const runEngine = async (config: SyncConfig, force: boolean): Promise<RunReport> => {
    try {
      return await engineHost().run(
        { url: config.url, anonKey: config.anonKey, signedIn: options.signedIn(), force },
        (progress) => {
          if (progress.phase === 'pull') board.set({ download: { done: progress.received, total: null } });
          board.emit();
        },
      );
    } catch (err) {
      // The worker died: start a fresh one next time; what it had not marked as delivered is still queued.
      const dead = host;
      host = null;
      void dead?.close(0).catch(() => undefined);
      return {
        ...emptyRunReport(),
        outcome: 'error',
        message: err instanceof Error ? err.message : String(err),
        retryAtMs: options.now() + WORKER_RESTART_MS,
      };
    }
  };

  return {
    async run(config, force) {
      // Announced as the run starts, so "syncing" shows while it works, not after.
      board.set({ state: 'syncing' });
      board.emit();
      const report = await runEngine(config, force);
      board.set({ download: null });
      if (report.serverContentVersion !== null) board.set({ serverContentVersion: report.serverContentVersion });
      if (report.outcome === 'ok') {
        board.set({ state: 'idle', lastError: null });
        board.markSynced(options.now());
        options.onSuccess(config);
      } else {
        board.set({ state: report.outcome === 'offline' ? 'offline' : 'error', lastError: report.message });
      }
      if (report.contentChanged > 0) board.announceContent();
      board.emit();
      return { retryAtMs: report.retryAtMs };
    },
    async close(timeoutMs) {
      const running = host;
      host = null;
      await running?.close(timeoutMs);
    },
  };
}
