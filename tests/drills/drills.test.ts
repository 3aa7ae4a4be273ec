/**
 * Drills in core with the real SQLite and the embedded sample pack: the catalogue with last scores, starting
 * (LOCKED refused), submitting (validation, written vs spoken duration), the evaluation through PROCESSING with its
 * outbox rows, XP and streak, the change since the previous attempt, "Try again" after a FAILED session, and the answer
 * being written (its draft, and a session started before drafts were kept).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillsContract, type DrillAccess, type DrillSubmitChunk, type DrillSubmitInput } from '../../shared/ipc/features/drills';
import { createDrills, LOCKED_MESSAGE, type DrillsDeps } from '../../electron/core/drills/drills';
import type { Entitlement } from '../../electron/core/drills/entitlement';
import { countWords, estimateSpokenDurationS, LOCAL_MODEL_USED } from '../../electron/core/drills/evaluate-local';
import { activateDefaultDrillPack, activeDrillPack } from '../../electron/core/drills/packs';
import { createDrillSessionWriter } from '../../electron/core/drills/state';
import { openDatabase, type OpenedDatabase } from '../../electron/core/db/open';
import { uuidv7 } from '../../electron/core/ids';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import { ensureLearnerId } from '../../electron/core/learner/identity';
import { xpForDrill } from '../../electron/core/learner/xp';
import { createOutboxWriter } from '../../electron/core/sync/outbox-writer';
import type { ProviderEndpoint } from '../../electron/core/tutor/provider-client';
import { ManualClock } from '../helpers/clock';
import { rejectionOf } from '../helpers/failures';
import { migrationsUpTo } from '../helpers/migrations';
import { openSampleDatabase } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';
import { startFakeOpenAi } from '../tutor/fake-openai';

const tempDir = useTempDirs();
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);

const STAR_ANSWER =
  'In my last role our support queue had grown to 300 open tickets and customers waited five days for a reply. ' +
  'My task was to bring the wait under two days within a month. First I sorted the tickets by type and found that 40 percent ' +
  'were password resets, so I wrote a self-service guide and set up an automatic reply that linked to it. Then I paired each new ' +
  'colleague with an experienced one for the harder tickets. As a result the queue fell to 80 tickets and the average wait dropped ' +
  'to one day, and the team kept that level for the rest of the year.';
const WEAK_ANSWER = 'Um, I guess I solved it, like, somehow. Maybe it was fine, you know.';

function setup(
  level: DrillAccess['level'] = 'BASIC',
  aiEndpoint: () => ProviderEndpoint | null = () => null,
  serverEvaluator: () => ProviderEndpoint | null = () => null,
  open: (clock: ManualClock) => OpenedDatabase = (clock) => openSampleDatabase(tempDir(), clock),
) {
  const clock = new ManualClock(T0);
  const opened = open(clock);
  activateDefaultDrillPack(opened.sqlite, clock.now());
  // What the entitlement answers: read from the server just now (no account: BASIC); tests change it as they go.
  const access: Entitlement = level === 'BASIC' ? { level, source: 'no-account', checkedUtcMs: null } : { level, source: 'server', checkedUtcMs: T0 };
  const deps: DrillsDeps = {
    sqlite: opened.sqlite,
    clock,
    runWrite: createLearnerWriteRunner(opened.sqlite),
    studyDay: () => ({ timeZone: 'UTC', rolloverHour: 4 }),
    entitlement: async () => ({ ...access }),
    aiEndpoint,
    serverEvaluator,
  };
  const drills = createDrills(deps);
  const pack = activeDrillPack(opened.sqlite)!;
  const questions = opened.sqlite.prepare('SELECT id, category FROM drill_questions WHERE pack_id = ? ORDER BY rowid').all(pack.id) as Array<{ id: string; category: string }>;
  const count = (sql: string, ...args: unknown[]) => opened.sqlite.prepare(sql).pluck().get(...args) as number;
  return { clock, sqlite: opened.sqlite, drills, pack, questions, access, count };
}

async function submit(drills: ReturnType<typeof createDrills>, input: DrillSubmitInput, signal = new AbortController().signal) {
  const chunks: DrillSubmitChunk[] = [];
  const result = await drills.submit(input, (chunk) => chunks.push(chunk), signal);
  return { result, chunks };
}

describe('the catalogue', () => {
  it("lists the active pack's categories in its order with every question, no score before the first drill", async () => {
    const { drills, pack, questions } = setup();
    const catalog = await drills.list();
    expect(catalog.access).toMatchObject({ level: 'BASIC', lockedMessage: null, evaluator: { kind: 'local' } });
    expect(catalog.pack?.categories.map((c) => c.name)).toEqual(pack.categories);
    expect(catalog.pack?.categories.flatMap((c) => c.questions.map((q) => q.id)).sort()).toEqual(questions.map((q) => q.id).sort());
    for (const category of catalog.pack!.categories) for (const q of category.questions) expect(q.lastScore).toBeNull();
  });

  it('says why drills are LOCKED and what unlocks them, and refuses to start one', async () => {
    const { drills, questions, count } = setup('LOCKED');
    const catalog = await drills.list();
    expect(catalog.access.lockedMessage).toBe(LOCKED_MESSAGE);
    expect(LOCKED_MESSAGE).toMatch(/locked/i);
    expect(LOCKED_MESSAGE).toMatch(/BASIC or PRO/);
    const refused = await rejectionOf(drills.start(questions[0]!.id));
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toBe(LOCKED_MESSAGE);
    expect(count('SELECT count(*) FROM drill_sessions')).toBe(0);
  });

  it("names the evaluator each level gets: the learner's own provider first, the server's for PRO only, else the local rules", async () => {
    const own: ProviderEndpoint = { baseUrl: 'http://127.0.0.1:9/v1', model: 'my-model', apiKey: null };
    const server: ProviderEndpoint = { baseUrl: 'http://127.0.0.1:9/functions/v1/evaluate', model: '', apiKey: null, service: 'edge-function', functionName: 'evaluate' };
    const label = async (level: DrillAccess['level'], ownProvider: ProviderEndpoint | null) =>
      (await setup(level, () => ownProvider, () => server).drills.list()).access.evaluator;
    expect(await label('PRO', null)).toEqual({
      kind: 'ai',
      label: "The server's AI evaluator (PRO), with the local rules if it fails",
      // Only the server's evaluator needs the connection: offline, its drills are scored by the local rules.
      offlineLabel: "The server's AI evaluator (PRO) will be used when you are online; offline, drills are scored with the local rules on this device",
    });
    expect(await label('PRO', own)).toEqual({ kind: 'ai', label: 'AI evaluator (my-model), with the local rules if it fails', offlineLabel: null });
    expect(await label('BASIC', null)).toMatchObject({ kind: 'local', offlineLabel: null });
    expect(await label('BASIC', own)).toMatchObject({ kind: 'ai', label: expect.stringContaining('my-model') });
    expect(await label('LOCKED', own)).toMatchObject({ kind: 'local' });
  });

  it('refuses a question that is not in the active pack', async () => {
    const { drills } = setup();
    const refused = await rejectionOf(drills.start('no-such-question'));
    expect(refused.code).toBe('not_found');
    expect(refused.message).toContain('no-such-question');
  });
});

describe('submitting', () => {
  it("records the pack's version at start, then passes SUBMITTED and PROCESSING to COMPLETED with every row queued", async () => {
    const { drills, questions, pack, sqlite, clock } = setup();
    const session = await drills.start(questions[2]!.id);
    expect(session).toMatchObject({ status: 'STARTED', contentPackVersion: pack.version, questionId: questions[2]!.id });
    clock.advance(90_000);
    const { result, chunks } = await submit(drills, { sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 240_000 });
    expect(chunks.map((c) => c.status)).toEqual(['SUBMITTED', 'PROCESSING']);
    expect(result.session.status).toBe('COMPLETED');
    expect(result.session.processingTimeMs).toBeGreaterThan(0);
    expect(result.evaluation?.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(result.evaluation?.categories).toHaveLength(7);
    const stored = sqlite.prepare('SELECT processing_time_ms FROM evaluation_results WHERE session_id = ?').pluck().get(session.id);
    expect(stored).toBe(result.session.processingTimeMs);
    const queued = sqlite.prepare('SELECT table_name, payload FROM outbox ORDER BY ts_utc_ms, id').all() as Array<{ table_name: string; payload: string }>;
    const statuses = queued.filter((r) => r.table_name === 'drill_sessions').map((r) => (JSON.parse(r.payload) as { status: string }).status);
    expect(statuses).toEqual(['STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED']);
    expect(queued.filter((r) => r.table_name === 'drill_responses')).toHaveLength(1);
    expect(queued.filter((r) => r.table_name === 'evaluation_results')).toHaveLength(1);
  });

  it('estimates a written answer from its words at 145 WPM, labels it estimated and keeps the typing time in metadata', async () => {
    const { drills, questions, sqlite } = setup();
    const session = await drills.start(questions[0]!.id);
    const { result } = await submit(drills, { sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 300_000 });
    const expected = estimateSpokenDurationS(countWords(STAR_ANSWER));
    expect(result.response).toMatchObject({ mode: 'written', durationS: expected, durationEstimated: true, typingTimeMs: 300_000, audioPath: null });
    expect(result.evaluation).toMatchObject({ durationS: expected, durationEstimated: true, words: countWords(STAR_ANSWER) });
    // Typing time is not speaking time: 5 minutes of typing never becomes the duration.
    expect(result.response.durationS).toBeLessThan(300);
    const metadata = JSON.parse(sqlite.prepare('SELECT metadata FROM drill_sessions WHERE id = ?').pluck().get(session.id) as string) as Record<string, unknown>;
    expect(metadata).toMatchObject({ mode: 'written', typingTimeMs: 300_000, durationEstimated: true });
    expect(sqlite.prepare('SELECT audio_duration_s FROM drill_responses WHERE session_id = ?').pluck().get(session.id)).toBeNull();
  });

  it('keeps a spoken answer’s measured duration and its recording path', async () => {
    const { drills, questions, sqlite } = setup();
    const session = await drills.start(questions[0]!.id);
    const { result } = await submit(drills, { sessionId: session.id, mode: 'spoken', transcript: STAR_ANSWER, durationS: 42.5, audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000a.webm' });
    expect(result.response).toMatchObject({ mode: 'spoken', durationS: 42.5, durationEstimated: false, audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000a.webm', typingTimeMs: null });
    expect(result.evaluation).toMatchObject({ durationS: 42.5, durationEstimated: false });
    expect(sqlite.prepare('SELECT audio_duration_s, audio_url FROM drill_responses WHERE session_id = ?').get(session.id)).toEqual({
      audio_duration_s: 42.5,
      audio_url: 'recordings/0190a0b0-0000-7000-8000-00000000000a.webm',
    });
  });

  it.each([
    [{ mode: 'written', transcript: '   ', typingTimeMs: 1000 }, 'transcript', /transcript is required/],
    [{ mode: 'spoken', transcript: '', durationS: 30, audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000c.webm' }, 'transcript', /recording alone cannot be evaluated/],
    [{ mode: 'written', transcript: '… !!', typingTimeMs: 1000 }, 'transcript', /no words/],
    [{ mode: 'spoken', transcript: STAR_ANSWER, durationS: 0, audioPath: null }, 'durationS', /greater than 0/],
    [{ mode: 'spoken', transcript: STAR_ANSWER, durationS: -3, audioPath: null }, 'durationS', /greater than 0/],
  ] as const)('refuses %j naming %s, and writes nothing', async (input, path, message) => {
    const { drills, questions, count } = setup();
    const session = await drills.start(questions[0]!.id);
    const outboxBefore = count('SELECT count(*) FROM outbox');
    const refused = await rejectionOf(submit(drills, { sessionId: session.id, ...input } as DrillSubmitInput));
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(message);
    expect(refused.details).toEqual({ path });
    expect(count('SELECT count(*) FROM drill_responses')).toBe(0);
    expect(count('SELECT count(*) FROM outbox')).toBe(outboxBefore);
    expect(drills.result(session.id).session.status).toBe('STARTED');
    // The session is still open: the corrected answer goes through.
    const { result } = await submit(drills, { sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 1000 });
    expect(result.session.status).toBe('COMPLETED');
  });

  it('refuses a second submission of the same session', async () => {
    const { drills, questions, count } = setup();
    const session = await drills.start(questions[0]!.id);
    await submit(drills, { sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 1000 });
    const refused = await rejectionOf(submit(drills, { sessionId: session.id, mode: 'written', transcript: WEAK_ANSWER, typingTimeMs: 1000 }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/already COMPLETED/);
    expect(count('SELECT count(*) FROM drill_responses')).toBe(1);
  });
});

describe('after a drill', () => {
  it('awards XP and extends the streak through the learner module', async () => {
    const { drills, questions, sqlite, clock } = setup();
    const first = await drills.start(questions[0]!.id);
    await submit(drills, { sessionId: first.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 1000 });
    const profile = () => sqlite.prepare('SELECT xp, streak_count FROM profile').get() as { xp: number; streak_count: number };
    expect(profile()).toEqual({ xp: xpForDrill(), streak_count: 1 });
    clock.advance(DAY_MS);
    const second = await drills.start(questions[1]!.id);
    const { result } = await submit(drills, { sessionId: second.id, mode: 'written', transcript: WEAK_ANSWER, typingTimeMs: 1000 });
    expect(result.xpGained).toBe(xpForDrill());
    expect(profile()).toEqual({ xp: 2 * xpForDrill(), streak_count: 2 });
  });

  it("shows each question's last score and the change since the previous attempt at the same question", async () => {
    const { drills, questions, clock } = setup();
    const question = questions[2]!;
    const weak = await drills.start(question.id);
    const { result: first } = await submit(drills, { sessionId: weak.id, mode: 'written', transcript: WEAK_ANSWER, typingTimeMs: 1000 });
    expect(first.previous).toBeNull();
    clock.advance(60_000);
    const strong = await drills.start(question.id);
    const { result: second } = await submit(drills, { sessionId: strong.id, mode: 'spoken', transcript: STAR_ANSWER, durationS: 50, audioPath: null });
    const before = new Map(first.evaluation!.categories.map((c) => [c.name, c.verdict]));
    expect(second.previous).toMatchObject({
      sessionId: weak.id,
      overallScore: first.evaluation!.overallScore,
      scoreChange: second.evaluation!.overallScore - first.evaluation!.overallScore,
    });
    expect(second.previous!.scoreChange).toBeGreaterThan(0);
    expect(second.previous!.changedVerdicts).toEqual(
      second.evaluation!.categories.filter((c) => before.get(c.name) !== c.verdict).map((c) => ({ name: c.name, from: before.get(c.name), to: c.verdict })),
    );
    expect(second.previous!.changedVerdicts.length).toBeGreaterThan(0);
    const listed = (await drills.list()).pack!.categories.flatMap((c) => c.questions).find((q) => q.id === question.id);
    expect(listed).toMatchObject({ lastScore: second.evaluation!.overallScore, lastCompletedUtcMs: second.session.completedUtcMs });
    // Reading the first result again still compares it with nothing earlier.
    expect(drills.result(weak.id).previous).toBeNull();
  });

  it('counts drill sessions this week and gives a score trend per category and the history', async () => {
    const { drills, questions, clock } = setup();
    const a = await drills.start(questions[0]!.id);
    await submit(drills, { sessionId: a.id, mode: 'written', transcript: WEAK_ANSWER, typingTimeMs: 1000 });
    clock.advance(8 * DAY_MS);
    const b = await drills.start(questions[0]!.id);
    await submit(drills, { sessionId: b.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 1000 });
    await drills.start(questions[1]!.id);
    const progress = drills.progress();
    expect(progress.sessionsThisWeek).toBe(1);
    const trend = progress.trend.find((t) => t.category === questions[0]!.category);
    expect(trend?.points.map((p) => p.sessionId)).toEqual([a.id, b.id]);
    expect(progress.history.map((h) => h.status)).toEqual(['STARTED', 'COMPLETED', 'COMPLETED']);
  });
});

describe('the answer being written (a device-only draft)', () => {
  it('is kept with its STARTED session, never queued for the server, and goes when the answer is submitted', async () => {
    const { drills, questions, count } = setup();
    const question = questions[1]!.id;
    expect(drills.unfinished(question)).toBeNull();
    const session = await drills.start(question);
    expect(drills.unfinished(question)).toEqual({ session, draft: { mode: 'written', transcript: '', recording: null, elapsedMs: 0, typingMs: null } });

    const outboxBefore = count('SELECT count(*) FROM outbox');
    const draft = { mode: 'spoken', transcript: 'First I sorted', recording: { audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000c.webm', durationS: 12.5 }, elapsedMs: 95_000, typingMs: 40_000 } as const;
    expect(await drills.saveDraft(session.id, draft)).toEqual({ saved: true });
    expect(drills.unfinished(question)).toEqual({ session, draft });
    expect(count('SELECT count(*) FROM outbox')).toBe(outboxBefore);
    expect(count("SELECT count(*) FROM outbox WHERE table_name = 'drill_drafts'")).toBe(0);

    await submit(drills, { sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 60_000 });
    expect(count('SELECT count(*) FROM drill_drafts')).toBe(0);
    expect(drills.unfinished(question)).toBeNull();
    // A save still on its way when the answer was submitted changes nothing.
    expect(await drills.saveDraft(session.id, draft)).toEqual({ saved: false });
    expect(count('SELECT count(*) FROM drill_drafts')).toBe(0);
  });

  it('is offered until the learner discards it; a later Start is the attempt offered next', async () => {
    const { drills, questions } = setup();
    const question = questions[1]!.id;
    const first = await drills.start(question);
    await drills.saveDraft(first.id, { mode: 'written', transcript: 'A first try', recording: null, elapsedMs: 5_000, typingMs: 2_000 });
    expect(await drills.discardDraft(first.id)).toEqual({ sessionId: first.id });
    expect(drills.unfinished(question)).toBeNull();
    expect(drills.result(first.id).session.status).toBe('STARTED');
    const second = await drills.start(question);
    expect(drills.unfinished(question)?.session.id).toBe(second.id);
  });

  it('marks its question on the list until it is submitted or discarded', async () => {
    const { drills, questions } = setup();
    const [kept, submitted, discarded] = [questions[0]!.id, questions[1]!.id, questions[2]!.id];
    const marked = async () =>
      drillsContract.channels['drills:list'].output
        .parse(await drills.list())
        .pack!.categories.flatMap((c) => c.questions)
        .filter((q) => q.unfinishedAnswer)
        .map((q) => q.id);
    expect(await marked()).toEqual([]);

    const keptSession = await drills.start(kept);
    await drills.saveDraft(keptSession.id, { mode: 'written', transcript: 'First I sorted', recording: null, elapsedMs: 5_000, typingMs: 2_000 });
    const submittedSession = await drills.start(submitted);
    const discardedSession = await drills.start(discarded);
    expect((await marked()).sort()).toEqual([kept, submitted, discarded].sort());

    await submit(drills, { sessionId: submittedSession.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 60_000 });
    await drills.discardDraft(discardedSession.id);
    expect(await marked()).toEqual([kept]);
    // The mark is what opening the question offers to continue.
    expect(drills.unfinished(kept)?.draft?.transcript).toBe('First I sorted');
    expect(drills.unfinished(submitted)).toBeNull();
    expect(drills.unfinished(discarded)).toBeNull();
  });

  it('points at a submitted answer that has no evaluation (stopped, FAILED) instead, with no draft; Try again keeps none', async () => {
    const fake = await startFakeOpenAi();
    try {
      const { drills, questions, count } = setup('PRO', () => ({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: null }));
      const question = questions[2]!.id;
      fake.queue({ kind: 'silent' });
      const session = await drills.start(question);
      const stop = new AbortController();
      const failed = await drills.submit({ sessionId: session.id, mode: 'written', transcript: STAR_ANSWER, typingTimeMs: 1_000 }, (c) => {
        if (c.status === 'PROCESSING') stop.abort();
      }, stop.signal);
      expect(failed.session.status).toBe('FAILED');
      expect(drills.unfinished(question)).toEqual({ session: failed.session, draft: null });

      fake.queue({ kind: 'silent' });
      const retryStop = new AbortController();
      await drills.retry(session.id, (c) => {
        if (c.status === 'SUBMITTED') expect(count('SELECT count(*) FROM drill_drafts')).toBe(0);
        if (c.status === 'PROCESSING') retryStop.abort();
      }, retryStop.signal);
      expect(drills.unfinished(question)?.session.id).not.toBe(session.id);
    } finally {
      await fake.close();
    }
  });
});

describe('a session started before drafts were kept (migration 0013)', () => {
  it('is neither offered to continue nor marked on the list; Start begins a new attempt with its own draft', async () => {
    // The app before 0013 kept the answer in the page only: its STARTED session has no draft row once upgraded.
    const dir = tempDir();
    const then = T0 - DAY_MS;
    const old = openSampleDatabase(dir, new ManualClock(then), migrationsUpTo(13, dir)); // 0000 to 0012
    expect(old.sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'drill_drafts'").pluck().get()).toBe(0);
    activateDefaultDrillPack(old.sqlite, then);
    const oldPack = activeDrillPack(old.sqlite)!;
    const question = old.sqlite.prepare('SELECT id FROM drill_questions WHERE pack_id = ? ORDER BY rowid LIMIT 1').pluck().get(oldPack.id) as string;
    const before = old.sqlite
      .transaction(() =>
        createDrillSessionWriter(old.sqlite, createOutboxWriter(old.sqlite)).start(
          {
            id: uuidv7(then),
            user_id: ensureLearnerId(old.sqlite, then),
            question_id: question,
            content_pack_version: oldPack.version,
            started_utc_ms: then,
            submitted_utc_ms: null,
            completed_utc_ms: null,
            processing_time_ms: null,
            metadata: null,
          },
          then,
        ),
      )
      .immediate();
    old.sqlite.close();

    const { drills, count } = setup('BASIC', undefined, undefined, (clock) => openDatabase(join(dir, 'study.sqlite'), { nowMs: clock.now() }));
    expect(count('SELECT count(*) FROM drill_drafts')).toBe(0);
    // Nothing was kept to continue, so the runner offers Start, without an error and without inventing an answer.
    expect(drills.unfinished(question)).toBeNull();
    const listed = drillsContract.channels['drills:list'].output
      .parse(await drills.list())
      .pack!.categories.flatMap((c) => c.questions)
      .find((q) => q.id === question);
    expect(listed).toMatchObject({ unfinishedAnswer: false, lastScore: null });
    // Progress still lists it as it is: started, not submitted.
    expect(drills.progress().history).toMatchObject([{ sessionId: before.id, status: 'STARTED', score: null }]);

    const next = await drills.start(question);
    expect(drills.unfinished(question)).toEqual({ session: next, draft: { mode: 'written', transcript: '', recording: null, elapsedMs: 0, typingMs: null } });
    expect(drills.result(before.id).session.status).toBe('STARTED');
  });
});

describe('a failed evaluation', () => {
  it('ends FAILED saying why; Try again starts a new session that re-submits the same response with its original duration', async () => {
    const fake = await startFakeOpenAi();
    try {
      const endpoint: { current: ProviderEndpoint | null } = { current: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: null } };
      const { drills, questions, count } = setup('PRO', () => endpoint.current);
      fake.queue({ kind: 'silent' });
      const session = await drills.start(questions[3]!.id);
      const stop = new AbortController();
      const chunks: DrillSubmitChunk[] = [];
      const pending = drills.submit({ sessionId: session.id, mode: 'spoken', transcript: STAR_ANSWER, durationS: 61.5, audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000b.webm' }, (c) => {
        chunks.push(c);
        // The learner stops while the AI evaluator is still thinking.
        if (c.status === 'PROCESSING') stop.abort();
      }, stop.signal);
      const failed = await pending;
      expect(failed.session.status).toBe('FAILED');
      expect(failed.failure).toMatch(/stopped before it finished/);
      expect(failed.evaluation).toBeNull();
      expect(count('SELECT count(*) FROM evaluation_results')).toBe(0);
      expect(count("SELECT xp FROM profile") ?? 0).toBe(0);

      endpoint.current = null;
      const retryChunks: DrillSubmitChunk[] = [];
      const retried = await drills.retry(session.id, (c) => retryChunks.push(c), new AbortController().signal);
      expect(retried.session.id).not.toBe(session.id);
      expect(retried.session.status).toBe('COMPLETED');
      expect(retried.question.id).toBe(questions[3]!.id);
      expect(retried.response).toMatchObject({ transcript: STAR_ANSWER, mode: 'spoken', durationS: 61.5, durationEstimated: false, audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000b.webm' });
      expect(retried.evaluation?.durationS).toBe(61.5);
      expect(retryChunks.map((c) => c.status)).toEqual(['SUBMITTED', 'PROCESSING']);
      // FAILED is final: the failed session stays as it was, and cannot be tried again twice over the same row.
      expect(drills.result(session.id).session.status).toBe('FAILED');
      const notFailed = await rejectionOf(drills.retry(retried.session.id, () => {}, new AbortController().signal));
      expect(notFailed.code).toBe('conflict');
    } finally {
      await fake.close();
    }
  });
});
