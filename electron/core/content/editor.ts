/**
 * Whether the signed-in account is a content editor: the server's own rule (`public.is_content_editor()`: the role
 * Supabase copies from app_metadata into the access token is instructor or admin), read from the learner's access
 * token so it works offline with a cached token. It only chooses what the app shows; the server enforces the rule.
 */
import { toAppError } from '../../../shared/errors';
import type { LearnerServer } from '../sync/learner-request';

/** The roles `public.is_content_editor()` accepts (migrations/supabase/20261122000100_content.sql). */
export const CONTENT_EDITOR_ROLES: readonly string[] = ['instructor', 'admin'];

export interface EditorStatus {
  isContentEditor: boolean;
  signedIn: boolean;
  reason: string | null;
}

/** `app_metadata.role` from a JWT's payload, or null when the token carries none (or is not a JWT). */
export function roleOfAccessToken(token: string): string | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { app_metadata?: { role?: unknown } };
    return typeof claims.app_metadata?.role === 'string' ? claims.app_metadata.role : null;
  } catch {
    return null;
  }
}

export async function contentEditorStatus(server: Pick<LearnerServer, 'tokens'> | null): Promise<EditorStatus> {
  if (server === null) {
    return { isContentEditor: false, signedIn: false, reason: 'Nobody is signed in to a server: publishing needs a content editor account.' };
  }
  let token: string;
  try {
    token = await server.tokens.accessToken();
  } catch (err) {
    return { isContentEditor: false, signedIn: true, reason: `Could not check the account's role: ${toAppError(err).message}` };
  }
  const role = roleOfAccessToken(token);
  if (role !== null && CONTENT_EDITOR_ROLES.includes(role)) return { isContentEditor: true, signedIn: true, reason: null };
  return {
    isContentEditor: false,
    signedIn: true,
    reason: `This account is not a content editor (role ${role ?? 'none'}; publishing needs ${CONTENT_EDITOR_ROLES.join(' or ')}).`,
  };
}
