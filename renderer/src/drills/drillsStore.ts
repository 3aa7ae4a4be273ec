/**
 * The drills feature's state: the catalogue (the active pack's questions with last scores, and this learner's
 * access), the runner's session with its answer (kept in core as a draft, so a reload does not lose it), and the
 * submission as it passes SUBMITTED and PROCESSING to its result.
 */
import { create } from 'zustand';
import { toAppError } from '../../../shared/errors';
import type { Result, StreamCall } from '../../../shared/ipc/api';
import type {
  DrillCatalog,
  DrillDraft,
  DrillProgress,
  DrillQuestion,
  DrillResult,
  DrillSession,
  DrillStatus,
  DrillSubmitChunk,
  DrillSubmitInput,
  DrillUnfinished,
  ResponseMode,
  SavedAudio,
} from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';
import { useRouter } from '../shell/routerStore';
import { useShell } from '../shell/shellStore';

/** The words a status is announced and shown with while the answer is evaluated. */
export function statusText(status: DrillStatus): string {
  switch (status) {
    case 'STARTED':
      return 'Answering.';
    case 'SUBMITTED':
      return 'Answer saved. Evaluating next…';
    case 'PROCESSING':
      return 'Evaluating your answer…';
    case 'COMPLETED':
      return 'Evaluated.';
    case 'FAILED':
      return 'The evaluation failed.';
  }
}

/** What is said when a submission's result arrives: its score, as the result shows it, or that the evaluation failed. */
export function resultAnnouncement(result: DrillResult): string {
  return result.evaluation ? `Evaluated: ${result.evaluation.overallScore} of 100.` : statusText('FAILED');
}

/** A submission without its session id (the store adds the current one), typed or spoken. */
export type ResponseInput =
  | Omit<Extract<DrillSubmitInput, { mode: 'written' }>, 'sessionId'>
  | Omit<Extract<DrillSubmitInput, { mode: 'spoken' }>, 'sessionId'>;

/**
 * The runner's answer so far, kept with its session (not in the form) so that leaving the screen mid-drill and coming
 * back loses neither the text nor the time since Start, and saved in core as the session's draft so that a reload or a
 * closed window does not either. Times are the page's clock.
 */
export type AnswerDraft = {
  sessionId: string;
  startedMs: number;
  text: string;
  firstKeyMs: number | null;
  mode: ResponseMode;
  /** The kept recording of a spoken answer; null before one is kept. */
  recording: SavedAudio | null;
};

/** Typing pauses this long before the draft is saved (a save per keystroke would write the database for each). */
export const DRAFT_SAVE_DELAY_MS = 500;
/** The contract's bound on a draft's times (a day). */
const MAX_DRAFT_MS = 24 * 3_600_000;

/** The draft core keeps for an answer at `nowMs`: its times as durations, so time away from the app does not count. */
function toDraft(answer: AnswerDraft, nowMs: number): DrillDraft {
  const since = (ms: number) => Math.min(MAX_DRAFT_MS, Math.max(0, Math.round(nowMs - ms)));
  return {
    mode: answer.mode,
    transcript: answer.text,
    recording: answer.recording,
    elapsedMs: since(answer.startedMs),
    typingMs: answer.firstKeyMs === null ? null : since(answer.firstKeyMs),
  };
}

const RESULT_READS = 60;
const RESULT_READ_INTERVAL_MS = 250;
const isFinal = (status: DrillStatus) => status === 'COMPLETED' || status === 'FAILED';

