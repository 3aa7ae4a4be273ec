/**
 * Supabase Edge Function `tutor` (Deno): a Socratic tutor reply streamed from an OpenAI-compatible model whose key
 * stays on the server, so learners need no key of their own.
 *
 * - The caller's access token is checked by the project's Auth server (`GET /auth/v1/user`): signature, expiry and
 *   that the user still exists, whatever the project's signing keys (see docs/decisions.md). Missing or refused: 401.
 * - `POST /tutor` with `{ messages, context? }`: the context the app sent is used as is; without one it is built from
 *   the learner's synced rows (learner-context.ts). The first server-sent event (`event: context`) echoes the exact
 *   context used; then the model's Chat Completions events are relayed unchanged, ending with `data: [DONE]`.
 * - `GET /tutor/models`: the model it uses, in the shape of `/v1/models` (the app's "Test connection").
 *
 * Environment: SUPABASE_URL and SUPABASE_ANON_KEY (Supabase sets them); TUTOR_LLM_BASE_URL (an OpenAI-compatible
 * `/v1` base), TUTOR_LLM_MODEL and the optional TUTOR_LLM_API_KEY (`supabase secrets set`); TUTOR_FUNCTION_PORT for a
 * plain `deno run` (the local stack's gateway passes 0 and reads the port from the first line printed).
 */
import { CONTEXT_EVENT, systemMessage, type PromptContext } from '../_shared/tutor-prompt.ts';
import { buildLearnerContext, RestError } from './learner-context.ts';

const MAX_BODY_BYTES = 256 * 1024;
const MAX_MESSAGES = 200;
const MAX_MESSAGE_CHARS = 32_000;
/** The model must start answering (HTTP headers) within this; the stream itself is bounded by the client's idle timeout. */
const UPSTREAM_HEADERS_TIMEOUT_MS = 60_000;
const AUTH_TIMEOUT_MS = 10_000;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** An answer the function gives on purpose: status, a stable code and a sentence for the learner or the operator. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...CORS_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers } });
}

function env(name: string): string {
  return Deno.env.get(name)?.trim() ?? '';
}

function requireEnv(name: string, purpose: string): string {
  const value = env(name);
  if (!value) throw new HttpError(503, 'not_configured', `The tutor service is not configured: ${name} (${purpose}) is not set.`);
  return value.replace(/\/+$/, '');
}

function llmConfig() {
  return {
    baseUrl: requireEnv('TUTOR_LLM_BASE_URL', "the language model's OpenAI-compatible /v1 base URL"),
    model: requireEnv('TUTOR_LLM_MODEL', 'the model name'),
    apiKey: env('TUTOR_LLM_API_KEY') || null,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The caller's user id, from the Auth server's answer for their token. */
async function authenticate(req: Request): Promise<{ userId: string; accessToken: string }> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  if (!match?.[1]) {
    throw new HttpError(401, 'not_signed_in', 'Missing "Authorization: Bearer <access token>": sign in and call the tutor with your session\'s access token.');
  }
  const accessToken = match[1];
  const supabaseUrl = requireEnv('SUPABASE_URL', "the project's URL");
  let response: Response;
  try {
    response = await fetch(`${supabaseUrl}/auth/v1/user`, {
      headers: { apikey: requireEnv('SUPABASE_ANON_KEY', "the project's anon key"), authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    });
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(502, 'auth_unreachable', `The tutor service could not reach the Auth server to check the access token (${(err as Error).message}).`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401 || response.status === 403) {
    throw new HttpError(401, 'bad_jwt', 'The access token was refused (bad signature, expired, or not a signed-in user): sign in again.');
  }
  if (!response.ok) throw new HttpError(502, 'auth_error', `The Auth server answered HTTP ${response.status} while checking the access token.`);
  if (!isRecord(body) || typeof body.id !== 'string') throw new HttpError(401, 'bad_jwt', 'The access token does not belong to a user: sign in again.');
  return { userId: body.id, accessToken };
}

function isTurn(value: unknown): value is ChatTurn {
  return isRecord(value) && (value.role === 'user' || value.role === 'assistant') && typeof value.content === 'string' && value.content.length <= MAX_MESSAGE_CHARS;
}

/** Enough of the app's TutorContext to render the system message; the app validated the rest of it when it built it. */
function isPromptContext(value: unknown): value is PromptContext {
  if (!isRecord(value) || !Array.isArray(value.recentSessions) || typeof value.streak !== 'number') return false;
  const { question, skill } = value;
  const questionOk =
    question === null || (isRecord(question) && typeof question.prompt === 'string' && typeof question.answered === 'boolean' && Array.isArray(question.attempts));
  const skillOk = skill === null || (isRecord(skill) && typeof skill.title === 'string' && typeof skill.progress === 'number');
  return questionOk && skillOk;
}

async function readChatRequest(req: Request): Promise<{ messages: ChatTurn[]; context: PromptContext | null }> {
  const text = await req.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) throw new HttpError(413, 'too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_json', 'The request body is not JSON: send { "messages": [...], "context"?: {...} }.');
  }
  if (!isRecord(body)) throw new HttpError(400, 'bad_request', 'The request body must be a JSON object { "messages": [...], "context"?: {...} }.');
  const { messages, context } = body;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MESSAGES) {
    throw new HttpError(400, 'bad_messages', `"messages" must be an array of 1 to ${MAX_MESSAGES} turns.`);
  }
  const bad = messages.findIndex((m) => !isTurn(m));
  if (bad >= 0) {
    throw new HttpError(400, 'bad_messages', `messages[${bad}] must be { "role": "user" | "assistant", "content": a string of at most ${MAX_MESSAGE_CHARS} characters }.`);
  }
  if (context === undefined || context === null) return { messages: messages as ChatTurn[], context: null };
  if (!isPromptContext(context)) {
    throw new HttpError(400, 'bad_context', '"context" must be the app\'s tutor context (question, skill, recentSessions, streak) or be left out.');
  }
  return { messages: messages as ChatTurn[], context };
}

