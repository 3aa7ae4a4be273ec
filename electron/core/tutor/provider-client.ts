/**
 * One client for every OpenAI-compatible Chat Completions server (OpenAI, Ollama `:11434/v1`, llama.cpp's
 * llama-server, LM Studio `:1234/v1`): streaming over fetch, SSE parsed by eventsource-parser. Failures become a
 * ProviderFailure with a specific code; the API key never appears in a message. Exported for reuse (drills).
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { TutorError, TutorErrorCode } from '../../../shared/ipc/features/tutor';
import { fetchFailure, type FetchFailure } from '../fetch-failure';

export interface ProviderEndpoint {
  /** Base URL including the API version, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  apiKey: string | null;
  /** The fetch to use (tests inject faults); the global one by default. */
  fetch?: typeof fetch;
  /** No byte for this long (before the answer or between chunks) fails with `timeout`. */
  timeoutMs?: number;
  /** Extra headers (the edge function needs the project's anon key). */
  headers?: Record<string, string>;
  /**
   * `edge-function`: one of the project's functions at baseUrl itself (chat at the base, models at `/models`); its 401
   * means the learner's session, not an API key, and its 403 a refusal it explains. Default `openai-compatible`.
   */
  service?: 'openai-compatible' | 'edge-function';
  /** The edge function's name in messages; `tutor` by default. */
  functionName?: string;
}

/** What a call adds to the Chat Completions protocol (the edge function's context and its echo). */
export interface StreamExtras {
  /** Fields added to the request body. */
  body?: Record<string, unknown>;
  /** Server-sent events with an `event:` name (the Chat Completions events have none), in order, before later deltas. */
  onNamedEvent?: (name: string, data: string) => void;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionResult {
  /** Null when the stream ended without one: an interrupted reply; `length` when the model's token limit cut it. */
  finishReason: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** A provider failure with what it means for the learner; `partial` is what arrived before it. */
export class ProviderFailure extends Error {
  readonly error: TutorError;
  constructor(error: TutorError) {
    super(error.message);
    this.name = 'ProviderFailure';
    this.error = error;
  }
}

export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;

function fail(code: TutorErrorCode, message: string, extra: Partial<TutorError> = {}): ProviderFailure {
  return new ProviderFailure({ code, message, ...extra });
}

function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

function authHeaders(endpoint: ProviderEndpoint): Record<string, string> {
  return { ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}), ...endpoint.headers };
}

/** Seconds from a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterSeconds(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - nowMs) / 1000));
}

/** The failure an HTTP status stands for; the body's own message is kept when short (it never holds the key). */
async function httpFailure(response: Response, endpoint: ProviderEndpoint): Promise<ProviderFailure> {
  const detail = await providerMessage(response, endpoint);
  const httpStatus = response.status;
  const suffix = detail ? ` The server said: ${detail}` : '';
  const functionName = endpoint.functionName ?? 'tutor';
  if (endpoint.service === 'edge-function' && httpStatus === 401) {
    return fail('not_signed_in', `The ${functionName} service refused your session (HTTP 401): sign in again under Sync.${suffix}`, { httpStatus });
  }
  if (endpoint.service === 'edge-function' && httpStatus === 403) {
    return fail('provider_error', `The ${functionName} service refused this request for your account (HTTP 403).${suffix}`, { httpStatus });
  }
  if (endpoint.service === 'edge-function' && httpStatus === 404) {
    return fail('provider_error', `The sync server has no ${functionName} function (HTTP 404); is the ${functionName} function deployed there?${suffix}`, { httpStatus });
  }
  if (httpStatus === 401 || httpStatus === 403) {
    return fail('bad_key', `The provider refused the API key (HTTP ${httpStatus}). Check the key in the tutor settings.${suffix}`, { httpStatus });
  }
  if (httpStatus === 404) {
    return fail('unknown_model', `The provider does not know the model "${endpoint.model}" or the URL (HTTP 404). Check the model name and base URL.${suffix}`, { httpStatus });
  }
  if (httpStatus === 429) {
    const wait = retryAfterSeconds(response.headers.get('retry-after'));
    const when = wait === null ? 'Try again later.' : `Try again in ${wait} s.`;
    return fail('rate_limited', `The provider is rate-limiting requests (HTTP 429). ${when}${suffix}`, { httpStatus, retryAfterSeconds: wait });
  }
  return fail('provider_error', `The provider answered HTTP ${httpStatus}.${suffix}`, { httpStatus });
}

async function providerMessage(response: Response, endpoint: ProviderEndpoint): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof candidate === 'string') message = candidate;
  } catch {
    // Not JSON: the text itself.
  }
  return redact(message.slice(0, 300).trim(), endpoint.apiKey);
}

