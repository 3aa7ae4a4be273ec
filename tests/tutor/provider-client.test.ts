/** The OpenAI-compatible client against the fake server: streaming, usage, and each failure keeping what arrived. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, ProviderFailure, streamChatCompletion, type ProviderEndpoint } from '../../electron/core/tutor/provider-client';
import { startLoopbackHttp } from '../helpers/loopback-http';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';

const KEY = 'sk-test-secret-123456';
let fake: FakeOpenAi;
let endpoint: ProviderEndpoint;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  endpoint = { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: KEY, timeoutMs: 10_000 };
});
afterAll(() => fake.close());

async function run(ep: ProviderEndpoint = endpoint, signal = new AbortController().signal) {
  const pieces: string[] = [];
  try {
    const result = await streamChatCompletion(ep, [{ role: 'user', content: 'hi' }], (t) => pieces.push(t), signal);
    return { text: pieces.join(''), result, failure: null };
  } catch (err) {
    if (!(err instanceof ProviderFailure)) throw err;
    return { text: pieces.join(''), result: null, failure: err.error };
  }
}

describe('streamChatCompletion', () => {
  it('streams tokens, reads usage and the finish reason, and sends the key and model', async () => {
    fake.queue({ kind: 'stream', tokens: ['Think ', 'about ', 'it.'], usage: true, delayMs: 5 });
    const { text, result } = await run();
    expect(text).toBe('Think about it.');
    expect(result).toEqual({ finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 } });
    expect(fake.requests.at(-1)).toMatchObject({ model: 'fake-model', authorization: `Bearer ${KEY}` });
  });

  it('treats usage as optional and a stream without finish_reason as interrupted', async () => {
    fake.queue({ kind: 'stream', tokens: ['Half'], finish: false });
    const { text, result } = await run();
    expect(text).toBe('Half');
    expect(result).toEqual({ finishReason: null, usage: null });
  });

  it('401 is bad_key, without the key in the message', async () => {
    const { failure } = await run({ ...endpoint, apiKey: 'sk-wrong-key-999999' });
    expect(failure).toMatchObject({ code: 'bad_key', httpStatus: 401 });
    expect(failure!.message).not.toContain('sk-wrong-key-999999');
  });

  it('404 is unknown_model naming the model', async () => {
    const { failure } = await run({ ...endpoint, model: 'no-such-model' });
    expect(failure).toMatchObject({ code: 'unknown_model', httpStatus: 404 });
    expect(failure!.message).toContain('no-such-model');
  });

  it('429 is rate_limited with Retry-After', async () => {
    fake.queue({ kind: 'http', status: 429, headers: { 'retry-after': '17' }, body: { error: { message: 'Slow down' } } });
    const { failure } = await run();
    expect(failure).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 17 });
    expect(failure!.message).toContain('17 s');
  });

  it('a disconnect mid-stream is network, keeping what arrived', async () => {
    fake.queue({ kind: 'disconnect', tokens: ['Kept ', 'text'] });
    const { text, failure } = await run();
    expect(text).toBe('Kept text');
    expect(failure?.code).toBe('network');
  });

  it('a malformed event is malformed_stream, keeping what arrived', async () => {
    fake.queue({ kind: 'malformed', tokens: ['Before'] });
    const { text, failure } = await run();
    expect(text).toBe('Before');
    expect(failure?.code).toBe('malformed_stream');
  });

  it('silence past the timeout is timeout', async () => {
    fake.queue({ kind: 'silent' });
    const { failure } = await run({ ...endpoint, timeoutMs: 150 });
    expect(failure?.code).toBe('timeout');
  });

  it('a server that cannot be reached is network', async () => {
    const { failure } = await run({ ...endpoint, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(failure?.code).toBe('network');
  });

  it("the caller's abort stops the request and rejects with its reason, keeping what arrived", async () => {
    fake.queue({ kind: 'stream', tokens: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 40 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const running = streamChatCompletion(endpoint, [{ role: 'user', content: 'hi' }], (t) => {
      pieces.push(t);
      if (pieces.length === 2) controller.abort(new Error('stopped by learner'));
    }, controller.signal);
    await expect(running).rejects.toThrow('stopped by learner');
    expect(pieces.join('')).toBe('ab');
  });
});

describe('listModels (test connection)', () => {
  it('lists the models with the key, and names a bad key', async () => {
    await expect(listModels(endpoint)).resolves.toEqual(['fake-model']);
    await expect(listModels({ ...endpoint, apiKey: null })).rejects.toMatchObject({ error: { code: 'bad_key' } });
  });

  it('a port nothing listens on says so in words and what to do, then the detail', async () => {
    const closed = await startLoopbackHttp(() => undefined);
    await closed.close();
    const failure = await listModels({ ...endpoint, baseUrl: `${closed.url}/v1` }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProviderFailure);
    expect((failure as ProviderFailure).error).toEqual({
      code: 'network',
      message: `Nothing answers at ${closed.url}/v1. Is the server running? Check the address and port. (connect ECONNREFUSED 127.0.0.1:${closed.port})`,
    });
  });

  it('a port fetch may not use says to pick another one', async () => {
    await expect(listModels({ ...endpoint, baseUrl: 'http://127.0.0.1:6000/v1' })).rejects.toMatchObject({
      error: { code: 'network', message: 'The port in http://127.0.0.1:6000/v1 is one the app may not connect to. Run the server on another port, such as 8080. (bad port)' },
    });
  });

  it('JSON that is not a model list is not taken for an empty one', async () => {
    const other = await startLoopbackHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'world' }));
    });
    try {
      await expect(listModels({ ...endpoint, baseUrl: other.url })).rejects.toMatchObject({
        error: { code: 'malformed_stream', message: expect.stringContaining('not with a model list') as unknown },
      });
    } finally {
      await other.close();
    }
  });
});
