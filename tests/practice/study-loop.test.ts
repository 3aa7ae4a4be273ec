/**
 * The study loop with the real SQLite: FSRS memory states written with each answer (and queued for sync in the same
 * transaction), review sessions of what is due today, most overdue first, bounded by the daily limit, the optional
 * Hard/Easy rating, the rollover hour, Today's figures, recall, and the local merge of memory states.
 */
import { createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { createPractice, type StudySettings } from '../../electron/core/practice/practice';
import { createLocalMerge } from '../../electron/core/sync/local-merge';
import type { LocalRow } from '../../electron/core/sync/registry';
import { ManualClock } from '../helpers/clock';
import { errorOf } from '../helpers/failures';
import { openSampleDatabase, skillWithBothTypes, type SkillWithQuestions } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const MINUTE = 60_000;

function setup(study: Partial<StudySettings> = {}, timeZone = 'UTC') {
  // 09:00 UTC on Nov 2, 2026.
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
  const opened = openSampleDatabase(tempDir(), clock);
  const settings: StudySettings = { rolloverHour: 4, desiredRetention: 0.9, dailyReviewLimit: 100, ...study };
  const practice = createPractice(opened.sqlite, { clock, timeZone: () => timeZone, studySettings: () => settings });
  return { clock, sqlite: opened.sqlite, practice, skill: skillWithBothTypes(opened), settings };
}

type Setup = ReturnType<typeof setup>;

/** Answers every question of the skill in one practice session: the ones in `wrong` wrongly, the rest right. */
function practiseSkill({ practice, clock }: Setup, skill: SkillWithQuestions, wrong: Set<string> = new Set()) {
  const session = practice.startSession(skill.skillId, 'practice');
  for (;;) {
    const { question } = practice.nextQuestion(session.id);
    if (!question) break;
    clock.advance(1000);
    practice.recordAttempt(session.id, question.id, answerFor(skill, question.id, !wrong.has(question.id)));
  }
  practice.endSession(session.id);
}

function answerFor(skill: SkillWithQuestions, questionId: string, right: boolean) {
  const mcq = skill.mcq.find((q) => q.id === questionId);
  if (mcq) return { choice: right ? mcq.solution_index : (mcq.solution_index + 1) % mcq.choices };
  const reorder = skill.reorder.find((q) => q.id === questionId)!;
  return { order: right ? reorder.solution : [...reorder.solution].reverse() };
}

/** The right answer of any question, from its stored solution. */
function rightAnswer(sqlite: Setup['sqlite'], questionId: string) {
  const payload = JSON.parse(sqlite.prepare('SELECT payload FROM questions WHERE id = ?').pluck().get(questionId) as string) as {
    solution_index?: number;
    solution?: number[];
  };
  return payload.solution ? { order: payload.solution } : { choice: payload.solution_index! };
}

const stateOf = (sqlite: Setup['sqlite'], questionId: string) =>
  sqlite.prepare('SELECT * FROM memory_states WHERE question_id = ?').get(questionId) as LocalRow<'memory_states'>;

describe('FSRS memory states', () => {
  it('gives each answered question the state ts-fsrs computes, Good when right and Again when wrong, queued with the attempt', () => {
    const t = setup();
    const [right, wrong] = [t.skill.mcq[0]!, t.skill.reorder[0]!];
    const session = t.practice.startSession(t.skill.skillId, 'practice');
    const at = t.clock.now();
    t.practice.recordAttempt(session.id, right.id, answerFor(t.skill, right.id, true));
    t.practice.recordAttempt(session.id, wrong.id, answerFor(t.skill, wrong.id, false));

    const scheduler = fsrs({ request_retention: 0.9, enable_fuzz: false });
    const good = scheduler.next(createEmptyCard(new Date(at)), new Date(at), Rating.Good).card;
    const again = scheduler.next(createEmptyCard(new Date(at)), new Date(at), Rating.Again).card;
    expect(stateOf(t.sqlite, right.id)).toMatchObject({ due_utc_ms: good.due.getTime(), stability: good.stability, reps: 1, lapses: 0, last_review_utc_ms: at });
    expect(stateOf(t.sqlite, wrong.id)).toMatchObject({ due_utc_ms: again.due.getTime(), stability: again.stability, reps: 1 });
    expect(stateOf(t.sqlite, right.id).due_utc_ms).toBeGreaterThan(stateOf(t.sqlite, wrong.id).due_utc_ms);

    // Each answer queued its memory state beside its attempt.
    const queued = t.sqlite.prepare("SELECT row_id FROM outbox WHERE table_name = 'memory_states' ORDER BY ts_utc_ms").pluck().all();
    expect(queued).toEqual([stateOf(t.sqlite, right.id).id, stateOf(t.sqlite, wrong.id).id]);
  });

  it('follows the desired retention: a higher one brings a reviewed question back sooner', () => {
    const intervals = [0.8, 0.95].map((desiredRetention) => {
      const t = setup({ desiredRetention });
      const q = t.skill.mcq[0]!;
      for (let i = 0; i < 3; i++) {
        const session = t.practice.startSession(t.skill.skillId, 'practice');
        t.practice.recordAttempt(session.id, q.id, answerFor(t.skill, q.id, true));
        t.practice.endSession(session.id);
        t.clock.set(stateOf(t.sqlite, q.id).due_utc_ms);
      }
      const state = stateOf(t.sqlite, q.id);
      return state.due_utc_ms - state.last_review_utc_ms;
    });
    expect(intervals[1]).toBeLessThan(intervals[0]!);
  });
});

describe('review sessions', () => {
  it('says so when nothing is due', () => {
    const t = setup();
    expect(errorOf(() => t.practice.startReview())).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Nothing is due/) });
  });

  it('serves the questions due today across skills, most overdue first, each once', () => {
    const t = setup();
    practiseSkill(t, t.skill, new Set([t.skill.reorder[0]!.id]));
    t.clock.advance(3 * DAY);
    const dueBefore = t.sqlite.prepare('SELECT question_id, due_utc_ms FROM memory_states ORDER BY due_utc_ms, question_id').all() as Array<{ question_id: string; due_utc_ms: number }>;
    const session = t.practice.startReview();
    expect(session).toMatchObject({ mode: 'review', skillId: null, questionCount: dueBefore.length });

    const served: string[] = [];
    for (;;) {
      const { question } = t.practice.nextQuestion(session.id);
      if (!question) break;
      served.push(question.id);
      t.clock.advance(1000);
      t.practice.recordAttempt(session.id, question.id, answerFor(t.skill, question.id, true));
    }
    expect(served).toEqual(dueBefore.map((d) => d.question_id));
    // Everything was reviewed and rescheduled after now.
    expect(t.sqlite.prepare('SELECT COUNT(*) FROM memory_states WHERE due_utc_ms <= ?').pluck().get(t.clock.now())).toBe(0);
    // Progress's history names it a review, not a removed skill.
    t.practice.endSession(session.id);
    expect(t.practice.overview().history[0]).toMatchObject({ sessionId: session.id, skillTitle: 'Review' });
  });

  it('holds at most the daily limit, counting reviews already done today', () => {
    const t = setup({ dailyReviewLimit: 2 });
    practiseSkill(t, t.skill);
    t.clock.advance(5 * DAY);
    const first = t.practice.startReview();
    expect(first.questionCount).toBe(2);
    const { question } = t.practice.nextQuestion(first.id);
    t.practice.recordAttempt(first.id, question!.id, answerFor(t.skill, question!.id, true));
    t.practice.endSession(first.id);
    expect(t.practice.today().reviews).toMatchObject({ reviewedToday: 1, availableNow: 1, dailyLimit: 2 });
    const second = t.practice.startReview();
    expect(second.questionCount).toBe(1);
    const next = t.practice.nextQuestion(second.id).question!;
    t.practice.recordAttempt(second.id, next.id, answerFor(t.skill, next.id, true));
    expect(t.practice.nextQuestion(second.id).question).toBeNull();
    expect(errorOf(() => t.practice.startReview()).message).toMatch(/daily limit/);
    // The next study day starts at the rollover hour, with a fresh limit.
    t.clock.advance(DAY);
    expect(t.practice.startReview().questionCount).toBe(2);
  });

  it('says a limit of one review in the singular when it refuses a review session', () => {
    const t = setup({ dailyReviewLimit: 1 });
    practiseSkill(t, t.skill);
    t.clock.advance(5 * DAY);
    const session = t.practice.startReview();
    const { question } = t.practice.nextQuestion(session.id);
    t.practice.recordAttempt(session.id, question!.id, answerFor(t.skill, question!.id, true));
    expect(errorOf(() => t.practice.startReview()).message).toBe(
      "You have done today's 1 review (the daily limit in Settings). The rest come back tomorrow.",
    );
  });

  it('refuses an answer to a question that has no memory state', () => {
    const t = setup();
    const [studied, other] = [t.skill.mcq[0]!, t.skill.reorder[0]!];
    const practiceSession = t.practice.startSession(t.skill.skillId, 'practice');
    t.practice.recordAttempt(practiceSession.id, studied.id, answerFor(t.skill, studied.id, true));
    const review = t.practice.startReview();
    expect(errorOf(() => t.practice.recordAttempt(review.id, other.id, answerFor(t.skill, other.id, true)))).toMatchObject({
      code: 'not_found',
      details: { path: 'questionId' },
    });
  });

  it('lets a correct review answer be rated Hard or Easy instead of Good, and only that', () => {
    const t = setup();
    practiseSkill(t, t.skill, new Set([t.skill.reorder[0]!.id]));
    t.clock.advance(3 * DAY);
    const session = t.practice.startReview();
    const dues: Record<string, number> = {};
    const ratings = ['good', 'easy', 'hard'] as const;
    for (const rating of ratings) {
      const { question } = t.practice.nextQuestion(session.id);
      t.clock.advance(1000);
      const result = t.practice.recordAttempt(session.id, question!.id, answerFor(t.skill, question!.id, true));
      const good = stateOf(t.sqlite, question!.id);
      if (rating !== 'good') {
        const rated = t.practice.rate(result.attemptId, rating);
        expect(rated.nextDueUtcMs).toBe(stateOf(t.sqlite, question!.id).due_utc_ms);
        // Same review, same count: only its rating changed.
        expect(stateOf(t.sqlite, question!.id)).toMatchObject({ reps: good.reps, last_review_utc_ms: good.last_review_utc_ms });
        expect(stateOf(t.sqlite, question!.id).updated_utc_ms).toBeGreaterThanOrEqual(good.updated_utc_ms);
        if (rating === 'easy') expect(rated.nextDueUtcMs).toBeGreaterThan(good.due_utc_ms);
        if (rating === 'hard') expect(rated.nextDueUtcMs).toBeLessThanOrEqual(good.due_utc_ms);
      }
      dues[rating] = stateOf(t.sqlite, question!.id).due_utc_ms;
    }
    // A wrong answer, or an answer outside a review session, cannot be rated.
    const { question } = t.practice.nextQuestion(session.id);
    if (question) {
      const wrong = t.practice.recordAttempt(session.id, question.id, answerFor(t.skill, question.id, false));
      expect(errorOf(() => t.practice.rate(wrong.attemptId, 'easy'))).toMatchObject({ code: 'conflict' });
    }
    const practiceSession = t.practice.startSession(t.skill.skillId, 'practice');
    const q = t.practice.nextQuestion(practiceSession.id).question!;
    const inPractice = t.practice.recordAttempt(practiceSession.id, q.id, answerFor(t.skill, q.id, true));
    expect(errorOf(() => t.practice.rate(inPractice.attemptId, 'easy'))).toMatchObject({ code: 'conflict' });
  });
});

