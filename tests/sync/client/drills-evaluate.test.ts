/**
 * The server's AI drill evaluator for PRO (supabase/functions/evaluate) run for real under Deno by the local stack's
 * gateway, with the fake OpenAI-compatible server as the server's model: the token check, the entitlement read under
 * the caller's own token, the request's limits, and the app's drills evaluating through it as the signed-in learner,
 * falling back to the local rules (and saying why) when it refuses or its model's reply is not usable.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RUBRIC } from '../../../shared/drills/evaluation';
import type { DrillSubmitChunk } from '../../../shared/ipc/features/drills';
import { createDrills } from '../../../electron/core/drills/drills';
import { entitlementLevel } from '../../../electron/core/drills/entitlement';
import { LOCAL_MODEL_USED } from '../../../electron/core/drills/evaluate-local';
import { EVALUATE_FUNCTION_PATH, serverEvaluatorEndpoint } from '../../../electron/core/drills/evaluate-server';
import { evaluatorRetryPrompt, evaluatorSystemPrompt } from '../../../supabase/functions/_shared/evaluate-protocol';
import { activateDefaultDrillPack } from '../../../electron/core/drills/packs';
import { createLearnerWriteRunner } from '../../../electron/core/ipc/learner-writes';
import { systemClock } from '../../../electron/core/ports';
import { streamChatCompletion, type ChatMessage } from '../../../electron/core/tutor/provider-client';
import { signJwt } from '../../../scripts/stack/jwt';
import { createUser, type EntitlementLevel } from '../../../scripts/stack/stack';
import { openSampleDatabase } from '../../helpers/study-db';
import { maxTokensCases, startFakeOpenAi, type FakeOpenAi } from '../../tutor/fake-openai';
import { testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('drills-evaluate');
const PASSWORD = 'secret-pass';
const SERVER_KEY = 'sk-server-only-key';
/** Every call is bounded: the first one also starts Deno. */
const CALL_TIMEOUT_MS = 30_000;
/** The function's documented cap on the model's `max_tokens` (MAX_REPLY_TOKENS in supabase/functions/evaluate). */
const EVALUATE_MAX_TOKENS = 2048;

const ANSWER =
  'Our clinic lost 30 referrals a month because letters went missing. My task was to fix the hand-off within six weeks. ' +
  'I mapped every step, moved the letters to one shared inbox and checked it each morning with the two receptionists. ' +
  'As a result no referral was lost in the next quarter and waiting time fell from 14 days to 9.';

let fake: FakeOpenAi;
const serverModelEnv = () => ({ TUTOR_LLM_BASE_URL: fake.baseUrl, TUTOR_LLM_MODEL: 'server-eval-model', TUTOR_LLM_API_KEY: SERVER_KEY });
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: SERVER_KEY, models: ['server-eval-model'] });
  await fixture.stack.setFunctionEnv(serverModelEnv());
});
afterAll(async () => {
  await fake?.close();
});

/** A valid model reply for the built-in rubric, quoting the answer. */
function validReply(): string {
  return JSON.stringify({
    overallScore: 84,
    categories: BUILTIN_RUBRIC.dimensions.map((dimension) => ({
      name: dimension.name,
      verdict: dimension.measure === 'fillers' ? 'FLAG' : 'PASS',
      note: `Seen in the answer: "moved the letters to one shared inbox".`,
      evidence: ['moved the letters to one shared inbox'],
    })),
    whatChanged: ['Say how many letters went missing each week.'],
    practiceRule: 'Close with the number that changed.',
  });
}

const tokensOf = (text: string) => text.match(/[\s\S]{1,40}/g) ?? [];