/** Removes the key (and OpenAI's masked echo of it) from a text. */
export function redact(text: string, apiKey: string | null): string {
  if (!apiKey) return text;
  return text.split(apiKey).join('[key]').replace(/\b(sk|key)-[\w*-]{6,}/gi, '[key]');
}

/** What a connection that could not be made means and what to do (the reason read by fetch-failure.ts). */
function connectHint(failure: FetchFailure, baseUrl: string): string | null {
  if (failure.code === 'ECONNREFUSED') return `Nothing answers at ${baseUrl}. Is the server running? Check the address and port.`;
  if (failure.code === 'ENOTFOUND' || failure.code === 'EAI_AGAIN') return `The server name in ${baseUrl} was not found. Check the address, and that you are online.`;
  if (failure.blockedPort) return `The port in ${baseUrl} is one the app may not connect to. Run the server on another port, such as 8080.`;
  return null;
}

/** Why a fetch threw: the caller's abort passes through; a timeout or the network are named, with what to do, then the detail. */
function transportFailure(err: unknown, timedOut: boolean, during: string, endpoint: ProviderEndpoint): ProviderFailure {
  if (timedOut) return fail('timeout', `The provider sent nothing for too long ${during}; it timed out.`);
  const cause: (Error & { code?: unknown }) | null = err instanceof Error && err.cause instanceof Error ? err.cause : null;
  const detail = cause ? ` (${cause.message || String(cause.code ?? cause.name)})` : '';
  const hint = cause ? connectHint(fetchFailure(err), endpoint.baseUrl) : null;
  if (hint) return fail('network', `${hint}${detail}`);
  return fail('network', `The connection to the provider failed ${during}${detail}.`);
}

/** A timer that aborts when no byte arrived for `ms`; `touch` restarts it. */
function idleTimeout(ms: number, controller: AbortController) {
  let fired = false;
  let timer = setTimeout(() => {
    fired = true;
    controller.abort();
  }, ms);
  return {
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        fired = true;
        controller.abort();
      }, ms);
    },
    clear: () => clearTimeout(timer),
    get fired() {
      return fired;
    },
  };
}

/**
 * Streams one chat completion: `onDelta` gets each piece of text as it arrives. Resolves with how it ended
 * (finishReason null = interrupted); rejects with a ProviderFailure, or with the caller's abort reason when `signal` fires.
 */
export async function streamChatCompletion(
  endpoint: ProviderEndpoint,
  messages: ChatMessage[],
  onDelta: (text: string) => void,
  signal: AbortSignal,
  extras: StreamExtras = {},
): Promise<CompletionResult> {
  const controller = new AbortController();
  const abortFromCaller = () => controller.abort(signal.reason);
  if (signal.aborted) abortFromCaller();
  signal.addEventListener('abort', abortFromCaller, { once: true });
  const timeout = idleTimeout(endpoint.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS, controller);
  const doFetch = endpoint.fetch ?? fetch;
  try {
    let response: Response;
    try {
      const url = endpoint.service === 'edge-function' ? endpoint.baseUrl : endpointUrl(endpoint.baseUrl, 'chat/completions');
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders(endpoint) },
        body: JSON.stringify({ model: endpoint.model, messages, stream: true, stream_options: { include_usage: true }, ...extras.body }),
        signal: controller.signal,
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw transportFailure(err, timeout.fired, 'before it answered', endpoint);
    }
    timeout.touch();
    if (!response.ok) throw await httpFailure(response, endpoint);
    if (!response.body) throw fail('malformed_stream', 'The provider answered without a body.');
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      throw fail('malformed_stream', `The provider did not stream (content-type "${contentType.slice(0, 60)}"); is the base URL an OpenAI-compatible /v1 endpoint?`);
    }
    return await readStream(response.body, onDelta, timeout, signal, endpoint, extras.onNamedEvent);
  } finally {
    timeout.clear();
    signal.removeEventListener('abort', abortFromCaller);
  }
}

interface StreamChunkShape {
  choices?: Array<{ delta?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: unknown };
}

