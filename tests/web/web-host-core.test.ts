/** The web host with a real core on a fresh folder: the embedded pack, events pushed to the browser client, faults as AppErrors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreEventListener } from '../../electron/core/app';
import { parseWebCliArgs } from '../../electron/web/cli';
import type { WebHost } from '../../electron/web/server';
import type { StudyApi } from '../../shared/ipc/api';
import { browserStudyApi, openSession, startCoreWebHost } from './session';

let web: Awaited<ReturnType<typeof startCoreWebHost>> | undefined;
let host: WebHost;
let dataDir: string;
let emit: CoreEventListener = () => {};
let api: StudyApi;
let cookie: string;
const controller = new AbortController();

beforeAll(async () => {
  // The real core, with a way to raise its events and a handler that fails like a bug would.
  web = await startCoreWebHost('study-web-core-', (options): Core => {
    const core = createCore(options);
    return {
      ...core,
      handlers: {
        ...core.handlers,
        'sync:deadLetters': () => Promise.reject(new TypeError('boom: x is undefined')),
        // A value JSON cannot carry, as a buggy handler might return.
        'sync:status': () => ({ state: 'idle', pendingCount: BigInt(1) }) as never,
      },
      onEvent(listener) {
        emit = listener;
        return core.onEvent(listener);
      },
    };
  });
  ({ host, dataDir } = web);
  cookie = await openSession(host);
  api = browserStudyApi(host, cookie, { signal: controller.signal });
});

afterAll(async () => {
  controller.abort();
  await web?.close();
});

describe('web host with a real core', () => {
  it('loads the embedded pack into a fresh data folder', async () => {
    const info = await api.appInfo({});
    expect(info).toMatchObject({ ok: true, value: { host: 'web', dataDir } });
    expect(info.ok && info.value.questionCount).toBeGreaterThan(0);
    const tree = await api.libraryTree({});
    expect(tree.ok && tree.value.domains.length).toBeGreaterThan(0);
  });

  it('pushes core events to subscribed browser clients, and stops after unsubscribe', async () => {
    const received: unknown[] = [];
    const unsubscribe = api.on('content:updated', (payload) => received.push(payload));
    emit('content:updated', { questionCount: 3, contentVersion: 7 });
    await expect.poll(() => received, { timeout: 5000 }).toEqual([{ questionCount: 3, contentVersion: 7 }]);
    unsubscribe();
    emit('content:updated', { questionCount: 4, contentVersion: 8 });
    await api.appInfo({});
    expect(received).toHaveLength(1);
  });

  it('turns a failing handler into an internal AppError and keeps serving', async () => {
    expect(await api.syncDeadLetters({})).toEqual({ ok: false, error: { code: 'internal', message: 'boom: x is undefined' } });
    expect(await api.appInfo({})).toMatchObject({ ok: true });
  });

  it('answers a value JSON cannot encode with an internal AppError on the same id', async () => {
    expect(await api.syncStatus({})).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('Could not encode the answer') } });
    expect(await api.appInfo({})).toMatchObject({ ok: true });
  });

  it('answers page requests with 503 while the renderer is not built', async () => {
    const res = await fetch(host.url, { headers: { Cookie: cookie } });
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/electron-vite build/);
  });
});

describe('start:web arguments', () => {
  it('parses port and folders', () => {
    expect(parseWebCliArgs(['--port', '0', '--data-dir', 'd', '--renderer-dir', 'r'], '/base')).toEqual({ port: 0, dataDir: '/base/d', rendererDir: '/base/r' });
    expect(parseWebCliArgs([], '/base')).toMatchObject({ port: 5183, dataDir: '/base/.data/web' });
  });

  it.each([
    [['--port=-1'], /--port must be an integer/],
    [['--port', '70000'], /--port must be an integer/],
    [['--port', '12ab'], /--port must be an integer/],
    [['--bogus'], /Unknown option/],
    [['stray'], /positional/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseWebCliArgs(argv)).toThrow(message);
  });
});