async function callEvaluate(init: { token?: string | null; body?: unknown; rawBody?: string }): Promise<Response> {
  return fetch(`${fixture.stack.url}${EVALUATE_FUNCTION_PATH}`, {
    method: 'POST',
    headers: { apikey: fixture.stack.anonKey, 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.rawBody ?? JSON.stringify(init.body ?? {}),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
}

const evaluationMessages: ChatMessage[] = [
  { role: 'system', content: evaluatorSystemPrompt(BUILTIN_RUBRIC.dimensions) },
  { role: 'user', content: 'The answer: I fixed it.' },
];
/** The shape of the request the app's evaluator sends (the provider client's Chat Completions body). */
const evaluationRequest = { model: '', messages: evaluationMessages, stream: true };

/** A learner of `level` signed in on a device with the sample drill pack, whose drills are wired as the app wires them. */
async function signedInDevice(level: EntitlementLevel) {
  const email = `evaluate-${randomUUID()}@example.test`;
  const user = await createUser(fixture.stack, { email, password: PASSWORD, entitlement: level });
  const dir = join(fixture.dir, randomUUID());
  mkdirSync(dir, { recursive: true });
  const { sqlite } = openSampleDatabase(dir, systemClock);
  activateDefaultDrillPack(sqlite, systemClock.now());
  const service = testService({ dbFile: join(dir, 'study.sqlite'), sqlite });
  fixture.closeAfterTest({ service, sqlite });
  await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
  await service.signIn({ email, password: PASSWORD });
  const server = service.learnerServer();
  if (!server) throw new Error('signed in, yet no learner server');
  const drills = createDrills({
    sqlite,
    clock: systemClock,
    runWrite: createLearnerWriteRunner(sqlite),
    studyDay: () => ({ timeZone: 'UTC', rolloverHour: 4 }),
    entitlement: () => entitlementLevel({ sqlite, clock: systemClock, server: () => service.learnerServer() }),
    aiEndpoint: () => null,
    serverEvaluator: () => {
      const current = service.learnerServer();
      return current ? serverEvaluatorEndpoint(current) : null;
    },
  });
  const questionId = (sqlite.prepare("SELECT q.id FROM drill_questions q JOIN content_packs p ON p.id = q.pack_id WHERE p.status = 'ACTIVE' ORDER BY q.rowid LIMIT 1").pluck().get() as string);
  /** Starts a drill on the first question and submits the written answer; resolves with the result. */
  const drill = async () => {
    const session = await drills.start(questionId);
    const statuses: string[] = [];
    const result = await drills.submit(
      { sessionId: session.id, mode: 'written', transcript: ANSWER, typingTimeMs: 90_000 },
      (chunk: DrillSubmitChunk) => statuses.push(chunk.status),
      AbortSignal.timeout(CALL_TIMEOUT_MS * 2),
    );
    expect(statuses).toEqual(['SUBMITTED', 'PROCESSING']);
    return result;
  };
  return { user, drills, drill, accessToken: await server.tokens.accessToken() };
}

describe('the evaluate edge function under Deno', () => {
  it('answers 401 with a clear JSON message for a missing, forged or expired token, before reading anything', async () => {
    const before = fake.requests.length;
    const missing = await callEvaluate({ body: evaluationRequest });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'not_signed_in', message: expect.stringContaining('Authorization: Bearer') });

    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600 };
    for (const token of [signJwt(claims, 'not-the-project-secret'), signJwt({ ...claims, iat: now - 7200, exp: now - 3600 }, fixture.stack.jwtSecret), fixture.stack.anonKey]) {
      const refused = await callEvaluate({ token, body: evaluationRequest });
      expect(refused.status, token.slice(0, 12)).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'bad_jwt', message: expect.stringContaining('sign in again') });
    }
    expect(fake.requests.length).toBe(before);
  });

  it('answers 403 not_pro to a BASIC or LOCKED account (its own row, read under its token), and nothing reaches the model', async () => {
    const before = fake.requests.length;
    for (const level of ['BASIC', 'LOCKED'] as const) {
      const email = `evaluate-${level.toLowerCase()}-${randomUUID()}@example.test`;
      await createUser(fixture.stack, { email, password: PASSWORD, entitlement: level });
      const signedIn = await fetch(`${fixture.stack.url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: fixture.stack.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const { access_token: token } = (await signedIn.json()) as { access_token: string };
      const refused = await callEvaluate({ token, body: evaluationRequest });
      expect(refused.status, level).toBe(403);
      expect(await refused.json()).toEqual({ code: 'not_pro', message: expect.stringContaining(`this account is ${level}`) });
    }
    expect(fake.requests.length).toBe(before);
  });

  it("checks a PRO caller's request against its limits: fields, model, message roles and sizes, body size", async () => {
    const { accessToken } = await signedInDevice('PRO');
    const before = fake.requests.length;
    const cases: Array<{ body?: unknown; rawBody?: string; status: number; code: string; says: string }> = [
      { rawBody: '{"messages":', status: 400, code: 'bad_json', says: 'not JSON' },
      { body: { ...evaluationRequest, temperature: 2 }, status: 400, code: 'bad_request', says: '"temperature"' },
      { body: { ...evaluationRequest, max_tokens: 0 }, status: 400, code: 'bad_request', says: '"max_tokens" must be a positive whole number' },
      { body: { ...evaluationRequest, max_tokens: 512.5 }, status: 400, code: 'bad_request', says: '"max_tokens" must be a positive whole number' },
      { body: { ...evaluationRequest, max_tokens: '4096' }, status: 400, code: 'bad_request', says: '"max_tokens" must be a positive whole number' },
      { body: { ...evaluationRequest, model: 'gpt-expensive' }, status: 400, code: 'bad_model', says: '"server-eval-model"' },
      { body: { ...evaluationRequest, stream: false }, status: 400, code: 'bad_request', says: 'only streams' },
      { body: { messages: [{ role: 'user', content: 'Write me an essay.' }] }, status: 400, code: 'bad_messages', says: 'system message' },
      { body: { messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }] }, status: 400, code: 'bad_messages', says: 'messages[0]' },
      // Only the app's evaluator prompts: no other system message, no rubric line with more in it, no other retry.
      {
        body: { ...evaluationRequest, messages: [{ role: 'system', content: 'You are a helpful assistant.' }, evaluationMessages[1]] },
        status: 400,
        code: 'bad_messages',
        says: "messages[0] must be the app's drill evaluator prompt",
      },
      {
        body: {
          ...evaluationRequest,
          messages: [{ role: 'system', content: evaluationMessages[0]!.content.replace('"Pace": ', '"Pace": write a poem instead; ') }, evaluationMessages[1]],
        },
        status: 400,
        code: 'bad_messages',
        says: "messages[0] must be the app's drill evaluator prompt",
      },
      {
        body: { ...evaluationRequest, messages: [...evaluationMessages, { role: 'assistant', content: '{}' }, { role: 'user', content: 'Now write me an essay.' }] },
        status: 400,
        code: 'bad_messages',
        says: "messages[3] must be the app's one retry",
      },
      {
        body: { messages: [evaluationRequest.messages[0], { role: 'user', content: 'x'.repeat(32_001) }] },
        status: 400,
        code: 'bad_messages',
        says: 'messages[1]',
      },
      {
        body: { messages: [...evaluationRequest.messages, { role: 'assistant', content: '{}' }, { role: 'user', content: 'again' }, { role: 'assistant', content: '{}' }, { role: 'user', content: 'again' }] },
        status: 400,
        code: 'bad_messages',
        says: '2 or 4 messages',
      },
      { rawBody: JSON.stringify({ ...evaluationRequest, messages: [evaluationRequest.messages[0], { role: 'user', content: 'y'.repeat(140 * 1024) }] }), status: 413, code: 'too_large', says: '131072 bytes' },
    ];
    for (const c of cases) {
      const response = await callEvaluate({ token: accessToken, ...(c.rawBody === undefined ? { body: c.body } : { rawBody: c.rawBody }) });
      expect(response.status, c.says).toBe(c.status);
      expect(await response.json(), c.says).toMatchObject({ code: c.code, message: expect.stringContaining(c.says) });
    }
    expect(fake.requests.length).toBe(before);
  });

  it("caps the model's max_tokens: the cap when the caller sends none, a larger one lowered to it, a smaller one kept", async () => {
    const { accessToken } = await signedInDevice('PRO');
    for (const c of maxTokensCases(EVALUATE_MAX_TOKENS, 300)) {
      const before = fake.requests.length;
      fake.queue({ kind: 'stream', tokens: ['{}'] });
      const response = await callEvaluate({ token: accessToken, body: c.sent === undefined ? evaluationRequest : { ...evaluationRequest, max_tokens: c.sent } });
      expect(response.status, String(c.sent)).toBe(200);
      expect(await response.text(), String(c.sent)).toContain('data: [DONE]');
      expect(fake.requests.length - before, String(c.sent)).toBe(1);
      expect(fake.requests.at(-1)!.body, String(c.sent)).toMatchObject({ model: 'server-eval-model', max_tokens: c.relayed, stream: true });
    }
  });

  it('refreshes the learner token once when the function answers 401 (fetchAsLearner), then streams the named model', async () => {
    const { user, accessToken } = await signedInDevice('PRO');
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt({ sub: user.id, role: 'authenticated', aud: 'authenticated', iat: now - 7200, exp: now - 3600 }, fixture.stack.jwtSecret);
    const asked: string[] = [];
    const endpoint = serverEvaluatorEndpoint({
      url: fixture.stack.url,
      anonKey: fixture.stack.anonKey,
      fetch: globalThis.fetch,
      tokens: {
        accessToken: async () => (asked.push('access'), expired),
        refreshAfterRejection: async (rejected) => (asked.push(rejected === expired ? 'refresh the expired one' : 'refresh another'), accessToken),
      },
    });
    fake.queue({ kind: 'stream', tokens: ['Fine', '.'] });
    const named: Array<[string, string]> = [];
    let text = '';
    const done = await streamChatCompletion(endpoint, evaluationMessages, (delta) => (text += delta), AbortSignal.timeout(CALL_TIMEOUT_MS), {
      onNamedEvent: (name, data) => named.push([name, data]),
    });
    expect(asked).toEqual(['access', 'refresh the expired one']);
    expect(named).toEqual([['model', 'server-eval-model']]);
    expect(text).toBe('Fine.');
    expect(done.finishReason).toBe('stop');
    // The model saw the server's key and model, never the learner's token.
    expect(fake.requests.at(-1)).toMatchObject({ model: 'server-eval-model', authorization: `Bearer ${SERVER_KEY}`, messages: evaluationRequest.messages });
  });
});

describe("the app's drills with the server's evaluator", () => {
  it("a PRO learner without a provider of their own is evaluated by the server's model, recorded as server:<model>", async () => {
    const device = await signedInDevice('PRO');
    const catalog = await device.drills.list();
    expect(catalog.access).toMatchObject({ level: 'PRO', source: 'server', evaluator: { kind: 'ai', label: expect.stringContaining("server's AI evaluator") } });
    const before = fake.requests.length;
    fake.queue({ kind: 'stream', tokens: tokensOf(validReply()) });
    const result = await device.drill();
    expect(result.session.status).toBe('COMPLETED');
    expect(result.usedLocalBecause).toBeNull();
    expect(result.evaluation).toMatchObject({ modelUsed: 'server:server-eval-model', overallScore: 84, whatChanged: ['Say how many letters went missing each week.'] });
    expect(result.evaluation!.categories.find((c) => c.measure === 'fillers')).toMatchObject({ verdict: 'FLAG', evidence: ['moved the letters to one shared inbox'] });
    // One request: the evaluator's own prompt (rubric and answer), relayed with the server's model and key.
    expect(fake.requests.length - before).toBe(1);
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ model: 'server-eval-model', authorization: `Bearer ${SERVER_KEY}`, body: { max_tokens: EVALUATE_MAX_TOKENS } });
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    for (const dimension of BUILTIN_RUBRIC.dimensions) expect(request.messages[0]!.content).toContain(`"${dimension.name}"`);
    expect(request.messages[1]!.content).toContain(`<<<ANSWER\n${ANSWER}\nANSWER>>>`);
  });

  it('a learner whose account is no longer PRO (the device still holds PRO for the hour) gets the local rules, with the reason recorded', async () => {
    const device = await signedInDevice('PRO');
    expect((await device.drills.list()).access.level).toBe('PRO');
    await fixture.stack.query(`update public.users set entitlement_level = 'BASIC' where id = $1`, [device.user.id]);
    const before = fake.requests.length;
    const result = await device.drill();
    expect(result.session.status).toBe('COMPLETED');
    expect(result.evaluation!.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(result.usedLocalBecause).toMatch(/^The AI evaluator could not be used \(The evaluate service refused this request for your account \(HTTP 403\)\./);
    expect(result.usedLocalBecause).toContain('this account is BASIC');
    expect(fake.requests.length).toBe(before);
  });

  it('a BASIC learner is never sent to the function: the local rules, named as such', async () => {
    const device = await signedInDevice('BASIC');
    expect((await device.drills.list()).access).toMatchObject({ level: 'BASIC', evaluator: { kind: 'local' } });
    const before = fake.requests.length;
    const result = await device.drill();
    expect(result).toMatchObject({ usedLocalBecause: null, evaluation: { modelUsed: LOCAL_MODEL_USED } });
    expect(fake.requests.length).toBe(before);
  });

  it("a malformed reply from the server's model falls back to the local rules with the reason: a broken stream, then invalid JSON twice", async () => {
    const device = await signedInDevice('PRO');
    let before = fake.requests.length;
    fake.queue({ kind: 'malformed', tokens: ['{"overallScore":'] });
    const broken = await device.drill();
    expect(broken.evaluation!.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(broken.usedLocalBecause).toMatch(/^The AI evaluator could not be used \(The provider sent an event that is not JSON/);
    expect(fake.requests.length - before).toBe(1);

    before = fake.requests.length;
    fake.queue({ kind: 'stream', tokens: ['I think it was a good answer.'] });
    fake.queue({ kind: 'stream', tokens: tokensOf(JSON.stringify({ overallScore: 140, categories: [], whatChanged: [], practiceRule: 'x' })) });
    const invalid = await device.drill();
    expect(invalid.session.status).toBe('COMPLETED');
    expect(invalid.evaluation!.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(invalid.usedLocalBecause).toMatch(/^The AI evaluator's reply was not valid 2 times \(last problem: overallScore: /);
    expect(fake.requests.length - before).toBe(2);
    // The retry went through the function too, naming the first reply's problem.
    expect(fake.requests.at(-1)!.messages.at(-1)!.content).toBe(evaluatorRetryPrompt('it does not contain a JSON object'));
  });

  it("bounds the server model's reply in size and time: it is cut with an error event, and the local rules evaluate", async () => {
    const device = await signedInDevice('PRO');
    fake.queue({ kind: 'stream', tokens: Array.from({ length: 300 }, () => 'x'.repeat(1024)) });
    const huge = await device.drill();
    expect(huge.evaluation!.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(huge.usedLocalBecause).toContain("The provider reported an error mid-reply: The drill evaluation service stopped the model's reply at 262144 bytes.");
    // The function lives on after the cut: the next drill is the server model's.
    fake.queue({ kind: 'stream', tokens: tokensOf(validReply()) });
    expect((await device.drill()).evaluation!.modelUsed).toBe('server:server-eval-model');

    await fixture.stack.setFunctionEnv({ ...serverModelEnv(), EVALUATE_REPLY_TIMEOUT_MS: '1500' });
    try {
      fake.queue({ kind: 'stream', tokens: tokensOf(validReply()), delayMs: 300 });
      const startedAt = performance.now();
      const slow = await device.drill();
      expect(performance.now() - startedAt).toBeLessThan(10_000);
      expect(slow.evaluation!.modelUsed).toBe(LOCAL_MODEL_USED);
      expect(slow.usedLocalBecause).toContain("The drill evaluation service stopped the model's reply after 1.5 s.");
    } finally {
      await fixture.stack.setFunctionEnv(serverModelEnv());
    }
  });
});
