/**
 * A fake OpenAI-compatible server on loopback for the tutor's tests and benchmark: it speaks the real protocol
 * (POST /v1/chat/completions answered as chunked SSE `data:` events ending in `[DONE]`, GET /v1/models), and each
 * request follows the script the test queued: tokens (optionally slow), usage, HTTP errors, a disconnect mid-stream,
 * a malformed event, a stream without finish_reason or cut at the length limit (finish_reason `length`), or silence
 * (for timeouts: before the answer, or once the stream began). Models listed as reasoning models refuse `max_tokens` as OpenAI's do. It also transcribes: POST /v1/audio/transcriptions (multipart `model`, `file`, `response_format`)
 * answers `{ text }` or the queued HTTP error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  /** `finish`: the finish_reason sent after the tokens (`stop` by default), or false for none. */
  | { kind: 'stream'; tokens: string[]; delayMs?: number; usage?: boolean; finish?: string | false; done?: boolean }
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Sends these tokens, then destroys the socket. */
  | { kind: 'disconnect'; tokens: string[] }
  /** Sends these tokens, then an event that is not JSON. */
  | { kind: 'malformed'; tokens: string[] }
  /** Accepts the request and never answers. */
  | { kind: 'silent' }
  /** Starts the stream (status, headers, the assistant's empty first chunk), sends these tokens, then stays silent. */
  | { kind: 'stall'; tokens: string[] };

export type FakeTranscription = { kind: 'text'; text: string } | { kind: 'http'; status: number; body?: unknown };

/** One transcription request as the server parsed it from the multipart body. */
export interface TranscriptionRequest {
  model: string;
  responseFormat: string | null;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  authorization: string | null;
  contentType: string;
}

