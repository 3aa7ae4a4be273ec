/**
 * A fake OpenAI-compatible server on loopback for the tutor's tests and benchmark: it speaks the real protocol
 * (POST /v1/chat/completions answered as chunked SSE `data:` events ending in `[DONE]`, GET /v1/models), and each
 * request follows the script the test queued: tokens (optionally slow), usage, HTTP errors, a disconnect mid-stream,
 * a malformed event, a stream without finish_reason, or silence (for timeouts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  | { kind: 'stream'; tokens: string[]; delayMs?: number; usage?: boolean; finish?: boolean; done?: boolean }
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Sends these tokens, then destroys the socket. */
  | { kind: 'disconnect'; tokens: string[] }
  /** Sends these tokens, then an event that is not JSON. */
  | { kind: 'malformed'; tokens: string[] }
  /** Accepts the request and never answers. */
  | { kind: 'silent' };

export interface FakeOpenAi {
  baseUrl: string;
  /** Scripts the next chat request (first queued, first used); without one the server streams "Hello there." */
  queue(reply: FakeReply): void;
  /** Every chat request body received, in order. */
  requests: Array<{ model: string; messages: Array<{ role: string; content: string }>; authorization: string | null }>;
  /** ms from a chat request's arrival to its first byte written, for the latest request. */
  lastFirstByteMs: number | null;
  models: string[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAi> {
  const script: FakeReply[] = [];
  const open = new Set<ServerResponse>();
  const fake: FakeOpenAi = {
    baseUrl: '',
    queue: (reply) => script.push(reply),
    requests: [],
    lastFirstByteMs: null,
    models: options.models ?? ['fake-model'],
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };

  const chunk = (id: string, body: object) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: 'fake-model', ...body })}\n\n`;

  async function handleChat(req: IncomingMessage, res: ServerResponse, arrivedAt: number): Promise<void> {
    const text = await readBody(req);
    const body = JSON.parse(text) as { model: string; messages: Array<{ role: string; content: string }> };
    fake.requests.push({ model: body.model, messages: body.messages, authorization: req.headers.authorization ?? null });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (!fake.models.includes(body.model)) {
      return json(res, 404, { error: { message: `The model \`${body.model}\` does not exist.`, code: 'model_not_found' } });
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
    if (reply.kind === 'disconnect') {
      // Let the tokens leave before the socket goes.
      await new Promise((r) => setTimeout(r, 20));
      return void res.socket?.destroy();
    }
    if (reply.kind === 'malformed') return void res.end('data: {not json\n\n');
    if (reply.finish !== false) res.write(chunk(id, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    if (reply.usage) res.write(chunk(id, { choices: [], usage: { prompt_tokens: 12, completion_tokens: tokens.length, total_tokens: 12 + tokens.length } }));
    if (reply.done !== false) res.write('data: [DONE]\n\n');
    res.end();
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
