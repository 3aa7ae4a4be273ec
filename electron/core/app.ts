/** createCore: opens the database, loads the embedded pack on first start, and wires features to the IPC handler table. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppFailure } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { importPack } from './content/import';
import { createLibraryQueries } from './content/tree';
import { openDatabase, type Sqlite } from './db/open';
import type { Handlers } from './ipc/handlers';
import { isValidTimeZone } from './practice/calendar';
import { learnerId } from './practice/learner';
import { createPractice } from './practice/practice';
import { systemClock, type Clock, type SecretStore, type SettingsStore } from './ports';
import { createSyncService, type SyncServiceOptions } from './sync/service';

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

export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const dbFile = join(options.dataDir, DATABASE_FILE);
  const { sqlite } = openDatabase(dbFile, {
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    nowMs: clock.now(),
  });
  try {
    loadSamplePackIfEmpty(sqlite, options.samplePackPath ?? defaultSamplePackPath, clock);
  } catch (err) {
    sqlite.close();
    throw err;
  }

  const listeners = new Set<CoreEventListener>();
  const emit: CoreEventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const timeZone = (): string => {
    const zone = options.settings.get().timeZone;
    return isValidTimeZone(zone) ? zone : 'UTC';
  };
  const practice = createPractice(sqlite, { clock, timeZone });
  const library = createLibraryQueries(sqlite);

  const sync = createSyncService({
    dbFile,
    sqlite,
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

  const handlers: Handlers = {
    'app:info': () => ({
      version: options.appVersion,
      host: options.host,
      dataDir: options.dataDir,
      questionCount: library.questionCount(),
    }),
    'library:tree': () => library.tree(learnerId(sqlite, clock.now())),
    'practice:start': ({ skillId, mode }) => practice.startSession(skillId, mode),
    'practice:next': ({ sessionId }) => practice.nextQuestion(sessionId),
    'practice:answer': ({ sessionId, questionId, answer }) => practice.recordAttempt(sessionId, questionId, answer),
    'practice:end': ({ sessionId }) => practice.endSession(sessionId),
    'progress:overview': () => practice.overview(),
    'settings:get': () => options.settings.get(),
    'settings:set': (patch) => {
      if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
        throw new AppFailure('invalid_input', `timeZone: "${patch.timeZone}" is not a known time zone.`, { path: 'timeZone' });
      }
      return options.settings.set(patch);
    },
    'sync:status': () => sync.status(),
    'sync:configure': (config) => sync.configure(config),
    'sync:now': () => sync.syncNow(),
    'sync:signUp': (credentials) => sync.signUp(credentials),
    'sync:signIn': (credentials) => sync.signIn(credentials),
    'sync:signOut': () => sync.signOut(),
    'sync:deadLetters': () => sync.deadLetters(),
    'sync:retryDead': ({ ids }) => {
      sync.retryDead(ids);
      return { ok: true as const };
    },
    'sync:discardDead': ({ ids }) => {
      sync.discardDead(ids);
      return { ok: true as const };
    },
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
      await sync.close();
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
