import { describe, expect, it } from 'vitest';
import { sessionModeWords } from './history';

describe('Progress history', () => {
  it('names a practice and a test session’s mode, and calls a review session nothing but a review', () => {
    expect(['Linear equations', 'Fractions', 'Review'].map((title, i) => title + sessionModeWords((['practice', 'test', 'review'] as const)[i]!))).toEqual([
      'Linear equations, practice',
      'Fractions, test',
      'Review',
    ]);
  });
});