async function readStream(
  body: ReadableStream<Uint8Array>,
  onDelta: (text: string) => void,
  timeout: ReturnType<typeof idleTimeout>,
  signal: AbortSignal,
  endpoint: ProviderEndpoint,
  onNamedEvent: StreamExtras['onNamedEvent'],
): Promise<CompletionResult> {
  const result: CompletionResult = { finishReason: null, usage: null };
  let problem: ProviderFailure | null = null;
  let done = false;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (problem || done) return;
      if (event.event) {
        try {
          onNamedEvent?.(event.event, event.data);
        } catch (err) {
          if (err instanceof ProviderFailure) problem = err;
          else throw err;
        }
        return;
      }
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      let chunk: StreamChunkShape;
      try {
        chunk = JSON.parse(event.data) as StreamChunkShape;
      } catch {
        problem = fail('malformed_stream', `The provider sent an event that is not JSON: "${redact(event.data.slice(0, 80), endpoint.apiKey)}".`);
        return;
      }
      if (chunk.error) {
        const message = typeof chunk.error.message === 'string' ? redact(chunk.error.message.slice(0, 300), endpoint.apiKey) : 'unknown error';
        problem = fail('provider_error', `The provider reported an error mid-reply: ${message}`);
        return;
      }
      const usage = chunk.usage;
      if (usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
        result.usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
      }
      for (const choice of chunk.choices ?? []) {
        if (typeof choice.delta?.content === 'string' && choice.delta.content !== '') onDelta(choice.delta.content);
        if (typeof choice.finish_reason === 'string') result.finishReason = choice.finish_reason;
      }
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      let read: Awaited<ReturnType<typeof reader.read>>;
      try {
        read = await reader.read();
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        throw transportFailure(err, timeout.fired, 'in the middle of the reply', endpoint);
      }
      if (read.done) break;
      timeout.touch();
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (problem) throw problem;
      if (done) break;
    }
  } finally {
    reader.releaseLock();
    void body.cancel().catch(() => undefined);
  }
  return result;
}

/** Test connection: GET {baseUrl}/models; resolves with the model ids, rejects with a ProviderFailure. */
export async function listModels(endpoint: ProviderEndpoint): Promise<string[]> {
  const controller = new AbortController();
  const timeout = idleTimeout(endpoint.timeoutMs ?? 10_000, controller);
  try {
    let response: Response;
    try {
      response = await (endpoint.fetch ?? fetch)(endpointUrl(endpoint.baseUrl, 'models'), { headers: authHeaders(endpoint), signal: controller.signal });
    } catch (err) {
      throw transportFailure(err, timeout.fired, 'while listing models', endpoint);
    }
    if (!response.ok) throw await httpFailure(response, endpoint);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw fail('malformed_stream', 'The provider answered /models with something that is not JSON; is the base URL an OpenAI-compatible /v1 endpoint?');
    }
    // A model list is `{ data: [{ id }, …] }`; any other JSON (another kind of server at that address) is not one, not an empty list.
    const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
    if (!Array.isArray(data)) {
      throw fail('malformed_stream', 'The server answered /models, but not with a model list (no "data" array); is the base URL an OpenAI-compatible /v1 endpoint?');
    }
    return data.flatMap((m: unknown) => (typeof m === 'object' && m !== null && 'id' in m && typeof m.id === 'string' ? [m.id] : []));
  } finally {
    timeout.clear();
  }
}

/** A recording to transcribe, as the multipart `file` field carries it. */
export interface AudioUpload {
  // An ArrayBuffer-backed view: Blob parts may not be shared memory.
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string;
  mimeType: string;
}

/**
 * Transcribes a recording: POST {baseUrl}/audio/transcriptions as multipart (`model`, `file`, `response_format=json`),
 * resolving with the text. Failures are ProviderFailures like the chat's (the key never in a message); the caller's
 * abort passes through.
 */
export async function transcribeAudio(endpoint: ProviderEndpoint, audio: AudioUpload, signal: AbortSignal): Promise<string> {
  const controller = new AbortController();
  const abortFromCaller = () => controller.abort(signal.reason);
  if (signal.aborted) abortFromCaller();
  signal.addEventListener('abort', abortFromCaller, { once: true });
  const timeout = idleTimeout(endpoint.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS, controller);
  try {
    const form = new FormData();
    form.set('model', endpoint.model);
    form.set('response_format', 'json');
    form.set('file', new Blob([audio.bytes], { type: audio.mimeType }), audio.fileName);
    let response: Response;
    let body: { text?: unknown };
    try {
      response = await (endpoint.fetch ?? fetch)(endpointUrl(endpoint.baseUrl, 'audio/transcriptions'), {
        method: 'POST',
        headers: authHeaders(endpoint),
        body: form,
        signal: controller.signal,
      });
      if (!response.ok) throw await httpFailure(response, endpoint);
      body = (await response.json()) as { text?: unknown };
    } catch (err) {
      if (err instanceof ProviderFailure) throw err;
      if (signal.aborted) throw signal.reason;
      if (err instanceof SyntaxError) {
        throw fail('malformed_stream', 'The provider answered the transcription with something that is not JSON; is the base URL an OpenAI-compatible /v1 endpoint?');
      }
      throw transportFailure(err, timeout.fired, 'while transcribing the recording', endpoint);
    }
    if (typeof body.text !== 'string') throw fail('malformed_stream', 'The provider answered the transcription without a "text" field.');
    return body.text;
  } finally {
    timeout.clear();
    signal.removeEventListener('abort', abortFromCaller);
  }
}
