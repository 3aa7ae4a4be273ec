/**
 * Core's side of the edge-function provider with the real SQLite, against a loopback stand-in that speaks the
 * function's protocol (the function itself runs under Deno in tests/sync/client/tutor-edge.test.ts): the request core
 * sends (the learner's token and the context, no system message), the echo check (a different or missing context
 * is refused), the guard on the relayed reply, and 401 as "sign in again".
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorChunk } from '../../shared/ipc/contract';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import { createMemoryHostStores } from '../../electron/core/process/fork';
import { createPractice } from '../../electron/core/practice/practice';
import { GUARD_NOTE } from '../../electron/core/tutor/guard';
import { createTutor, EDGE_FUNCTION_PATH } from '../../electron/core/tutor/tutor';
import { ManualClock } from '../helpers/clock';
import { startLoopbackHttp, type LoopbackHttp } from '../helpers/loopback-http';
import { openSampleDatabase } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const TWO_X = '9650ef8c-7106-44aa-abf5-4de869dad7ea'; // "Solve 2x = 10." choices 3, 4, 5, 6; 5 is right

/** What the stand-in answers next: the context event's data (the request's own context when 'echo'), or none. */
type Script = { context: 'echo' | 'other' | 'none'; tokens: string[] } | { status: number };

interface Received {
  path: string;
  authorization: string | undefined;
  apikey: string | undefined;
  body: { messages: Array<{ role: string; content: string }>; context: unknown };
}

let server: LoopbackHttp;
let url: string;
const script: Script[] = [];
const received: Received[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

beforeAll(async () => {
  server = await startLoopbackHttp((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text) as Received['body'];
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, apikey: req.headers.apikey as string | undefined, body });
      const next = script.shift() ?? { context: 'echo', tokens: ['Hi.'] };
      if ('status' in next) {
        res.writeHead(next.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'bad_jwt', message: 'The access token was refused: sign in again.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (next.context !== 'none') {
        const context = next.context === 'echo' ? body.context : { ...(body.context as object), streak: 99 };
        res.write(`event: context\ndata: ${JSON.stringify(context)}\n\n`);
      }
      for (const token of next.tokens) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: token }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  url = server.url;
});
afterAll(() => server.close());

function setup(signedIn = true) {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
  const { sqlite } = openSampleDatabase(tempDir(), clock);
  const stores = createMemoryHostStores();
  const practice = createPractice(sqlite, { clock, timeZone: () => 'UTC' });
  const tutor = createTutor({
    sqlite,
    clock,
    settings: stores.settings,
    secrets: stores.secrets,
    runWrite: createLearnerWriteRunner(sqlite),
    timeoutMs: 2000,
    edgeAccess: async () => (signedIn ? { url, anonKey: 'anon-key', accessToken: 'learner-token' } : null),
  });
  tutor.setProviderSettings({ kind: 'edge-function' });
  const skillId = sqlite.prepare('SELECT skill_id FROM questions WHERE id = ?').pluck().get(TWO_X) as string;
  const session = practice.startSession(skillId, 'practice');
  return { tutor, session };
}

async function send(tutor: ReturnType<typeof createTutor>, chatId: string, text: string) {
  const chunks: TutorChunk[] = [];
  const { reply } = await tutor.send(chatId, text, (c) => chunks.push(c), AbortSignal.timeout(10_000));
  return { chunks, reply };
}

describe('the edge-function provider in core', () => {
  it("sends the learner's token and core's context (no system message), accepts the exact echo and guards the reply", async () => {
    const { tutor, session } = setup();
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    script.push({ context: 'echo', tokens: ['Halve both sides.', ' The answer is 5.'] });
    const { chunks, reply } = await send(tutor, chat.id, 'Tell me');
    const request = received.at(-1)!;
    expect(request).toMatchObject({ path: EDGE_FUNCTION_PATH, authorization: 'Bearer learner-token', apikey: 'anon-key' });
    expect(request.body.messages).toEqual([{ role: 'user', content: 'Tell me' }]);
    expect(request.body.context).toEqual(tutor.contextView(chat.id).context);
    expect(chunks[0]).toMatchObject({ type: 'started', source: 'edge' });
    // Unanswered: the guard holds the answer back from the function's reply as from any provider's.
    expect(reply).toMatchObject({ status: 'complete', source: 'edge', text: `Halve both sides.${GUARD_NOTE}` });
  });

  it('refuses a reply whose echoed context differs from the one sent, or that has no echo, keeping the learner message', async () => {
    const { tutor } = setup();
    const chat = await tutor.create({ title: 'Echo' });
    script.push({ context: 'other', tokens: ['Anything.'] });
    const other = await send(tutor, chat.id, 'One');
    expect(other.reply).toMatchObject({ status: 'failed', source: 'edge', text: '', error: { code: 'malformed_stream', message: expect.stringContaining('different context') } });
    script.push({ context: 'none', tokens: ['Anything.'] });
    const none = await send(tutor, chat.id, 'Two');
    expect(none.reply).toMatchObject({ status: 'failed', text: '', error: { code: 'malformed_stream', message: expect.stringContaining('without first naming the context') } });
    expect(tutor.messages(chat.id).messages.filter((m) => m.sender === 'user').map((m) => m.text)).toEqual(['One', 'Two']);
  });

  it('reads a 401 as "sign in again", and answers offline when nobody is signed in', async () => {
    const { tutor } = setup();
    const chat = await tutor.create({ title: 'Session' });
    script.push({ status: 401 });
    const refused = await send(tutor, chat.id, 'Hello');
    expect(refused.reply).toMatchObject({ status: 'failed', error: { code: 'not_signed_in', httpStatus: 401, message: expect.stringContaining('sign in again') } });

    const signedOut = setup(false);
    const offlineChat = await signedOut.tutor.create({ title: 'Offline' });
    const before = received.length;
    const offline = await send(signedOut.tutor, offlineChat.id, 'What is a fraction?');
    expect(offline.reply).toMatchObject({ status: 'complete', source: 'offline', error: { code: 'not_signed_in', message: expect.stringContaining('not signed in') as unknown } });
    expect(received.length).toBe(before);
  });
});