/** The model's error as a short sentence without the server's key. */
async function upstreamDetail(response: Response, apiKey: string | null): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof candidate === 'string') detail = candidate;
  } catch {
    // Not JSON: the text itself.
  }
  detail = detail.slice(0, 200).trim();
  return apiKey ? detail.split(apiKey).join('[key]') : detail;
}

/** Maps the model's refusal to what the app's provider client understands: 429 stays 429, the rest is the service's 502. */
async function upstreamFailure(response: Response, model: string, apiKey: string | null): Promise<HttpError> {
  const detail = await upstreamDetail(response, apiKey);
  const said = detail ? ` It said: ${detail}` : '';
  const status = response.status;
  if (status === 429) {
    const retryAfter = response.headers.get('retry-after');
    return new HttpError(429, 'llm_rate_limited', `The tutor service's language model is rate-limiting requests.${said}`, retryAfter ? { 'retry-after': retryAfter } : {});
  }
  if (status === 401 || status === 403) {
    return new HttpError(502, 'llm_refused_key', `The tutor service's language model refused the service's API key (HTTP ${status}); the operator must fix TUTOR_LLM_API_KEY.`);
  }
  if (status === 404) return new HttpError(502, 'llm_unknown_model', `The tutor service's language model does not know the model "${model}" (HTTP 404).${said}`);
  return new HttpError(502, 'llm_error', `The tutor service's language model answered HTTP ${status}.${said}`);
}

async function streamReply(req: Request): Promise<Response> {
  const caller = await authenticate(req);
  const llm = llmConfig();
  const request = await readChatRequest(req);
  let context: PromptContext;
  try {
    context =
      request.context ??
      (await buildLearnerContext(
        { supabaseUrl: requireEnv('SUPABASE_URL', "the project's URL"), anonKey: requireEnv('SUPABASE_ANON_KEY', "the project's anon key"), ...caller },
        Date.now(),
      ));
  } catch (err) {
    if (err instanceof RestError) throw new HttpError(502, 'context_failed', `The tutor service could not read your synced progress: ${err.message}`);
    throw err;
  }

  // The model must answer within the bound; after that only the caller (closing the request) stops it.
  const controller = new AbortController();
  const onClientGone = () => controller.abort(req.signal.reason);
  req.signal.addEventListener('abort', onClientGone, { once: true });
  const headersTimer = setTimeout(() => controller.abort(new Error('timeout')), UPSTREAM_HEADERS_TIMEOUT_MS);
  let upstream: Response;
  try {
    upstream = await fetch(`${llm.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
      body: JSON.stringify({
        model: llm.model,
        messages: [{ role: 'system', content: systemMessage(context) }, ...request.messages],
        stream: true,
        stream_options: { include_usage: true },
      }),
      signal: controller.signal,
    });
  } catch (err) {
    req.signal.removeEventListener('abort', onClientGone);
    if (controller.signal.reason instanceof Error && controller.signal.reason.message === 'timeout') {
      throw new HttpError(504, 'llm_timeout', `The tutor service's language model did not answer within ${UPSTREAM_HEADERS_TIMEOUT_MS / 1000} s.`);
    }
    throw new HttpError(502, 'llm_unreachable', `The tutor service could not reach its language model (${(err as Error).message}).`);
  } finally {
    clearTimeout(headersTimer);
  }
  if (!upstream.ok) throw await upstreamFailure(upstream, llm.model, llm.apiKey);
  if (!upstream.body || !(upstream.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await upstream.body?.cancel();
    throw new HttpError(502, 'llm_not_streaming', "The tutor service's language model did not answer with a stream (is TUTOR_LLM_BASE_URL an OpenAI-compatible /v1 base?).");
  }

  // First the context used, then the model's events byte for byte: a dropped model connection drops this stream too,
  // and a client that goes away cancels the model's request (pipeThrough carries both ways).
  const contextEvent = new TextEncoder().encode(`event: ${CONTEXT_EVENT}\ndata: ${JSON.stringify(context)}\n\n`);
  const body = upstream.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(stream) {
        stream.enqueue(contextEvent);
      },
    }),
  );
  return new Response(body, {
    status: 200,
    headers: { ...CORS_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
  });
}

async function listModel(req: Request): Promise<Response> {
  await authenticate(req);
  const { model } = llmConfig();
  return json(200, { object: 'list', data: [{ id: model, object: 'model', owned_by: 'tutor-function' }] });
}

export async function handle(req: Request): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
  // Supabase hands the function its own path (/tutor/...); the rest names the route.
  const route = new URL(req.url).pathname.replace(/^\/tutor/, '').replace(/\/+$/, '');
  try {
    if (route === '' && req.method === 'POST') return await streamReply(req);
    if (route === '/models' && req.method === 'GET') return await listModel(req);
    throw new HttpError(404, 'not_found', `${req.method} ${new URL(req.url).pathname} is not a route of the tutor function (POST /tutor, GET /tutor/models).`);
  } catch (err) {
    if (err instanceof HttpError) return json(err.status, { code: err.code, message: err.message }, err.headers);
    console.error(`[tutor] ${req.method} ${route}: ${(err as Error).stack ?? String(err)}`);
    return json(500, { code: 'internal', message: 'The tutor service failed unexpectedly; see the function log.' });
  }
}

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(env('TUTOR_FUNCTION_PORT') || '8000'),
    onListen: ({ hostname, port }) => console.log(`tutor function listening on http://${hostname}:${port}/`),
  },
  handle,
);
