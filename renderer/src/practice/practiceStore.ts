/** The practice feature's state: the open session, the question being answered, the learner's answer, feedback and summary. */
import { create } from 'zustand';
import { toAppError } from '../../../shared/errors';
import type { AttemptResult, ReviewRating, ServedQuestion, SessionInfo, SessionSummary, SkillSessionMode } from '../../../shared/ipc/contract';
import { api } from '../api';
import { useLibrary } from '../library/libraryStore';
import { request } from '../shell/request';
import { useRouter } from '../shell/routerStore';
import { answerDraftFor, clearAnswerDraft, saveAnswerDraft } from './answerDraft';

export type PracticePhase = 'idle' | 'loading' | 'answering' | 'feedback' | 'summary' | 'unavailable';

type PracticeState = {
  phase: PracticePhase;
  session: SessionInfo | null;
  question: ServedQuestion | null;
  /** The chosen option of an MCQ (index into choices). */
  choice: number | null;
  /** The learner's current order of a reorder question (indices into steps). */
  order: number[];
  result: AttemptResult | null;
  summary: SessionSummary | null;
  /** Why a session could not be opened (the main side's message), when phase is 'unavailable'. */
  unavailableReason: string | null;
  busy: boolean;
  /** Hard or Easy, once the learner rated the correct review answer shown (Good when they did not). */
  rated: ReviewRating | null;
  start: (skillId: string, mode: SkillSessionMode) => Promise<void>;
  /** A review session of the questions due today, across skills. */
  startReview: () => Promise<void>;
  /** A practice session of the questions the ended session missed. */
  retryMissed: (sessionId: string) => Promise<void>;
  rate: (rating: ReviewRating) => Promise<void>;
  open: (sessionId: string) => Promise<void>;
  next: () => Promise<void>;
  choose: (choice: number) => void;
  setOrder: (order: number[]) => void;
  submit: () => Promise<void>;
  end: () => Promise<void>;
};

export const usePractice = create<PracticeState>((set, get) => {
  // Opens a session the main side just started: its page, then its first question.
  const begin = async (started: () => ReturnType<typeof api.practiceStart>) => {
    if (get().busy) return;
    set({ busy: true });
    const session = await request(started, 'Could not start the session');
    set({ busy: false });
    if (!session) return;
    set({ phase: 'loading', session, question: null, result: null, summary: null });
    useRouter.getState().navigate({ name: 'practice', sessionId: session.id });
    await get().next();
  };

  // A question shows with the answer the learner chose before a reload, if any (answerDraft.ts).
  const showQuestion = (question: ServedQuestion | null, session: SessionInfo) => {
    set({
      session,
      question,
      result: null,
      rated: null,
      ...(question ? answerDraftFor(session.id, question) : { choice: null, order: [] }),
      phase: question ? 'answering' : get().phase,
    });
  };

  // Keeps the answer being chosen for a reload; nothing is recorded until it is checked.
  const keepDraft = () => {
    const { session, question, choice, order } = get();
    if (session && question) saveAnswerDraft(session.id, question.id, { choice, order });
  };

  return {
    phase: 'idle',
    session: null,
    question: null,
    choice: null,
    order: [],
    result: null,
    summary: null,
    unavailableReason: null,
    busy: false,
    rated: null,

    start: (skillId, mode) => begin(() => api.practiceStart({ skillId, mode })),
    startReview: () => begin(() => api.practiceReview({})),
    retryMissed: (sessionId) => begin(() => api.practiceRetry({ sessionId })),

    rate: async (rating) => {
      const { result, busy } = get();
      if (!result || busy) return;
      set({ busy: true });
      const rated = await request(() => api.practiceRate({ attemptId: result.attemptId, rating }), 'Could not save your rating');
      set({ busy: false });
      if (rated) set({ rated: rating });
    },

    open: async (sessionId) => {
      if (get().session?.id === sessionId && get().phase !== 'idle') return;
      set({ phase: 'loading', session: null, question: null, result: null, summary: null, unavailableReason: null });
      // Resuming after a reload: the main side knows where the session stands.
      const next = await api.practiceNext({ sessionId }).catch((err: unknown) => ({ ok: false as const, error: toAppError(err) }));
      if (!next.ok) {
        // A malformed or unknown id in the address is a session that does not exist, not a developer's validation text.
        const missing = next.error.code === 'invalid_input' || next.error.code === 'not_found';
        set({ phase: 'unavailable', unavailableReason: missing ? null : next.error.message });
        return;
      }
      const { question, session } = next.value;
      if (question) {
        showQuestion(question, session);
        return;
      }
      // Nothing left to answer, or a reload on the summary of an ended session: core gives an ended session's summary
      // as it stands (ending again changes nothing), so the learner finds the summary they were reading.
      set({ session });
      await get().end();
      if (get().phase !== 'summary') set({ phase: 'unavailable', unavailableReason: 'its summary could not be loaded.' });
    },

    next: async () => {
      const session = get().session;
      if (!session || get().busy) return;
      set({ busy: true });
      const next = await request(() => api.practiceNext({ sessionId: session.id }), 'Could not load the next question');
      set({ busy: false });
      if (!next) return;
      if (next.question) showQuestion(next.question, next.session);
      else {
        set({ session: next.session });
        await get().end();
      }
    },

    choose: (choice) => {
      const { question, phase } = get();
      if (phase !== 'answering' || question?.type !== 'mcq_single') return;
      if (choice >= 0 && choice < question.choices.length) {
        set({ choice });
        keepDraft();
      }
    },

    setOrder: (order) => {
      if (get().phase !== 'answering') return;
      set({ order });
      keepDraft();
    },

    submit: async () => {
      const { session, question, choice, order, busy, phase } = get();
      if (!session || !question || busy || phase !== 'answering') return;
      if (question.type === 'mcq_single' && choice === null) return;
      const answer = question.type === 'mcq_single' ? { choice: choice ?? 0 } : { order };
      set({ busy: true });
      const result = await request(
        () => api.practiceAnswer({ sessionId: session.id, questionId: question.id, answer }),
        'Your answer could not be saved',
      );
      set({ busy: false });
      if (!result) return;
      clearAnswerDraft(session.id);
      set({ result, session: result.session, phase: 'feedback' });
    },

    end: async () => {
      const { session, busy } = get();
      if (!session || busy) return;
      set({ busy: true });
      const summary = await request(() => api.practiceEnd({ sessionId: session.id }), 'Could not finish the session');
      set({ busy: false });
      if (!summary) return;
      clearAnswerDraft(session.id);
      set({ summary, session: summary.session, question: null, result: null, phase: 'summary' });
      // The tree shows progress; it changed.
      void useLibrary.getState().load();
    },
  };
});
