/**
 * A pack in words, and what removing one import of it does: content rows carry the pack's name, so while another
 * import of that name is installed the content stays, and the confirmation must say so (it said the content leaves).
 */
import { describe, expect, it } from 'vitest';
import { packSummary, removalSentence, sameNameImports } from './packSummary';

const counts = { domains: 1, skills: 2, questions: 3, drillQuestions: 0 };
const pack = (id: string, version: string, drillQuestions = 0) => ({ id, name: 'geometry-basics', version, counts: { ...counts, drillQuestions } });
const other = { id: 'o', name: 'algebra', version: '1.0.0', counts };

describe('packSummary', () => {
  it('counts each kind, drill questions only when there are some', () => {
    expect(packSummary(counts)).toBe('1 domain, 2 skills, 3 questions');
    expect(packSummary({ ...counts, drillQuestions: 1 })).toBe('1 domain, 2 skills, 3 questions, 1 drill question');
  });
});

describe('removing an installed pack', () => {
  it('the last import of its name: its content leaves', () => {
    const only = pack('a', '1.0.0');
    expect(sameNameImports([only, other], only)).toEqual([]);
    expect(removalSentence(only, [only, other])).toBe(
      'Its content (1 domain, 2 skills, 3 questions) leaves this device. Your answers and progress stay in your history.',
    );
  });

  it('one of two imports of the same name: the content stays with the other, only the record goes', () => {
    const first = pack('a', '1.0.0');
    const second = pack('b', '1.1.0');
    expect(sameNameImports([first, second, other], first)).toEqual([second]);
    expect(removalSentence(first, [first, second, other])).toBe(
      "Its content stays on this device: another import of geometry-basics (version 1.1.0) still holds it. Only this import's record goes.",
    );
  });

  it('names the drill questions that go with the import, and several other imports', () => {
    const drill = pack('a', '1.0.0', 4);
    expect(removalSentence(drill, [drill, pack('b', '1.0.0'), pack('c', '1.2.0')])).toBe(
      "Its content stays on this device: 2 other imports of geometry-basics (version 1.0.0, 1.2.0) still hold it. Only this import's record and its 4 drill questions go.",
    );
  });
});
