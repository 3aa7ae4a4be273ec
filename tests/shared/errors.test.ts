/** toAppError recognises zod's errors without importing zod at run time (the renderer's first screen ships no zod). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppFailure, toAppError } from '../../shared/errors';

describe('toAppError', () => {
  it('turns a thrown zod error into invalid_input naming the field path', () => {
    let thrown: unknown;
    try {
      z.object({ deck: z.object({ name: z.string() }) }).parse({ deck: { name: 3 } });
    } catch (err) {
      thrown = err;
    }
    const error = toAppError(thrown);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('deck.name');
  });

  it('keeps an AppFailure and does not take an ordinary error named like zod without issues for one', () => {
    expect(toAppError(new AppFailure('not_found', 'No such skill.'))).toEqual({ code: 'not_found', message: 'No such skill.' });
    const lookalike = Object.assign(new Error('plain'), { name: 'ZodError' });
    expect(toAppError(lookalike)).toEqual({ code: 'internal', message: 'plain' });
  });
});
