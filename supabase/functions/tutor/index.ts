/**
 * Supabase Edge Function `tutor` (Deno): a Socratic tutor reply streamed from an OpenAI-compatible model whose key
 * stays on the server, so learners need no key of their own.
 *
 * - The caller's access token is checked by the project's Auth server (`GET /auth/v1/user`): signature, expiry and
 *   that the user still exists, whatever the project's signing keys (see docs/decisions.md). Missing or refused: 401.
 * - `POST /tutor` with `{ messages, context?, max_tokens? }`: the context the app sent is used as is; without one it is
 *   built from the learner's synced rows (learner-context.ts). The first server-sent event (`event: context`) echoes the
 *   exact context used; then the model's Chat Completions events are relayed unchanged, ending with `data: [DONE]`. The
 *   model is asked for at most MAX_REPLY_TOKENS (1024) tokens: a larger `max_tokens` is lowered to it, a smaller one
 *   kept.
 * - `GET /tutor/models`: the model it uses, in the shape of `/v1/models` (the app's "Test connection").
 *
 * Environment: SUPABASE_URL and SUPABASE_ANON_KEY (Supabase sets them); TUTOR_LLM_BASE_URL (an OpenAI-compatible
 * `/v1` base), TUTOR_LLM_MODEL and the optional TUTOR_LLM_API_KEY (`supabase secrets set`); TUTOR_FUNCTION_PORT for a
 * plain `deno run` (the local stack's gateway passes 0 and reads the port from the first line printed). The token check,
 * the model's relay and the error answers are the functions' shared kit (../_shared/function-kit.ts).
 */
import {
  answer,
  authenticate,
  cappedMaxTokens,
  HttpError,
  isRecord,
  json,
  llmConfig,
  readJsonBody,
  relayChatStream,
  restAccess,
  RestError,
  serveFunction,
} from '../_shared/function-kit.ts';
import { CONTEXT_EVENT, systemMessage, type PromptContext } from '../_shared/tutor-prompt.ts';
import { buildLearnerContext } from './learner-context.ts';

const SERVICE = 'tutor service';
const MAX_BODY_BYTES = 256 * 1024;
const MAX_MESSAGES = 200;
const MAX_MESSAGE_CHARS = 32_000;
/**
 * The most tokens the model is asked for (its `max_tokens`): the prompt asks for short replies, and this still fits a
 * full worked explanation once the learner has answered, while bounding what a reply can cost.
 */
const MAX_REPLY_TOKENS = 1024;

interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
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

async function readChatRequest(req: Request): Promise<{ messages: ChatTurn[]; context: PromptContext | null; maxTokens: number }> {
  const body = await readJsonBody(req, MAX_BODY_BYTES, '{ "messages": [...], "context"?: {...} }');
  if (!isRecord(body)) throw new HttpError(400, 'bad_request', 'The request body must be a JSON object { "messages": [...], "context"?: {...} }.');
  const { messages, context } = body;
  const maxTokens = cappedMaxTokens(body.max_tokens, MAX_REPLY_TOKENS);
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MESSAGES) {
    throw new HttpError(400, 'bad_messages', `"messages" must be an array of 1 to ${MAX_MESSAGES} turns.`);
  }
  const bad = messages.findIndex((m) => !isTurn(m));
  if (bad >= 0) {
    throw new HttpError(400, 'bad_messages', `messages[${bad}] must be { "role": "user" | "assistant", "content": a string of at most ${MAX_MESSAGE_CHARS} characters }.`);
  }
  if (context === undefined || context === null) return { messages: messages as ChatTurn[], context: null, maxTokens };
  if (!isPromptContext(context)) {
    throw new HttpError(400, 'bad_context', '"context" must be the app\'s tutor context (question, skill, recentSessions, streak) or be left out.');
  }
  return { messages: messages as ChatTurn[], context, maxTokens };
}

async function streamReply(req: Request): Promise<Response> {
  const caller = await authenticate(req, SERVICE);
  const llm = llmConfig(SERVICE);
  const request = await readChatRequest(req);
  let context: PromptContext;
  try {
    context = request.context ?? (await buildLearnerContext(restAccess(SERVICE, caller), Date.now()));
  } catch (err) {
    if (err instanceof RestError) throw new HttpError(502, 'context_failed', `The tutor service could not read your synced progress: ${err.message}`);
    throw err;
  }
  // The context used first, then the model's events; the stream itself is bounded by the client's idle timeout.
  return relayChatStream(req, {
    service: SERVICE,
    llm,
    messages: [{ role: 'system', content: systemMessage(context) }, ...request.messages],
    maxTokens: request.maxTokens,
    prelude: `event: ${CONTEXT_EVENT}\ndata: ${JSON.stringify(context)}\n\n`,
  });
}

async function listModel(req: Request): Promise<Response> {
  await authenticate(req, SERVICE);
  const { model } = llmConfig(SERVICE);
  return json(200, { object: 'list', data: [{ id: model, object: 'model', owned_by: 'tutor-function' }] });
}

export function handle(req: Request): Promise<Response> {
  return answer('tutor', SERVICE, req, () => {
    // Supabase hands the function its own path (/tutor/...); the rest names the route.
    const route = new URL(req.url).pathname.replace(/^\/tutor/, '').replace(/\/+$/, '');
    if (route === '' && req.method === 'POST') return streamReply(req);
    if (route === '/models' && req.method === 'GET') return listModel(req);
    throw new HttpError(404, 'not_found', `${req.method} ${new URL(req.url).pathname} is not a route of the tutor function (POST /tutor, GET /tutor/models).`);
  });
}

serveFunction('tutor', handle);
