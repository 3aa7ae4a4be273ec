/**
 * The content worker does the instructor workspace's heavy work off core's thread: through the forked core process
 * (as Electron runs it), core answers while a large file is checked; the report arrives before the diff; a cancelled
 * import and a worker terminated mid-import leave no pending rows; marks a committed import left are cleared at the next
 * start; an import ends its chunk when a learner's write waits.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/core/app';
import { importValidatedPackChunked } from '../../electron/core/content/import';
import { validatePackText } from '../../electron/core/content/validate';
import { createContentWorker, type ContentWorker } from '../../electron/core/content/worker-host';
import { createWritePriority } from '../../electron/core/db/write-priority';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../../electron/core/process/fork';
import type { CoreProcess } from '../../electron/core/process/host';
import type { OpenProgress } from '../../shared/ipc/features/content';
import { useTempDirs } from '../helpers/temp';
import { buildPack, packText } from './pack-builder';
import { openTempDatabase, type TempDatabase } from './temp-database';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** 24,000 questions: checking it takes long enough to ask core something meanwhile. */
const largePack = (prefix: string) =>
  new TextEncoder().encode(packText(buildPack({ name: `${prefix}-pack`, prefix, domains: 4, skillsPerDomain: 20, questionsPerSkill: 300 })));

async function startCore() {
  const dataDir = tempDir();
  const core: CoreProcess = await forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-worker' }, createMemoryHostStores());
  cleanups.push(() => core.close());
  return { api: connectStudyApi(core).api, dbFile: join(dataDir, DATABASE_FILE) };
}

/** A read-only look at the database from outside core. */
function pendingRows(dbFile: string): { imports: number; rows: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = ['domains', 'skills', 'questions', 'content_packs']
      .map((table) => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE pending_import IS NOT NULL`).pluck().get() as number)
      .reduce((a, b) => a + b, 0);
    return { imports: db.prepare('SELECT COUNT(*) FROM pending_imports').pluck().get() as number, rows };
  } finally {
    db.close();
  }
}

describe('the content worker, through the forked core process', () => {
  it("keeps core's thread free: app:info answers while the file is being checked, before the open is done", async () => {
    const { api } = await startCore();
    const order: string[] = [];
    let answered: Promise<void> | null = null;
    const chunks: OpenProgress[] = [];
    const opened = api.contentOpen(
      { mode: 'append', fileName: 'large.json' },
      {
        upload: largePack('busy'),
        onChunk: (chunk) => {
          chunks.push(chunk);
          // The worker is about to check the file: ask core for something while it does.
          if (chunk.phase === 'validating') answered = api.appInfo({}).then((info) => void order.push(info.ok ? 'app:info' : 'app:info failed'));
        },
      },
    ).done;
    const result = await opened;
    order.push('open done');
    await answered;
    expect(result).toMatchObject({ ok: true, value: { report: { ok: true }, diff: { mode: 'append' } } });
    expect(order).toEqual(['app:info', 'open done']);
    // The report came as a chunk before the diff was computed, and it is the report the open returned.
    const phases = chunks.map((chunk) => chunk.phase);
    expect(phases.indexOf('report')).toBeLessThan(phases.indexOf('comparing'));
    const reportChunk = chunks.find((chunk) => chunk.phase === 'report');
    expect(result.ok && reportChunk).toMatchObject({ draftId: result.ok ? result.value.draftId : '', report: result.ok ? result.value.report : {} });
  }, 60_000);

  it('a cancelled import leaves no pending row and changes nothing learners see', async () => {
    const { api, dbFile } = await startCore();
    const before = await api.appInfo({});
    const opened = await api.contentOpen({ mode: 'append', fileName: 'large.json' }, { upload: largePack('cancel') }).done;
    if (!opened.ok) throw new Error(opened.error.message);
    let written = 0;
    const call = api.contentImportDraft(
      { draftId: opened.value.draftId, mode: 'append' },
      {
        onChunk: (chunk) => {
          if (chunk.phase !== 'importing' || chunk.written === undefined || written > 0) return;
          written = chunk.written;
          call.cancel();
        },
      },
    );
    expect(await call.done).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(written).toBeGreaterThan(0);
    await expect.poll(() => pendingRows(dbFile), { timeout: 20_000 }).toEqual({ imports: 0, rows: 0 });
    expect(await api.appInfo({})).toEqual(before);
  }, 60_000);
});

describe('the content worker host', () => {
  const freshDb = (): TempDatabase => {
    const db = openTempDatabase();
    cleanups.push(() => db.dispose());
    return db;
  };
  const startWorker = (db: TempDatabase, writePriority = createWritePriority()): ContentWorker => {
    const worker = createContentWorker({ dbFile: db.file, writePriority });
    cleanups.push(() => worker.close());
    return worker;
  };

  it('a worker terminated mid-import fails the import; the next worker removes its pending rows before its first job', async () => {
    const db = freshDb();
    const pendingQuestions = () => db.sqlite.prepare('SELECT COUNT(*) FROM questions WHERE pending_import IS NOT NULL').pluck().get() as number;
    const priority = createWritePriority();
    const worker = startWorker(db, priority);
    const pack = buildPack({ name: 'killed-pack', prefix: 'killed', skillsPerDomain: 1, questionsPerSkill: 3000 });
    const checked = await worker.run('open', { mode: 'append', fileName: 'killed.json' }, { upload: new TextEncoder().encode(packText(pack)) });
    // A learner write waits throughout, so the import commits one row at a time and steps aside up to 50 ms after each:
    // it is still running when the terminate lands, however late a loaded machine hands its chunks to this thread. (It
    // wrote 20 ms chunks, and could write every row and commit before the terminate, which then found nothing to cut.)
    const learnerWriteDone = priority.markWaiting();
    let terminated: Promise<void> | null = null;
    const failure = await worker
      .run('importDraft', { draftId: checked.draftId, mode: 'append', nowMs: Date.now() }, {
        emit: (chunk) => {
          // Terminated at once (no time to cancel cleanly), as a crash would end it, once a question is written: the
          // pack's domain and skill come first.
          if (chunk.phase === 'importing' && pendingQuestions() > 0) terminated ??= worker.close(0);
        },
      })
      .catch((err: unknown) => err);
    await terminated;
    learnerWriteDone();
    expect(failure).toMatchObject({ code: 'internal', message: expect.stringContaining('content worker stopped') });
    expect(pendingRows(db.file).imports).toBe(1);
    expect(pendingQuestions()).toBeGreaterThan(0);

    const next = startWorker(db);
    expect(await next.run('packs', undefined)).toEqual([]);
    expect(pendingRows(db.file)).toEqual({ imports: 0, rows: 0 });
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(0);
  }, 60_000);

  it('clears at its start the marks a committed import could not clear, and the pack stays', async () => {
    const db = freshDb();
    const marked = () => db.sqlite.prepare('SELECT COUNT(*) FROM questions WHERE pending_import IS NOT NULL').pluck().get();
    // Clearing the marks after the commit fails on this connection (as on a full disk): the import is committed anyway.
    db.sqlite.exec(`CREATE TEMP TRIGGER refuse_clearing BEFORE UPDATE OF pending_import ON questions
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    const pack = buildPack({ name: 'left-marks', prefix: 'left', questionsPerSkill: 300 });
    await importValidatedPackChunked(db.sqlite, validatePackText(packText(pack)), { mode: 'append' });
    db.sqlite.exec('DROP TRIGGER refuse_clearing');
    expect(marked()).toBe(600);

    const worker = startWorker(db);
    expect(await worker.run('packs', undefined)).toMatchObject([{ name: 'left-marks' }]);
    expect(marked()).toBe(0);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(600);
  }, 60_000);
});

