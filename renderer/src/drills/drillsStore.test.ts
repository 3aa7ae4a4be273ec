/**
 * The runner's answer in the drills store, with a fake api: Start opens an empty answer with the page's start time, the
 * text typed is kept with the session, and leaving the drill for another screen and opening the same question again
 * (the runner remounts) finds the same text and start time, so neither the draft nor "Time since Start" is lost.
 * Opening another question, or a finished submission, lets the answer go with its session. A question or result that
 * cannot be read is marked so, so its screen stops saying "Loading…".
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrillQuestion, DrillResult, DrillSession } from '../../../shared/ipc/contract';
import { stubWindowTimers } from '../test-support/window-timers';

const fake = vi.hoisted(() => ({
  drillsQuestion: vi.fn(),
  drillsStart: vi.fn(),
  drillsSubmit: vi.fn(),
  drillsResult: vi.fn(),
  drillsUnfinished: vi.fn(),
  drillsSaveDraft: vi.fn(),
  drillsDiscardDraft: vi.fn(),
}));
vi.mock('../api', () => ({ api: fake }));
const navigate = vi.hoisted(() => vi.fn());
vi.mock('../shell/routerStore', () => ({ useRouter: { getState: () => ({ navigate }) } }));

const { DRAFT_SAVE_DELAY_MS, resultAnnouncement, useDrills } = await import('./drillsStore');

const question = (id: string): DrillQuestion => ({
  id,
  category: 'Problem solving',
  prompt: `Question ${id}?`,
  expectedDurationS: 120,
  lastScore: null,
  lastCompletedUtcMs: null,
  evaluationCriteria: [],
});
const session: DrillSession = {
  id: '0190a0b0-0000-7000-8000-000000000001',
  questionId: 'q1',
  contentPackVersion: '2.0.0',
  status: 'STARTED',
  startedUtcMs: 1,
  submittedUtcMs: null,
  completedUtcMs: null,
  processingTimeMs: null,
};

beforeEach(() => {
  stubWindowTimers();
  fake.drillsUnfinished.mockResolvedValue({ ok: true, value: null });
  fake.drillsSaveDraft.mockResolvedValue({ ok: true, value: { saved: true } });
  fake.drillsDiscardDraft.mockImplementation(({ sessionId }: { sessionId: string }) => Promise.resolve({ ok: true, value: { sessionId } }));
  fake.drillsSaveDraft.mockClear();
  fake.drillsQuestion.mockImplementation(({ questionId }: { questionId: string }) => Promise.resolve({ ok: true, value: question(questionId) }));
  fake.drillsStart.mockResolvedValue({ ok: true, value: session });
  useDrills.setState({ question: null, session: null, answer: null, unfinished: null, discarding: false, submitting: null, stopSubmission: null, results: {}, unreadableQuestion: null, unreadableResult: null });
});

describe('the answer being written', () => {
  it('is kept with its session when the learner leaves the drill and opens the same question again', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      await useDrills.getState().openQuestion('q1');
      expect(await useDrills.getState().start()).toBe(true);
      expect(useDrills.getState().answer).toEqual({ sessionId: session.id, startedMs: 1_000_000, text: '', firstKeyMs: null, mode: 'written', recording: null });

      vi.setSystemTime(1_004_000);
      useDrills.getState().setAnswerText('First I sorted');
      vi.setSystemTime(1_009_000);
      useDrills.getState().setAnswerText('First I sorted the tickets');

      // Another screen, then the same question again: the runner mounts anew and reads the store.
      await useDrills.getState().openQuestion('q1');
      expect(useDrills.getState().session).toEqual(session);
      expect(useDrills.getState().answer).toEqual({
        sessionId: session.id,
        startedMs: 1_000_000,
        text: 'First I sorted the tickets',
        // The typing time still counts from the first keystroke.
        firstKeyMs: 1_004_000,
        mode: 'written',
        recording: null,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('goes with its session when another question is opened', async () => {
    await useDrills.getState().openQuestion('q1');
    await useDrills.getState().start();
    useDrills.getState().setAnswerText('An answer to q1');
    await useDrills.getState().openQuestion('q2');
    expect(useDrills.getState().session).toBeNull();
    expect(useDrills.getState().answer).toBeNull();
    // Nothing to keep without a session.
    useDrills.getState().setAnswerText('typed nowhere');
    expect(useDrills.getState().answer).toBeNull();
  });

  it('goes with its session once the answer is evaluated', async () => {
    await useDrills.getState().openQuestion('q1');
    await useDrills.getState().start();
    useDrills.getState().setAnswerText('First I sorted the tickets');
    const result = { session: { ...session, status: 'COMPLETED' } } as DrillResult;
    fake.drillsSubmit.mockReturnValue({ done: Promise.resolve({ ok: true, value: result }), cancel: vi.fn() });
    await useDrills.getState().submit({ mode: 'written', transcript: 'First I sorted the tickets', typingTimeMs: 0 });
    expect(useDrills.getState().answer).toBeNull();
    expect(navigate).toHaveBeenCalledWith({ name: 'drill-result', sessionId: session.id });
  });
});

describe('the answer kept in core (a reload loses nothing)', () => {
  const draft = { mode: 'spoken', transcript: 'First I sorted', recording: { audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000c.webm', durationS: 12 }, elapsedMs: 95_000, typingMs: 40_000 } as const;

  it('is saved once typing pauses, as durations (time since Start and since the first keystroke)', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      await useDrills.getState().openQuestion('q1');
      await useDrills.getState().start();
      vi.setSystemTime(1_004_000);
      useDrills.getState().setAnswerText('First');
      vi.setSystemTime(1_004_200);
      useDrills.getState().setAnswerText('First I sorted');
      expect(fake.drillsSaveDraft).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS);
      expect(fake.drillsSaveDraft).toHaveBeenCalledTimes(1);
      expect(fake.drillsSaveDraft).toHaveBeenCalledWith({
        sessionId: session.id,
        draft: { mode: 'written', transcript: 'First I sorted', recording: null, elapsedMs: 4_700, typingMs: 700 },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('is offered after a reload and continues with its text, recording and times counting on from where they were', async () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['Date'] });
    try {
      fake.drillsUnfinished.mockResolvedValueOnce({ ok: true, value: { session, draft } });
      await useDrills.getState().openQuestion('q1');
      expect(useDrills.getState().unfinished).toEqual({ session, draft });
      expect(useDrills.getState().answer).toBeNull();
      expect(useDrills.getState().resume()).toBe(true);
      expect(useDrills.getState().session).toEqual(session);
      expect(useDrills.getState().unfinished).toBeNull();
      expect(useDrills.getState().answer).toEqual({
        sessionId: session.id,
        startedMs: 5_000_000 - 95_000,
        text: 'First I sorted',
        firstKeyMs: 5_000_000 - 40_000,
        mode: 'spoken',
        recording: draft.recording,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('is dropped only by the explicit discard, and a second press while it runs is ignored', async () => {
    fake.drillsUnfinished.mockResolvedValueOnce({ ok: true, value: { session, draft } });
    await useDrills.getState().openQuestion('q1');
    const first = useDrills.getState().discard();
    expect(useDrills.getState().discarding).toBe(true);
    expect(await useDrills.getState().discard()).toBe(false);
    expect(await first).toBe(true);
    expect(fake.drillsDiscardDraft).toHaveBeenCalledTimes(1);
    expect(fake.drillsDiscardDraft).toHaveBeenCalledWith({ sessionId: session.id });
    expect(useDrills.getState()).toMatchObject({ unfinished: null, discarding: false, answer: null });
    expect(useDrills.getState().resume()).toBe(false);
  });

  it('is saved at once when another question is opened, before the answer goes from memory', async () => {
    await useDrills.getState().openQuestion('q1');
    await useDrills.getState().start();
    useDrills.getState().setAnswerText('An answer to q1');
    await useDrills.getState().openQuestion('q2');
    expect(fake.drillsSaveDraft).toHaveBeenCalledTimes(1);
    expect(fake.drillsSaveDraft.mock.calls[0]![0]).toMatchObject({ sessionId: session.id, draft: { transcript: 'An answer to q1' } });
  });
});

describe('the result of a submission', () => {
  it("is announced with its score when it arrives, through the shell's polite live region", async () => {
    const { useShell } = await import('../shell/shellStore');
    await useDrills.getState().openQuestion('q1');
    await useDrills.getState().start();
    const result = { session: { ...session, status: 'COMPLETED' }, evaluation: { overallScore: 72 } } as DrillResult;
    fake.drillsSubmit.mockReturnValue({ done: Promise.resolve({ ok: true, value: result }), cancel: vi.fn() });
    await useDrills.getState().submit({ mode: 'written', transcript: 'First I sorted the tickets', typingTimeMs: 0 });
    await expect.poll(() => useShell.getState().politeMessage).toBe('Evaluated: 72 of 100.');
  });

  it('says that the evaluation failed when it ends FAILED', () => {
    expect(resultAnnouncement({ session: { ...session, status: 'FAILED' }, evaluation: null } as DrillResult)).toBe('The evaluation failed.');
  });
});

describe('a question or result that cannot be read', () => {
  const notFound = { ok: false, error: { code: 'not_found', message: 'Not in the active drill pack.' } } as const;

  it('is marked unreadable (the runner then says so, not "Loading the question…"), until it is opened again and read', async () => {
    fake.drillsQuestion.mockResolvedValueOnce(notFound);
    await useDrills.getState().openQuestion('gone');
    expect(useDrills.getState().question).toBeNull();
    expect(useDrills.getState().unreadableQuestion).toBe('gone');
    await useDrills.getState().openQuestion('gone');
    expect(useDrills.getState().question?.id).toBe('gone');
    expect(useDrills.getState().unreadableQuestion).toBeNull();
  });

  it('marks the result of an unknown session unreadable, and a later read clears it', async () => {
    fake.drillsResult.mockResolvedValueOnce(notFound);
    await useDrills.getState().loadResult(session.id);
    expect(useDrills.getState().unreadableResult).toBe(session.id);
    const result = { session: { ...session, status: 'COMPLETED' } } as DrillResult;
    fake.drillsResult.mockResolvedValueOnce({ ok: true, value: result });
    await useDrills.getState().loadResult(session.id);
    expect(useDrills.getState().results[session.id]).toBe(result);
    expect(useDrills.getState().unreadableResult).toBeNull();
  });
});
