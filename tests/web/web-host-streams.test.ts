/**
 * Streams over the web host's WebSocket with a real core: a pack bigger than the 1 MiB message limit
 * uploaded in frames, progress to the socket that asked only, a socket that goes away while core still
 * imports, and too many requests refused on their own ids.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore } from '../../electron/core/app';
import type { WebHost } from '../../electron/web/server';
import type { StudyApi } from '../../shared/ipc/api';
import { contentPackUploadLimit } from '../../shared/ipc/features/content';
import { uploadChunkBytes } from '../../shared/ipc/wire';
import { uploadTokenHeader, webHostUploadPath } from '../../shared/ipc/ws-client';
import { buildPack, packText } from '../content/pack-builder';
import { browserStudyApi, openSession, startCoreWebHost } from './session';

let web: Awaited<ReturnType<typeof startCoreWebHost>> | undefined;
let host: WebHost;
let origin: string;
let cookie: string;
const controllers: AbortController[] = [];
let releaseSlowCalls: () => void = () => {};
const slowCallsReleased = new Promise<void>((resolve) => {
  releaseSlowCalls = resolve;
});

beforeAll(async () => {
  // The real core, with one channel that waits, so requests can pile up.
  web = await startCoreWebHost('study-web-streams-', (options) => {
    const core = createCore(options);
    return { ...core, handlers: { ...core.handlers, 'progress:overview': async () => slowCallsReleased.then(() => core.handlers['progress:overview']({})) } };
  });
  host = web.host;
  origin = host.url.replace(/\/$/, '');
  cookie = await openSession(host);
});

afterAll(async () => {
  releaseSlowCalls();
  for (const controller of controllers) controller.abort();
  await web?.close();
});

/** The browser client over `ws`; `sockets` holds every socket it opened. */
function browserApi(sockets: WebSocket[] = []): StudyApi {
  const controller = new AbortController();
  controllers.push(controller);
  return browserStudyApi(host, cookie, { signal: controller.signal, sockets });
}

/** The page's client as in a browser: upload bodies POSTed to /upload with the page's cookie and origin. */
function postingApi(): StudyApi {
  const controller = new AbortController();
  controllers.push(controller);
  return browserStudyApi(host, cookie, { signal: controller.signal, httpUploads: { headers: { Cookie: cookie, Origin: origin } } });
}