type DrillsState = {
  catalog: DrillCatalog | null;
  loading: boolean;
  /** The runner's question and session (null before Start). */
  question: DrillQuestion | null;
  session: DrillSession | null;
  /** The answer being written for `session`; null without a session. */
  answer: AnswerDraft | null;
  /** Keeps the answer's text (the first change also starts its typing time); saved once typing pauses. */
  setAnswerText: (text: string) => void;
  setAnswerMode: (mode: ResponseMode) => void;
  setAnswerRecording: (recording: SavedAudio) => void;
  /** Saves the answer's draft in core now (a save waiting for typing to pause goes with it). */
  saveDraft: () => Promise<void>;
  /**
   * The question's latest attempt without an evaluation, as core keeps it: a STARTED session with its draft (the runner
   * offers to continue or discard it), or a submitted one (the runner links to its result); null when there is none.
   */
  unfinished: DrillUnfinished | null;
  /** Continues the unfinished STARTED session with its draft, its times counting on from where they were saved. */
  resume: () => boolean;
  /** The learner's explicit choice to drop the unfinished STARTED session's draft; true once it is gone. */
  discard: () => Promise<boolean>;
  /** True while a discard runs (its button stays focusable; a second press is ignored). */
  discarding: boolean;
  /** The status of the submission in flight (SUBMITTED, PROCESSING), null when none is. */
  submitting: DrillStatus | null;
  /** Stops the submission in flight (its evaluation ends FAILED, and Try again re-submits it); null when none is. */
  stopSubmission: (() => void) | null;
  /** Results by session id, as they arrive or are opened. */
  results: Record<string, DrillResult>;
  /**
   * The question id, or the session id of a result, that could not be read (its error is shown), so its screen says so
   * instead of "Loading…" for ever; null while it loads or once it did.
   */
  unreadableQuestion: string | null;
  unreadableResult: string | null;
  loadCatalog: () => Promise<void>;
  openQuestion: (questionId: string) => Promise<void>;
  /** Starts a session at the question; a press while one starts is ignored (false). */
  start: () => Promise<boolean>;
  /** True while Start runs (its button stays focusable). */
  starting: boolean;
  /** Submits the response; on a result, opens it. */
  submit: (input: ResponseInput) => Promise<void>;
  /** "Try again" after FAILED: a new session re-submits the same response. */
  retry: (failedSessionId: string) => Promise<void>;
  loadResult: (sessionId: string) => Promise<void>;
  /** The drill part of Progress: sessions this week, score trend per category, recent sessions. */
  progress: DrillProgress | null;
  loadProgress: () => Promise<void>;
};

