/**
 * The core process as Electron runs it, under plain Node (`child_process.fork`, the same protocol):
 * requests, a stream with an upload and progress, cancel, a subscriber that goes away, settings written through.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudyApi } from '../../shared/ipc/api';
import { toBase64, uploadChunkBytes, type ServerFrame } from '../../shared/ipc/wire';
import { DATABASE_FILE } from '../../electron/core/app';
import { openDatabase } from '../../electron/core/db/open';
import type { CoreProcess } from '../../electron/core/process/host';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../../electron/core/process/fork';
import { buildPack, packText } from '../content/pack-builder';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const running: CoreProcess[] = [];
afterEach(async () => {
  for (const core of running.splice(0)) await core.close();
});

async function startCore(dataDir = tempDir()) {
  const stores = createMemoryHostStores();
  const core = await forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-fork' }, stores);
  running.push(core);
  return { core, stores, dataDir };
}

async function questionCount(api: StudyApi): Promise<number> {
  const info = await api.appInfo({});
  if (!info.ok) throw new Error(info.error.message);
  return info.value.questionCount;
}

/** About 1.6 MB: several upload frames. */
const bigPack = (questionsPerSkill = 100) =>
  new TextEncoder().encode(packText(buildPack({ prefix: 'up', domains: 2, skillsPerDomain: 5, questionsPerSkill, promptPadding: 1200 })));

