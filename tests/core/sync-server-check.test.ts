/**
 * Save server's check of a Supabase project URL, against a real loopback server: one short GET of the Auth health,
 * with the anon key, sorted into "a Supabase project", "not one", "the key is refused" and "could not be checked".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSyncServer } from '../../electron/core/sync/server-check';
import { startLoopbackHttp, type LoopbackHttp } from '../helpers/loopback-http';

let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const anonKey = 'anon-key-1';

/** A server answering every request with `answer`; the requests' paths and apikey headers are recorded. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Array<{ path: string; apikey: unknown }> }> {
  const seen: Array<{ path: string; apikey: unknown }> = [];
  server = await startLoopbackHttp((req, res) => {
    seen.push({ path: req.url ?? '', apikey: req.headers.apikey });
    answer(req, res);
  });
  return { url: server.url, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('checkSyncServer', () => {
  it('takes a server whose Auth health names its service, asked with the key at /auth/v1/health', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { version: 'v2.170.0', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }));
    expect(await checkSyncServer(fetch, { url: `${url}/`, anonKey })).toEqual({ ok: true, problem: null });
    expect(seen).toEqual([{ path: '/auth/v1/health', apikey: anonKey }]);
  });

  it('says a server that answers otherwise is not a Supabase project', async () => {
    let { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>My blog</html>');
    });
    expect(await checkSyncServer(fetch, { url, anonKey })).toEqual({
      ok: false,
      problem: 'The server answered, but not as a Supabase project does. Check the address: it is the project URL, such as https://abcd.supabase.co.',
    });
    await server?.close();
    ({ url } = await serve((_req, res) => json(res, 404, { message: 'Not found' })));
    expect((await checkSyncServer(fetch, { url, anonKey })).problem).toMatch(/^The server answered, but not as a Supabase project does \(HTTP 404\)\. Check the address/);
  });

  it('says when the gateway refuses the anon key', async () => {
    const { url } = await serve((_req, res) => json(res, 401, { message: 'Invalid API key' }));
    expect(await checkSyncServer(fetch, { url, anonKey })).toEqual({
      ok: false,
      problem: 'The server refused the anon key. Copy the anon (public) key again from the project’s API settings.',
    });
  });

  it('says when the server cannot be reached, and gives up on one that does not answer within its time', async () => {
    const { url } = await serve(() => {
      // Never answers.
    });
    const started = Date.now();
    const silent = await checkSyncServer(fetch, { url, anonKey }, 300);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(silent).toEqual({ ok: false, problem: 'The server could not be checked: No answer within 300 ms. Sync will try again when the server can be reached.' });
    await server?.close();
    const refused = await checkSyncServer(fetch, { url, anonKey });
    expect(refused).toEqual({
      ok: false,
      problem: `The server could not be checked: Cannot reach the server (connection refused): nothing answers at ${url.replace('http://', '')}; check that the server is running and the address is right. Sync will try again when the server can be reached.`,
    });
  });

  it('names a port that fetch itself refuses (the fetch standard\'s bad ports), not "fetch failed"', async () => {
    // Port 9 (discard) is on the list: fetch refuses it before connecting, whatever listens there.
    // Trying again will not help, so the warning does not promise it.
    expect(await checkSyncServer(fetch, { url: 'http://127.0.0.1:9', anonKey })).toEqual({
      ok: false,
      problem: 'Cannot reach the server (port 9 is blocked): this app, like a web browser, refuses to connect to that port; use another port in the server URL, such as 54321 or 443.',
    });
  });
});