describe('the study day and Today', () => {
  it('rolls the day over at the rollover hour of the learner zone, for XP today and the streak', () => {
    // Paris is UTC+1 in November; the day rolls over at 04:00 Paris time (03:00 UTC).
    const t = setup({ rolloverHour: 4 }, 'Europe/Paris');
    t.clock.set(Date.UTC(2026, 10, 2, 20, 0)); // 21:00 on Nov 2 in Paris
    practiseSkill(t, t.skill);
    const evening = t.practice.today();
    expect(evening.xpToday).toBeGreaterThan(0);
    expect(evening.streak).toBe(1);
    t.clock.set(Date.UTC(2026, 10, 3, 1, 30)); // 02:30 on Nov 3 in Paris: still the study day of Nov 2
    expect(t.practice.today().xpToday).toBe(evening.xpToday);
    const q = t.skill.mcq[0]!;
    const late = t.practice.startSession(t.skill.skillId, 'practice');
    t.practice.recordAttempt(late.id, q.id, answerFor(t.skill, q.id, true));
    t.practice.endSession(late.id);
    expect(t.sqlite.prepare('SELECT streak_count, last_active_day FROM profile').get()).toEqual({ streak_count: 1, last_active_day: '2026-11-02' });
    t.clock.set(Date.UTC(2026, 10, 3, 3, 30)); // 04:30 in Paris: a new study day
    const morning = t.practice.today();
    expect(morning.xpToday).toBe(0);
    expect(morning.streak).toBe(1);
    t.clock.advance(2 * DAY); // a missed day breaks the streak
    expect(t.practice.today().streak).toBe(0);
  });

  it('shows the unfinished session, reviews due today, skills not started yet, and the level', () => {
    const t = setup();
    const fresh = t.practice.today();
    expect(fresh).toMatchObject({ unfinishedSession: null, reviews: { dueToday: 0, availableNow: 0 }, streak: 0, xp: 0, level: 0 });
    expect(fresh.suggestedSkills.length).toBe(3);
    const suggested = fresh.suggestedSkills[0]!;

    const session = t.practice.startSession(suggested.skillId, 'practice');
    const q = t.practice.nextQuestion(session.id).question!;
    t.practice.recordAttempt(session.id, q.id, rightAnswer(t.sqlite, q.id));
    const today = t.practice.today();
    expect(today.unfinishedSession).toMatchObject({ id: session.id, answeredCount: 1 });
    expect(today.suggestedSkills.map((s) => s.skillId)).not.toContain(suggested.skillId);
    expect(today.suggestedSkills.length).toBe(3);
    // A question answered right once comes back within minutes (FSRS's learning step): due today.
    expect(today.reviews).toMatchObject({ dueToday: 1, availableNow: 1, reviewedToday: 0 });
    expect(today).toMatchObject({ xpToday: 10, xp: 10, streak: 1 });
    t.practice.endSession(session.id);
    expect(t.practice.today().unfinishedSession).toBeNull();
  });

  it('measures recall from the memory states, decaying with time', () => {
    const t = setup();
    expect(t.practice.recall(t.skill.skillId)).toEqual({ recall: null, reviewedCount: 0 });
    practiseSkill(t, t.skill);
    const now = t.practice.recall(t.skill.skillId);
    expect(now.reviewedCount).toBe(t.skill.mcq.length + t.skill.reorder.length);
    expect(now.recall).toBeGreaterThan(0.9);
    t.clock.advance(30 * DAY);
    expect(t.practice.recall(t.skill.skillId).recall).toBeLessThan(now.recall!);
  });
});

