/**
 * Reopening a session in the practice store, with a fake api (as after a reload): an ended session shows its summary
 * again, under its own mode, and one whose summary cannot be loaded says so instead of "Loading…" for ever.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo, SessionSummary } from '../../../shared/ipc/contract';

const fake = vi.hoisted(() => ({ practiceNext: vi.fn(), practiceEnd: vi.fn() }));
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