describe('the content worker host, cancelled', () => {
  it('a cancel while the file is checked lets its draft go', async () => {
    const db = openTempDatabase();
    cleanups.push(() => db.dispose());
    const worker = createContentWorker({ dbFile: db.file, writePriority: createWritePriority() });
    cleanups.push(() => worker.close());
    const controller = new AbortController();
    let draftId = '';
    const failure = await worker
      .run('open', { mode: 'append', fileName: 'large.json' }, {
        upload: largePack('cancel-open'),
        signal: controller.signal,
        emit: (chunk) => {
          if (chunk.phase === 'validating') controller.abort();
          if (chunk.phase === 'report') draftId = chunk.draftId;
        },
      })
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'cancelled' });
    expect(draftId).not.toBe('');
    await expect(worker.run('previewTree', { source: { kind: 'draft', draftId } })).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);
});

describe('the write priority in a chunked import', () => {
  it('ends each chunk as soon as a learner write waits, and steps aside between chunks, holding the bulk claim', async () => {
    const db = openTempDatabase();
    cleanups.push(() => db.dispose());
    const progress: number[] = [];
    let stepsAside = 0;
    const worker = createWritePriority();
    // Core's view of the same buffer: it leaves checkpoints to the import while the claim holds.
    const core = createWritePriority(worker.buffer);
    const claimedAtEachStep: boolean[] = [];
    // The connection's synchronous level inside each chunk: pending rows commit without an fsync.
    const syncInChunks = new Set<unknown>();
    const result = await importValidatedPackChunked(db.sqlite, validatePackText(packText(buildPack({ questionsPerSkill: 3 }))), {
      mode: 'append',
      priority: {
        ...worker,
        learnerWaiting: () => {
          syncInChunks.add(db.sqlite.pragma('synchronous', { simple: true }));
          return true;
        },
        stepAside: async () => {
          stepsAside += 1;
          claimedAtEachStep.push(core.bulkWriting());
        },
      },
      onProgress: ({ written }) => progress.push(written),
    });
    expect(claimedAtEachStep.length).toBeGreaterThan(0);
    expect(claimedAtEachStep.every(Boolean)).toBe(true);
    expect(core.bulkWriting()).toBe(false);
    // NORMAL (1) for the pending chunks; the connection is back at FULL (2) for the final commit and after.
    expect([...syncInChunks]).toEqual([1]);
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(result.counts.questions.inserted).toBe(6);
    // One domain, two skills and six questions, the records its diff shows: one per transaction (the pack's own record
    // goes first, apart, and is not counted).
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stepsAside).toBeGreaterThanOrEqual(progress.length);
  });
});