describe('merging memory states from another device', () => {
  it('keeps the state of the latest review, then the one with more reviews, whole', () => {
    const t = setup();
    const q = t.skill.mcq[0]!;
    const session = t.practice.startSession(t.skill.skillId, 'practice');
    t.practice.recordAttempt(session.id, q.id, answerFor(t.skill, q.id, true));
    const local = stateOf(t.sqlite, q.id);
    const merge = createLocalMerge(t.sqlite, 'memory_states');
    const other = { ...local, id: '0195c1a2-0000-7000-8000-000000000001' }; // another device's id for the same question

    // An older review from elsewhere changes nothing.
    merge([{ ...other, last_review_utc_ms: local.last_review_utc_ms - MINUTE, reps: 9, stability: 99 }]);
    expect(stateOf(t.sqlite, q.id)).toEqual(local);
    // Same review time with more reviews wins; the local row keeps its own id.
    merge([{ ...other, reps: 2, stability: 3.5, due_utc_ms: local.due_utc_ms + DAY }]);
    expect(stateOf(t.sqlite, q.id)).toEqual({ ...local, reps: 2, stability: 3.5, due_utc_ms: local.due_utc_ms + DAY });
    // A later review wins whole, even with fewer reviews counted.
    const later = { ...other, last_review_utc_ms: local.last_review_utc_ms + DAY, reps: 1, lapses: 1, stability: 0.5, updated_utc_ms: local.updated_utc_ms + DAY };
    merge([later]);
    expect(stateOf(t.sqlite, q.id)).toEqual({ ...later, id: local.id });
  });
});

