/** Drafts are not studied: start, next and answer require the question, its skill and its domain to be published. */
import { describe, expect, it } from 'vitest';
import { createLibraryQueries } from '../../electron/core/content/tree';
import { createPractice } from '../../electron/core/practice/practice';
import { ManualClock } from '../helpers/clock';
import { errorOf } from '../helpers/failures';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
  const opened = openSampleDatabase(tempDir(), clock);
  const practice = createPractice(opened.sqlite, { clock, timeZone: () => 'UTC' });
  return { sqlite: opened.sqlite, practice, skill: skillWithBothTypes(opened) };
}

describe('only published content is learnable', () => {
  it('refuses to start a session on a draft skill', () => {
    const { sqlite, practice, skill } = setup();
    sqlite.prepare('UPDATE skills SET is_published = 0 WHERE id = ?').run(skill.skillId);
    const error = errorOf(() => practice.startSession(skill.skillId, 'practice'));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/not published/);
    expect(sqlite.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).toBe(0);
  });

  it('refuses to start a session on a published skill whose domain is a draft', () => {
    const { sqlite, practice, skill } = setup();
    sqlite.prepare('UPDATE domains SET is_published = 0 WHERE id = (SELECT domain_id FROM skills WHERE id = ?)').run(skill.skillId);
    const error = errorOf(() => practice.startSession(skill.skillId, 'practice'));
    expect(error).toMatchObject({ code: 'not_found' });
    expect(error.message).toMatch(/not published/);
  });

  it('refuses an answer to a draft question and never returns its solution', () => {
    const { sqlite, practice, skill } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    const draft = skill.mcq[0]!;
    sqlite.prepare('UPDATE questions SET is_published = 0 WHERE id = ?').run(draft.id);
    const error = errorOf(() => practice.recordAttempt(session.id, draft.id, { choice: draft.solution_index }));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/not published/);
    expect(JSON.stringify(error)).not.toMatch(/solution/);
    expect(sqlite.prepare('SELECT COUNT(*) FROM attempts').pluck().get()).toBe(0);
  });

  it('refuses an answer once the skill or the domain became a draft mid-session', () => {
    const { sqlite, practice, skill } = setup();
    const session = practice.startSession(skill.skillId, 'practice');
    sqlite.prepare('UPDATE domains SET is_published = 0 WHERE id = (SELECT domain_id FROM skills WHERE id = ?)').run(skill.skillId);
    const mcq = skill.mcq[0]!;
    expect(errorOf(() => practice.recordAttempt(session.id, mcq.id, { choice: 0 })).code).toBe('not_found');
    expect(errorOf(() => practice.nextQuestion(session.id))).toMatchObject({ code: 'not_found' });
  });

  it('never serves a draft question next, and counts only learnable questions', () => {
    const { sqlite, practice, skill } = setup();
    const draft = skill.mcq[0]!;
    sqlite.prepare('UPDATE questions SET is_published = 0 WHERE id = ?').run(draft.id);
    const session = practice.startSession(skill.skillId, 'practice');
    const served: string[] = [];
    for (let i = 0; i < 100; i++) {
      const { question } = practice.nextQuestion(session.id);
      if (!question) break;
      served.push(question.id);
      practice.recordAttempt(session.id, question.id, question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder });
    }
    expect(served).not.toContain(draft.id);
    expect(served.length).toBe(session.questionCount);
  });

  it('the library tree and the question count use the same definition', () => {
    const { sqlite, skill } = setup();
    const library = createLibraryQueries(sqlite);
    const before = library.questionCount();
    const skillCount = library.tree(null).domains.flatMap((d) => d.skills).find((s) => s.id === skill.skillId)!.questionCount;
    sqlite.prepare('UPDATE skills SET is_published = 0 WHERE id = ?').run(skill.skillId);
    expect(library.tree(null).domains.flatMap((d) => d.skills).map((s) => s.id)).not.toContain(skill.skillId);
    expect(library.questionCount()).toBe(before - skillCount);
  });
});
