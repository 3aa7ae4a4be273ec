/**
 * What the learner reads when a sync request gets no whole answer, with Node's own fetch against real loopback ports:
 * undici throws a bare "fetch failed" whose reason (a refused port, a refused connection, a cut answer) is its cause.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestJson } from '../../electron/core/sync/http';
import { startLoopbackHttp, type LoopbackHttp } from '../helpers/loopback-http';

let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const get = (url: string) => requestJson<unknown>(fetch, { method: 'GET', url: `${url}/rest/v1/questions`, headers: {}, timeoutMs: 5_000, nowMs: 0 });

describe('requestJson when no answer comes', () => {
  it.each([9, 6000])('names port %i, which fetch refuses as browsers do, and says to use another', async (port) => {
    const outcome = await get(`http://127.0.0.1:${port}`);
    expect(outcome).toEqual({
      kind: 'transient',
      reachedServer: false,
      offline: false,
      message: `Cannot reach the server (port ${port} is blocked): this app, like a web browser, refuses to connect to that port; use another port in the server URL, such as 54321 or 443.`,
    });
  });

  it('says nothing answers at a closed port (connection refused), as offline', async () => {
    server = await startLoopbackHttp((_req, res) => res.end('[]'));
    const host = server.url.replace('http://', '');
    await server.close();
    expect(await get(server.url)).toEqual({
      kind: 'transient',
      reachedServer: false,
      offline: true,
      message: `Cannot reach the server (connection refused): nothing answers at ${host}; check that the server is running and the address is right.`,
    });
  });

  it('says the server closed the connection when the answer is cut off after its headers', async () => {
    server = await startLoopbackHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('[');
      setTimeout(() => res.destroy(), 20);
    });
    expect(await get(server.url)).toEqual({
      kind: 'transient',
      reachedServer: true,
      offline: false,
      message: 'The connection failed (the server closed the connection).',
    });
  });
});