describe('after a session', () => {
  it('lists every answered question with both answers and the explanation, missed first, and scores correct of answered', () => {
    const t = setup();
    const [missed, right] = [t.skill.reorder[0]!, t.skill.mcq[0]!];
    const session = t.practice.startSession(t.skill.skillId, 'practice');
    t.practice.recordAttempt(session.id, right.id, answerFor(t.skill, right.id, true));
    t.clock.advance(1000);
    t.practice.recordAttempt(session.id, missed.id, answerFor(t.skill, missed.id, false));
    const summary = t.practice.endSession(session.id);

    // Ended early: 1 of 2 answered right is 50 %, and the rest is unanswered, not wrong.
    expect(summary.score).toBe(0.5);
    expect(summary.unansweredCount).toBe(session.questionCount - 2);
    expect(t.sqlite.prepare('SELECT score FROM sessions WHERE id = ?').pluck().get(session.id)).toBe(0.5);
    expect(summary.answers.map((a) => [a.questionId, a.isCorrect])).toEqual([
      [missed.id, false],
      [right.id, true],
    ]);
    const payload = JSON.parse(t.sqlite.prepare('SELECT payload FROM questions WHERE id = ?').pluck().get(missed.id) as string) as {
      steps: string[];
      solution: number[];
    };
    expect(summary.answers[0]).toMatchObject({
      rightAnswer: payload.solution.map((i) => payload.steps[i]),
      yourAnswer: [...payload.solution].reverse().map((i) => payload.steps[i]),
      explanation: expect.any(String),
    });
  });

  it('practises the missed ones again, and only those', () => {
    const t = setup();
    const wrong = new Set([t.skill.reorder[0]!.id, t.skill.mcq[0]!.id]);
    const session = t.practice.startSession(t.skill.skillId, 'practice');
    for (let q = t.practice.nextQuestion(session.id).question; q; q = t.practice.nextQuestion(session.id).question) {
      t.clock.advance(1000);
      t.practice.recordAttempt(session.id, q.id, answerFor(t.skill, q.id, !wrong.has(q.id)));
    }
    t.practice.endSession(session.id);
    const retry = t.practice.retry(session.id);
    expect(retry).toMatchObject({ mode: 'practice', skillId: t.skill.skillId, questionCount: 2 });
    const served: string[] = [];
    for (let q = t.practice.nextQuestion(retry.id).question; q; q = t.practice.nextQuestion(retry.id).question) {
      served.push(q.id);
      t.clock.advance(1000);
      t.practice.recordAttempt(retry.id, q.id, answerFor(t.skill, q.id, true));
    }
    expect(new Set(served)).toEqual(wrong);
    const other = [...t.skill.mcq, ...t.skill.reorder].find((q) => !wrong.has(q.id))!;
    expect(errorOf(() => t.practice.recordAttempt(retry.id, other.id, answerFor(t.skill, other.id, true)))).toMatchObject({ code: 'not_found' });
    const summary = t.practice.endSession(retry.id);
    expect(summary.score).toBe(1);
    expect(errorOf(() => t.practice.retry(retry.id))).toMatchObject({ code: 'conflict' });
  });
});
