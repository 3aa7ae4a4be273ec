/**
 * Supabase Edge Function `evaluate` (Deno): the AI drill evaluator for PRO accounts, through the project's
 * OpenAI-compatible model, so a PRO learner needs no provider of their own.
 *
 * - The caller's access token is checked by the Auth server (missing or refused: 401), then their
 *   `users.entitlement_level` is read through PostgREST with their own token (RLS: a learner reads their own row; no row
 *   means the server's default, LOCKED). Anything but PRO: 403 `not_pro`.
 * - `POST /evaluate` takes the request the app's evaluator (electron/core/drills/evaluate-ai.ts) sends any
 *   OpenAI-compatible provider: `{ model?, messages, max_tokens?, stream?, stream_options? }`. The function checks its
 *   size and shape (the app's evaluator system message, then user/assistant turns ending with the user's: the first
 *   request and its one retry, in the app's shapes: ../_shared/evaluate-protocol.ts), relays it to the server's model and streams the reply back, first naming the model (`event: model`, see
 *   ../_shared/evaluate-protocol.ts), then the model's Chat Completions events, ending with `data: [DONE]`. The prompt
 *   and the validation of the model's JSON stay in the app, in one place.
 * - Bounds: the body (128 KiB), each message, the reply (256 KiB) and its time (90 s, or EVALUATE_REPLY_TIMEOUT_MS):
 *   past them the reply ends with an error event and the model's request is cancelled. The model is asked for at most
 *   MAX_REPLY_TOKENS (2048) tokens: a caller's larger `max_tokens` is lowered to it, a smaller one kept.
 *
 * Environment: SUPABASE_URL and SUPABASE_ANON_KEY (Supabase sets them); the project's model, shared with the tutor:
 * TUTOR_LLM_BASE_URL, TUTOR_LLM_MODEL and the optional TUTOR_LLM_API_KEY; the optional EVALUATE_REPLY_TIMEOUT_MS;
 * EVALUATE_FUNCTION_PORT for a plain `deno run`.
 */
import {
  answer,
  authenticate,
  cappedMaxTokens,
  env,
  HttpError,
  isRecord,
  llmConfig,
  readJsonBody,
  relayChatStream,
  restAccess,
  RestError,
  select,
  serveFunction,
  type Caller,
} from '../_shared/function-kit.ts';
import { isEvaluatorRetryPrompt, isEvaluatorSystemPrompt, MODEL_EVENT } from '../_shared/evaluate-protocol.ts';

const SERVICE = 'drill evaluation service';
const MAX_BODY_BYTES = 128 * 1024;
/** The evaluator's first request (system, user) and its one retry (then also its reply and the problems named). */
const MAX_MESSAGES = 4;
const MAX_MESSAGE_CHARS = 32_000;
const MAX_REPLY_BYTES = 256 * 1024;
const DEFAULT_REPLY_TIMEOUT_MS = 90_000;
/**
 * The most tokens the model is asked for (its `max_tokens`): the evaluator's JSON answer (a score, 7 categories each
 * with a note and quotes, at most 3 changes, a rule) is about 800 tokens, so this leaves room for a wordy one while
 * bounding what a reply can cost, whatever the caller asks.
 */
const MAX_REPLY_TOKENS = 2048;
const REQUEST_KEYS = new Set(['model', 'messages', 'max_tokens', 'stream', 'stream_options']);
const SHAPE = '{ "messages": [{ "role": "system", ... }, { "role": "user", ... }], "stream": true }';

type Level = 'LOCKED' | 'BASIC' | 'PRO';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** How long the model's whole reply may take: EVALUATE_REPLY_TIMEOUT_MS when set (a positive integer), else 90 s. */
function replyTimeoutMs(): number {
  const text = env('EVALUATE_REPLY_TIMEOUT_MS');
  if (text === '') return DEFAULT_REPLY_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new HttpError(503, 'not_configured', `The ${SERVICE} is misconfigured: EVALUATE_REPLY_TIMEOUT_MS must be a positive whole number of milliseconds, not "${text.slice(0, 40)}".`);
  }
  return value;
}

/** The caller's own entitlement, read as them. */
async function entitlementOf(caller: Caller): Promise<Level> {
  let rows: Array<{ entitlement_level: unknown }>;
  try {
    rows = await select(restAccess(SERVICE, caller), 'users', `select=entitlement_level&id=eq.${encodeURIComponent(caller.userId)}`);
  } catch (err) {
    if (err instanceof RestError) throw new HttpError(502, 'entitlement_unreadable', `The ${SERVICE} could not read your account's level: ${err.message}`);
    throw err;
  }
  const level = rows[0]?.entitlement_level ?? 'LOCKED';
  if (level !== 'LOCKED' && level !== 'BASIC' && level !== 'PRO') {
    throw new HttpError(502, 'entitlement_unreadable', `The ${SERVICE} read an unknown account level "${String(level).slice(0, 40)}".`);
  }
  return level;
}