export interface FakeOpenAi {
  baseUrl: string;
  /** Scripts the next chat request (first queued, first used); without one the server streams "Hello there." */
  queue(reply: FakeReply): void;
  /** Every chat request received, in order: its model and messages, its Authorization header, and its whole JSON body. */
  requests: Array<{ model: string; messages: Array<{ role: string; content: string }>; authorization: string | null; body: Record<string, unknown> }>;
  /** ms from a chat request's arrival to its first byte written, for the latest request. */
  lastFirstByteMs: number | null;
  models: string[];
  /**
   * Models that, like OpenAI's reasoning models, refuse a request with `max_tokens` (HTTP 400, `unsupported_parameter`)
   * and take `max_completion_tokens` instead.
   */
  reasoningModels: string[];
  /** Scripts the next transcription (first queued, first used); without one it answers "Transcript of N bytes." */
  queueTranscription(reply: FakeTranscription): void;
  transcriptions: TranscriptionRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAi> {
  const script: FakeReply[] = [];
  const transcriptionScript: FakeTranscription[] = [];
  const open = new Set<ServerResponse>();
  const fake: FakeOpenAi = {
    baseUrl: '',
    queue: (reply) => script.push(reply),
    requests: [],
    lastFirstByteMs: null,
    models: options.models ?? ['fake-model'],
    reasoningModels: [],
    queueTranscription: (reply) => transcriptionScript.push(reply),
    transcriptions: [],
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };

  const chunk = (id: string, body: object) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: 'fake-model', ...body })}\n\n`;

  async function handleChat(req: IncomingMessage, res: ServerResponse, arrivedAt: number): Promise<void> {
    const text = await readBody(req);
    const body = JSON.parse(text) as Record<string, unknown> & { model: string; messages: Array<{ role: string; content: string }> };
    fake.requests.push({ model: body.model, messages: body.messages, authorization: req.headers.authorization ?? null, body });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (!fake.models.includes(body.model)) {
      return json(res, 404, { error: { message: `The model \`${body.model}\` does not exist.`, code: 'model_not_found' } });
    }
    if (fake.reasoningModels.includes(body.model) && 'max_tokens' in body) {
      // OpenAI's own answer, word for word.
      return json(res, 400, {
        error: {
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'unsupported_parameter',
        },
      });
    }
    const reply = script.shift() ?? { kind: 'stream', tokens: ['Hello', ' there.'] };
    if (reply.kind === 'http') {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      return void res.end(JSON.stringify(reply.body ?? { error: { message: `status ${reply.status}` } }));
    }
    if (reply.kind === 'silent') return;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    fake.lastFirstByteMs = performance.now() - arrivedAt;
    const id = `chatcmpl-${fake.requests.length}`;
    res.write(chunk(id, { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }));
    const tokens = reply.tokens;
    for (const token of tokens) {
      if (reply.kind === 'stream' && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.write(chunk(id, { choices: [{ index: 0, delta: { content: token }, finish_reason: null }] }));
    }
    if (reply.kind === 'stall') return;
    if (reply.kind === 'disconnect') {
      // Let the tokens leave before the socket goes.
      await new Promise((r) => setTimeout(r, 20));
      return void res.socket?.destroy();
    }
    if (reply.kind === 'malformed') return void res.end('data: {not json\n\n');
    if (reply.finish !== false) res.write(chunk(id, { choices: [{ index: 0, delta: {}, finish_reason: reply.finish ?? 'stop' }] }));
    if (reply.usage) res.write(chunk(id, { choices: [], usage: { prompt_tokens: 12, completion_tokens: tokens.length, total_tokens: 12 + tokens.length } }));
    if (reply.done !== false) res.write('data: [DONE]\n\n');
    res.end();
  }

  async function handleTranscription(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBytes(req);
    const contentType = req.headers['content-type'] ?? '';
    let form: FormData;
    try {
      // The platform's own multipart parser: what a real server accepts, this one accepts.
      form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
    } catch {
      return json(res, 400, { error: { message: 'The body is not multipart/form-data.' } });
    }
    const file = form.get('file');
    const model = form.get('model');
    if (!(file instanceof File) || typeof model !== 'string') return json(res, 400, { error: { message: 'Both "file" and "model" are required.' } });
    const format = form.get('response_format');
    fake.transcriptions.push({
      model,
      responseFormat: typeof format === 'string' ? format : null,
      fileName: file.name,
      mimeType: file.type,
      bytes: Buffer.from(await file.arrayBuffer()),
      authorization: req.headers.authorization ?? null,
      contentType,
    });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (!fake.models.includes(model)) return json(res, 404, { error: { message: `The model \`${model}\` does not exist.`, code: 'model_not_found' } });
    const reply = transcriptionScript.shift() ?? { kind: 'text', text: `Transcript of ${file.size} bytes.` };
    if (reply.kind === 'http') return json(res, reply.status, reply.body ?? { error: { message: `status ${reply.status}` } });
    json(res, 200, { text: reply.text });
  }

  const server: Server = createServer((req, res) => {
    const arrivedAt = performance.now();
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.method === 'GET' && req.url === '/v1/models') {
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return json(res, 401, { error: { message: 'Incorrect API key provided.' } });
      return json(res, 200, { object: 'list', data: fake.models.map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
    }
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      handleChat(req, res, arrivedAt).catch(() => res.destroy());
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') {
      handleTranscription(req, res).catch(() => res.destroy());
      return;
    }
    json(res, 404, { error: { message: `No route ${req.method} ${req.url}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * What a function with a max_tokens cap must relay for each value a caller sends: the cap for none (or null), for a
 * much larger value and for one just above it; a smaller value as sent.
 */
export function maxTokensCases(cap: number, smaller: number): Array<{ sent: number | null | undefined; relayed: number }> {
  return [
    { sent: undefined, relayed: cap },
    { sent: null, relayed: cap },
    { sent: 100_000, relayed: cap },
    { sent: cap + 1, relayed: cap },
    { sent: smaller, relayed: smaller },
  ];
}
