/**
 * Input a channel's contract refuses reaches the screen as an AppError's message: it names the field in the screen's
 * words and says what is expected, never zod's text ("Invalid input for sync:signUp: email: Invalid email address"),
 * which stays in `details` for developers.
 */
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/core/ipc/handlers';
import { dispatch, dispatchStream } from '../../electron/core/ipc/handlers';

// Refused input never reaches a handler.
const noHandlers = {} as Handlers;

async function refusal(channel: string, input: unknown) {
  const result = await dispatch(noHandlers, channel, input);
  if (result.ok) throw new Error(`${channel} accepted ${JSON.stringify(input)}`);
  return result.error;
}

describe('a refused input in words', () => {
  it.each([
    ['sync:signUp', { email: 'name@gmail', password: 'abc' }, 'Email must be an address such as name@example.com. Password must have at least 6 characters.'],
    ['sync:signIn', { email: 'learner@example.com' }, 'Password is missing.'],
    ['sync:trigger', {}, 'Reason is missing; it must be one of: online, focus.'],
    ['sync:configure', { url: 'abcd.supabase.co', anonKey: '' }, 'Server URL must be a web address such as https://example.com. Anon key must not be empty.'],
    ['settings:set', { dailyReviewLimit: 0 }, 'Reviews per day must be at least 1.'],
    ['settings:set', { dailyReviewLimit: 2.5 }, 'Reviews per day must be a whole number.'],
    ['settings:set', { theme: 'neon', fontSize: 40 }, 'Theme must be one of: system, light, dark, high-contrast. The request has a field it does not take: fontSize.'],
    ['tutor:rename', { chatId: '123e4567-e89b-42d3-a456-426614174000', title: '   ' }, 'Title must not be empty.'],
    ['practice:start', { skillId: 'nope', mode: 'practice' }, 'Skill must be an id such as 123e4567-e89b-42d3-a456-426614174000.'],
    ['sync:retryDead', { ids: [] }, 'The list of changes must have at least one item.'],
    ['practice:start', 'a string', 'The request must be a set of named fields (an object).'],
  ])('%s %j', async (channel, input, message) => {
    const error = await refusal(channel, input);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/Invalid input|Too small|expected string/);
  });

  it('words a stream’s refused input too, naming the values a discriminated union takes', async () => {
    const context = { upload: null, emit: () => {}, signal: new AbortController().signal };
    const result = await dispatchStream(noHandlers, 'drills:submit', { sessionId: '123e4567-e89b-42d3-a456-426614174000', mode: 'sung' }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Mode must be one of: written, spoken.', details: { channel: 'drills:submit' } } });
  });

  it('says what a pattern expects in the schema’s own words, and in general words when the schema has none', async () => {
    const context = { upload: null, emit: () => {}, signal: new AbortController().signal };
    const spoken = { sessionId: '123e4567-e89b-42d3-a456-426614174000', mode: 'spoken', transcript: '', durationS: 3, audioPath: '../../etc/passwd' };
    const result = await dispatchStream(noHandlers, 'drills:submit', spoken, context);
    expect(result).toMatchObject({ ok: false, error: { message: 'Audio path must be a recording path that drills:saveAudio returned.' } });
  });

  it('keeps the channel and zod’s issues for developers in details, each with its sentence for the field it names', async () => {
    const error = await refusal('sync:signUp', { email: 'name@gmail', password: 'abc' });
    expect(error.details).toEqual({
      channel: 'sync:signUp',
      issues: [
        { path: 'email', code: 'invalid_format', message: 'Invalid email address', sentence: 'Email must be an address such as name@example.com.' },
        { path: 'password', code: 'too_small', message: expect.stringContaining('>=6'), sentence: 'Password must have at least 6 characters.' },
      ],
    });
  });
});
