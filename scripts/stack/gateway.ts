/** The local stack's HTTP front: PostgREST under /rest/v1 and the slice of the Supabase Auth API the app calls. */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { FunctionHost } from './functions';
import { signJwt, verifyJwt, type JwtClaims } from './jwt';

/**
 * Supabase Auth's rate limits on the token endpoint, per client IP, each a token bucket of `burst` requests refilled at
 * the given rate (its defaults: 30 sign-ins and sign-ups, and 150 refreshes, per 5 minutes; buckets of 30).
 */
export interface AuthRateLimits {
  signInsPer5Min: number;
  refreshesPer5Min: number;
  burst: number;
}

export const SUPABASE_AUTH_RATE_LIMITS: AuthRateLimits = { signInsPer5Min: 30, refreshesPer5Min: 150, burst: 30 };

export interface GatewayOptions {
  pool: Pool;
  postgrestUrl: string;
  jwtSecret: string;
  /** 0 picks a free port. */
  port: number;
  accessTokenTtlSeconds: number;
  /** Supabase's by default; null turns them off (tests whose clients all sign in from 127.0.0.1, many times). */
  rateLimits?: AuthRateLimits | null;
  /** The Edge Functions served under /functions/v1 (none when absent). */
  functions?: FunctionHost;
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS =
  'id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at, last_sign_in_at, created_at, updated_at';
const MAX_AUTH_BODY_BYTES = 64 * 1024;
const MIN_PASSWORD_LENGTH = 6;
// GoTrue accepts a just-rotated refresh token for a few seconds, so two racing refreshes both succeed.
const REFRESH_REUSE_INTERVAL_SECONDS = 10;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIVE_MINUTES_MS = 5 * 60_000;
// GoTrue's answer to a failure it did not expect: no database text reaches the caller.
const UNEXPECTED_FAILURE = 'Unexpected failure, please check server logs for more information';

/** An Auth API error in the shape auth-js reads (code/msg with the 2024-01-01 API version header). */
class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-supabase-api-version': '2024-01-01',
  });
  res.end(text);
}

function sendAuthError(res: ServerResponse, error: AuthHttpError): void {
  sendJson(res, error.status, {
    code: error.code,
    error_code: error.code,
    msg: error.message,
    message: error.message,
    // The OAuth-style pair older clients read on the token endpoint.
    error: error.code,
    error_description: error.message,
  });
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_AUTH_BODY_BYTES) throw new AuthHttpError(413, 'request_too_large', 'Request body is too large');
    chunks.push(buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AuthHttpError(400, 'bad_json', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AuthHttpError(400, 'bad_json', 'Request body must be a JSON object');
  }
  // Postgres text cannot hold NUL: refuse it here, as a bad request, rather than fail in the database.
  if (containsNul(parsed)) throw new AuthHttpError(400, 'validation_failed', 'Request body must not contain NUL characters');
  return parsed as Record<string, unknown>;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || containsNul(inner));
  }
  return false;
}

/** Token buckets per key: `take` answers false once a key's bucket is empty, until it refills. */
function tokenBuckets(perFiveMinutes: number, burst: number) {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const refillPerMs = perFiveMinutes / FIVE_MINUTES_MS;
  return {
    take(key: string, nowMs: number): boolean {
      const bucket = buckets.get(key) ?? { tokens: burst, atMs: nowMs };
      bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.atMs) * refillPerMs);
      bucket.atMs = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match ? (match[1] ?? null) : null;
}

