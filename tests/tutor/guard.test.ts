/** The answer guard on every case of the case file, chunk by chunk, and its behaviour around sentences and answered questions. */
import { describe, expect, it } from 'vitest';
import { createGuard, GUARD_NOTE, type GuardOutput, type GuardSecret } from '../../electron/core/tutor/guard';
import { harmlessCases, leakCases, twoXQuestion } from './guard-cases';

function run(secret: GuardSecret | null, chunks: string[]): { shown: string; held: boolean } {
  const guard = createGuard(secret);
  const out: GuardOutput[] = [...chunks.flatMap((c) => guard.push(c)), ...guard.flush()];
  return {
    shown: out.map((o) => (o.type === 'delta' ? o.text : o.note)).join(''),
    held: out.some((o) => o.type === 'held'),
  };
}

describe('the answer guard', () => {
  it('has at least 30 leak cases and 30 harmless replies', () => {
    expect(leakCases.length).toBeGreaterThanOrEqual(30);
    expect(harmlessCases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(leakCases.map((c) => [c.chunks.join(''), c] as const))('holds back: %s', (_text, c) => {
    const { held, shown } = run(c.question, c.chunks);
    expect(held).toBe(true);
    expect(shown).toContain(GUARD_NOTE);
  });

  it.each(harmlessCases.map((c) => [c.chunks.join(''), c] as const))('passes untouched: %s', (text, c) => {
    expect(run(c.question, c.chunks)).toEqual({ shown: text, held: false });
  });

  it('keeps the harmless sentences around a leak and notes the held part once', () => {
    const { shown } = run(twoXQuestion, ['Divide both sides by 2. ', 'The answer is 5. ', 'Then x = 5. ', 'Does that make sense?']);
    expect(shown).toBe(`Divide both sides by 2.${GUARD_NOTE} Does that make sense?`);
  });

  it('lets everything through once the question is answered (no secret)', () => {
    expect(run(null, ['The answer is ', 'option C.'])).toEqual({ shown: 'The answer is option C.', held: false });
  });
});