/** One POST to /upload with these headers; the JSON answer and status. */
async function postUpload(headers: Record<string, string>, body: Uint8Array<ArrayBuffer> = new Uint8Array(10)) {
  const response = await fetch(`${origin}${webHostUploadPath}`, { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as { uploadRef?: string; error?: { code: string; message: string } } };
}

/** Uses a held body (a stream names it) and waits for the stream's end: the host holds a few at a time. */
async function useUpload(uploadRef: string | undefined, id: number): Promise<void> {
  const { ws, frames } = await rawSocket();
  ws.send(JSON.stringify({ kind: 'stream', id, stream: 'content:open', input: { mode: 'append' }, uploadRef }));
  await expect.poll(() => frames.find((frame) => frame.id === id && (frame.kind === 'done' || frame.kind === 'error'))).toBeTruthy();
  ws.close();
}

/** A raw socket that records every frame it receives. */
async function rawSocket(): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ipc`, ['study-desk.v1', `token.${host.token}`], { origin, headers: { Cookie: cookie } });
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

async function questionCount(api: StudyApi): Promise<number> {
  await expect.poll(async () => (await api.appInfo({})).ok).toBe(true);
  const info = await api.appInfo({});
  if (!info.ok) throw new Error(info.error.message);
  return info.value.questionCount;
}

/** About 2.5 MB: far over the socket's 1 MiB message limit. */
const largePack = (prefix: string) => Buffer.from(packText(buildPack({ prefix, domains: 2, skillsPerDomain: 5, questionsPerSkill: 150, promptPadding: 1400 })));

describe('upload bodies POSTed to the web host', () => {
  it('imports and opens a pack whose body went in one POST (a File, as the page sends it)', async () => {
    const api = postingApi();
    const before = await questionCount(api);
    const pack = largePack('post');
    const chunks: Array<{ phase: string }> = [];
    const done = await api.contentImport({ mode: 'append' }, { upload: new Blob([pack]), onChunk: (chunk) => chunks.push(chunk) }).done;
    expect(done).toMatchObject({ ok: true, value: { counts: { questions: { inserted: 1500 } }, pack: { byteLength: pack.byteLength, sha256: expect.any(String) } } });
    expect(chunks[0]).toEqual({ phase: 'received', bytes: pack.byteLength });
    expect(await questionCount(api)).toBe(before + 1500);
    const opened = await api.contentOpen({ mode: 'append', fileName: 'post.json' }, { upload: new Uint8Array(pack) }).done;
    expect(opened).toMatchObject({ ok: true, value: { report: { ok: true }, diff: { mode: 'append' } } });
  });

  it('refuses a POST without the session, the token or the page origin, or over the upload limit', async () => {
    const page = { Cookie: cookie, Origin: origin, [uploadTokenHeader]: host.token };
    expect((await postUpload({ ...page, Cookie: 'nope=1' })).status).toBe(401);
    expect((await postUpload({ ...page, [uploadTokenHeader]: 'x'.repeat(64) })).status).toBe(401);
    expect((await postUpload({ ...page, Origin: 'http://evil.test' })).status).toBe(403);
    // Refused from its stated length, before any of the body is read.
    const tooLarge = await new Promise<number>((resolve, reject) => {
      const target = new URL(origin);
      const req = request(
        { host: target.hostname, port: target.port, path: webHostUploadPath, method: 'POST', headers: { ...page, 'Content-Length': String(contentPackUploadLimit + 1) } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write(new Uint8Array(16));
    });
    expect(tooLarge).toBe(413);
    const accepted = await postUpload(page);
    expect(accepted).toMatchObject({ status: 200, body: { uploadRef: expect.any(String) } });
    await useUpload(accepted.body.uploadRef, 31);
  });

  it('holds at most two bodies, arriving or waiting, and takes new ones once they are used or gone', async () => {
    const page = { Cookie: cookie, Origin: origin, [uploadTokenHeader]: host.token };
    // One body still arriving (its length stated, half of it sent), one received and waiting for its stream.
    const target = new URL(origin);
    const arriving = request({ host: target.hostname, port: target.port, path: webHostUploadPath, method: 'POST', headers: { ...page, 'Content-Length': '1000' } });
    arriving.on('error', () => undefined);
    arriving.write(new Uint8Array(500));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = await postUpload(page);
    expect(waiting.status).toBe(200);
    const third = await postUpload(page);
    expect(third).toMatchObject({ status: 429, body: { error: { code: 'busy', message: expect.stringContaining('still arriving') } } });
    // The page that went away mid-upload frees its place.
    arriving.destroy();
    let next: Awaited<ReturnType<typeof postUpload>> = third;
    await expect.poll(async () => (next = await postUpload(page)).status).toBe(200);
    expect((await postUpload(page)).status).toBe(429);
    // Used by their streams, both places are free again.
    await useUpload(waiting.body.uploadRef, 32);
    await useUpload(next.body.uploadRef, 33);
    const again = await postUpload(page);
    expect(again.status).toBe(200);
    await useUpload(again.body.uploadRef, 34);
  });

  it('stops the POST of an open cancelled while its body is still on its way: the next opens are not refused as busy, and nothing stays held', async () => {
    const api = postingApi();
    // Far more than localhost moves in a few milliseconds, under the pack limit.
    const large = new Blob([new Uint8Array(48 * 1024 * 1024)]);
    // Two cancels in a row: without the abort, both bodies would arrive and be held for a minute, filling both places.
    for (const fileName of ['first.json', 'second.json']) {
      const call = api.contentOpen({ mode: 'append', fileName }, { upload: large });
      await new Promise((resolve) => setTimeout(resolve, 5));
      call.cancel();
      expect(await call.done).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    }
    // Both places come free as soon as the host has seen the aborted requests close (milliseconds; a body that arrived
    // would hold its place for a minute): two bodies are taken at once, then used.
    const page = { Cookie: cookie, Origin: origin, [uploadTokenHeader]: host.token };
    await expect
      .poll(
        async () => {
          const answers = [await postUpload(page), await postUpload(page)];
          for (const answer of answers) if (answer.status === 200) await useUpload(answer.body.uploadRef, 35);
          return answers.map((answer) => answer.status);
        },
        { timeout: 5_000 },
      )
      .toEqual([200, 200]);
    const pack = Buffer.from(packText(buildPack({ prefix: 'reopen' })));
    for (const fileName of ['third.json', 'fourth.json']) {
      const opened = await api.contentOpen({ mode: 'append', fileName }, { upload: new Blob([pack]) }).done;
      expect(opened).toMatchObject({ ok: true, value: { report: { ok: true } } });
    }
  });

  it('ends a stream that names an unknown or already used upload with invalid_input on its id', async () => {
    const { ws, frames } = await rawSocket();
    const page = { Cookie: cookie, Origin: origin, [uploadTokenHeader]: host.token };
    const { body } = await postUpload(page, new Uint8Array(Buffer.from(packText(buildPack({ prefix: 'once' })))));
    ws.send(JSON.stringify({ kind: 'stream', id: 21, stream: 'content:open', input: { mode: 'append' }, uploadRef: body.uploadRef }));
    await expect.poll(() => frames.find((frame) => frame.id === 21 && frame.kind === 'done')).toBeTruthy();
    ws.send(JSON.stringify({ kind: 'stream', id: 22, stream: 'content:open', input: { mode: 'append' }, uploadRef: body.uploadRef }));
    ws.send(JSON.stringify({ kind: 'stream', id: 23, stream: 'content:open', input: { mode: 'append' }, uploadRef: 'made-up' }));
    for (const id of [22, 23]) {
      await expect.poll(() => frames.find((frame) => frame.id === id)).toMatchObject({ kind: 'error', error: { code: 'invalid_input', message: expect.stringContaining('upload') } });
    }
    ws.close();
  });
});

describe('streams over the web host', () => {
  it('imports a pack larger than one socket message, in upload frames, with progress', async () => {
    const api = browserApi();
    const before = await questionCount(api);
    const pack = largePack('ws');
    expect(pack.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    expect(Math.ceil(pack.byteLength / uploadChunkBytes)).toBeGreaterThan(4);
    const chunks: unknown[] = [];
    const done = await api.contentImport({ mode: 'append' }, { upload: new Uint8Array(pack), onChunk: (chunk) => chunks.push(chunk) }).done;
    expect(done).toMatchObject({ ok: true, value: { counts: { questions: { inserted: 1500 } }, pack: { byteLength: pack.byteLength } } });
    const phases = chunks.map((chunk) => (chunk as { phase: string }).phase);
    // Received, validated, then the chunked import's progress (several importing chunks).
    expect(phases.slice(0, 3)).toEqual(['received', 'validated', 'importing']);
    expect(phases.length).toBeGreaterThan(4);
    expect(new Set(phases.slice(2))).toEqual(new Set(['importing']));
    expect(await questionCount(api)).toBe(before + 1500);
  });

  it('opens a pack in the workspace: a malformed file gets its report and no diff, a good one its diff, and an upload over the limit is refused', async () => {
    const api = browserApi();
    const malformed = await api.contentOpen({ mode: 'append', fileName: 'bad.json' }, { upload: new TextEncoder().encode('{"pack": {"name": "x",') }).done;
    expect(malformed).toMatchObject({ ok: true, value: { report: { ok: false, errors: [{ code: 'invalid_json', severity: 'error' }] }, diff: null } });

    const chunks: Array<{ phase: string }> = [];
    const good = await api.contentOpen({ mode: 'append', fileName: 'good.json' }, { upload: new Uint8Array(largePack('open')), onChunk: (chunk) => chunks.push(chunk) }).done;
    expect(good).toMatchObject({ ok: true, value: { report: { ok: true }, diff: { mode: 'append', changedTotal: expect.any(Number) } } });
    // The report comes as a chunk before the diff is computed (the screen draws it at once).
    expect(chunks.map((chunk) => chunk.phase)).toEqual(['received', 'validating', 'validated', 'report', 'comparing']);

    const { ws, frames } = await rawSocket();
    ws.send(JSON.stringify({ kind: 'stream', id: 9, stream: 'content:open', input: { mode: 'append' }, uploadBytes: contentPackUploadLimit + 1 }));
    await expect.poll(() => frames.find((frame) => frame.id === 9)).toMatchObject({
      kind: 'error',
      error: { code: 'invalid_input', message: expect.stringContaining(`accepts at most ${contentPackUploadLimit}`) },
    });
    ws.close();
  });

  it('still refuses one message over 1 MiB', async () => {
    const { ws } = await rawSocket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 1, channel: 'app:info', input: { padding: 'x'.repeat(1024 * 1024 + 10) } }));
    expect(await closed).toBe(1009);
  });

  it('sends chunks to the socket that asked only, and the content event to every socket', async () => {
    const asking = browserApi();
    const watcher = await rawSocket();
    const done = await asking.contentImport({ mode: 'append' }, { upload: new Uint8Array(Buffer.from(packText(buildPack({ prefix: 'solo' })))) }).done;
    expect(done.ok).toBe(true);
    await expect.poll(() => watcher.frames.some((frame) => frame.event === 'content:updated')).toBe(true);
    expect(watcher.frames.filter((frame) => 'kind' in frame)).toEqual([]);
    watcher.ws.close();
  });

  it('keeps importing what a closed socket uploaded: core finishes and stores it', async () => {
    const api = browserApi();
    const before = await questionCount(api);
    const { ws, frames } = await rawSocket();
    const pack = largePack('gone');
    ws.send(JSON.stringify({ kind: 'stream', id: 7, stream: 'content:import', input: { mode: 'append' }, uploadBytes: pack.byteLength }));
    for (let offset = 0, seq = 0; offset < pack.byteLength; offset += uploadChunkBytes, seq++) {
      ws.send(JSON.stringify({ kind: 'upload', id: 7, seq, data: pack.subarray(offset, offset + uploadChunkBytes).toString('base64') }));
    }
    await expect.poll(() => frames.some((frame) => frame.kind === 'chunk')).toBe(true);
    ws.terminate();
    await expect.poll(() => questionCount(api), { timeout: 20_000 }).toBe(before + 1500);
  });

  it('ends the streams of a dropped connection with disconnected on the client', async () => {
    const sockets: WebSocket[] = [];
    const api = browserApi(sockets);
    await questionCount(api);
    const call = api.contentImport({ mode: 'append' }, { upload: new Uint8Array(largePack('drop')) });
    // The connection drops under the client before core has answered.
    sockets[0]!.terminate();
    expect(await call.done).toMatchObject({ ok: false, error: { code: 'disconnected' } });
  });

  it('refuses requests over the in-flight limit on their own ids', async () => {
    const { ws, frames } = await rawSocket();
    for (let id = 1; id <= 70; id++) ws.send(JSON.stringify({ id, channel: 'progress:overview', input: {} }));
    const answers = () => frames.filter((frame) => 'result' in frame);
    await expect.poll(() => answers().length).toBe(6);
    expect(answers().map((frame) => frame.id)).toEqual([65, 66, 67, 68, 69, 70]);
    for (const frame of answers()) expect(frame.result).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('Too many requests') } });
    releaseSlowCalls();
    await expect.poll(() => answers().length).toBe(70);
    expect(answers().slice(6).every((frame) => (frame.result as { ok: boolean }).ok)).toBe(true);
    ws.close();
  });
});
