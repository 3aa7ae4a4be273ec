/** The web host end to end over real sockets: token, origin and host checks, the contract over WebSocket, static files. */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channels } from '../../shared/ipc/contract';
import { createWebSocketStudyApi, readWebHostConfig, type WebSocketLike } from '../../shared/ipc/ws-client';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { secretsFileName, createFileSecretStore } from '../../electron/web/secrets';
import { createFileSettingsStore, settingsFileName } from '../../electron/web/settings';
import { defaultSettings } from '../../electron/core/ports';
import { browserStudyApi, httpGet, openSession } from './session';

let host: WebHost;
let dataDir: string;
let rendererDir: string;
let outside: string;
let origin: string;
/** This test browser's session cookie (`name=value`). */
let cookie: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'study-web-data-'));
  rendererDir = mkdtempSync(join(tmpdir(), 'study-web-renderer-'));
  outside = mkdtempSync(join(tmpdir(), 'study-web-outside-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Study Desk</title></head><body></body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  symlinkSync(join(outside, 'secret.txt'), join(rendererDir, 'assets', 'escape.js'));
  host = await startWebHost({ port: 0, dataDir, rendererDir, appVersion: '9.9.9' });
  origin = host.url.replace(/\/$/, '');
  cookie = await openSession(host);
});

afterAll(async () => {
  await host?.close();
  for (const dir of [dataDir, rendererDir, outside]) rmSync(dir, { recursive: true, force: true });
});

function connect(options: { token?: string | null; origin?: string; protocols?: string[]; cookie?: string | null } = {}): Promise<WebSocket> {
  const token = options.token === undefined ? host.token : options.token;
  const protocols = options.protocols ?? ['study-desk.v1', ...(token === null ? [] : [`token.${token}`])];
  const sessionCookie = options.cookie === undefined ? cookie : options.cookie;
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}ipc`, protocols, { origin: options.origin ?? origin, headers: sessionCookie === null ? {} : { Cookie: sessionCookie } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve(JSON.parse(String(data)) as Record<string, unknown>);
    });
  });
}

async function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  const answer = nextMessage(ws);
  ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  return answer;
}

/** A GET as this test browser: with its session cookie unless `headers` says otherwise. */
function get(path: string, headers: Record<string, string> = {}): ReturnType<typeof httpGet> {
  return httpGet(host.url, path, { Cookie: cookie, ...headers });
}

describe('binding and the socket guard', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the right token and origin', async () => {
    const ws = await connect();
    expect(ws.protocol).toBe('study-desk.v1');
    ws.close();
  });

  it.each([
    ['no token', { token: null }],
    ['a wrong token', { token: 'f'.repeat(64) }],
    ['a token prefix', { token: 'abc' }],
    ['a foreign origin', { origin: 'https://evil.test' }],
    ['a look-alike origin', { origin: 'http://127.0.0.1.evil.test' }],
    ['a null origin', { origin: 'null' }],
    ['no app subprotocol', { protocols: ['token.x'] }],
    ['no session cookie', { cookie: null }],
  ])('refuses %s', async (_label, options) => {
    await expect(connect(options)).rejects.toThrow(/refused with (401|403)/);
  });

  it('refuses a made-up session cookie', async () => {
    const name = cookie.split('=')[0]!;
    await expect(connect({ cookie: `${name}=${'A'.repeat(43)}` })).rejects.toThrow(/refused with 401/);
  });

  it('refuses a DNS-rebinding Host header and other paths', async () => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}ipc`, ['study-desk.v1', `token.${host.token}`], { origin, headers: { Host: 'evil.test', Cookie: cookie } });
    await expect(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    })).rejects.toThrow(/403/);
    await expect(
      new Promise((resolve, reject) => {
        const other = new WebSocket(`${host.url.replace('http', 'ws')}other`, ['study-desk.v1', `token.${host.token}`], { origin, headers: { Cookie: cookie } });
        other.once('open', resolve);
        other.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      }),
    ).rejects.toThrow(/404/);
  });
});

