/** createCore: opens the database, loads the embedded pack on first start, and wires features to the IPC handler table. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppFailure } from '../../shared/errors';
import type { EventName, EventPayload, SyncStatus } from '../../shared/ipc/contract';
import { importPack } from './content/import';
import { createLibraryQueries } from './content/tree';
import { openDatabase, type Sqlite } from './db/open';
import type { Handlers } from './ipc/handlers';
import { isValidTimeZone } from './practice/calendar';
import { learnerId } from './practice/learner';
import { createPractice } from './practice/practice';
import { systemClock, type Clock, type SecretStore, type SettingsStore } from './ports';

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

  const syncDisabled = (): SyncStatus => ({
    state: 'disabled',
    configured: false,
    signedInEmail: null,
    pendingCount: sqlite.prepare('SELECT COUNT(*) FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL').pluck().get() as number,
    deadCount: 0,
    lastSyncUtcMs: null,
    lastError: null,
    download: null,
    contentVersion: null,
    serverContentVersion: null,
    contentOutdated: false,
  });
  const notConfigured = (): never => {
    throw new AppFailure('not_configured', 'Sync is not available in this build yet.');
  };

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
    'sync:status': () => syncDisabled(),
    'sync:configure': notConfigured,
    'sync:now': () => syncDisabled(),
    'sync:signUp': notConfigured,
    'sync:signIn': notConfigured,
    'sync:signOut': notConfigured,
    'sync:deadLetters': () => [],
    'sync:retryDead': notConfigured,
    'sync:discardDead': notConfigured,
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    windowFocused() {
      emit('sync:status', syncDisabled());
    },
    async close() {
      listeners.clear();
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
