import { describe, expect, it } from 'vitest';
import { createPractice } from '../../electron/core/practice/practice';
import { ManualClock } from '../helpers/clock';
import { errorOf } from '../helpers/failures';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const DAY = 86_400_000;

function setup(timeZone = 'UTC') {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
  const opened = openSampleDatabase(tempDir(), clock);
  const practice = createPractice(opened.sqlite, { clock, timeZone: () => timeZone });
  return { clock, sqlite: opened.sqlite, practice, skill: skillWithBothTypes(opened) };
}

describe('practice sessions', () => {
  it('serves questions without their solutions, in order, until the skill is done', () => {
    const { practice, skill } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    expect(session.questionCount).toBe(skill.mcq.length + skill.reorder.length);
    const seen = new Set<string>();
    for (let i = 0; i < session.questionCount; i++) {
      const { question } = practice.nextQuestion(session.id);
      expect(question).not.toBeNull();
      expect(JSON.stringify(question)).not.toMatch(/solution/);
      if (question!.type === 'reorder_steps') {
        expect([...question!.initialOrder].sort()).toEqual(question!.steps.map((_, j) => j));
      }
      seen.add(question!.id);
      const answer = question!.type === 'mcq_single' ? { choice: 0 } : { order: question!.initialOrder };
      practice.recordAttempt(session.id, question!.id, answer);
    }
    expect(seen.size).toBe(session.questionCount);
    expect(practice.nextQuestion(session.id).question).toBeNull();
  });

  it('computes correctness from the stored solution, never from the caller', () => {
    const { practice, skill } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    const mcq = skill.mcq[0]!;
    const wrongChoice = (mcq.solution_index + 1) % mcq.choices;
    const wrong = practice.recordAttempt(session.id, mcq.id, { choice: wrongChoice });
    expect(wrong.isCorrect).toBe(false);
    expect(wrong.solution).toEqual({ choice: mcq.solution_index });
    const reorder = skill.reorder[0]!;
    const right = practice.recordAttempt(session.id, reorder.id, { order: reorder.solution });
    expect(right.isCorrect).toBe(true);
    expect(right.explanation?.body).toBeTruthy();
    expect(right.session.answeredCount).toBe(2);
    expect(right.session.correctCount).toBe(1);
  });

  it('writes each attempt with its progress, memory state, profile and outbox rows in one transaction', () => {
    const { practice, skill, sqlite } = setup();
    const session = practice.startSession(skill.skillId, 'test');
    const mcq = skill.mcq[0]!;
    const result = practice.recordAttempt(session.id, mcq.id, { choice: mcq.solution_index });
    const outbox = sqlite.prepare('SELECT table_name, row_id, payload FROM outbox ORDER BY ts_utc_ms, id').all() as Array<{
      table_name: string;
      row_id: string;
      payload: string;
    }>;
    expect(outbox.map((r) => r.table_name)).toEqual(['sessions', 'attempts', 'skill_progress', 'memory_states', 'profile']);
    const attemptSnapshot = JSON.parse(outbox[1]!.payload) as Record<string, unknown>;
    const attemptRow = sqlite.prepare('SELECT * FROM attempts WHERE id = ?').get(result.attemptId) as Record<string, unknown>;
    expect(outbox[1]!.row_id).toBe(result.attemptId);
    expect(attemptSnapshot).toEqual({ ...attemptRow, is_correct: true });
    const progressSnapshot = JSON.parse(outbox[2]!.payload) as { progress: number; mastered_count: number };
    expect(progressSnapshot.mastered_count).toBe(1);
    expect(progressSnapshot.progress).toBeCloseTo(1 / session.questionCount);
  });

  it('ends a session with its score, XP and level', () => {
    const { practice, skill, sqlite } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    for (const mcq of skill.mcq) practice.recordAttempt(session.id, mcq.id, { choice: mcq.solution_index });
    const summary = practice.endSession(session.id);
    // Correct of answered: only the MCQs were answered, all right; the rest is unanswered, not wrong.
    expect(summary.score).toBe(1);
    expect(summary.unansweredCount).toBe(session.questionCount - skill.mcq.length);
    expect(summary.xpGained).toBe(10 * skill.mcq.length);
    expect(summary.profile.xp).toBe(10 * skill.mcq.length);
    expect(summary.profile.level).toBe(0);
    expect(summary.session.endedUtcMs).not.toBeNull();
    // Ending twice is harmless and queues nothing new.
    const outboxCount = sqlite.prepare('SELECT COUNT(*) FROM outbox').pluck().get();
    expect(practice.endSession(session.id).score).toBe(summary.score);
    expect(sqlite.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(outboxCount);
    const overview = practice.overview();
    expect(overview.sessionsThisWeek).toBe(1);
    expect(overview.history[0]!.sessionId).toBe(session.id);
    expect(overview.skills[0]!.skillId).toBe(skill.skillId);
  });

  it('counts the daily streak in the learner time zone', () => {
    // 23:30 UTC is already the next day in Tokyo.
    const { practice, skill, clock } = setup('Asia/Tokyo');
    const answerOne = () => {
      const s = practice.startSession(skill.skillId, 'practice');
      const q = practice.nextQuestion(s.id).question!;
      practice.recordAttempt(s.id, q.id, q.type === 'mcq_single' ? { choice: 0 } : { order: q.initialOrder });
      return practice.endSession(s.id).profile.streak;
    };
    clock.set(Date.UTC(2026, 10, 2, 10, 0)); // Nov 2, 19:00 Tokyo
    expect(answerOne()).toBe(1);
    clock.set(Date.UTC(2026, 10, 2, 23, 30)); // Nov 3, 08:30 Tokyo
    expect(answerOne()).toBe(2);
    clock.advance(DAY / 2); // still Nov 3 in Tokyo
    expect(answerOne()).toBe(2);
    clock.advance(3 * DAY); // a gap of days resets the streak
    expect(answerOne()).toBe(1);
  });

  it('rejects bad answers with errors that name the field, and saves nothing', () => {
    const { practice, skill, sqlite } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    const mcq = skill.mcq[0]!;
    const reorder = skill.reorder[0]!;
    const before = sqlite.prepare('SELECT (SELECT COUNT(*) FROM attempts) || \'/\' || (SELECT COUNT(*) FROM outbox)').pluck().get();

    expect(errorOf(() => practice.recordAttempt(session.id, mcq.id, { choice: 99 }))).toMatchObject({ code: 'invalid_input', details: { path: 'answer.choice' } });
    expect(errorOf(() => practice.recordAttempt(session.id, mcq.id, { order: [0] }))).toMatchObject({ code: 'invalid_input' });
    expect(errorOf(() => practice.recordAttempt(session.id, reorder.id, { order: [0, 0, 1] }))).toMatchObject({ code: 'invalid_input', details: { path: 'answer.order' } });
    expect(errorOf(() => practice.recordAttempt('0190f5b2-0000-7000-8000-000000000000', mcq.id, { choice: 0 }))).toMatchObject({ code: 'not_found' });
    const other = setup();
    expect(errorOf(() => practice.recordAttempt(session.id, other.skill.mcq[0]!.id === mcq.id ? '0190f5b2-0000-7000-8000-000000000001' : other.skill.mcq[0]!.id, { choice: 0 }))).toMatchObject({ code: 'not_found' });
    expect(sqlite.prepare('SELECT (SELECT COUNT(*) FROM attempts) || \'/\' || (SELECT COUNT(*) FROM outbox)').pluck().get()).toBe(before);

    practice.recordAttempt(session.id, mcq.id, { choice: 0 });
    expect(errorOf(() => practice.recordAttempt(session.id, mcq.id, { choice: 0 }))).toMatchObject({ code: 'conflict' });
    practice.endSession(session.id);
    expect(errorOf(() => practice.recordAttempt(session.id, reorder.id, { order: reorder.solution }))).toMatchObject({ code: 'conflict' });
    expect(errorOf(() => practice.startSession('0190f5b2-0000-7000-8000-000000000002', 'practice'))).toMatchObject({ code: 'not_found' });
  });

  it('never lowers skill progress when questions are published after the skill was mastered', () => {
    const { practice, skill, sqlite, clock } = setup();
    const answerAllRight = () => {
      const session = practice.startSession(skill.skillId, 'practice');
      for (;;) {
        const { question } = practice.nextQuestion(session.id);
        if (!question) break;
        const mcq = skill.mcq.find((q) => q.id === question.id);
        const reorder = skill.reorder.find((q) => q.id === question.id);
        const answer = mcq ? { choice: mcq.solution_index } : reorder ? { order: reorder.solution } : { choice: 0 };
        practice.recordAttempt(session.id, question.id, answer);
      }
      practice.endSession(session.id);
    };
    answerAllRight();
    const mastered = practice.overview().skills[0]!;
    expect(mastered.progress).toBe(1);

    // An instructor publishes as many new questions again: the ratio alone would fall to 1/2.
    const addedIds: string[] = [];
    const copyQuestion = sqlite.prepare(
      `INSERT INTO questions (id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms)
       SELECT ?, skill_id, slug || '_new', type, payload, explanation, sort_order + 1000, 1, created_utc_ms, updated_utc_ms
       FROM questions WHERE id = ?`,
    );
    for (const q of [...skill.mcq, ...skill.reorder]) {
      const id = `0190f5b2-0000-7000-8000-${String(addedIds.length).padStart(12, '0')}`;
      copyQuestion.run(id, q.id);
      addedIds.push(id);
    }
    clock.advance(1000);
    const second = practice.startSession(skill.skillId, 'practice');
    expect(second.questionCount).toBe(2 * (skill.mcq.length + skill.reorder.length));
    const { question } = practice.nextQuestion(second.id);
    practice.recordAttempt(second.id, question!.id, question!.type === 'mcq_single' ? { choice: 0 } : { order: question!.initialOrder });

    const after = practice.overview().skills[0]!;
    expect(after.progress).toBe(1);
    expect(after.attemptCount).toBe(mastered.attemptCount + 1);
    const queued = JSON.parse(
      sqlite.prepare(`SELECT payload FROM outbox WHERE table_name = 'skill_progress' ORDER BY ts_utc_ms DESC, id DESC LIMIT 1`).pluck().get() as string,
    ) as { progress: number };
    expect(queued.progress).toBe(1);
  });

  it('tells the host after each committed learner write, and not after a refused one', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    const opened = openSampleDatabase(tempDir(), clock);
    let writes = 0;
    const practice = createPractice(opened.sqlite, { clock, timeZone: () => 'UTC', onLearnerWrite: () => writes++ });
    const skill = skillWithBothTypes(opened);
    const session = practice.startSession(skill.skillId, 'practice');
    expect(writes).toBe(1);
    const mcq = skill.mcq[0]!;
    practice.recordAttempt(session.id, mcq.id, { choice: mcq.solution_index });
    expect(writes).toBe(2);
    expect(() => practice.recordAttempt(session.id, mcq.id, { choice: 0 })).toThrow();
    expect(writes).toBe(2);
    practice.endSession(session.id);
    expect(writes).toBe(3);
    practice.endSession(session.id);
    expect(writes).toBe(3);
  });

  it('reads the overview without creating a learner; the first session creates one', () => {
    const { practice, skill, sqlite } = setup();
    const learnerRows = sqlite.prepare(`SELECT COUNT(*) FROM sync_state WHERE key = 'learner_id'`).pluck();
    expect(practice.overview()).toMatchObject({ profile: { xp: 0, streak: 0 }, skills: [], history: [] });
    expect(learnerRows.get()).toBe(0);
    practice.startSession(skill.skillId, 'practice');
    expect(learnerRows.get()).toBe(1);
  });
});
