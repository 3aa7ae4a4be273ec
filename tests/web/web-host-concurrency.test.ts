/**
 * 100 calls at once from one browser client over the web host: every call is answered on its own id, either with its
 * value or with `busy` (over the in-flight limit), well before the client's 60 s timeout. None hangs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { defaultMaxInFlight } from '../../electron/core/ipc/wire-server';
import type { WebHost } from '../../electron/web/server';
import type { Result } from '../../shared/ipc/api';
import { browserStudyApi, openSession, startCoreWebHost } from './session';

const calls = 100;
/** Far under the client's 60 s request timeout: an answer that waits for that timeout fails the test. */
const answerBoundMs = 10_000;
let web: Awaited<ReturnType<typeof startCoreWebHost>> | undefined;
let host: WebHost;
let releaseHeldCalls: () => void = () => {};
const heldCallsReleased = new Promise<void>((resolve) => {
  releaseHeldCalls = resolve;
});

beforeAll(async () => {
  // The real core, with progress:overview held until the test lets it go, so calls pile up in flight.
  web = await startCoreWebHost('study-web-concurrency-', (options) => {
    const core = createCore(options);
    return { ...core, handlers: { ...core.handlers, 'progress:overview': async () => heldCallsReleased.then(() => core.handlers['progress:overview']({})) } };
  });
  host = web.host;
});

afterAll(async () => {
  releaseHeldCalls();
  await web?.close();
});

function withinBound<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} had no answer within ${answerBoundMs} ms`)), answerBoundMs);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

describe('100 concurrent calls from one browser client', () => {
  it('answers each on its own id, refused ones at once with busy, the rest with their value; none hangs', async () => {
    const cookie = await openSession(host);
    const controller = new AbortController();
    const api = browserStudyApi(host, cookie, { signal: controller.signal });
    try {
      expect((await api.appInfo({})).ok).toBe(true);
      const settled = new Map<number, Result<unknown>>();
      const pending = Array.from({ length: calls }, (_, index) => api.progressOverview({}).then((result) => settled.set(index, result)));

      // While the first ones are held, everything over the limit is refused, each call hearing its own refusal.
      const refused = calls - defaultMaxInFlight;
      await withinBound(
        (async () => {
          for (let polls = 0; settled.size < refused && polls < answerBoundMs / 10; polls++) await new Promise((resolve) => setTimeout(resolve, 10));
          if (settled.size < refused) throw new Error(`only ${settled.size} of ${refused} refusals arrived`);
        })(),
        `the ${refused} calls over the limit`,
      );
      const refusedIndexes = [...settled.keys()].sort((a, b) => a - b);
      expect(refusedIndexes).toEqual(Array.from({ length: refused }, (_, k) => defaultMaxInFlight + k));
      for (const index of refusedIndexes) {
        expect(settled.get(index)).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('Too many requests'), details: { retryable: true } } });
      }

      releaseHeldCalls();
      await withinBound(Promise.all(pending), 'the held calls');
      expect(settled.size).toBe(calls);
      for (let index = 0; index < defaultMaxInFlight; index++) expect(settled.get(index), `call ${index}`).toMatchObject({ ok: true });
    } finally {
      controller.abort();
    }
  });
});
