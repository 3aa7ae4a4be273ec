/** createCore: opens the database, loads the embedded pack on first start, and combines each feature's handler map. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppFailure } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { contentEditorStatus } from './content/editor';
import { importPack } from './content/import';
import { removeAbandonedImports } from './content/pending';
import { createContentWorker } from './content/worker-host';
import { createLibraryQueries } from './content/tree';
import { openDatabase, type Sqlite } from './db/open';
import { createWritePriority } from './db/write-priority';
import { createDrills } from './drills/drills';
import { serverEvaluatorEndpoint } from './drills/evaluate-server';
import { entitlementLevel } from './drills/entitlement';
import { activateDefaultDrillPack } from './drills/packs';
import { createAppHandlers } from './ipc/features/app';
import { createAudioHandlers } from './ipc/features/audio';
import { createContentHandlers } from './ipc/features/content';
import { createDrillsHandlers } from './ipc/features/drills';
import { createLibraryHandlers } from './ipc/features/library';
import { createPracticeHandlers } from './ipc/features/practice';
import { createProgressHandlers } from './ipc/features/progress';
import { createSettingsHandlers } from './ipc/features/settings';
import { createSyncHandlers } from './ipc/features/sync';
import { createTodayHandlers } from './ipc/features/today';
import { createTutorHandlers } from './ipc/features/tutor';
import type { Handlers } from './ipc/handlers';
import { createLearnerWriteRunner } from './ipc/learner-writes';
import { isValidTimeZone } from './learner/calendar';
import { currentLearnerId } from './learner/identity';
import { createLearnerSettings } from './learner/user-settings';
import { createPractice } from './practice/practice';
import { createRecoverableCore, type StudyCore, type StudyHandlers } from './recovery-mode';
import { protectDataDir } from './private-data';
import { systemClock, type Clock, type SecretStore, type SettingsStore } from './ports';
import { createOutboxWriter } from './sync/outbox-writer';
import { createSyncService, requestLearnerPull, type SyncServiceOptions } from './sync/service';
import { createTutor, edgeAccessVia } from './tutor/tutor';

export interface CoreOptions {
  /** The database lives at join(dataDir, DATABASE_FILE). */
  dataDir: string;
  host: 'electron' | 'web';
  appVersion: string;
  settings: SettingsStore;
  secrets: SecretStore;
  migrationsDir?: string;
  /** Loaded into an empty database on first start; defaults to the repo's resources/sample-pack.json. */
  samplePackPath?: string;
  /** better-sqlite3 addon built for Electron's ABI. */
  nativeBinding?: string;
  clock?: Clock;
  /** Overrides for the sync service (tests run it inline, with a fault-injecting fetch). */
  sync?: Partial<Pick<SyncServiceOptions, 'runInWorkerThread' | 'workerEntry' | 'fetch' | 'timerIntervalMs' | 'engine'>>;
  /** The content worker's bundled entry (electron-vite emits it beside core's bundle); sources find their own. */
  contentWorkerEntry?: string;
}

