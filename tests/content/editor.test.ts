/** Content editor status from the signed-in learner's access token: the server's is_content_editor rule, on the device. */
import { describe, expect, it } from 'vitest';
import { contentEditorStatus, roleOfAccessToken } from '../../electron/core/content/editor';
import { AppFailure } from '../../shared/errors';
import { fixedTokens } from '../helpers/tokens';

/** A JWT as Supabase Auth issues it (the signature is not checked on the device). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'user', role: 'authenticated', ...claims })}.signature`;
}
const signedInWith = (token: string) => ({ tokens: fixedTokens(token) });

describe('content editor status', () => {
  it('is an editor for the instructor and admin roles only', async () => {
    for (const role of ['instructor', 'admin']) {
      expect(await contentEditorStatus(signedInWith(jwt({ app_metadata: { role } })))).toEqual({ isContentEditor: true, signedIn: true, reason: null });
    }
    const learner = await contentEditorStatus(signedInWith(jwt({ app_metadata: { provider: 'email' } })));
    expect(learner).toMatchObject({ isContentEditor: false, signedIn: true, reason: expect.stringContaining('not a content editor') });
    // The top-level `role` claim is Postgres's (authenticated), not the app's.
    expect(roleOfAccessToken(jwt({}))).toBeNull();
    expect(roleOfAccessToken('not a jwt')).toBeNull();
  });

  it('is no editor with nobody signed in, or when the token cannot be had', async () => {
    expect(await contentEditorStatus(null)).toMatchObject({ isContentEditor: false, signedIn: false });
    const offline = {
      tokens: {
        accessToken: async (): Promise<string> => {
          throw new AppFailure('network', 'The server cannot be reached.');
        },
        refreshAfterRejection: async () => '',
      },
    };
    expect(await contentEditorStatus(offline)).toMatchObject({ isContentEditor: false, signedIn: true, reason: expect.stringContaining('cannot be reached') });
  });
});
