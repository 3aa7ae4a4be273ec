/** A form's call: core's refusal of its own fields comes back per field; anything else is shown in the error region, as before. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors';
import { requestForForm } from './request';
import { useShell } from './shellStore';

const refusal = (issues: Array<{ path: string; sentence: string }>): AppError => ({
  code: 'invalid_input',
  message: issues.map((issue) => issue.sentence).join(' '),
  details: { channel: 'sync:signIn', issues: issues.map((issue) => ({ ...issue, code: 'too_big', message: 'Too big' })) },
});
const failing = (error: AppError) => () => Promise.resolve({ ok: false as const, error });

beforeEach(() => useShell.setState({ errors: [] }));

describe('requestForForm', () => {
  it("answers core's refusal of the form's fields per field, each with its sentence, and shows no error", async () => {
    const error = refusal([
      { path: 'email', sentence: 'Email must have at most 320 characters.' },
      { path: 'password', sentence: 'Password must have at most 1024 characters.' },
      { path: 'email', sentence: 'Email must be an address such as name@example.com.' },
    ]);
    expect(await requestForForm(failing(error), 'Could not sign in', ['email', 'password'])).toEqual({
      refused: {
        email: 'Email must have at most 320 characters. Email must be an address such as name@example.com.',
        password: 'Password must have at most 1024 characters.',
      },
    });
    expect(useShell.getState().errors).toEqual([]);
  });

  it.each([
    ['a refusal that names a field the form does not have', refusal([{ path: 'email', sentence: 'Email is missing.' }, { path: '', sentence: 'The request has a field it does not take: x.' }])],
    ['a refusal without sentences (zod text only)', { code: 'invalid_input', message: 'Invalid input: email: Too big', details: { issues: [{ path: 'email', message: 'Too big' }] } } as AppError],
    ['another failure', { code: 'network', message: 'The connection failed.' } as AppError],
  ])('shows %s as before, and answers null', async (_what, error) => {
    expect(await requestForForm(failing(error), 'Could not sign in', ['email', 'password'])).toBeNull();
    expect(useShell.getState().errors.map((e) => e.message)).toEqual([`Could not sign in: ${error.message}`]);
  });

  it('answers the value of a call that worked', async () => {
    expect(await requestForForm(() => Promise.resolve({ ok: true as const, value: 3 }), 'Could not sign in', ['email'])).toEqual({ value: 3 });
  });
});
