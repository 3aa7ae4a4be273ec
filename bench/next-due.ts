/**
 * `next_due`: serving the next due question of a review session at 100k questions and 50k memory states, p95, with a
 * primary-key lookup of a question on the same database as the same-run baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importPack } from '../electron/core/content/import';
import { openDatabase } from '../electron/core/db/open';
import { uuidv7 } from '../electron/core/ids';
import { ensureLearnerId } from '../electron/core/learner/identity';
import { createPractice } from '../electron/core/practice/practice';
import { systemClock } from '../electron/core/ports';
import { buildPack } from '../tests/content/pack-builder';
import { percentile, withBaseline, type BenchResult } from './result';

const SHAPE = { domains: 50, skillsPerDomain: 20, questionsPerSkill: 100 };
const MEMORY_STATES = 50_000;
const SAMPLES = 1500;
const DAY = 86_400_000;

export async function benchNextDue(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'study-desk-bench-due-'));
  try {
    const { sqlite } = openDatabase(join(dir, 'due.sqlite'));
    importPack(sqlite, Buffer.from(JSON.stringify(buildPack({ ...SHAPE, prefix: 'due' }))), { mode: 'append', clock: systemClock });
    const now = Date.now();
    const userId = ensureLearnerId(sqlite, now);

    // 50k states on every other question: 60 % overdue by up to 30 days, the rest due within the next 60 days.
    const questionIds = sqlite.prepare('SELECT id FROM questions ORDER BY id').pluck().all() as string[];
    const insert = sqlite.prepare(
      `INSERT INTO memory_states (id, user_id, question_id, stability, difficulty, due_utc_ms, scheduled_days, learning_steps,
         reps, lapses, state, last_review_utc_ms, updated_utc_ms) VALUES (?, ?, ?, 5, 5, ?, 5, 0, 3, 0, 2, ?, ?)`,
    );
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    sqlite.transaction(() => {
      for (let i = 0; i < MEMORY_STATES; i++) {
        const due = random() < 0.6 ? now - random() * 30 * DAY : now + random() * 60 * DAY;
        insert.run(uuidv7(now), userId, questionIds[i * 2]!, Math.round(due), Math.round(due - 5 * DAY), now);
      }
    })();
    sqlite.pragma('optimize');

    const practice = createPractice(sqlite, {
      clock: systemClock,
      timeZone: () => 'UTC',
      studySettings: () => ({ rolloverHour: 4, desiredRetention: 0.9, dailyReviewLimit: 1000 }),
    });
    const session = practice.startReview();
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      const { question } = practice.nextQuestion(session.id);
      samples.push(performance.now() - start);
      if (!question) throw new Error('next_due: the review session ran out of due questions');
      // Every other question is answered, so the session's answered questions are skipped on the way.
      if (i % 2 === 0) {
        practice.recordAttempt(session.id, question.id, question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder });
      }
    }

    const byId = sqlite.prepare('SELECT id, skill_id, type, payload, explanation FROM questions WHERE id = ?');
    const baseline: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      byId.get(questionIds[(i * 7919) % questionIds.length]);
      baseline.push(performance.now() - start);
    }
    sqlite.close();
    const result = withBaseline('next_due', percentile(samples, 95), 'ms (p95)', percentile(baseline, 95), '<= 1 ms');
    return [result];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
