/**
 * Reopening a session in the practice store, with a fake api (as after a reload): an ended session shows its summary
 * again, under its own mode, and one whose summary cannot be loaded says so instead of "Loading…" for ever; an answer
 * chosen but not checked is chosen again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AttemptResult, ServedQuestion, SessionInfo, SessionSummary } from '../../../shared/ipc/contract';

const fake = vi.hoisted(() => ({ practiceNext: vi.fn(), practiceEnd: vi.fn(), practiceAnswer: vi.fn() }));
vi.mock('../api', () => ({ api: fake }));
vi.mock('../library/libraryStore', () => ({ useLibrary: { getState: () => ({ load: () => Promise.resolve() }) } }));
vi.mock('../shell/routerStore', () => ({ useRouter: { getState: () => ({ navigate: vi.fn() }) } }));

const { usePractice } = await import('./practiceStore');

const ended: SessionInfo = {
  id: '0190a0b0-0000-7000-8000-000000000002',
  skillId: '0190a0b0-0000-7000-8000-000000000003',
  skillTitle: 'Fractions',
  mode: 'test',
  questionCount: 8,
  answeredCount: 8,
  correctCount: 6,
  startedUtcMs: 1,
  endedUtcMs: 2,
};
const summary: SessionSummary = {
  session: ended,
  score: 0.75,
  unansweredCount: 0,
  answers: [],
  xpGained: 60,
  profile: { xp: 60, level: 0, streak: 1, lastActiveUtcMs: 2 },
};

beforeEach(() => {
  fake.practiceNext.mockResolvedValue({ ok: true, value: { question: null, session: ended } });
  usePractice.setState({ phase: 'idle', session: null, question: null, result: null, summary: null, unavailableReason: null, busy: false });
});

describe('reopening an ended session', () => {
  it('shows its summary, as core gives it for an ended session', async () => {
    fake.practiceEnd.mockResolvedValue({ ok: true, value: summary });
    await usePractice.getState().open(ended.id);
    const state = usePractice.getState();
    expect(fake.practiceEnd).toHaveBeenCalledWith({ sessionId: ended.id });
    expect(state.phase).toBe('summary');
    expect(state.summary).toEqual(summary);
    expect(state.session?.mode).toBe('test');
  });

  it('says the summary could not be loaded when core refuses it, and keeps the session for the heading', async () => {
    fake.practiceEnd.mockResolvedValue({ ok: false, error: { code: 'busy', message: 'The database is busy.' } });
    await usePractice.getState().open(ended.id);
    const state = usePractice.getState();
    expect(state.phase).toBe('unavailable');
    expect(state.unavailableReason).toBe('its summary could not be loaded.');
    expect(state.session?.mode).toBe('test');
  });
});

describe('an answer chosen but not checked', () => {
  const running: SessionInfo = { ...ended, id: '0190a0b0-0000-7000-8000-000000000004', mode: 'practice', answeredCount: 2, endedUtcMs: null };
  const mcq: ServedQuestion = { id: 'q-mcq', type: 'mcq_single', prompt: 'Which is 5 in binary?', choices: ['100', '101', '110'] };
  const reorder: ServedQuestion = { id: 'q-order', type: 'reorder_steps', prompt: 'Order the steps.', steps: ['A', 'B', 'C'], initialOrder: [1, 0, 2] };
  // The window's sessionStorage, which outlives a reload.
  const storage = new Map<string, string>();
  const serve = (question: ServedQuestion) => fake.practiceNext.mockResolvedValue({ ok: true, value: { question, session: running } });
  /** A reload: a fresh store opens the session from its address. */
  const reload = async () => {
    usePractice.setState({ phase: 'idle', session: null, question: null, choice: null, order: [], result: null, busy: false });
    await usePractice.getState().open(running.id);
  };

  beforeEach(() => {
    storage.clear();
    fake.practiceAnswer.mockReset();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
      removeItem: (key: string) => storage.delete(key),
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is chosen again after a reload; nothing is recorded until Check answer, after which nothing is kept', async () => {
    serve(mcq);
    await reload();
    expect(usePractice.getState().choice).toBeNull();
    usePractice.getState().choose(1);
    await reload();
    expect(usePractice.getState()).toMatchObject({ phase: 'answering', question: mcq, choice: 1 });
    expect(fake.practiceAnswer).not.toHaveBeenCalled();

    const result: AttemptResult = { attemptId: 'a', isCorrect: true, solution: { choice: 1 }, explanation: null, session: { ...running, answeredCount: 3 } };
    fake.practiceAnswer.mockResolvedValue({ ok: true, value: result });
    await usePractice.getState().submit();
    expect(fake.practiceAnswer).toHaveBeenCalledWith({ sessionId: running.id, questionId: mcq.id, answer: { choice: 1 } });
    // The same question served again (as a later session might) starts with nothing chosen.
    await reload();
    expect(usePractice.getState().choice).toBeNull();
  });

  it('keeps a reorder question’s order, and is kept when the check fails', async () => {
    serve(reorder);
    await reload();
    usePractice.getState().setOrder([2, 0, 1]);
    fake.practiceAnswer.mockResolvedValue({ ok: false, error: { code: 'busy', message: 'The database is busy.' } });
    await usePractice.getState().submit();
    await reload();
    expect(usePractice.getState().order).toEqual([2, 0, 1]);
  });

  it('is not restored on another question, nor when it no longer fits the question', async () => {
    serve(mcq);
    await reload();
    usePractice.getState().choose(2);
    serve({ ...mcq, id: 'q-other' });
    await reload();
    expect(usePractice.getState().choice).toBeNull();

    serve(mcq);
    await reload();
    expect(usePractice.getState().choice).toBe(2);
    serve({ ...mcq, choices: ['100', '101'] });
    await reload();
    expect(usePractice.getState().choice).toBeNull();

    serve(reorder);
    await reload();
    usePractice.getState().setOrder([2, 0, 1]);
    serve({ ...reorder, steps: ['A', 'B', 'C', 'D'], initialOrder: [3, 1, 0, 2] });
    await reload();
    expect(usePractice.getState().order).toEqual([3, 1, 0, 2]);
  });
});