describe('the forked core process', () => {
  it('answers practice start, next and answer, and records the attempt', async () => {
    const { core } = await startCore();
    const { api } = connectStudyApi(core);
    const tree = await api.libraryTree({});
    if (!tree.ok) throw new Error(tree.error.message);
    const skill = tree.value.domains[0]!.skills[0]!;
    const session = await api.practiceStart({ skillId: skill.id, mode: 'practice' });
    if (!session.ok) throw new Error(session.error.message);
    const next = await api.practiceNext({ sessionId: session.value.id });
    if (!next.ok || !next.value.question) throw new Error('no question');
    const question = next.value.question;
    const answer = question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder };
    const result = await api.practiceAnswer({ sessionId: session.value.id, questionId: question.id, answer });
    expect(result).toMatchObject({ ok: true, value: { session: { answeredCount: 1 } } });
    // The one guard still runs in core: bad input is a typed AppError naming the field.
    expect(await api.practiceStart({ skillId: 'nope', mode: 'practice' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('Skill'), details: { issues: [{ path: 'skillId' }] } } });
  });

  it('imports an uploaded pack as a stream: progress chunks, then the summary, then the new content is there', async () => {
    const { core } = await startCore();
    const { api } = connectStudyApi(core);
    const before = await questionCount(api);
    const chunks: unknown[] = [];
    const updates: unknown[] = [];
    api.on('content:updated', (payload) => updates.push(payload));
    // 4000 questions: more than one 20 ms chunk of the import on any machine, so its progress comes in several chunks.
    const upload = bigPack(400);
    const call = api.contentImport({ mode: 'append' }, { upload, onChunk: (chunk) => chunks.push(chunk) });
    const done = await call.done;
    expect(done).toMatchObject({ ok: true, value: { mode: 'append', pack: { byteLength: upload.byteLength }, counts: { questions: { inserted: 4000 } } } });
    expect(chunks.slice(0, 3)).toEqual([{ phase: 'received', bytes: upload.byteLength }, { phase: 'validated', warningCount: expect.any(Number), questionCount: 4000 }, { phase: 'importing' }]);
    // Then the chunked import's progress, ending with every row written.
    const written = chunks.slice(3) as Array<{ phase: string; written: number; total: number }>;
    expect(written.length).toBeGreaterThan(1);
    expect(written.every((chunk) => chunk.phase === 'importing' && chunk.written <= chunk.total)).toBe(true);
    expect(written.at(-1)!.written).toBe(written.at(-1)!.total);
    expect(await questionCount(api)).toBe(before + 4000);
    await expect.poll(() => updates).toEqual([{ questionCount: before + 4000, contentVersion: null }]);
  });

  it('refuses an invalid pack with the validator findings and an upload bigger than announced', async () => {
    const { core } = await startCore();
    const { api } = connectStudyApi(core);
    const bad = await api.contentImport({ mode: 'append' }, { upload: new TextEncoder().encode('{"pack": 1}') }).done;
    expect(bad).toMatchObject({ ok: false, error: { code: 'content_invalid', details: { errors: expect.any(Array) } } });
    const missing = await api.contentImport({ mode: 'append' }).done;
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('needs an upload') } });
  });

  it('cancels a stream whose upload is still arriving: the caller hears cancelled and nothing is imported', async () => {
    const { core } = await startCore();
    const { api } = connectStudyApi(core);
    const before = await questionCount(api);
    const frames: ServerFrame[] = [];
    const connection = core.connect((frame) => frames.push(frame));
    const body = bigPack();
    connection.receive({ kind: 'stream', id: 1, stream: 'content:import', input: { mode: 'append' }, uploadBytes: body.byteLength });
    connection.receive({ kind: 'upload', id: 1, seq: 0, data: toBase64(body.subarray(0, 1000)) });
    connection.receive({ kind: 'cancel', id: 1 });
    // A late upload frame of a cancelled stream is dropped, never imported.
    connection.receive({ kind: 'upload', id: 1, seq: 1, data: toBase64(body.subarray(1000, 2000)) });
    await expect.poll(() => frames).toEqual([{ kind: 'error', id: 1, error: { code: 'cancelled', message: 'Cancelled.' } }]);
    expect(await questionCount(api)).toBe(before);
    expect(frames).toHaveLength(1);
  });

  it('ends a stream with disconnected when its subscriber goes away, and core still stores the import', async () => {
    const { core } = await startCore();
    const window = connectStudyApi(core);
    const other = connectStudyApi(core);
    const before = await questionCount(other.api);
    const chunks: unknown[] = [];
    const call = window.api.contentImport({ mode: 'append' }, { upload: bigPack(), onChunk: (chunk) => chunks.push(chunk) });
    window.disconnect();
    expect(await call.done).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(chunks).toEqual([]);
    // Another window (the same core) sees the pack arrive: the work was finished and kept.
    await expect.poll(() => questionCount(other.api), { timeout: 20_000 }).toBe(before + 1000);
  });

  it('keeps chunks to the subscriber that asked', async () => {
    const { core } = await startCore();
    const asking = connectStudyApi(core);
    const frames: ServerFrame[] = [];
    core.connect((frame) => frames.push(frame));
    await asking.api.contentImport({ mode: 'append' }, { upload: bigPack() }).done;
    expect(frames).toEqual([]);
  });

  it('writes settings through to the host that owns them, and reads them back after a restart', async () => {
    const { core, stores, dataDir } = await startCore();
    const { api } = connectStudyApi(core);
    expect(await api.settingsSet({ theme: 'dark', timeZone: 'Europe/Paris' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    await expect.poll(() => stores.settings.get().theme).toBe('dark');
    await core.close();
    const again = await forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-fork' }, stores);
    running.push(again);
    expect(await connectStudyApi(again).api.settingsGet({})).toMatchObject({ ok: true, value: { theme: 'dark', timeZone: 'Europe/Paris' } });
  });
});

describe('a busy database', () => {
  it('answers busy (retryable), never internal, when another connection holds the write lock past the busy timeout', async () => {
    const { core, dataDir } = await startCore();
    const { api } = connectStudyApi(core);
    const tree = await api.libraryTree({});
    if (!tree.ok) throw new Error(tree.error.message);
    const session = await api.practiceStart({ skillId: tree.value.domains[0]!.skills[0]!.id, mode: 'practice' });
    if (!session.ok) throw new Error(session.error.message);
    const next = await api.practiceNext({ sessionId: session.value.id });
    if (!next.ok || !next.value.question) throw new Error('no question');
    const question = next.value.question;
    const answer = question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder };

    // Another writer on the same file (as the sync worker is) holds the lock for longer than core waits.
    const other = new Database(join(dataDir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      const refused = await api.practiceAnswer({ sessionId: session.value.id, questionId: question.id, answer });
      expect(refused).toMatchObject({ ok: false, error: { code: 'busy', details: { retryable: true } } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Nothing was half-saved, and the same call succeeds once the lock is gone.
    expect(await api.practiceAnswer({ sessionId: session.value.id, questionId: question.id, answer })).toMatchObject({ ok: true, value: { session: { answeredCount: 1 } } });
  }, 30_000);
});

describe('uploads at once', () => {
  it('refuses a second upload while one is arriving (busy, retryable), then takes it once the first is in', async () => {
    const { core } = await startCore();
    const frames: ServerFrame[] = [];
    const connection = core.connect((frame) => frames.push(frame));
    const body = bigPack();
    connection.receive({ kind: 'stream', id: 1, stream: 'content:import', input: { mode: 'append' }, uploadBytes: 63 * 1024 * 1024 });
    connection.receive({ kind: 'stream', id: 2, stream: 'content:import', input: { mode: 'append' }, uploadBytes: body.byteLength });
    await expect.poll(() => frames).toContainEqual({ kind: 'error', id: 2, error: expect.objectContaining({ code: 'busy', details: { retryable: true } }) });
    connection.receive({ kind: 'cancel', id: 1 });
    connection.receive({ kind: 'stream', id: 3, stream: 'content:import', input: { mode: 'append' }, uploadBytes: body.byteLength });
    for (let offset = 0, seq = 0; offset < body.byteLength; offset += uploadChunkBytes, seq++) {
      connection.receive({ kind: 'upload', id: 3, seq, data: toBase64(body.subarray(offset, offset + uploadChunkBytes)) });
    }
    await expect.poll(() => frames.find((frame) => 'kind' in frame && frame.kind === 'done'), { timeout: 20_000 }).toMatchObject({ id: 3 });
  });
});

describe('starting and stopping', () => {
  it('refuses to start on a database from a newer app, with the AppError the host shows', async () => {
    const dataDir = tempDir();
    const { sqlite } = openDatabase(join(dataDir, DATABASE_FILE));
    sqlite.pragma('user_version = 9999');
    sqlite.close();
    await expect(forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-fork' }, createMemoryHostStores())).rejects.toMatchObject({
      code: 'database_newer_than_app',
    });
  });

  it('tells the host when the core process dies unasked, and not when it was closed', async () => {
    const { core } = await startCore();
    const exits: Array<number | null> = [];
    core.onExit((code) => exits.push(code));
    const { api } = connectStudyApi(core);
    expect(await api.appInfo({})).toMatchObject({ ok: true });
    await core.close();
    expect(exits).toEqual([]);

    const { core: crashing } = await startCore();
    const crashes: Array<number | null> = [];
    crashing.onExit((code) => crashes.push(code));
    process.kill(crashing.pid, 'SIGKILL');
    await expect.poll(() => crashes).toEqual([null]);
  });
});
