/** HS256 JSON Web Tokens signed and verified with PostgREST's secret, as Supabase Auth issues them. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { exp?: number; iat?: number; role?: string; sub?: string };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signature(secret: string, signingInput: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

export function signJwt(claims: JwtClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${body}.${signature(secret, `${HEADER}.${body}`)}`;
}

/** The claims of a token with a valid signature that has not expired, else null. */
export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, body, sig] = parts as [string, string, string];
  const expected = Buffer.from(signature(secret, `${header}.${body}`));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: unknown;
  try {
    const alg: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (typeof alg !== 'object' || alg === null || (alg as { alg?: unknown }).alg !== 'HS256') return null;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
  const typed = claims as JwtClaims;
  if (typeof typed.exp === 'number' && typed.exp <= nowSeconds) return null;
  return typed;
}