export const useDrills = create<DrillsState>((set, get) => {
  let saveTimer: number | null = null;
  // Saves go one after another, so an older draft never lands after a newer one.
  let saving: Promise<unknown> = Promise.resolve();
  /** Saves the current answer's draft as it is now (after the saves before it); nothing without an answer. */
  const saveNow = (): Promise<void> => {
    if (saveTimer !== null) window.clearTimeout(saveTimer);
    saveTimer = null;
    const answer = get().answer;
    if (!answer) return Promise.resolve();
    const input = { sessionId: answer.sessionId, draft: toDraft(answer, Date.now()) };
    const save = saving.then(() => request(() => api.drillsSaveDraft(input), 'Could not keep your unfinished answer'));
    saving = save;
    return save.then(() => undefined);
  };
  const saveSoon = () => {
    if (saveTimer !== null) window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => void saveNow(), DRAFT_SAVE_DELAY_MS);
  };
  const changeAnswer = (change: (answer: AnswerDraft) => Partial<AnswerDraft>) => {
    const answer = get().answer;
    if (!answer) return;
    set({ answer: { ...answer, ...change(answer) } });
    saveSoon();
  };

  const onStatus = (status: DrillStatus) => {
    set({ submitting: status });
    useShell.getState().announce(statusText(status));
  };
  const finished = (result: DrillResult) => {
    set((s) => ({ submitting: null, session: null, answer: null, results: { ...s.results, [result.session.id]: result } }));
    useRouter.getState().navigate({ name: 'drill-result', sessionId: result.session.id });
    // The result screen's heading takes the focus; the score is said through the app's polite live region.
    useShell.getState().announce(resultAnnouncement(result));
  };

  /** Runs a submit or retry stream: statuses as they come, then the result; Stop opens the session's (FAILED) result. */
  const runSubmission = async (startCall: (onChunk: (chunk: DrillSubmitChunk) => void) => StreamCall<DrillResult>, context: string) => {
    set({ submitting: 'STARTED' });
    let sessionId: string | null = null;
    const call = startCall((chunk) => {
      sessionId = chunk.sessionId;
      onStatus(chunk.status);
    });
    set({ stopSubmission: call.cancel });
    let settled: Result<DrillResult>;
    try {
      settled = await call.done;
    } catch (err) {
      settled = { ok: false, error: toAppError(err) };
    }
    set({ stopSubmission: null });
    if (settled.ok) {
      finished(settled.value);
      return;
    }
    set({ submitting: null });
    const stoppedSession: string | null = sessionId;
    if (settled.error.code === 'cancelled' && stoppedSession !== null) {
      // Core records the stopped evaluation as FAILED; the result screen reads it (again, until it is recorded).
      set((s) => ({ session: null, answer: null, results: Object.fromEntries(Object.entries(s.results).filter(([id]) => id !== stoppedSession)) }));
      useShell.getState().announce('Stopped: the evaluation did not finish.');
      useRouter.getState().navigate({ name: 'drill-result', sessionId: stoppedSession });
      return;
    }
    useShell.getState().showError(settled.error, context);
  };

  return {
    catalog: null,
    loading: false,
    question: null,
    session: null,
    answer: null,
    unfinished: null,
    discarding: false,
    starting: false,
    submitting: null,
    stopSubmission: null,
    results: {},
    unreadableQuestion: null,
    unreadableResult: null,
    progress: null,

    loadCatalog: async () => {
      set({ loading: true });
      const catalog = await request(() => api.drillsList({}), 'Could not load the drills');
      set({ loading: false, ...(catalog ? { catalog } : {}) });
    },

    openQuestion: async (questionId) => {
      if (get().question?.id !== questionId) {
        // The answer to the question left is saved as it is now, before it goes from memory.
        void saveNow();
        set({ question: null, session: null, answer: null, submitting: null, unfinished: null });
      }
      set({ unreadableQuestion: null });
      // Without an answer in memory (a reload, or another question since), core may keep one: it is offered again.
      const [question, unfinished] = await Promise.all([
        request(() => api.drillsQuestion({ questionId }), 'Could not open the drill'),
        get().answer ? Promise.resolve(null) : request(() => api.drillsUnfinished({ questionId }), 'Could not look for an unfinished answer'),
      ]);
      set(question ? { question, unfinished } : { unreadableQuestion: questionId });
    },

    start: async () => {
      const question = get().question;
      if (!question || get().starting) return false;
      set({ starting: true });
      const session = await request(() => api.drillsStart({ questionId: question.id }), 'Could not start the drill');
      set({ starting: false });
      if (!session) return false;
      set({ session, unfinished: null, answer: { sessionId: session.id, startedMs: Date.now(), text: '', firstKeyMs: null, mode: 'written', recording: null } });
      return true;
    },

    setAnswerText: (text) => changeAnswer((answer) => ({ text, firstKeyMs: answer.firstKeyMs ?? Date.now() })),
    setAnswerMode: (mode) => changeAnswer(() => ({ mode })),
    setAnswerRecording: (recording) => changeAnswer(() => ({ recording })),
    saveDraft: saveNow,

    resume: () => {
      const unfinished = get().unfinished;
      if (!unfinished?.draft) return false;
      const { session, draft } = unfinished;
      const now = Date.now();
      set({
        session,
        unfinished: null,
        answer: {
          sessionId: session.id,
          startedMs: now - draft.elapsedMs,
          text: draft.transcript,
          firstKeyMs: draft.typingMs === null ? null : now - draft.typingMs,
          mode: draft.mode,
          recording: draft.recording,
        },
      });
      return true;
    },

    discard: async () => {
      const unfinished = get().unfinished;
      if (!unfinished?.draft || get().discarding) return false;
      set({ discarding: true });
      const discarded = await request(() => api.drillsDiscardDraft({ sessionId: unfinished.session.id }), 'Could not discard the unfinished answer');
      set((s) => ({ discarding: false, ...(discarded && s.unfinished?.session.id === discarded.sessionId ? { unfinished: null } : {}) }));
      return discarded !== null;
    },

    submit: async (input) => {
      const session = get().session;
      if (!session || get().submitting) return;
      await runSubmission((onChunk) => api.drillsSubmit({ ...input, sessionId: session.id }, { onChunk }), 'Could not submit your answer');
    },

    retry: async (failedSessionId) => {
      if (get().submitting) return;
      await runSubmission((onChunk) => api.drillsRetry({ sessionId: failedSessionId }, { onChunk }), 'Could not try again');
    },

    loadResult: async (sessionId) => {
      set({ unreadableResult: null });
      // A session still being evaluated (or just stopped) is read again until it is COMPLETED or FAILED, for up to 15 s.
      for (let attempt = 0; attempt < RESULT_READS; attempt++) {
        const known = get().results[sessionId];
        if (known && isFinal(known.session.status)) return;
        if (attempt > 0) await new Promise((resolve) => window.setTimeout(resolve, RESULT_READ_INTERVAL_MS));
        const result = await request(() => api.drillsResult({ sessionId }), 'Could not open the drill result');
        if (!result) {
          set({ unreadableResult: sessionId });
          return;
        }
        set((s) => ({ results: { ...s.results, [sessionId]: result } }));
      }
    },

    loadProgress: async () => {
      const progress = await request(() => api.drillsProgress({}), 'Could not load your drill progress');
      if (progress) set({ progress });
    },
  };
});
