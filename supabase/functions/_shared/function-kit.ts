/**
 * What the project's Edge Functions (`tutor`, `evaluate`) share (Deno only; `deno check` covers it, the app's tsc does
 * not): deliberate HTTP answers as JSON, environment, bounded request bodies, the caller's token checked by the Auth
 * server, PostgREST reads under the caller's own token (so RLS applies), and the relay of one streamed chat completion
 * to the project's OpenAI-compatible model, whose key stays on the server, with its `max_tokens` capped by the function.
 *
 * Each function names itself as a `service` ("tutor service", "drill evaluation service") in what it answers.
 */

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

/** The model must start answering (HTTP headers) within this. */
const UPSTREAM_HEADERS_TIMEOUT_MS = 60_000;
const AUTH_TIMEOUT_MS = 10_000;
const REST_TIMEOUT_MS = 10_000;

/** An answer a function gives on purpose: status, a stable code and a sentence for the learner or the operator. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...CORS_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export function env(name: string): string {
  return Deno.env.get(name)?.trim() ?? '';
}

export function requireEnv(service: string, name: string, purpose: string): string {
  const value = env(name);
  if (!value) throw new HttpError(503, 'not_configured', `The ${service} is not configured: ${name} (${purpose}) is not set.`);
  return value.replace(/\/+$/, '');
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The request's JSON body, read no further than `maxBytes` (a larger body is refused as it arrives, not after it was
 * all buffered). `shape` names what to send, for the 400.
 */
export async function readJsonBody(req: Request, maxBytes: number, shape: string): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  const tooLarge = () => new HttpError(413, 'too_large', `The request body is over ${maxBytes} bytes.`);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new HttpError(400, 'bad_json', `The request body is not JSON: send ${shape}.`);
  }
}

export interface Caller {
  userId: string;
  accessToken: string;
}