export interface Core {
  handlers: Handlers;
  onEvent(listener: CoreEventListener): () => void;
  /** The window gained focus: a sync trigger. */
  windowFocused(): void;
  close(): Promise<void>;
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export const DATABASE_FILE = 'study.sqlite';
export const defaultSamplePackPath = fileURLToPath(new URL('../../resources/sample-pack.json', import.meta.url));

/**
 * Core for a host. A database that cannot be used (damaged, read-only) starts core in recovery mode instead of
 * failing: see recovery-mode.ts.
 */
export function createCore(options: CoreOptions): Core {
  return createRecoverableCore({
    dbFile: join(options.dataDir, DATABASE_FILE),
    clock: options.clock ?? systemClock,
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    open: (replaced) => openStudyCore(options, replaced),
    appInfoWithoutDatabase: () => ({ version: options.appVersion, host: options.host, dataDir: options.dataDir, questionCount: 0 }),
  });
}

/** Core with its database open; throws a `database_error` naming the problem when the file cannot be used. */
function openStudyCore(options: CoreOptions, replaced: boolean): StudyCore {
  const clock = options.clock ?? systemClock;
  // Before the database exists: it, its WAL and SHM, and its backups are then created owner-only.
  protectDataDir(options.dataDir);
  const dbFile = join(options.dataDir, DATABASE_FILE);
  const { sqlite } = openDatabase(dbFile, {
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    nowMs: clock.now(),
    dailyBackup: true,
  });
  try {
    // An import cut short by a crash or kill left pending rows nobody sees: they go before anything reads content.
    removeAbandonedImports(sqlite);
    loadSamplePackIfEmpty(sqlite, options.samplePackPath ?? defaultSamplePackPath, clock);
    activateDefaultDrillPack(sqlite, clock.now());
  } catch (err) {
    sqlite.close();
    throw err;
  }

  // A file recovery put in place lacks what the learner synced since: the first run signed in pulls it back.
  if (replaced) requestLearnerPull(sqlite, clock.now());

  const listeners = new Set<CoreEventListener>();
  const emit: CoreEventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  // The learner's settings: the host's store, with the ones that follow the learner also in the synced user_settings row.
  const learnerSettings = createLearnerSettings(sqlite, options.settings, createOutboxWriter(sqlite), clock, () => sync.trigger('write'));
  const timeZone = (): string => {
    const zone = learnerSettings.get().timeZone;
    return isValidTimeZone(zone) ? zone : 'UTC';
  };
  // A learner write schedules a push (debounced, at most a second later when online).
  const practice = createPractice(sqlite, {
    clock,
    timeZone,
    studySettings: () => learnerSettings.get(),
    onLearnerWrite: () => sync.trigger('write'),
  });
  const library = createLibraryQueries(sqlite);

  // The learner's writes go before the bulk writers on other connections (the pull, the content import).
  const writePriority = createWritePriority();
  const sync = createSyncService({
    dbFile,
    sqlite,
    writePriority,
    settings: options.settings,
    secrets: options.secrets,
    clock,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...options.sync,
  });
  const unsubscribers = [
    sync.onStatus((status) => emit('sync:status', status)),
    sync.onContentUpdated((event) => emit('content:updated', event)),
  ];
  sync.trigger('start');
  // The instructor workspace's checks, diffs and imports: a worker thread on its own connection, started when first asked.
  const contentWorker = createContentWorker({
    dbFile,
    writePriority,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.contentWorkerEntry ? { workerEntry: options.contentWorkerEntry } : {}),
  });
  const learnerWrites = createLearnerWriteRunner(sqlite, writePriority);
  const tutor = createTutor({
    sqlite,
    clock,
    settings: options.settings,
    secrets: options.secrets,
    runWrite: learnerWrites,
    onLearnerWrite: () => sync.trigger('write'),
    // The edge-function provider calls the sync server as the signed-in learner (never with a service key).
    edgeAccess: edgeAccessVia(sync),
  });

  const drills = createDrills({
    sqlite,
    clock,
    runWrite: learnerWrites,
    studyDay: () => ({ timeZone: timeZone(), rolloverHour: learnerSettings.get().rolloverHour }),
    entitlement: () => entitlementLevel({ sqlite, clock, server: () => sync.learnerServer() }),
    aiEndpoint: () => tutor.providerEndpoint(),
    // PRO without a provider of their own: the server's evaluate function, as the signed-in learner.
    serverEvaluator: () => {
      const server = sync.learnerServer();
      return server ? serverEvaluatorEndpoint(server) : null;
    },
    onLearnerWrite: () => sync.trigger('write'),
  });
  // A drill the app stopped in the middle of evaluating is finished (or failed) now, never left PROCESSING.
  drills.recoverUnfinished();

  // One handler map per feature, each checked against its slice of the contract; this is only their union.
  const handlers: StudyHandlers = {
    ...createAppHandlers({ version: options.appVersion, host: options.host, dataDir: options.dataDir, questionCount: () => library.questionCount() }),
    ...createLibraryHandlers({ tree: () => library.tree(currentLearnerId(sqlite)) }),
    ...createPracticeHandlers(practice, learnerWrites),
    ...createProgressHandlers(practice),
    ...createTodayHandlers(practice),
    ...createSettingsHandlers(learnerSettings),
    ...createSyncHandlers(sync),
    ...createContentHandlers({
      sqlite,
      worker: contentWorker,
      clock,
      contentChanged: () => emit('content:updated', { questionCount: library.questionCount(), contentVersion: sync.status().contentVersion }),
      editorStatus: () => contentEditorStatus(sync.learnerServer()),
      learnerServer: () => sync.learnerServer(),
    }),
    ...createTutorHandlers(tutor),
    ...createDrillsHandlers(drills),
    ...createAudioHandlers({ dataDir: options.dataDir, providerEndpoint: () => tutor.providerEndpoint() }),
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    windowFocused() {
      sync.trigger('focus');
    },
    async close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      listeners.clear();
      await Promise.all([sync.close(), contentWorker.close()]);
      sqlite.close();
    },
  };
}

/** First start: an empty library gets the embedded pack so a new learner can study at once, offline. */
function loadSamplePackIfEmpty(sqlite: Sqlite, packPath: string, clock: Clock): void {
  const hasContent = sqlite.prepare('SELECT EXISTS (SELECT 1 FROM domains) OR EXISTS (SELECT 1 FROM content_packs)').pluck().get();
  if (hasContent) return;
  if (!existsSync(packPath)) {
    throw new AppFailure('internal', `The embedded content pack is missing (${packPath}).`);
  }
  importPack(sqlite, readFileSync(packPath), { mode: 'append', clock });
}
