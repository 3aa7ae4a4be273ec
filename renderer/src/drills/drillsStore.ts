/**
 * The drills feature's state: the catalogue (the active pack's questions with last scores, and this learner's
 * access), the runner's session, and the submission as it passes SUBMITTED and PROCESSING to its result.
 */
import { create } from 'zustand';
import type { DrillCatalog, DrillProgress, DrillQuestion, DrillResult, DrillSession, DrillStatus, DrillSubmitInput } from '../../../shared/ipc/contract';
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

type DrillsState = {
  catalog: DrillCatalog | null;
  loading: boolean;
  /** The runner's question and session (null before Start). */
  question: DrillQuestion | null;
  session: DrillSession | null;
  /** The status of the submission in flight (SUBMITTED, PROCESSING), null when none is. */
  submitting: DrillStatus | null;
  /** Results by session id, as they arrive or are opened. */
  results: Record<string, DrillResult>;
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
    set((s) => ({ submitting: null, session: null, results: { ...s.results, [result.session.id]: result } }));
    useRouter.getState().navigate({ name: 'drill-result', sessionId: result.session.id });
  };

  return {
    catalog: null,
    loading: false,
    question: null,
    session: null,
    submitting: null,
    results: {},
    progress: null,

    loadCatalog: async () => {
      set({ loading: true });
      const catalog = await request(() => api.drillsList({}), 'Could not load the drills');
      set({ loading: false, ...(catalog ? { catalog } : {}) });
    },

    openQuestion: async (questionId) => {
      if (get().question?.id !== questionId) set({ question: null, session: null, submitting: null });
      const question = await request(() => api.drillsQuestion({ questionId }), 'Could not open the drill');
      if (question) set({ question });
    },

    start: async () => {
      const question = get().question;
      if (!question) return false;
      const session = await request(() => api.drillsStart({ questionId: question.id }), 'Could not start the drill');
      if (!session) return false;
      set({ session });
      return true;
    },

    submit: async (input) => {
      const session = get().session;
      if (!session || get().submitting) return;
      set({ submitting: 'STARTED' });
      const result = await request(
        () => api.drillsSubmit({ ...input, sessionId: session.id }, { onChunk: (chunk) => onStatus(chunk.status) }).done,
        'Could not submit your answer',
      );
      if (result) finished(result);
      else set({ submitting: null });
    },

    retry: async (failedSessionId) => {
      if (get().submitting) return;
      set({ submitting: 'STARTED' });
      const result = await request(
        () => api.drillsRetry({ sessionId: failedSessionId }, { onChunk: (chunk) => onStatus(chunk.status) }).done,
        'Could not try again',
      );
      if (result) finished(result);
      else set({ submitting: null });
    },

    loadResult: async (sessionId) => {
      if (get().results[sessionId]) return;
      const result = await request(() => api.drillsResult({ sessionId }), 'Could not open the drill result');
      if (result) set((s) => ({ results: { ...s.results, [sessionId]: result } }));
    },

    loadProgress: async () => {
      const progress = await request(() => api.drillsProgress({}), 'Could not load your drill progress');
      if (progress) set({ progress });
    },
  };
});
