/**
 * The drills feature's state: the catalogue (the active pack's questions with last scores, and this learner's
 * access), the runner's session, and the submission as it passes SUBMITTED and PROCESSING to its result.
 */
import { create } from 'zustand';
import { toAppError } from '../../../shared/errors';
import type { Result, StreamCall } from '../../../shared/ipc/api';
import type { DrillCatalog, DrillProgress, DrillQuestion, DrillResult, DrillSession, DrillStatus, DrillSubmitChunk, DrillSubmitInput } from '../../../shared/ipc/contract';
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

/** A submission without its session id (the store adds the current one), typed or spoken. */
export type ResponseInput =
  | Omit<Extract<DrillSubmitInput, { mode: 'written' }>, 'sessionId'>
  | Omit<Extract<DrillSubmitInput, { mode: 'spoken' }>, 'sessionId'>;

/**
 * The runner's typed answer so far, kept with its session (not in the form) so that leaving the screen mid-drill and
 * coming back loses neither the text nor the time since Start. Times are the page's clock.
 */
export type AnswerDraft = { sessionId: string; startedMs: number; text: string; firstKeyMs: number | null };

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
  /** Keeps the answer's text (the first change also starts its typing time). */
  setAnswerText: (text: string) => void;
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
  start: () => Promise<boolean>;
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
  const onStatus = (status: DrillStatus) => {
    set({ submitting: status });
    useShell.getState().announce(statusText(status));
  };
  const finished = (result: DrillResult) => {
    set((s) => ({ submitting: null, session: null, answer: null, results: { ...s.results, [result.session.id]: result } }));
    useRouter.getState().navigate({ name: 'drill-result', sessionId: result.session.id });
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
      if (get().question?.id !== questionId) set({ question: null, session: null, answer: null, submitting: null });
      set({ unreadableQuestion: null });
      const question = await request(() => api.drillsQuestion({ questionId }), 'Could not open the drill');
      set(question ? { question } : { unreadableQuestion: questionId });
    },

    start: async () => {
      const question = get().question;
      if (!question) return false;
      const session = await request(() => api.drillsStart({ questionId: question.id }), 'Could not start the drill');
      if (!session) return false;
      set({ session, answer: { sessionId: session.id, startedMs: Date.now(), text: '', firstKeyMs: null } });
      return true;
    },

    setAnswerText: (text) => {
      set((s) => (s.answer ? { answer: { ...s.answer, text, firstKeyMs: s.answer.firstKeyMs ?? Date.now() } } : {}));
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