describe('the contract over the socket', () => {
  it('answers a channel with exactly what dispatch returns', async () => {
    const ws = await connect();
    const reply = await call(ws, { id: 1, channel: 'app:info', input: {} });
    expect(reply).toMatchObject({ id: 1, result: { ok: true, value: { host: 'web', version: '9.9.9', dataDir } } });
    const tree = await call(ws, { id: 'two', channel: 'library:tree' });
    expect(tree).toMatchObject({ id: 'two', result: { ok: true } });
    ws.close();
  });

  it.each([
    ['bad JSON', '{"id": 1, "channel": ', /not valid JSON/],
    ['a JSON array', '[1,2]', /Invalid message/],
    ['a missing channel', { id: 3 }, /channel/],
    ['an extra field', { id: 4, channel: 'app:info', input: {}, admin: true }, /admin/],
    ['a huge id', { id: 'x'.repeat(100), channel: 'app:info' }, /id/],
  ])('answers %s with an error reply and keeps the socket', async (_label, message, pattern) => {
    const ws = await connect();
    const reply = await call(ws, message);
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(pattern) } });
    expect(await call(ws, { id: 9, channel: 'app:info' })).toMatchObject({ id: 9, result: { ok: true } });
    ws.close();
  });

  it('answers a binary frame with an error reply', async () => {
    const ws = await connect();
    const answer = nextMessage(ws);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await answer).result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Binary/) } });
    ws.close();
  });

  it('answers an unknown channel with an AppError', async () => {
    const ws = await connect();
    const reply = await call(ws, { id: 5, channel: 'fs:readFile', input: { path: '/etc/passwd' } });
    expect(reply).toEqual({ id: 5, result: { ok: false, error: { code: 'invalid_input', message: 'Unknown channel "fs:readFile".' } } });
    ws.close();
  });

  it('answers malformed input on every channel with an AppError naming the channel and fields for developers, never a crash', async () => {
    const ws = await connect();
    let id = 100;
    for (const channel of Object.keys(channels)) {
      for (const input of ['string', 7, [], { unexpected: 1 }]) {
        const reply = await call(ws, { id: ++id, channel, input });
        expect(reply.id).toBe(id);
        expect(reply.result, `${channel} ${JSON.stringify(input)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid_input', details: { channel } },
        });
      }
    }
    const named = await call(ws, { id: 1, channel: 'practice:start', input: { skillId: 'x', mode: 'practice' } });
    expect(named.result).toMatchObject({ ok: false, error: { message: expect.stringContaining('Skill'), details: { issues: [{ path: 'skillId' }] } } });
    ws.close();
  });
});

describe('the browser client (shared/ipc/ws-client)', () => {
  it('reads the injected token and calls every method as a Result', async () => {
    const page = await get('/');
    const meta = /<meta name="study-token" content="([^"]+)">/.exec(page.body);
    const config = readWebHostConfig({
      querySelector: () => ({ getAttribute: () => meta?.[1] ?? null }),
      location: { host: new URL(host.url).host },
    });
    expect(config).toEqual({ url: `${host.url.replace('http', 'ws')}ipc`, token: host.token });

    const controller = new AbortController();
    const api = browserStudyApi(host, cookie, { url: config!.url, token: config!.token, signal: controller.signal });
    try {
      expect(await api.appInfo({})).toMatchObject({ ok: true, value: { host: 'web' } });
      expect(await api.settingsSet({ theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
      expect(await api.practiceStart({ skillId: 'nope', mode: 'practice' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
    } finally {
      controller.abort();
    }
    expect(await api.appInfo({})).toMatchObject({ ok: false, error: { code: 'network' } });
  });

  it('fails requests with a network AppError when the socket is refused, and keeps retrying with backoff', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const api = createWebSocketStudyApi(`${host.url.replace('http', 'ws')}ipc`, 'wrong-token-0123456789', {
      signal: controller.signal,
      requestTimeoutMs: 5000,
      reconnect: { initialMs: 20, maxMs: 80 },
      createSocket: (url, protocols) => {
        attempts++;
        const ws = new WebSocket(url, protocols, { origin, headers: { Cookie: cookie } });
        ws.on('error', () => {});
        return ws as unknown as WebSocketLike;
      },
    });
    try {
      const started = Date.now();
      const result = await api.appInfo({});
      expect(result).toMatchObject({ ok: false, error: { code: 'network', message: expect.stringContaining('not reachable') } });
      expect(Date.now() - started).toBeLessThan(2000);
      await expect.poll(() => attempts, { timeout: 3000 }).toBeGreaterThan(3);
    } finally {
      controller.abort();
    }
    const settled = attempts;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toBe(settled);
  });

  it('fails a request that was sent when the connection drops', async () => {
    const controller = new AbortController();
    const sockets: WebSocket[] = [];
    const api = browserStudyApi(host, cookie, { signal: controller.signal, reconnect: { initialMs: 20, maxMs: 80 }, sockets });
    try {
      expect(await api.appInfo({})).toMatchObject({ ok: true });
      // A request in flight while the socket dies gets its answer as a network error, not a hang.
      const pendingCall = api.progressOverview({});
      sockets.at(-1)?.terminate();
      expect(await pendingCall).toMatchObject({ ok: false, error: { code: 'network' } });
      await expect.poll(async () => (await api.appInfo({})).ok, { timeout: 3000 }).toBe(true);
    } finally {
      controller.abort();
    }
  });
});

describe('static files', () => {
  it('serves index.html with the token, a strict CSP and nosniff', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="study-token" content="${host.token}"></head>`);
    expect(page.body).toContain('<link rel="icon" href="/favicon.ico">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${new URL(host.url).port}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await get('/library/skill/1')).body).toContain('study-token');
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each(['/../secret.txt', '/%2e%2e/%2e%2e/etc/passwd', '/assets/escape.js', '/.env', '/assets/missing.js', '/assets/..%2f..%2fpackage.json'])('refuses %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('top secret');
  });

  it('answers only to its own Host header (DNS rebinding)', async () => {
    expect((await get('/', { Host: 'evil.test' })).status).toBe(421);
    expect((await get('/', { Host: `localhost:${new URL(host.url).port}` })).status).toBe(421);
  });
});

describe('web host stores', () => {
  it('keeps secrets in an owner-only file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-web-secrets-'));
    try {
      const secrets = createFileSecretStore(dir);
      secrets.set('refresh_token', 'abc');
      expect(secrets.get('refresh_token')).toBe('abc');
      if (process.platform !== 'win32') expect(statSync(join(dir, secretsFileName)).mode & 0o777).toBe(0o600);
      secrets.delete('refresh_token');
      expect(secrets.get('refresh_token')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses defaults for a corrupt settings file and keeps a copy of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-web-settings-'));
    try {
      writeFileSync(join(dir, settingsFileName), '{"settings": {"theme": "neon"');
      const settings = createFileSettingsStore(dir, () => 1234);
      expect(settings.get()).toEqual(defaultSettings);
      expect(statSync(join(dir, `${settingsFileName}.corrupt-1234`)).isFile()).toBe(true);
      settings.set({ theme: 'light' });
      settings.setValue('supabase', { url: 'https://x.supabase.co' });
      const reopened = createFileSettingsStore(dir);
      expect(reopened.get().theme).toBe('light');
      expect(reopened.getValue('supabase')).toEqual({ url: 'https://x.supabase.co' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
