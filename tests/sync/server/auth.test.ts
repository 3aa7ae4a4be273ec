/** The gateway's Supabase Auth subset, driven by supabase-js's own auth client and by plain fetch. */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt, verifyJwt } from '../../../scripts/stack/jwt';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import { STACK_TIMEOUT_MS } from './helpers';

const ACCESS_TOKEN_TTL_SECONDS = 2;
let stack: Stack;

function client(): SupabaseClient {
  return createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as never },
  });
}

async function authFetch(path: string, init: { method?: string; body?: unknown; token?: string; apikey?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const apikey = init.apikey === undefined ? stack.anonKey : init.apikey;
  if (apikey) headers.apikey = apikey;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${stack.url}${path}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  stack = await startStack({ quiet: true, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

describe('auth gateway', () => {
  const email = `sophie-${randomUUID()}@example.test`;
  const password = 'train-commute-42';

  it('signs up and signs in with supabase-js, issuing PostgREST-valid JWTs', async () => {
    const signUp = await client().auth.signUp({ email, password });
    expect(signUp.error).toBeNull();
    expect(signUp.data.user?.email).toBe(email);
    expect(signUp.data.session?.access_token).toBeTruthy();

    const supabase = client();
    const signIn = await supabase.auth.signInWithPassword({ email, password });
    expect(signIn.error).toBeNull();
    const session = signIn.data.session;
    expect(session?.token_type).toBe('bearer');
    expect(session?.expires_in).toBe(ACCESS_TOKEN_TTL_SECONDS);
    const claims = verifyJwt(session?.access_token ?? '', stack.jwtSecret);
    expect(claims).toMatchObject({ sub: signUp.data.user?.id, role: 'authenticated', aud: 'authenticated', email });

    const user = await supabase.auth.getUser();
    expect(user.data.user?.id).toBe(signUp.data.user?.id);
    // The token is accepted by PostgREST as role authenticated.
    const { error } = await supabase.from('sessions').select('id');
    expect(error).toBeNull();
  });

  it('answers errors in the shape auth-js understands', async () => {
    const wrong = await client().auth.signInWithPassword({ email, password: 'nope-nope' });
    expect(wrong.error?.message).toBe('Invalid login credentials');
    expect(wrong.error?.status).toBe(400);
    expect((wrong.error as { code?: string } | null)?.code).toBe('invalid_credentials');

    const again = await client().auth.signUp({ email, password });
    expect((again.error as { code?: string } | null)?.code).toBe('user_already_exists');
    const weak = await client().auth.signUp({ email: `w-${randomUUID()}@example.test`, password: '123' });
    expect((weak.error as { code?: string } | null)?.code).toBe('weak_password');
  });

  it('requires an API key', async () => {
    const res = await authFetch('/auth/v1/token?grant_type=password', { body: { email, password }, apikey: null });
    expect(res.status).toBe(401);
  });

  it('rotates refresh tokens and revokes them at logout', async () => {
    const signIn = await authFetch('/auth/v1/token?grant_type=password', { body: { email, password } });
    expect(signIn.status).toBe(200);
    const refreshToken = String(signIn.body?.refresh_token);
    const refreshed = await authFetch('/auth/v1/token?grant_type=refresh_token', { body: { refresh_token: refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body?.refresh_token).not.toBe(refreshToken);
    const bogus = await authFetch('/auth/v1/token?grant_type=refresh_token', { body: { refresh_token: 'bogus' } });
    expect(bogus.status).toBe(400);

    const logout = await authFetch('/auth/v1/logout?scope=global', { token: String(refreshed.body?.access_token) });
    expect(logout.status).toBe(204);
    const afterLogout = await authFetch('/auth/v1/token?grant_type=refresh_token', {
      body: { refresh_token: refreshed.body?.refresh_token },
    });
    expect(afterLogout.status).toBe(400);
    expect(afterLogout.body?.code).toBe('refresh_token_not_found');
  });

  it('lets access tokens expire; PostgREST refuses them and supabase-js refreshes', async () => {
    const supabase = client();
    const signIn = await supabase.auth.signInWithPassword({ email, password });
    const oldToken = signIn.data.session?.access_token ?? '';
    await sleep((ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);

    // PostgREST 12 allows 30 s of clock skew on exp, so show it a token that expired a minute ago.
    const claims = verifyJwt(oldToken, stack.jwtSecret, 0);
    const now = Math.floor(Date.now() / 1000);
    const stale = signJwt({ ...claims, iat: now - 120, exp: now - 60 }, stack.jwtSecret);
    const raw = await fetch(`${stack.url}/rest/v1/sessions?select=id`, {
      headers: { apikey: stack.anonKey, authorization: `Bearer ${stale}` },
    });
    expect(raw.status).toBe(401);
    const user = await authFetch('/auth/v1/user', { method: 'GET', token: oldToken });
    expect(user.status).toBe(401);

    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session?.access_token).not.toBe(oldToken);
    const { error } = await supabase.from('sessions').select('id');
    expect(error).toBeNull();
  });

  it('signs out through supabase-js, after which the refresh token is dead', async () => {
    const supabase = client();
    const signIn = await supabase.auth.signInWithPassword({ email, password });
    const refreshToken = signIn.data.session?.refresh_token;
    const { error } = await supabase.auth.signOut();
    expect(error).toBeNull();
    const refreshed = await authFetch('/auth/v1/token?grant_type=refresh_token', { body: { refresh_token: refreshToken } });
    expect(refreshed.status).toBe(400);
  });

  it('puts app_metadata.role of instructors into their tokens', async () => {
    const instructorEmail = `teacher-${randomUUID()}@example.test`;
    await stack.query(
      `insert into auth.users (email, encrypted_password, raw_app_meta_data)
       values ($1, extensions.crypt($2, extensions.gen_salt('bf')), '{"role":"instructor"}')`,
      [instructorEmail, password],
    );
    const signIn = await client().auth.signInWithPassword({ email: instructorEmail, password });
    expect(signIn.data.user?.app_metadata.role).toBe('instructor');
    const claims = verifyJwt(signIn.data.session?.access_token ?? '', stack.jwtSecret);
    expect(claims?.app_metadata).toEqual({ role: 'instructor' });
  });

  it('proxies anonymous REST calls with the apikey as bearer', async () => {
    const res = await fetch(`${stack.url}/rest/v1/rpc/content_version`, { method: 'POST', headers: { apikey: stack.anonKey } });
    expect(res.status).toBe(200);
    expect(Number(await res.json())).toBeGreaterThanOrEqual(0);
  });
});
