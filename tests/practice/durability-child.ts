/** Child process of the durability test: records attempts in a loop and reports each id after its commit. */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../electron/core/db/open';
import { createPractice } from '../../electron/core/practice/practice';
import { systemClock } from '../../electron/core/ports';

const [file, skillId] = process.argv.slice(2);
if (!file || !skillId) throw new Error('usage: durability-child DB_FILE SKILL_ID');
const { sqlite } = openDatabase(file);
const practice = createPractice(sqlite, { clock: systemClock, timeZone: () => 'UTC' });

let session = practice.startSession(skillId, 'practice');
for (let i = 0; i < 100_000; i++) {
  const { question } = practice.nextQuestion(session.id);
  if (!question) {
    practice.endSession(session.id);
    session = practice.startSession(skillId, 'practice');
    continue;
  }
  const answer = question.type === 'mcq_single' ? { choice: i % question.choices.length } : { order: question.initialOrder };
  const result = practice.recordAttempt(session.id, question.id, answer);
  // Synchronous write: the parent must only ever hear of committed attempts.
  writeSync(1, `${result.attemptId}\n`);
}
