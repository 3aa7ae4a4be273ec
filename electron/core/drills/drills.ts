/**
 * Response drills as the app's handlers call them: the active pack's questions with their last scores, sessions,
 * submitted responses and their evaluation, "Try again" after a failure, the crash recovery of unfinished sessions,
 * and the drill part of Progress; the answer still being written is kept as a device-only draft. Every drill_sessions
 * write goes through state.ts's writer; every learner write is one IMMEDIATE transaction with its outbox rows, run
 * through the learner-write runner.
 */
import { AppFailure } from '../../../shared/errors';
import { BUILTIN_RUBRIC, rubricSchema, type DrillEvaluation, type Rubric } from '../../../shared/drills/evaluation';
import type {
  DrillAccess,
  DrillCatalog,
  DrillDraft,
  DrillProgress,
  DrillQuestion,
  DrillResult,
  DrillSession,
  DrillSubmitChunk,
  DrillSubmitInput,
  DrillUnfinished,
  ResponseMode,
} from '../../../shared/ipc/features/drills';
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import type { LearnerWriteRunner } from '../ipc/learner-writes';
import { currentLearnerId, ensureLearnerId } from '../learner/identity';
import { createLearnerProfile } from '../learner/profile';
import { xpForDrill } from '../learner/xp';
import type { Clock } from '../ports';
import { parseJson } from '../practice/json';
import { createOutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';
import type { ProviderEndpoint } from '../tutor/provider-client';
import { evaluateWithProvider } from './evaluate-ai';
import { countWords, estimateSpokenDurationS, evaluateLocally, type LocalEvaluationInput } from './evaluate-local';
import type { Entitlement } from './entitlement';
import { activeDrillPack, type ActiveDrillPack } from './packs';
import { createDrillSessionWriter, type DrillSessionRow, type DrillStatus } from './state';

export type EntitlementLevel = DrillAccess['level'];

export interface DrillsDeps {
  sqlite: Sqlite;
  clock: Clock;
  runWrite: LearnerWriteRunner;
  /** The learner's zone and study-day start now: a completed drill extends the streak by their study days. */
  studyDay: () => { timeZone: string; rolloverHour: number };
  /** The learner's entitlement now (entitlement.ts: its cache and grace rule). */
  entitlement: () => Promise<Entitlement>;
  /** The AI provider the learner configured (the tutor's), or null. */
  aiEndpoint: () => ProviderEndpoint | null;
  /**
   * The server's `evaluate` function as the signed-in learner (evaluate-server.ts), or null with no server or nobody
   * signed in. Used for PRO when the learner configured no provider; otherwise the local rules evaluate.
   */
  serverEvaluator?: () => ProviderEndpoint | null;
  /** Called after each committed learner write (schedules a push). */
  onLearnerWrite?: () => void;
}

/** What a LOCKED learner is told: why drills do not start, and what unlocks them. */
export const LOCKED_MESSAGE =
  'Drills are locked for your account: new accounts start LOCKED, and there is no payment in the app. ' +
  'An administrator unlocks them by granting your account the BASIC or PRO level; this device checks your level again ' +
  'at most an hour after it last did, and drills open then.';

/** Said when the app stopped mid-evaluation and the next start finished the job with the local rules. */
export const RESUMED_AFTER_RESTART =
  'The app stopped while this answer was being evaluated; the local rules evaluated it when the app started again.';

/** Which of a question's sessions is its latest attempt (the one `unfinished` reports and the list marks). */
const LATEST_ATTEMPT_FIRST = 'started_utc_ms DESC, id DESC';
const TREND_LENGTH = 12;
const HISTORY_LENGTH = 20;
const WEEK_MS = 7 * 86_400_000;

/** What the session's metadata holds (JSON): how the response was given and how it was evaluated. */
interface SessionMetadata {
  mode?: ResponseMode;
  durationS?: number;
  durationEstimated?: boolean;
  typingTimeMs?: number | null;
  rubric?: DrillEvaluation['rubric'];
  usedLocalBecause?: string | null;
  failure?: string;
  xp?: number;
  /** A "Try again" session names the FAILED session it re-submits. */
  retryOf?: string;
}

interface QuestionRow {
  id: string;
  pack_id: string;
  category: string;
  prompt: string;
  expected_duration_s: number;
  evaluation_criteria: string;
}

/** The synced columns plus audio_url, which stays on this device (a file in its data folder) and is not a registry column. */
type ResponseRow = LocalRow<'drill_responses'> & { audio_url: string | null };
type EvaluationRow = LocalRow<'evaluation_results'>;

/** A drill_drafts row (migration 0013): device-only, so not a registry row type. */
interface DraftRow {
  session_id: string;
  mode: ResponseMode;
  transcript: string;
  audio_path: string | null;
  audio_duration_s: number | null;
  elapsed_ms: number;
  typing_ms: number | null;
  updated_utc_ms: number;
}

/** A response ready to evaluate: what the learner gave, with the duration that counts as speaking time. */
interface SubmittedResponse {
  transcript: string;
  mode: ResponseMode;
  durationS: number;
  durationEstimated: boolean;
  typingTimeMs: number | null;
  audioPath: string | null;
}

export type Drills = ReturnType<typeof createDrills>;

export function createDrills(deps: DrillsDeps) {
  const { sqlite, clock } = deps;
  const outbox = createOutboxWriter(sqlite);
  const sessions = createDrillSessionWriter(sqlite, outbox);
  const profile = createLearnerProfile(sqlite, outbox);

  const packQuestions = sqlite.prepare('SELECT * FROM drill_questions WHERE pack_id = ? ORDER BY category, rowid');
  const questionById = sqlite.prepare('SELECT * FROM drill_questions WHERE id = ?');
  const lastScores = sqlite.prepare(
    `SELECT s.question_id, e.overall_score, s.completed_utc_ms FROM drill_sessions s JOIN evaluation_results e ON e.session_id = s.id
     WHERE s.user_id = ? AND s.status = 'COMPLETED' ORDER BY s.completed_utc_ms DESC, s.id DESC`,
  );
  const previousCompleted = sqlite.prepare(
    `SELECT s.id, s.completed_utc_ms, e.overall_score, e.categories FROM drill_sessions s JOIN evaluation_results e ON e.session_id = s.id
     WHERE s.user_id = ? AND s.question_id = ? AND s.status = 'COMPLETED' AND s.id <> ?
       AND (s.completed_utc_ms < ? OR (s.completed_utc_ms = ? AND s.id < ?))
     ORDER BY s.completed_utc_ms DESC, s.id DESC LIMIT 1`,
  );
  const responseOf = sqlite.prepare('SELECT * FROM drill_responses WHERE session_id = ?');
  const evaluationOf = sqlite.prepare('SELECT * FROM evaluation_results WHERE session_id = ?');
  const insertResponse = sqlite.prepare(
    `INSERT INTO drill_responses (id, session_id, content, audio_url, audio_duration_s, word_count, created_utc_ms)
     VALUES (@id, @session_id, @content, @audio_url, @audio_duration_s, @word_count, @created_utc_ms)`,
  );
  const insertEvaluation = sqlite.prepare(
    `INSERT INTO evaluation_results (id, session_id, response_id, duration_s, words, wpm, overall_score, categories, what_changed, practice_rule, model_used, processing_time_ms, created_utc_ms)
     VALUES (@id, @session_id, @response_id, @duration_s, @words, @wpm, @overall_score, @categories, @what_changed, @practice_rule, @model_used, @processing_time_ms, @created_utc_ms)`,
  );
  const latestAttempt = sqlite.prepare(`SELECT * FROM drill_sessions WHERE user_id = ? AND question_id = ? ORDER BY ${LATEST_ATTEMPT_FIRST} LIMIT 1`);
  // The list's one query for what `unfinished` offers to continue: the questions whose latest attempt is STARTED with a draft.
  const questionsWithDraft = sqlite
    .prepare(
      `SELECT latest.question_id FROM (
         SELECT id, question_id, status, ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY ${LATEST_ATTEMPT_FIRST}) AS attempt
         FROM drill_sessions WHERE user_id = ?
       ) latest JOIN drill_drafts d ON d.session_id = latest.id
       WHERE latest.attempt = 1 AND latest.status = 'STARTED'`,
    )
    .pluck();
  const draftOf = sqlite.prepare('SELECT * FROM drill_drafts WHERE session_id = ?');
  const insertDraft = sqlite.prepare(
    `INSERT INTO drill_drafts (session_id, mode, transcript, audio_path, audio_duration_s, elapsed_ms, typing_ms, updated_utc_ms)
     VALUES (@session_id, @mode, @transcript, @audio_path, @audio_duration_s, @elapsed_ms, @typing_ms, @updated_utc_ms)`,
  );
  // The row exists only while its session is STARTED (submitting or discarding deletes it), so a save that arrives
  // after either changes nothing.
  const updateDraft = sqlite.prepare(
    `UPDATE drill_drafts SET mode = @mode, transcript = @transcript, audio_path = @audio_path, audio_duration_s = @audio_duration_s,
       elapsed_ms = @elapsed_ms, typing_ms = @typing_ms, updated_utc_ms = @updated_utc_ms WHERE session_id = @session_id`,
  );
  const deleteDraft = sqlite.prepare('DELETE FROM drill_drafts WHERE session_id = ?');
  const unfinished = sqlite.prepare(`SELECT id FROM drill_sessions WHERE status IN ('SUBMITTED', 'PROCESSING') ORDER BY started_utc_ms, id`).pluck();
  const completedSince = sqlite.prepare(`SELECT COUNT(*) FROM drill_sessions WHERE user_id = ? AND status = 'COMPLETED' AND completed_utc_ms >= ?`).pluck();
  const trendRows = sqlite.prepare(
    `SELECT s.id, s.completed_utc_ms, e.overall_score, q.category FROM drill_sessions s
       JOIN evaluation_results e ON e.session_id = s.id JOIN drill_questions q ON q.id = s.question_id
     WHERE s.user_id = ? AND s.status = 'COMPLETED' ORDER BY s.completed_utc_ms DESC, s.id DESC`,
  );
  const historyRows = sqlite.prepare(
    `SELECT s.id, s.status, s.started_utc_ms, s.completed_utc_ms, e.overall_score, q.prompt, q.category FROM drill_sessions s
       LEFT JOIN evaluation_results e ON e.session_id = s.id LEFT JOIN drill_questions q ON q.id = s.question_id
     WHERE s.user_id = ? ORDER BY s.started_utc_ms DESC, s.id DESC LIMIT ${HISTORY_LENGTH}`,
  );

  const written = () => deps.onLearnerWrite?.();

  const requirePack = (): ActiveDrillPack => {
    const pack = activeDrillPack(sqlite);
    if (!pack) throw new AppFailure('not_found', 'No drill pack is active: import a drill pack, or ask an instructor to activate one.');
    return pack;
  };

  /** The pack's own rubric when it defines a valid one (validated at import), otherwise the built-in one. */
  const rubricOf = (pack: ActiveDrillPack | null): Rubric => {
    const parsed = rubricSchema.safeParse(pack?.metadata.rubric);
    return parsed.success ? parsed.data : BUILTIN_RUBRIC;
  };

  const toQuestion = (row: QuestionRow, lastScore: { score: number; utcMs: number } | undefined): DrillQuestion => ({
    id: row.id,
    category: row.category,
    prompt: row.prompt,
    expectedDurationS: row.expected_duration_s,
    evaluationCriteria: parseJson<string[]>(row.evaluation_criteria) ?? [],
    lastScore: lastScore?.score ?? null,
    lastCompletedUtcMs: lastScore?.utcMs ?? null,
  });

  const lastScoreMap = (userId: string | null): Map<string, { score: number; utcMs: number }> => {
    const map = new Map<string, { score: number; utcMs: number }>();
    if (userId === null) return map;
    for (const row of lastScores.all(userId) as Array<{ question_id: string; overall_score: number; completed_utc_ms: number }>) {
      if (!map.has(row.question_id)) map.set(row.question_id, { score: row.overall_score, utcMs: row.completed_utc_ms });
    }
    return map;
  };

  const loadQuestion = (questionId: string, pack: ActiveDrillPack, path = 'questionId'): QuestionRow => {
    const row = questionById.get(questionId) as QuestionRow | undefined;
    if (!row || row.pack_id !== pack.id) {
      throw new AppFailure('not_found', `Drill question ${questionId} is not part of the active drill pack "${pack.title}".`, { path });
    }
    return row;
  };

  /**
   * The AI evaluator a level gets, or null for the local rules: the learner's own provider for anyone entitled, else
   * the server's function for PRO. Whatever it answers, the local rules stand in when it fails.
   */
  const aiEvaluatorFor = (level: EntitlementLevel): ProviderEndpoint | null => {
    if (level === 'LOCKED') return null;
    return deps.aiEndpoint() ?? (level === 'PRO' ? (deps.serverEvaluator?.() ?? null) : null);
  };

  const evaluatorLabel = (endpoint: ProviderEndpoint | null): DrillAccess['evaluator'] => {
    if (!endpoint) return { kind: 'local', label: 'Local rules on this device (the same answer always gets the same result)', offlineLabel: null };
    if (endpoint.service === 'edge-function') {
      return {
        kind: 'ai',
        label: "The server's AI evaluator (PRO), with the local rules if it fails",
        // Offline the server cannot answer, so every drill falls back to the local rules.
        offlineLabel: "The server's AI evaluator (PRO) will be used when you are online; offline, drills are scored with the local rules on this device",
      };
    }
    return { kind: 'ai', label: `AI evaluator (${endpoint.model}), with the local rules if it fails`, offlineLabel: null };
  };

  const access = async (): Promise<DrillAccess> => {
    const { level, source, checkedUtcMs, unreadable } = await deps.entitlement();
    return {
      level,
      source,
      checkedUtcMs,
      unreadable: unreadable ?? null,
      lockedMessage: level === 'LOCKED' ? LOCKED_MESSAGE : null,
      evaluator: evaluatorLabel(aiEvaluatorFor(level)),
    };
  };

  const requireUnlocked = async (): Promise<DrillAccess> => {
    const current = await access();
    if (current.level === 'LOCKED') throw new AppFailure('forbidden', LOCKED_MESSAGE, { level: 'LOCKED' });
    return current;
  };

  const toSession = (row: DrillSessionRow): DrillSession => ({
    id: row.id,
    questionId: row.question_id,
    contentPackVersion: row.content_pack_version,
    status: row.status as DrillStatus,
    startedUtcMs: row.started_utc_ms,
    submittedUtcMs: row.submitted_utc_ms,
    completedUtcMs: row.completed_utc_ms,
    processingTimeMs: row.processing_time_ms,
  });

  const toDraftRow = (sessionId: string, draft: DrillDraft, nowMs: number): DraftRow => ({
    session_id: sessionId,
    mode: draft.mode,
    transcript: draft.transcript,
    audio_path: draft.recording?.audioPath ?? null,
    audio_duration_s: draft.recording?.durationS ?? null,
    elapsed_ms: draft.elapsedMs,
    typing_ms: draft.typingMs,
    updated_utc_ms: nowMs,
  });

  const toDraft = (row: DraftRow): DrillDraft => ({
    mode: row.mode,
    transcript: row.transcript,
    recording: row.audio_path !== null && row.audio_duration_s !== null ? { audioPath: row.audio_path, durationS: row.audio_duration_s } : null,
    elapsedMs: row.elapsed_ms,
    typingMs: row.typing_ms,
  });

  /** The stored evaluation as the evaluators returned it. */
  const toEvaluation = (row: EvaluationRow, metadata: SessionMetadata, rubric: Rubric): DrillEvaluation => ({
    durationS: row.duration_s,
    durationEstimated: metadata.durationEstimated ?? false,
    words: row.words,
    wpm: row.wpm,
    overallScore: row.overall_score,
    categories: JSON.parse(row.categories) as DrillEvaluation['categories'],
    whatChanged: JSON.parse(row.what_changed) as string[],
    practiceRule: row.practice_rule,
    modelUsed: row.model_used,
    rubric: metadata.rubric ?? { version: rubric.version, names: rubric.dimensions.map((d) => d.name) },
  });

  /** A finished (or unfinished) session as the result screen shows it. */
  const result = (sessionId: string): DrillResult => {
    const session = sessions.load(sessionId);
    const metadata = parseJson<SessionMetadata>(session.metadata) ?? {};
    const response = responseOf.get(sessionId) as ResponseRow | undefined;
    const evaluationRow = evaluationOf.get(sessionId) as EvaluationRow | undefined;
    const questionRow = questionById.get(session.question_id) as QuestionRow | undefined;
    const pack = activeDrillPack(sqlite);
    const evaluation = evaluationRow ? toEvaluation(evaluationRow, metadata, rubricOf(pack)) : null;
    let previous: DrillResult['previous'] = null;
    if (evaluation && session.completed_utc_ms !== null) {
      const prior = previousCompleted.get(session.user_id, session.question_id, session.id, session.completed_utc_ms, session.completed_utc_ms, session.id) as
        | { id: string; completed_utc_ms: number; overall_score: number; categories: string }
        | undefined;
      if (prior) {
        const before = new Map((JSON.parse(prior.categories) as DrillEvaluation['categories']).map((c) => [c.name, c.verdict]));
        previous = {
          sessionId: prior.id,
          completedUtcMs: prior.completed_utc_ms,
          overallScore: prior.overall_score,
          scoreChange: evaluation.overallScore - prior.overall_score,
          changedVerdicts: evaluation.categories.flatMap((c) => {
            const from = before.get(c.name);
            return from !== undefined && from !== c.verdict ? [{ name: c.name, from, to: c.verdict }] : [];
          }),
        };
      }
    }
    return {
      session: toSession(session),
      question: questionRow
        ? toQuestion(questionRow, undefined)
        : { id: session.question_id, category: '', prompt: 'This question is no longer in the drill pack.', expectedDurationS: 1, evaluationCriteria: [], lastScore: null, lastCompletedUtcMs: null },
      response: {
        transcript: response?.content ?? '',
        mode: metadata.mode ?? 'written',
        wordCount: response?.word_count ?? 0,
        durationS: metadata.durationS ?? response?.audio_duration_s ?? evaluationRow?.duration_s ?? 1,
        durationEstimated: metadata.durationEstimated ?? false,
        typingTimeMs: metadata.typingTimeMs ?? null,
        audioPath: response?.audio_url ?? null,
      },
      evaluation,
      usedLocalBecause: metadata.usedLocalBecause ?? null,
      failure: metadata.failure ?? null,
      xpGained: metadata.xp ?? 0,
      previous,
    };
  };

  /** Validates what was submitted and works out the duration that counts as speaking time; writes nothing. */
  const prepareResponse = (input: DrillSubmitInput): SubmittedResponse => {
    const transcript = input.transcript.trim();
    if (transcript === '') {
      throw new AppFailure(
        'invalid_input',
        input.mode === 'spoken'
          ? 'A transcript is required to submit: a recording alone cannot be evaluated. Type what you said, then submit.'
          : 'A transcript is required to submit: type your answer, then submit.',
        { path: 'transcript' },
      );
    }
    if (countWords(transcript) === 0) {
      throw new AppFailure('invalid_input', 'The transcript has no words to evaluate: write (or say) the answer in words, then submit.', { path: 'transcript' });
    }
    if (input.mode === 'written') {
      // Typing runs at about 40 WPM: the typing time is kept, but the speaking time is estimated from the words.
      return { transcript, mode: 'written', durationS: estimateSpokenDurationS(countWords(transcript)), durationEstimated: true, typingTimeMs: input.typingTimeMs, audioPath: null };
    }
    if (!Number.isFinite(input.durationS) || input.durationS <= 0) {
      throw new AppFailure('invalid_input', `The spoken duration must be greater than 0 seconds (got ${input.durationS}). Record your answer again.`, { path: 'durationS' });
    }
    return { transcript, mode: 'spoken', durationS: input.durationS, durationEstimated: false, typingTimeMs: null, audioPath: input.audioPath };
  };

  /** SUBMITTED (the response saved), PROCESSING, then the evaluation: COMPLETED with its record, or FAILED saying why. */
  const submitResponse = async (
    sessionId: string,
    response: SubmittedResponse,
    emit: (chunk: DrillSubmitChunk) => void,
    signal: AbortSignal,
    extraMetadata: SessionMetadata = {},
  ): Promise<DrillResult> => {
    const current = await access();
    const pack = requirePack();
    await deps.runWrite(() =>
      sqlite.transaction(() => {
        const session = sessions.load(sessionId);
        if (session.status !== 'STARTED') {
          throw new AppFailure('conflict', `This drill session is already ${session.status}: start a new one to answer again.`, { path: 'sessionId' });
        }
        const nowMs = clock.now();
        const words = countWords(response.transcript);
        const row: ResponseRow = {
          id: uuidv7(nowMs),
          session_id: sessionId,
          content: response.transcript,
          audio_url: response.audioPath,
          audio_duration_s: response.mode === 'spoken' ? response.durationS : null,
          word_count: words,
          created_utc_ms: nowMs,
        };
        insertResponse.run(row);
        outbox.enqueue('drill_responses', row, nowMs, session.user_id);
        // The submitted response is the answer now: its draft goes with the same commit.
        deleteDraft.run(sessionId);
        const metadata: SessionMetadata = {
          ...extraMetadata,
          mode: response.mode,
          durationS: response.durationS,
          durationEstimated: response.durationEstimated,
          typingTimeMs: response.typingTimeMs,
        };
        sessions.move(sessionId, 'SUBMITTED', { submitted_utc_ms: nowMs, metadata: JSON.stringify(metadata) }, nowMs);
      }).immediate(),
    );
    written();
    emit({ type: 'status', status: 'SUBMITTED', sessionId });
    await deps.runWrite(() => sqlite.transaction(() => sessions.move(sessionId, 'PROCESSING', {}, clock.now())).immediate());
    written();
    emit({ type: 'status', status: 'PROCESSING', sessionId });
    return evaluateAndFinish(sessionId, pack, aiEvaluatorFor(current.level), signal);
  };

  /** What a PROCESSING session's evaluation starts from, or why it cannot be evaluated at all. */
  const evaluationJob = (sessionId: string, pack: ActiveDrillPack | null) => {
    const session = sessions.load(sessionId);
    const metadata = parseJson<SessionMetadata>(session.metadata) ?? {};
    const response = responseOf.get(sessionId) as ResponseRow | undefined;
    const questionRow = questionById.get(session.question_id) as QuestionRow | undefined;
    if (!response?.content) return { session, metadata, failure: 'The response was not saved with this session, so there is nothing to evaluate.' } as const;
    if (!questionRow) {
      return { session, metadata, failure: 'The question of this session is no longer in any drill pack, so the answer cannot be checked against it.' } as const;
    }
    const input: LocalEvaluationInput = {
      transcript: response.content,
      durationS: metadata.durationS ?? response.audio_duration_s ?? estimateSpokenDurationS(countWords(response.content)),
      durationEstimated: metadata.durationEstimated ?? response.audio_duration_s === null,
      question: { prompt: questionRow.prompt, evaluationCriteria: parseJson<string[]>(questionRow.evaluation_criteria) ?? [], expectedDurationS: questionRow.expected_duration_s },
      rubric: rubricOf(pack),
    };
    return { session, metadata, response, input, failure: null } as const;
  };

  type Outcome = { evaluation: DrillEvaluation; usedLocalBecause: string | null } | { failure: string };

  /** Records a PROCESSING session's outcome in one transaction: COMPLETED with its evaluation, XP and streak, or FAILED. */
  const recordOutcome = (sessionId: string, outcome: Outcome, processingTimeMs: number): void => {
    sqlite.transaction(() => {
      const nowMs = clock.now();
      const session = sessions.load(sessionId);
      const metadata = parseJson<SessionMetadata>(session.metadata) ?? {};
      const response = responseOf.get(sessionId) as ResponseRow | undefined;
      if ('evaluation' in outcome && response) {
        const { evaluation, usedLocalBecause } = outcome;
        const xp = xpForDrill();
        const row: EvaluationRow = {
          id: uuidv7(nowMs),
          session_id: sessionId,
          response_id: response.id,
          duration_s: evaluation.durationS,
          words: evaluation.words,
          wpm: evaluation.wpm,
          overall_score: evaluation.overallScore,
          categories: JSON.stringify(evaluation.categories),
          what_changed: JSON.stringify(evaluation.whatChanged),
          practice_rule: evaluation.practiceRule,
          model_used: evaluation.modelUsed,
          processing_time_ms: processingTimeMs,
          created_utc_ms: nowMs,
        };
        insertEvaluation.run(row);
        outbox.enqueue('evaluation_results', row, nowMs, session.user_id);
        const done: SessionMetadata = { ...metadata, rubric: evaluation.rubric, usedLocalBecause, xp };
        sessions.move(sessionId, 'COMPLETED', { completed_utc_ms: nowMs, processing_time_ms: processingTimeMs, metadata: JSON.stringify(done) }, nowMs);
        const { timeZone, rolloverHour } = deps.studyDay();
        profile.recordActivity({ userId: session.user_id, nowMs, timeZone, rolloverHour, xpEarned: xp });
      } else {
        const failure = 'failure' in outcome ? outcome.failure : 'The response was not saved with this session, so there is nothing to evaluate.';
        const failed: SessionMetadata = { ...metadata, failure };
        sessions.move(sessionId, 'FAILED', { completed_utc_ms: nowMs, processing_time_ms: processingTimeMs, metadata: JSON.stringify(failed) }, nowMs);
      }
    }).immediate();
  };

  const failureOf = (err: unknown, signal: AbortSignal): Outcome => ({
    failure: signal.aborted
      ? 'The evaluation was stopped before it finished. Try again to evaluate the same answer.'
      : `No evaluation could be made: ${err instanceof Error ? err.message : String(err)}`,
  });

  // The server requires processing_time_ms > 0: a sub-millisecond local evaluation counts as 1 ms.
  const elapsedMs = (startedMs: number) => Math.max(1, Math.round(performance.now() - startedMs));

  /** Evaluates a PROCESSING session's response (the AI provider when given, else the local rules) and records the outcome. */
  const evaluateAndFinish = async (sessionId: string, pack: ActiveDrillPack | null, endpoint: ProviderEndpoint | null, signal: AbortSignal): Promise<DrillResult> => {
    const started = performance.now();
    const job = evaluationJob(sessionId, pack);
    let outcome: Outcome;
    if (job.failure !== null) outcome = { failure: job.failure };
    else {
      try {
        outcome = endpoint ? await evaluateWithProvider(job.input, endpoint, signal) : { evaluation: evaluateLocally(job.input), usedLocalBecause: null };
      } catch (err) {
        outcome = failureOf(err, signal);
      }
    }
    const processingTimeMs = elapsedMs(started);
    await deps.runWrite(() => recordOutcome(sessionId, outcome, processingTimeMs));
    written();
    return result(sessionId);
  };

  /**
   * A new STARTED session at the question: the learner's own, with an empty draft to write in, or Try again's (`retryOf`
   * the FAILED session), which is submitted at once and so has none.
   */
  const startSession = async (questionId: string, retryOf: string | null = null): Promise<DrillSession> => {
    await requireUnlocked();
    const pack = requirePack();
    loadQuestion(questionId, pack);
    const row = await deps.runWrite(() =>
      sqlite.transaction(() => {
        const nowMs = clock.now();
        const started = sessions.start(
          {
            id: uuidv7(nowMs),
            user_id: ensureLearnerId(sqlite, nowMs),
            question_id: questionId,
            content_pack_version: pack.version,
            started_utc_ms: nowMs,
            submitted_utc_ms: null,
            completed_utc_ms: null,
            processing_time_ms: null,
            metadata: retryOf === null ? null : JSON.stringify({ retryOf } satisfies SessionMetadata),
          },
          nowMs,
        );
        if (retryOf === null) {
          insertDraft.run(toDraftRow(started.id, { mode: 'written', transcript: '', recording: null, elapsedMs: 0, typingMs: null }, nowMs));
        }
        return started;
      }).immediate(),
    );
    written();
    return toSession(row);
  };

  return {
    async list(): Promise<DrillCatalog> {
      const current = await access();
      const pack = activeDrillPack(sqlite);
      if (!pack) return { access: current, pack: null };
      const userId = currentLearnerId(sqlite);
      const scores = lastScoreMap(userId);
      const withDraft = new Set(userId === null ? [] : (questionsWithDraft.all(userId) as string[]));
      const rows = packQuestions.all(pack.id) as QuestionRow[];
      // The pack's own category order; a question in a category the metadata does not list still shows, last.
      const names = [...pack.categories, ...new Set(rows.map((r) => r.category).filter((c) => !pack.categories.includes(c)))];
      return {
        access: current,
        pack: {
          id: pack.id,
          title: pack.title,
          description: pack.description,
          version: pack.version,
          categories: names.map((name) => ({
            name,
            questions: rows.filter((r) => r.category === name).map((r) => {
              const { evaluationCriteria: _criteria, ...summary } = toQuestion(r, scores.get(r.id));
              return { ...summary, unfinishedAnswer: withDraft.has(r.id) };
            }),
          })),
        },
      };
    },

    question(questionId: string): DrillQuestion {
      const row = loadQuestion(questionId, requirePack());
      return toQuestion(row, lastScoreMap(currentLearnerId(sqlite)).get(row.id));
    },

    start: (questionId: string) => startSession(questionId),

    async submit(input: DrillSubmitInput, emit: (chunk: DrillSubmitChunk) => void, signal: AbortSignal): Promise<DrillResult> {
      // Validation first: a bad submission writes nothing and leaves the session STARTED.
      const response = prepareResponse(input);
      return submitResponse(input.sessionId, response, emit, signal);
    },

    async retry(failedSessionId: string, emit: (chunk: DrillSubmitChunk) => void, signal: AbortSignal): Promise<DrillResult> {
      const failed = sessions.load(failedSessionId);
      if (failed.status !== 'FAILED') {
        throw new AppFailure('conflict', `Only a FAILED drill session can be tried again; this one is ${failed.status}.`, { path: 'sessionId' });
      }
      const original = result(failedSessionId).response;
      if (original.transcript === '') {
        throw new AppFailure('not_found', 'The failed session kept no response to submit again; start the question afresh.', { path: 'sessionId' });
      }
      const session = await startSession(failed.question_id, failedSessionId);
      // The same response with its original duration (and typing time), not a new estimate or measurement.
      return submitResponse(
        session.id,
        {
          transcript: original.transcript,
          mode: original.mode,
          durationS: original.durationS,
          durationEstimated: original.durationEstimated,
          typingTimeMs: original.typingTimeMs,
          audioPath: original.audioPath,
        },
        emit,
        signal,
        { retryOf: failedSessionId },
      );
    },

    result,

    /** The learner's latest attempt at the question when it has no evaluation (drillUnfinishedSchema); null otherwise. */
    unfinished(questionId: string): DrillUnfinished | null {
      const userId = currentLearnerId(sqlite);
      if (userId === null) return null;
      const latest = latestAttempt.get(userId, questionId) as DrillSessionRow | undefined;
      if (!latest || latest.status === 'COMPLETED') return null;
      if (latest.status !== 'STARTED') return { session: toSession(latest), draft: null };
      // A STARTED session without a draft was discarded (or started before drafts were kept): nothing to continue.
      const draft = draftOf.get(latest.id) as DraftRow | undefined;
      return draft ? { session: toSession(latest), draft: toDraft(draft) } : null;
    },

    async saveDraft(sessionId: string, draft: DrillDraft): Promise<{ saved: boolean }> {
      // Device-only: no outbox row and no push (`written` is not called).
      const { changes } = await deps.runWrite(() => sqlite.transaction(() => updateDraft.run(toDraftRow(sessionId, draft, clock.now()))).immediate());
      return { saved: changes > 0 };
    },

    async discardDraft(sessionId: string): Promise<{ sessionId: string }> {
      await deps.runWrite(() => sqlite.transaction(() => deleteDraft.run(sessionId)).immediate());
      return { sessionId };
    },

    /**
     * At start, before anything else writes: a session the app left SUBMITTED or PROCESSING (it stopped mid-evaluation)
     * is finished now with the local rules (deterministic, no network), or FAILED when its response or question is
     * gone. Never left stuck. Synchronous, like the rest of opening the database; returns how many it finished.
     */
    recoverUnfinished(): number {
      const ids = unfinished.all() as string[];
      const pack = activeDrillPack(sqlite);
      for (const id of ids) {
        if (sessions.load(id).status === 'SUBMITTED') sqlite.transaction(() => sessions.move(id, 'PROCESSING', {}, clock.now())).immediate();
        const started = performance.now();
        const job = evaluationJob(id, pack);
        let outcome: Outcome;
        if (job.failure !== null) outcome = { failure: job.failure };
        else {
          try {
            outcome = { evaluation: evaluateLocally(job.input), usedLocalBecause: RESUMED_AFTER_RESTART };
          } catch (err) {
            outcome = failureOf(err, new AbortController().signal);
          }
        }
        recordOutcome(id, outcome, elapsedMs(started));
      }
      return ids.length;
    },

    progress(): DrillProgress {
      const userId = currentLearnerId(sqlite);
      if (userId === null) return { sessionsThisWeek: 0, trend: [], history: [] };
      const nowMs = clock.now();
      const byCategory = new Map<string, DrillProgress['trend'][number]['points']>();
      for (const row of trendRows.all(userId) as Array<{ id: string; completed_utc_ms: number; overall_score: number; category: string }>) {
        const points = byCategory.get(row.category) ?? [];
        if (points.length < TREND_LENGTH) points.unshift({ sessionId: row.id, completedUtcMs: row.completed_utc_ms, score: row.overall_score });
        byCategory.set(row.category, points);
      }
      const categoryOrder = activeDrillPack(sqlite)?.categories ?? [];
      const trend = [...byCategory.entries()]
        .sort(([a], [b]) => (categoryOrder.indexOf(a) + 1 || Infinity) - (categoryOrder.indexOf(b) + 1 || Infinity) || a.localeCompare(b))
        .map(([category, points]) => ({ category, points }));
      const history = (
        historyRows.all(userId) as Array<{
          id: string;
          status: DrillStatus;
          started_utc_ms: number;
          completed_utc_ms: number | null;
          overall_score: number | null;
          prompt: string | null;
          category: string | null;
        }>
      ).map((row) => ({
        sessionId: row.id,
        questionPrompt: row.prompt ?? 'A question no longer in the drill pack',
        category: row.category ?? '',
        status: row.status,
        score: row.overall_score,
        startedUtcMs: row.started_utc_ms,
        completedUtcMs: row.completed_utc_ms,
      }));
      return { sessionsThisWeek: completedSince.get(userId, nowMs - WEEK_MS) as number, trend, history };
    },
  };
}
