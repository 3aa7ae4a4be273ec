/**
 * The local auth gateway where Supabase Auth's documentation says how it behaves: the token endpoint is rate-limited
 * per IP (429 in GoTrue's error shape), and a NUL character is a bad request (400), never a 500 with database text.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startStack, type Stack } from '../../../scripts/stack/stack';
import { SUPABASE_AUTH_RATE_LIMITS } from '../../../scripts/stack/gateway';
import { STACK_TIMEOUT_MS } from './helpers';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

/** POST to the gateway from a chosen loopback address (each is its own client IP), raw body allowed. */
function post(path: string, body: string, localAddress = '127.0.0.1'): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(path, stack.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', localAddress,
        headers: { apikey: stack.anonKey, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const passwordGrant = '/auth/v1/token?grant_type=password';

describe('the gateway token endpoint', () => {
  it('answers 400, not a 500 with Postgres text, to a NUL character in the email, password or JSON', async () => {
    const bodies = [
      JSON.stringify({ email: 'nul\u0000@example.test', password: 'secret-pass' }),
      JSON.stringify({ email: 'nul@example.test', password: 'secret\u0000pass' }),
    ];
    for (const body of bodies) {
      const { status, json } = await post(passwordGrant, body, '127.0.0.3');
      expect(status).toBe(400);
      expect(json).toMatchObject({ error_code: 'validation_failed', msg: 'Request body must not contain NUL characters' });
    }
    const signUp = await post('/auth/v1/signup', JSON.stringify({ email: 'n@example.test', password: 'secret-pass', data: { name: 'a\u0000b' } }), '127.0.0.3');
    expect(signUp.status).toBe(400);
    expect(JSON.stringify(signUp.json)).not.toMatch(/invalid byte sequence|unsupported Unicode|0x00/);
  });

  it('rate-limits sign-ins per IP like Supabase Auth: a burst of 30, then 429 in GoTrue\u2019s shape', async () => {
    const email = 'limited@example.test';
    await createUser(stack, { email, password: 'secret-pass' });
    const wrong = JSON.stringify({ email, password: 'wrong-pass' });
    const statuses: number[] = [];
    let limited: Record<string, unknown> | null = null;
    for (let i = 0; i < SUPABASE_AUTH_RATE_LIMITS.burst + 5; i++) {
      const { status, json } = await post(passwordGrant, wrong, '127.0.0.4');
      statuses.push(status);
      if (status === 429) limited ??= json;
    }
    expect(statuses.slice(0, SUPABASE_AUTH_RATE_LIMITS.burst).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(SUPABASE_AUTH_RATE_LIMITS.burst).every((s) => s === 429)).toBe(true);
    expect(limited).toMatchObject({ error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' });
    // The right password from the limited IP waits too; another client IP is not held back by it.
    expect((await post(passwordGrant, JSON.stringify({ email, password: 'secret-pass' }), '127.0.0.4')).status).toBe(429);
    expect((await post(passwordGrant, JSON.stringify({ email, password: 'secret-pass' }), '127.0.0.5')).status).toBe(200);
  });
});