/** The caller's user id, from the Auth server's answer for their token (signature, expiry, the user still exists). */
export async function authenticate(req: Request, service: string): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  if (!match?.[1]) {
    throw new HttpError(401, 'not_signed_in', `Missing "Authorization: Bearer <access token>": sign in and call the ${service} with your session's access token.`);
  }
  const accessToken = match[1];
  const supabaseUrl = requireEnv(service, 'SUPABASE_URL', "the project's URL");
  let response: Response;
  try {
    response = await fetch(`${supabaseUrl}/auth/v1/user`, {
      headers: { apikey: requireEnv(service, 'SUPABASE_ANON_KEY', "the project's anon key"), authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    });
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(502, 'auth_unreachable', `The ${service} could not reach the Auth server to check the access token (${(err as Error).message}).`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401 || response.status === 403) {
    throw new HttpError(401, 'bad_jwt', 'The access token was refused (bad signature, expired, or not a signed-in user): sign in again.');
  }
  if (!response.ok) throw new HttpError(502, 'auth_error', `The Auth server answered HTTP ${response.status} while checking the access token.`);
  if (!isRecord(body) || typeof body.id !== 'string') throw new HttpError(401, 'bad_jwt', 'The access token does not belong to a user: sign in again.');
  return { userId: body.id, accessToken };
}

export interface RestAccess extends Caller {
  supabaseUrl: string;
  anonKey: string;
}

/** The PostgREST access of the caller: their own token, so row-level security limits reads to their rows. */
export function restAccess(service: string, caller: Caller): RestAccess {
  return {
    supabaseUrl: requireEnv(service, 'SUPABASE_URL', "the project's URL"),
    anonKey: requireEnv(service, 'SUPABASE_ANON_KEY', "the project's anon key"),
    ...caller,
  };
}

/** A PostgREST read failed: the status (0 when unreachable) and what happened. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET /rest/v1/<table>?<query> as the caller, bounded in time. */
export async function select<Row>(access: RestAccess, table: string, query: string): Promise<Row[]> {
  let response: Response;
  try {
    response = await fetch(`${access.supabaseUrl}/rest/v1/${table}?${query}`, {
      headers: { apikey: access.anonKey, authorization: `Bearer ${access.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(REST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new RestError(0, `Reading ${table} failed: ${(err as Error).message}`);
  }
  if (!response.ok) {
    const detail = (await response.text()).slice(0, 200);
    throw new RestError(response.status, `Reading ${table} failed (HTTP ${response.status}): ${detail}`);
  }
  return (await response.json()) as Row[];
}

export interface LlmConfig {
  baseUrl: string;
  model: string;
  apiKey: string | null;
}

/** The project's language model, shared by its functions: TUTOR_LLM_BASE_URL, TUTOR_LLM_MODEL, TUTOR_LLM_API_KEY. */
export function llmConfig(service: string): LlmConfig {
  return {
    baseUrl: requireEnv(service, 'TUTOR_LLM_BASE_URL', "the language model's OpenAI-compatible /v1 base URL"),
    model: requireEnv(service, 'TUTOR_LLM_MODEL', 'the model name'),
    apiKey: env('TUTOR_LLM_API_KEY') || null,
  };
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
async function upstreamFailure(service: string, response: Response, llm: LlmConfig): Promise<HttpError> {
  const detail = await upstreamDetail(response, llm.apiKey);
  const said = detail ? ` It said: ${detail}` : '';
  const status = response.status;
  if (status === 429) {
    const retryAfter = response.headers.get('retry-after');
    return new HttpError(429, 'llm_rate_limited', `The ${service}'s language model is rate-limiting requests.${said}`, retryAfter ? { 'retry-after': retryAfter } : {});
  }
  if (status === 401 || status === 403) {
    return new HttpError(502, 'llm_refused_key', `The ${service}'s language model refused the service's API key (HTTP ${status}); the operator must fix TUTOR_LLM_API_KEY.`);
  }
  if (status === 404) return new HttpError(502, 'llm_unknown_model', `The ${service}'s language model does not know the model "${llm.model}" (HTTP 404).${said}`);
  return new HttpError(502, 'llm_error', `The ${service}'s language model answered HTTP ${status}.${said}`);
}

/**
 * The `max_tokens` a function asks its model for: the caller's `max_tokens` when it is below the function's `cap`, else
 * the cap, so what a reply can cost is bounded on the server whatever the caller sends. Anything but a positive whole
 * number (or leaving it out, or null) is a 400.
 */
export function cappedMaxTokens(requested: unknown, cap: number): number {
  if (requested === undefined || requested === null) return cap;
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested <= 0) {
    throw new HttpError(400, 'bad_request', `"max_tokens" must be a positive whole number (this function uses at most ${cap}) or be left out.`);
  }
  return Math.min(requested, cap);
}

/** The request field that caps a reply's tokens: OpenAI's reasoning models refuse `max_tokens` and take the other. */
type TokenLimitParameter = 'max_tokens' | 'max_completion_tokens';

/**
 * Models (by base URL and name) that refused `max_tokens`, for as long as this function runs: each asks with
 * `max_completion_tokens` from its second request on, instead of being refused first every time. Local servers
 * (Ollama, llama.cpp) and most providers take `max_tokens`, so that stays the first try.
 */
const modelsWithoutMaxTokens = new Set<string>();
const modelKey = (llm: LlmConfig) => `${llm.baseUrl}\n${llm.model}`;
const tokenLimitParameter = (llm: LlmConfig): TokenLimitParameter =>
  modelsWithoutMaxTokens.has(modelKey(llm)) ? 'max_completion_tokens' : 'max_tokens';

/**
 * Whether the model refused the request for its `max_tokens` alone, as OpenAI answers for its reasoning models: HTTP 400
 * with `error.code` "unsupported_parameter" and `error.param` "max_tokens". Reads a copy, so any other answer stays whole.
 */
async function refusesMaxTokens(response: Response): Promise<boolean> {
  if (response.status !== 400) return false;
  const body: unknown = await response.clone().json().catch(() => null);
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return false;
  const { code, param } = error as { code?: unknown; param?: unknown };
  return code === 'unsupported_parameter' && param === 'max_tokens';
}

export interface RelayOptions {
  service: string;
  llm: LlmConfig;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
  /**
   * The most tokens the model may reply with: the function's cap, or the caller's smaller value (cappedMaxTokens). Sent
   * as `max_tokens`, or as `max_completion_tokens` to a model that refuses the former.
   */
  maxTokens: number;
  /** Server-sent events sent before the model's (e.g. the tutor's context echo). */
  prelude: string;
  /** Bounds of the whole reply; without them only the caller (closing the request) stops the stream. */
  limits?: { maxReplyBytes: number; totalTimeoutMs: number };
}

/** One server-sent event in the Chat Completions style that the app's provider client reads as the model's error. */
function errorEvent(message: string): Uint8Array {
  // The blank line first ends any event the cut left half-sent.
  return new TextEncoder().encode(`\n\ndata: ${JSON.stringify({ error: { message } })}\n\n`);
}

/**
 * Streams one chat completion from the project's model to the caller: first `prelude`, then the model's Chat
 * Completions events byte for byte, ending with `data: [DONE]`. A model that refuses `max_tokens` is asked once more
 * with `max_completion_tokens` (refusesMaxTokens). A dropped model connection drops this stream too, and a caller that
 * goes away cancels the model's request. With `limits`, a reply that grows too large or takes too long is
 * cut with an error event and the model's request is cancelled.
 */
export async function relayChatStream(req: Request, options: RelayOptions): Promise<Response> {
  const { service, llm } = options;
  const controller = new AbortController();
  const onClientGone = () => controller.abort(req.signal.reason);
  req.signal.addEventListener('abort', onClientGone, { once: true });
  const headersTimer = setTimeout(() => controller.abort(new Error('timeout')), UPSTREAM_HEADERS_TIMEOUT_MS);
  const send = (tokenLimit: TokenLimitParameter) =>
    fetch(`${llm.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
      body: JSON.stringify({
        model: llm.model,
        messages: options.messages,
        [tokenLimit]: options.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
      }),
      signal: controller.signal,
    });
  let upstream: Response;
  try {
    const tokenLimit = tokenLimitParameter(llm);
    upstream = await send(tokenLimit);
    if (tokenLimit === 'max_tokens' && (await refusesMaxTokens(upstream))) {
      modelsWithoutMaxTokens.add(modelKey(llm));
      await upstream.body?.cancel();
      upstream = await send('max_completion_tokens');
    }
  } catch (err) {
    req.signal.removeEventListener('abort', onClientGone);
    if (controller.signal.reason instanceof Error && controller.signal.reason.message === 'timeout') {
      throw new HttpError(504, 'llm_timeout', `The ${service}'s language model did not answer within ${UPSTREAM_HEADERS_TIMEOUT_MS / 1000} s.`);
    }
    throw new HttpError(502, 'llm_unreachable', `The ${service} could not reach its language model (${(err as Error).message}).`);
  } finally {
    clearTimeout(headersTimer);
  }
  if (!upstream.ok) throw await upstreamFailure(service, upstream, llm);
  if (!upstream.body || !(upstream.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await upstream.body?.cancel();
    throw new HttpError(502, 'llm_not_streaming', `The ${service}'s language model did not answer with a stream (is TUTOR_LLM_BASE_URL an OpenAI-compatible /v1 base?).`);
  }

  const limits = options.limits;
  let relayed = 0;
  let totalTimer: ReturnType<typeof setTimeout> | undefined;
  const body = upstream.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode(options.prelude));
        if (!limits) return;
        totalTimer = setTimeout(() => {
          controller.abort(new Error('total timeout'));
          try {
            stream.enqueue(errorEvent(`The ${service} stopped the model's reply after ${limits.totalTimeoutMs / 1000} s.`));
            stream.terminate();
          } catch {
            // The caller's stream is closed already (the caller went away): nobody to tell.
          }
        }, limits.totalTimeoutMs);
        req.signal.addEventListener('abort', () => clearTimeout(totalTimer), { once: true });
      },
      transform(chunk, stream) {
        if (limits) {
          relayed += chunk.byteLength;
          if (relayed > limits.maxReplyBytes) {
            clearTimeout(totalTimer);
            stream.enqueue(errorEvent(`The ${service} stopped the model's reply at ${limits.maxReplyBytes} bytes.`));
            stream.terminate();
            controller.abort(new Error('too large'));
            return;
          }
        }
        stream.enqueue(chunk);
      },
      flush() {
        clearTimeout(totalTimer);
      },
    }),
  );
  return new Response(body, {
    status: 200,
    headers: { ...CORS_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
  });
}

/** Runs a route handler: deliberate answers as JSON `{ code, message }`, anything else a logged 500. */
export async function answer(name: string, service: string, req: Request, route: () => Promise<Response>): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
  try {
    return await route();
  } catch (err) {
    if (err instanceof HttpError) return json(err.status, { code: err.code, message: err.message }, err.headers);
    console.error(`[${name}] ${req.method} ${new URL(req.url).pathname}: ${(err as Error).stack ?? String(err)}`);
    return json(500, { code: 'internal', message: `The ${service} failed unexpectedly; see the function log.` });
  }
}

/**
 * Serves a function on loopback at <NAME>_FUNCTION_PORT (8000 by default; the local stack's gateway passes 0 and reads
 * the port from the first line printed).
 */
export function serveFunction(name: string, handle: (req: Request) => Promise<Response>): void {
  const portVariable = `${name.toUpperCase().replace(/-/g, '_')}_FUNCTION_PORT`;
  Deno.serve(
    {
      hostname: '127.0.0.1',
      port: Number(env(portVariable) || '8000'),
      onListen: ({ hostname, port }) => console.log(`${name} function listening on http://${hostname}:${port}/`),
    },
    handle,
  );
}
