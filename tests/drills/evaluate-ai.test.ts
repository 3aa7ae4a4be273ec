/**
 * The AI drill evaluator against the fake OpenAI-compatible server (real HTTP and SSE on loopback): valid JSON,
 * invalid then valid, invalid twice (the local rules then), the provider unreachable, and cancellation.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RUBRIC, drillEvaluationSchema, type Rubric } from '../../shared/drills/evaluation';
import { AppFailure } from '../../shared/errors';
import { AI_ATTEMPTS, evaluateWithProvider } from '../../electron/core/drills/evaluate-ai';
import { countWords, evaluateLocally, type LocalEvaluationInput } from '../../electron/core/drills/evaluate-local';
import type { ProviderEndpoint } from '../../electron/core/tutor/provider-client';
import { startFakeOpenAi, type FakeOpenAi } from '../tutor/fake-openai';
import { handWrittenResponses, STRONG_STAR_ANSWER } from './hand-written-responses';

const KEY = 'sk-drill-secret-424242';
let fake: FakeOpenAi;
let endpoint: ProviderEndpoint;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  endpoint = { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: KEY, timeoutMs: 10_000 };
});
afterAll(() => fake.close());

const strong = handWrittenResponses.find((r) => r.name === 'a strong STAR answer')!;
const input: LocalEvaluationInput = {
  transcript: STRONG_STAR_ANSWER,
  durationS: strong.spokenDurationS!,
  durationEstimated: false,
  question: strong.question,
};

/** What a well-behaved model answers: the rubric's names, quotes from the answer. */
function modelReply(rubric: Rubric = BUILTIN_RUBRIC, change: (reply: Record<string, unknown>) => void = () => undefined): string {
  const reply: Record<string, unknown> = {
    overallScore: 88,
    // Deliberately not in the rubric's order: the evaluator puts them back in order.
    categories: [...rubric.dimensions].reverse().map((dimension, index) => ({
      name: dimension.name,
      verdict: index === 0 ? 'FLAG' : 'PASS',
      note: `Observed for ${dimension.measure}: "I asked to speak with him privately after rounds."`,
      evidence: ['I asked to speak with him privately after rounds.'],
    })),
    whatChanged: ['Open with the decision in one sentence.', 'Name the time you booked for physiotherapy earlier.'],
    practiceRule: 'Lead with the decision, then your alternative.',
  };
  change(reply);
  return JSON.stringify(reply);
}

/** Queues `text` as one streamed reply, cut into pieces the way a model streams it, ending with `finish` (`stop`). */
function queueReply(text: string, finish: 'stop' | 'length' = 'stop'): void {
  const tokens = text.match(/[\s\S]{1,40}/g) ?? [];
  fake.queue({ kind: 'stream', tokens, finish });
}