/** The role messages[index] must have: system first, then user and assistant in turn, so the last is the user's. */
const expectedRole = (index: number): Message['role'] => (index === 0 ? 'system' : index % 2 === 1 ? 'user' : 'assistant');

function readMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length < 2 || value.length > MAX_MESSAGES || value.length % 2 !== 0) {
    throw new HttpError(400, 'bad_messages', `"messages" must be a system message then user/assistant turns ending with the user's: 2 or ${MAX_MESSAGES} messages.`);
  }
  return value.map((message, index) => {
    const role = expectedRole(index);
    if (!isRecord(message) || message.role !== role || typeof message.content !== 'string' || message.content.length > MAX_MESSAGE_CHARS) {
      throw new HttpError(400, 'bad_messages', `messages[${index}] must be { "role": "${role}", "content": a string of at most ${MAX_MESSAGE_CHARS} characters }.`);
    }
    // Only the app's evaluator prompts: the function is no general model behind another system message.
    if (index === 0 && !isEvaluatorSystemPrompt(message.content)) {
      throw new HttpError(400, 'bad_messages', "messages[0] must be the app's drill evaluator prompt for a rubric of 7 dimensions, one per measure.");
    }
    if (index === 3 && !isEvaluatorRetryPrompt(message.content)) {
      throw new HttpError(400, 'bad_messages', "messages[3] must be the app's one retry (\"That reply is not valid: …\").");
    }
    return { role, content: message.content };
  });
}

/**
 * The app's Chat Completions request, checked against this function's limits; the model is always the server's and
 * `max_tokens` at most MAX_REPLY_TOKENS.
 */
async function readEvaluationRequest(req: Request, serverModel: string): Promise<{ messages: Message[]; maxTokens: number }> {
  const body = await readJsonBody(req, MAX_BODY_BYTES, SHAPE);
  if (!isRecord(body)) throw new HttpError(400, 'bad_request', `The request body must be a JSON object ${SHAPE}.`);
  const unknown = Object.keys(body).filter((key) => !REQUEST_KEYS.has(key));
  if (unknown.length > 0) {
    throw new HttpError(400, 'bad_request', `The request has fields this function does not take: ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')} (it takes ${[...REQUEST_KEYS].join(', ')}).`);
  }
  if (body.model !== undefined && body.model !== '' && body.model !== serverModel) {
    throw new HttpError(400, 'bad_model', `This function evaluates with the server's model "${serverModel}": send "model" empty or leave it out.`);
  }
  if (body.stream !== undefined && body.stream !== true) throw new HttpError(400, 'bad_request', 'This function only streams: send "stream": true or leave it out.');
  return { messages: readMessages(body.messages), maxTokens: cappedMaxTokens(body.max_tokens, MAX_REPLY_TOKENS) };
}

async function evaluate(req: Request): Promise<Response> {
  const caller = await authenticate(req, SERVICE);
  const level = await entitlementOf(caller);
  if (level !== 'PRO') {
    throw new HttpError(
      403,
      'not_pro',
      `The server's AI drill evaluator is for PRO accounts, and this account is ${level}. The app evaluates with its local rules instead; an administrator can grant PRO.`,
    );
  }
  const llm = llmConfig(SERVICE);
  const totalTimeoutMs = replyTimeoutMs();
  const { messages, maxTokens } = await readEvaluationRequest(req, llm.model);
  return relayChatStream(req, {
    service: SERVICE,
    llm,
    messages,
    maxTokens,
    prelude: `event: ${MODEL_EVENT}\ndata: ${llm.model}\n\n`,
    limits: { maxReplyBytes: MAX_REPLY_BYTES, totalTimeoutMs },
  });
}

export function handle(req: Request): Promise<Response> {
  return answer('evaluate', SERVICE, req, () => {
    // Supabase hands the function its own path (/evaluate/...).
    const route = new URL(req.url).pathname.replace(/^\/evaluate/, '').replace(/\/+$/, '');
    if (route === '' && req.method === 'POST') return evaluate(req);
    throw new HttpError(404, 'not_found', `${req.method} ${new URL(req.url).pathname} is not a route of the evaluate function (POST /evaluate).`);
  });
}

serveFunction('evaluate', handle);
