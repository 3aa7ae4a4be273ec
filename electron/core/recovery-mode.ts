/**
 * Core's recovery mode. When the database cannot be used at start (damaged, read-only, unopenable), core does not
 * crash: it starts with only the recovery channels working, every other channel answering the same clear
 * `database_error`, and the renderer shows the recovery screen. Restoring a backup or starting fresh keeps a copy of
 * the damaged file, then opens the study core for real; its events then flow as usual.
 */
import { AppFailure } from '../../shared/errors';
import type { RecoveryOutcome, RecoveryStatus } from '../../shared/ipc/contract';
import { channels, streams } from '../../shared/ipc/contract';
import type { DatabaseProblem } from '../../shared/ipc/features/recovery';
import { isUsableBackup, listBackups } from './db/backups';
import { fileSystemProblem, problemOf, sqliteProblem } from './db/checks';
import { loadMigrations, type Migration } from './db/migrate';
import { defaultMigrationsDir } from './db/open';
import { findBackup, keepDamagedCopy, lostEvents, newestUsableBackup, restoreBackup } from './db/recovery';
import { createRecoveryHandlers, type RecoveryHandlers } from './ipc/features/recovery';
import type { Handlers } from './ipc/handlers';
import type { Clock } from './ports';
import type { Core, CoreEventListener } from './app';

/** The handlers of the study itself: every channel but the recovery ones, which this module answers. */
export type StudyHandlers = Omit<Handlers, keyof RecoveryHandlers>;

/** Core with the database open: everything but recovery. */
export type StudyCore = Omit<Core, 'handlers'> & { handlers: StudyHandlers };

export interface RecoverableCoreOptions {
  dbFile: string;
  clock: Clock;
  migrationsDir?: string;
  nativeBinding?: string;
  /**
   * Opens the database and builds the study core; throws a `database_error` with a problem when it cannot. `replaced`:
   * recovery has just put another file in place (a backup, or a fresh one), so the learner's rows are pulled again.
   */
  open(replaced: boolean): StudyCore;
  /** `app:info` in recovery mode (no database: no questions). */
  appInfoWithoutDatabase(): ReturnType<Handlers['app:info']>;
}

export function createRecoverableCore(options: RecoverableCoreOptions): Core {
  const { dbFile, clock, nativeBinding } = options;
  let migrations: Migration[] | null = null;
  const knownMigrations = () => (migrations ??= loadMigrations(options.migrationsDir ?? defaultMigrationsDir));
  let active: StudyCore | null = null;
  let problem: DatabaseProblem | null = null;
  let lastRecovery: RecoveryOutcome | null = null;
  const listeners = new Set<CoreEventListener>();

  /** Opens the study core; a database problem puts core in recovery mode, anything else is thrown as before. */
  const open = (replaced = false): boolean => {
    try {
      active = options.open(replaced);
    } catch (err) {
      const found = problemOf(err) ?? problemOf(fileSystemProblem(err, dbFile));
      if (!found) throw err;
      problem = found;
      return false;
    }
    problem = null;
    active.onEvent((event, payload) => {
      for (const listener of listeners) listener(event, payload);
    });
    return true;
  };

  const unavailable = (): AppFailure => {
    const p = problem!;
    return new AppFailure('database_error', `The database at ${p.file} is not open: ${p.detail}. ${p.nextStep}`, p);
  };

  // Damage found while running (a page that went bad since the start's check) is named like damage at start, with the
  // file and the next step (restarting runs the check and offers recovery), never as bare SQLite text.
  const asDatabaseProblem = (err: unknown): unknown => sqliteProblem(err, dbFile) ?? err;

  const status = (): RecoveryStatus => ({
    mode: active ? 'ok' : 'recovery',
    problem,
    backups: active
      ? []
      : listBackups(dbFile).map((b) => ({ ...b, usable: isUsableBackup(b.path, knownMigrations(), nativeBinding) })),
    lastRecovery,
  });

  const requireDamaged = (): DatabaseProblem => {
    if (!problem || active) throw new AppFailure('conflict', 'The database is open and fine: there is nothing to recover.');
    if (problem.cause === 'read_only') {
      throw new AppFailure('conflict', `The database at ${problem.file} is read-only: nothing can be restored there. ${problem.nextStep}`, problem);
    }
    return problem;
  };

  /** After the file was replaced: open it, tell what was lost, and whether the server is being asked again. */
  const reopen = async (action: RecoveryOutcome['action'], damagedCopyPath: string, restoredFrom: string | null): Promise<RecoveryOutcome> => {
    const lost = lostEvents(damagedCopyPath, dbFile, nativeBinding);
    if (!open(true)) throw unavailable();
    // Opening triggers a sync run: signed in, it pulls the content and the learner's synced progress again.
    const sync = await active!.handlers['sync:status']({});
    lastRecovery = {
      action,
      damagedCopyPath,
      restoredFrom,
      lostEvents: { readable: lost.readable, events: lost.events.map(({ table, rowId, tsUtcMs }) => ({ table, rowId, tsUtcMs })) },
      resyncStarted: sync.signedInEmail !== null,
    };
    return lastRecovery;
  };

  const recovery = createRecoveryHandlers({
    status,
    async restoreBackup(backupPath) {
      requireDamaged();
      const backup = backupPath === undefined ? newestUsableBackup(dbFile, knownMigrations(), nativeBinding) : findBackup(dbFile, backupPath);
      if (!backup) throw new AppFailure('not_found', 'There is no usable backup of the database. Start fresh instead.');
      if (backupPath !== undefined && !isUsableBackup(backup.path, knownMigrations(), nativeBinding)) {
        throw new AppFailure('conflict', `The backup ${backup.path} is damaged or from a newer app; choose another one.`, { path: 'backupPath' });
      }
      const copy = keepDamagedCopy(dbFile, clock.now());
      restoreBackup(backup, dbFile);
      return reopen('restore', copy, backup.path);
    },
    async startFresh() {
      requireDamaged();
      return reopen('fresh', keepDamagedCopy(dbFile, clock.now()), null);
    },
    retry() {
      if (!active) open();
      return status();
    },
  });

  // Every study channel and stream goes to the open study core, or answers the database problem.
  const delegated: Record<string, (...args: never[]) => unknown> = {};
  for (const name of [...Object.keys(channels), ...Object.keys(streams)]) {
    if (name in recovery) continue;
    delegated[name] = (...args: never[]) => {
      if (!active) {
        if (name === 'app:info') return options.appInfoWithoutDatabase();
        throw unavailable();
      }
      const handler = active.handlers[name as keyof StudyHandlers] as (...a: never[]) => unknown;
      try {
        const result = handler(...args);
        return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(asDatabaseProblem(err))) : result;
      } catch (err) {
        throw asDatabaseProblem(err);
      }
    };
  }

  open();
  return {
    // Why the cast: `delegated` holds exactly the contract's study names (built from it above), each forwarding its
    // arguments unchanged to the study core's handler of the same name.
    handlers: { ...(delegated as unknown as StudyHandlers), ...recovery },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    windowFocused: () => active?.windowFocused(),
    async close() {
      listeners.clear();
      await active?.close();
    },
  };
}