describe('evaluateWithProvider', () => {
  it("uses a valid JSON reply: the model's verdicts in the rubric's order, with the local measurements", async () => {
    const before = fake.requests.length;
    queueReply('```json\n' + modelReply() + '\n```');
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(input, endpoint, new AbortController().signal);
    expect(usedLocalBecause).toBeNull();
    expect(drillEvaluationSchema.safeParse(evaluation).success).toBe(true);
    expect(evaluation.modelUsed).toBe('fake-model');
    expect(evaluation.overallScore).toBe(88);
    expect(evaluation.categories.map((c) => c.name)).toEqual(BUILTIN_RUBRIC.dimensions.map((d) => d.name));
    expect(evaluation.categories.map((c) => c.measure)).toEqual(BUILTIN_RUBRIC.dimensions.map((d) => d.measure));
    // The reversed list's first item (Result) was the one flagged.
    expect(evaluation.categories.find((c) => c.name === 'Result')!.verdict).toBe('FLAG');
    expect(evaluation).toMatchObject({ durationS: 95, durationEstimated: false, words: countWords(STRONG_STAR_ANSWER), wpm: 130.1 });
    expect(evaluation.rubric).toEqual({ version: 'builtin-1', names: BUILTIN_RUBRIC.dimensions.map((d) => d.name) });

    // One request, with the rubric's names, the question and the answer between markers.
    expect(fake.requests.length - before).toBe(1);
    const request = fake.requests.at(-1)!;
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    for (const dimension of BUILTIN_RUBRIC.dimensions) expect(request.messages[0]!.content).toContain(`"${dimension.name}"`);
    expect(request.messages[1]!.content).toContain(strong.question.prompt);
    expect(request.messages[1]!.content).toContain(`<<<ANSWER\n${STRONG_STAR_ANSWER}\nANSWER>>>`);
  });

  it('retries once when the reply is invalid, naming the problem, and uses the valid second reply', async () => {
    const before = fake.requests.length;
    queueReply(modelReply(BUILTIN_RUBRIC, (reply) => ((reply.categories as Array<{ name: string }>)[2]!.name = 'Confidence')));
    queueReply(modelReply());
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(input, endpoint, new AbortController().signal);
    expect(usedLocalBecause).toBeNull();
    expect(evaluation.modelUsed).toBe('fake-model');
    expect(fake.requests.length - before).toBe(2);
    const retry = fake.requests.at(-1)!.messages;
    expect(retry.at(-2)!.role).toBe('assistant');
    expect(retry.at(-1)!.content).toMatch(/not valid: categories must be exactly .*missing "Relevance".*not in the rubric: "Confidence"/);
  });

  const invalidReplies: Array<[string, string]> = [
    ['not JSON at all', 'Great answer! You did well.'],
    ['JSON that does not parse', '{"overallScore": 80, "categories": [}'],
    ['a score over 100', modelReply(BUILTIN_RUBRIC, (reply) => (reply.overallScore = 120))],
    ['four changes', modelReply(BUILTIN_RUBRIC, (reply) => (reply.whatChanged = ['a', 'b', 'c', 'd']))],
    ['six categories', modelReply(BUILTIN_RUBRIC, (reply) => (reply.categories as unknown[]).pop())],
    ['a name twice', modelReply(BUILTIN_RUBRIC, (reply) => ((reply.categories as Array<{ name: string }>)[1]!.name = 'Result'))],
    [
      'evidence that is not a quote from the answer',
      modelReply(BUILTIN_RUBRIC, (reply) => ((reply.categories as Array<{ evidence: string[] }>)[0]!.evidence = ['You lacked confidence.'])),
    ],
  ];
  it.each(invalidReplies)('falls back to the local rules, marked as such, after %s twice', async (_what, bad) => {
    const before = fake.requests.length;
    queueReply(bad);
    queueReply(bad);
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(input, endpoint, new AbortController().signal);
    expect(fake.requests.length - before).toBe(AI_ATTEMPTS);
    expect(evaluation).toEqual(evaluateLocally(input));
    expect(usedLocalBecause).toMatch(/^The AI evaluator's reply was not valid 2 times \(last problem: .+\), so the local rules evaluated this answer\.$/);
  });

  it('falls back to the local rules when the reply is cut at the length limit twice, naming the limit', async () => {
    const before = fake.requests.length;
    const cut = modelReply().slice(0, 300);
    queueReply(cut, 'length');
    queueReply(cut, 'length');
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(input, endpoint, new AbortController().signal);
    expect(fake.requests.length - before).toBe(AI_ATTEMPTS);
    expect(fake.requests.at(-1)!.messages.at(-1)!.content).toMatch(/^That reply is not valid: it reached its length limit before the JSON object was complete\./);
    expect(evaluation).toEqual(evaluateLocally(input));
    expect(usedLocalBecause).toBe(
      "The AI evaluator's reply was not valid 2 times (last problem: it reached its length limit before the JSON object was complete), so the local rules evaluated this answer.",
    );
  });

  it("keeps the local pace verdict for a written answer: pace was not measured, whatever the model says", async () => {
    const written = { ...input, durationS: 85.2, durationEstimated: true };
    queueReply(modelReply(BUILTIN_RUBRIC, (reply) => {
      const pace = (reply.categories as Array<{ name: string; verdict: string; note: string }>).find((c) => c.name === 'Pace')!;
      pace.verdict = 'FLAG';
      pace.note = 'Too slow.';
    }));
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(written, endpoint, new AbortController().signal);
    expect(usedLocalBecause).toBeNull();
    expect(evaluation.modelUsed).toBe('fake-model');
    const pace = evaluation.categories.find((c) => c.measure === 'pace')!;
    expect(pace.verdict).toBe('PASS');
    expect(pace.note).toMatch(/^Pace was not measured/);
    expect(evaluation.categories.find((c) => c.measure === 'result')!.note).toMatch(/^Observed for result/);
  });

  it("holds the model to the pack's own rubric names", async () => {
    const rubric: Rubric = {
      version: 'panel-2',
      dimensions: BUILTIN_RUBRIC.dimensions.map((dimension, index) => ({ name: `Panel ${index + 1}`, measure: dimension.measure })),
    };
    queueReply(modelReply()); // built-in names: invalid for this pack
    queueReply(modelReply(rubric));
    const { evaluation, usedLocalBecause } = await evaluateWithProvider({ ...input, rubric }, endpoint, new AbortController().signal);
    expect(usedLocalBecause).toBeNull();
    expect(evaluation.rubric).toEqual({ version: 'panel-2', names: rubric.dimensions.map((d) => d.name) });
    expect(evaluation.categories.map((c) => c.name)).toEqual(rubric.dimensions.map((d) => d.name));
  });

  it('uses the local rules when the provider cannot be reached, saying why', async () => {
    const port = await closedPort();
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(
      input,
      { ...endpoint, baseUrl: `http://127.0.0.1:${port}/v1` },
      new AbortController().signal,
    );
    expect(evaluation).toEqual(evaluateLocally(input));
    expect(usedLocalBecause).toMatch(/^The AI evaluator could not be used \(Nothing answers at http:\/\/127\.0\.0\.1:\d+\/v1\. Is the server running\?/);
  });

  it('uses the local rules when the provider refuses the key, without the key in the reason', async () => {
    const wrong = 'sk-wrong-drill-key-777777';
    const { evaluation, usedLocalBecause } = await evaluateWithProvider(input, { ...endpoint, apiKey: wrong }, new AbortController().signal);
    expect(evaluation.modelUsed).toMatch(/^local-rules-/);
    expect(usedLocalBecause).toContain('refused the API key');
    expect(usedLocalBecause).not.toContain(wrong);
  });

  it('throws only when no evaluation can be made: an answer without words (before any request), or a cancel', async () => {
    const before = fake.requests.length;
    await expect(evaluateWithProvider({ ...input, transcript: '  ' }, endpoint, new AbortController().signal)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(fake.requests.length).toBe(before);

    const controller = new AbortController();
    fake.queue({ kind: 'silent' });
    const pending = evaluateWithProvider(input, endpoint, controller.signal);
    await waitFor(() => fake.requests.length > before);
    controller.abort();
    const error = await pending.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppFailure);
    expect(error).toMatchObject({ code: 'cancelled' });
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