function userJson(user: UserRow): Record<string, unknown> {
  return {
    id: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email,
    email_confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    phone: '',
    last_sign_in_at: user.last_sign_in_at?.toISOString() ?? null,
    app_metadata: user.raw_app_meta_data,
    user_metadata: user.raw_user_meta_data,
    identities: [],
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    is_anonymous: false,
  };
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { pool, jwtSecret, accessTokenTtlSeconds } = options;
  const postgrest = new URL(options.postgrestUrl);
  let issuer = '';
  const limits = options.rateLimits === undefined ? SUPABASE_AUTH_RATE_LIMITS : options.rateLimits;
  const signInBuckets = limits && tokenBuckets(limits.signInsPer5Min, limits.burst);
  const refreshBuckets = limits && tokenBuckets(limits.refreshesPer5Min, limits.burst);
  function rateLimit(buckets: ReturnType<typeof tokenBuckets> | null, req: IncomingMessage): void {
    if (buckets && !buckets.take(req.socket.remoteAddress ?? 'unknown', Date.now())) {
      throw new AuthHttpError(429, 'over_request_rate_limit', 'Request rate limit reached');
    }
  }

  async function issueSession(user: UserRow, sessionId: string, parentToken: string | null) {
    const refreshToken = randomBytes(24).toString('base64url');
    await pool.query('insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)', [
      refreshToken,
      user.id,
      sessionId,
      parentToken,
    ]);
    const now = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = {
      iss: issuer,
      aud: user.aud,
      sub: user.id,
      exp: now + accessTokenTtlSeconds,
      iat: now,
      email: user.email,
      phone: '',
      app_metadata: user.raw_app_meta_data,
      user_metadata: user.raw_user_meta_data,
      role: user.role,
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
    };
    return {
      access_token: signJwt(claims, jwtSecret),
      token_type: 'bearer',
      expires_in: accessTokenTtlSeconds,
      expires_at: now + accessTokenTtlSeconds,
      refresh_token: refreshToken,
      user: userJson(user),
    };
  }

  function credentials(body: Record<string, unknown>): { email: string; password: string } {
    const { email, password } = body;
    if (typeof email !== 'string' || !EMAIL.test(email.trim())) {
      throw new AuthHttpError(400, 'validation_failed', 'A valid email address is required');
    }
    if (typeof password !== 'string' || password.length === 0) {
      throw new AuthHttpError(400, 'validation_failed', 'A password is required');
    }
    return { email: email.trim().toLowerCase(), password };
  }

  async function signUp(body: Record<string, unknown>) {
    const { email, password } = credentials(body);
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new AuthHttpError(422, 'weak_password', `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    const metadata = typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data) ? body.data : {};
    const inserted = await pool.query<UserRow>(
      `insert into auth.users (email, encrypted_password, raw_user_meta_data, last_sign_in_at)
       values ($1, extensions.crypt($2, extensions.gen_salt('bf')), $3, now())
       on conflict (email) do nothing
       returning ${USER_COLUMNS}`,
      [email, password, JSON.stringify(metadata)],
    );
    const user = inserted.rows[0];
    if (!user) throw new AuthHttpError(422, 'user_already_exists', 'User already registered');
    return issueSession(user, randomUUID(), null);
  }

  async function passwordGrant(body: Record<string, unknown>) {
    const { email, password } = credentials(body);
    const found = await pool.query<UserRow>(
      `update auth.users set last_sign_in_at = now()
       where email = $1 and encrypted_password = extensions.crypt($2, encrypted_password)
       returning ${USER_COLUMNS}`,
      [email, password],
    );
    const user = found.rows[0];
    if (!user) throw new AuthHttpError(400, 'invalid_credentials', 'Invalid login credentials');
    return issueSession(user, randomUUID(), null);
  }

  async function refreshGrant(body: Record<string, unknown>) {
    const token = body.refresh_token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new AuthHttpError(400, 'validation_failed', 'refresh_token is required');
    }
    // Revoke atomically so two racing refreshes cannot both rotate outside the reuse interval.
    const rotated = await pool.query<{ user_id: string; session_id: string }>(
      `update auth.refresh_tokens set revoked = true, updated_at = now()
       where token = $1 and (not revoked or updated_at > now() - make_interval(secs => $2))
       returning user_id, session_id`,
      [token, REFRESH_REUSE_INTERVAL_SECONDS],
    );
    const row = rotated.rows[0];
    if (!row) throw new AuthHttpError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const found = await pool.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [row.user_id]);
    const user = found.rows[0];
    if (!user) throw new AuthHttpError(400, 'user_not_found', 'User from refresh token not found');
    return issueSession(user, row.session_id, token);
  }

  function requireUserClaims(req: IncomingMessage): JwtClaims & { sub: string } {
    const token = bearerToken(req);
    const claims = token ? verifyJwt(token, jwtSecret) : null;
    if (!claims) throw new AuthHttpError(401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, or it has expired');
    if (typeof claims.sub !== 'string') throw new AuthHttpError(403, 'bad_jwt', 'This endpoint requires a user JWT');
    return claims as JwtClaims & { sub: string };
  }

  async function currentUser(req: IncomingMessage) {
    const claims = requireUserClaims(req);
    const found = await pool.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [claims.sub]);
    const user = found.rows[0];
    if (!user) throw new AuthHttpError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return userJson(user);
  }

  // Logout deletes the tokens (rather than revoking them) so the rotation reuse interval cannot revive them.
  async function logout(req: IncomingMessage, scope: string) {
    const claims = requireUserClaims(req);
    const sessionId = typeof claims.session_id === 'string' ? claims.session_id : null;
    if (scope === 'global' || sessionId === null) {
      await pool.query('delete from auth.refresh_tokens where user_id = $1', [claims.sub]);
    } else if (scope === 'local') {
      await pool.query('delete from auth.refresh_tokens where session_id = $1', [sessionId]);
    } else if (scope === 'others') {
      await pool.query('delete from auth.refresh_tokens where user_id = $1 and session_id <> $2', [claims.sub, sessionId]);
    } else {
      throw new AuthHttpError(400, 'validation_failed', 'scope must be global, local or others');
    }
  }

  // Like Supabase's API gateway: every call names the project with a key signed by the project's secret.
  function requireApiKey(req: IncomingMessage): void {
    const apikey = req.headers.apikey;
    const key = typeof apikey === 'string' ? apikey : bearerToken(req);
    if (!key || !verifyJwt(key, jwtSecret)) {
      throw new AuthHttpError(401, 'no_api_key', 'No valid API key found in request');
    }
  }

  async function handleAuth(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.replace(/^\/auth\/v1/, '');
    if (route === '/health' && req.method === 'GET') {
      sendJson(res, 200, { name: 'study-desk-local-auth', description: 'Local Supabase Auth subset' });
      return;
    }
    requireApiKey(req);
    if (route === '/signup' && req.method === 'POST') {
      rateLimit(signInBuckets, req);
      sendJson(res, 200, await signUp(await readJsonBody(req)));
    } else if (route === '/token' && req.method === 'POST') {
      const grant = url.searchParams.get('grant_type');
      rateLimit(grant === 'refresh_token' ? refreshBuckets : signInBuckets, req);
      const body = await readJsonBody(req);
      if (grant === 'password') sendJson(res, 200, await passwordGrant(body));
      else if (grant === 'refresh_token') sendJson(res, 200, await refreshGrant(body));
      else throw new AuthHttpError(400, 'unsupported_grant_type', `grant_type ${grant ?? '(missing)'} is not supported`);
    } else if (route === '/user' && req.method === 'GET') {
      sendJson(res, 200, await currentUser(req));
    } else if (route === '/logout' && req.method === 'POST') {
      await logout(req, url.searchParams.get('scope') ?? 'global');
      res.writeHead(204, { 'x-supabase-api-version': '2024-01-01' });
      res.end();
    } else {
      throw new AuthHttpError(404, 'not_found', `${req.method ?? 'GET'} ${url.pathname} is not part of the local Auth API`);
    }
  }

  function proxyRest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const headers: OutgoingHttpHeaders = { ...req.headers, host: postgrest.host };
    // Supabase treats the apikey as the bearer when no user token is sent (so anon requests carry role anon).
    const apikey = req.headers.apikey;
    if (!headers.authorization && typeof apikey === 'string') headers.authorization = `Bearer ${apikey}`;
    const upstream = httpRequest(
      {
        hostname: postgrest.hostname,
        port: postgrest.port,
        method: req.method,
        path: `${url.pathname.replace(/^\/rest\/v1/, '') || '/'}${url.search}`,
        headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) sendJson(res, 502, { code: 'PGRST_UNAVAILABLE', message: `PostgREST is unreachable: ${error.message}` });
      else res.destroy(error);
    });
    req.pipe(upstream);
  }

  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/rest/v1' || url.pathname.startsWith('/rest/v1/')) {
      proxyRest(req, res, url);
      return;
    }
    if (options.functions && url.pathname.startsWith('/functions/v1/')) {
      options.functions.handle(req, res, url);
      return;
    }
    if (url.pathname.startsWith('/auth/v1/')) {
      handleAuth(req, res, url).catch((error: unknown) => {
        if (error instanceof AuthHttpError) sendAuthError(res, error);
        else {
          console.error(`[gateway] ${req.method ?? 'GET'} ${url.pathname}: ${(error as Error).message}`);
          sendAuthError(res, new AuthHttpError(500, 'unexpected_failure', UNEXPECTED_FAILURE));
        }
      });
      return;
    }
    sendJson(res, 404, { message: `No route for ${url.pathname}: the local stack serves /rest/v1, /auth/v1 and /functions/v1` });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}/auth/v1`;

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
