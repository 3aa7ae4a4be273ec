/**
 * The AI drill evaluator: asks the learner's OpenAI-compatible provider (through the tutor's provider client) for the
 * rubric's verdicts as JSON, validates the reply with zod against the evaluation schema and the rubric, retries once
 * with the problems named, and otherwise falls back to the local rules, saying why. The measurements (duration, words,
 * WPM) are always the local ones: a model does not count words.
 *
 * The same request goes to a learner's own provider and to the server's `evaluate` function (PRO, evaluate-server.ts),
 * which relays it to the server's model and names that model first (`event: model`); the evaluation then records
 * `server:<model>`.
 */
import { z } from 'zod';
import {
  BUILTIN_RUBRIC,
  drillEvaluationSchema,
  drillVerdicts,
  MAX_WHAT_CHANGED,
  RUBRIC_DIMENSION_COUNT,
  rubricRecord,
  type DrillEvaluation,
  type Rubric,
} from '../../../shared/drills/evaluation';
import { AppFailure } from '../../../shared/errors';
import { evaluatorRetryPrompt, evaluatorSystemPrompt, MODEL_EVENT, serverModelUsed } from '../../../supabase/functions/_shared/evaluate-protocol';
import { ProviderFailure, streamChatCompletion, type ChatMessage, type ProviderEndpoint } from '../tutor/provider-client';
import { evaluateLocally, type LocalEvaluationInput } from './evaluate-local';

/** The provider is asked at most this many times for one evaluation: the first answer and one retry. */
export const AI_ATTEMPTS = 2;

export interface ProviderEvaluation {
  evaluation: DrillEvaluation;
  /** Why the local rules' result was used instead of the provider's; null when the provider's was used. */
  usedLocalBecause: string | null;
}

/** What the model is asked to return; everything else in the evaluation comes from the local measurements. */
const modelReplySchema = z.object({
  overallScore: z.number().int().min(0).max(100),
  categories: z
    .array(
      z.object({
        name: z.string(),
        verdict: z.enum(drillVerdicts),
        note: z.string().trim().min(1).max(2000),
        evidence: z.array(z.string().trim().min(1).max(2000)).max(20),
      }),
    )
    .length(RUBRIC_DIMENSION_COUNT),
  whatChanged: z.array(z.string().trim().min(1).max(500)).max(MAX_WHAT_CHANGED),
  practiceRule: z.string().trim().min(1).max(500),
});
type ModelReply = z.output<typeof modelReplySchema>;

/**
 * Evaluates with the provider; on invalid output twice, or when the provider cannot be reached, returns the local
 * rules' result with `usedLocalBecause`. Throws an AppFailure only when no evaluation can be made at all: the input
 * itself is invalid (`invalid_input`, from the local rules), or the caller cancelled (`cancelled`).
 */
export async function evaluateWithProvider(
  input: LocalEvaluationInput,
  endpoint: ProviderEndpoint,
  signal: AbortSignal,
): Promise<ProviderEvaluation> {
  // First, and without the network: it validates the input and is the fallback.
  const local = evaluateLocally(input);
  const rubric = input.rubric ?? BUILTIN_RUBRIC;
  const messages: ChatMessage[] = [
    { role: 'system', content: evaluatorSystemPrompt(rubric.dimensions) },
    { role: 'user', content: userPrompt(input, local) },
  ];
  const problems: string[] = [];
  for (let attempt = 1; attempt <= AI_ATTEMPTS; attempt += 1) {
    let reply = '';
    const named: { model: string | null } = { model: null };
    const onNamedEvent = (name: string, data: string) => {
      if (name === MODEL_EVENT) named.model = data.trim() || null;
    };
    let finishReason: string | null;
    try {
      ({ finishReason } = await streamChatCompletion(endpoint, messages, (delta) => (reply += delta), signal, { onNamedEvent }));
    } catch (err) {
      if (signal.aborted) throw new AppFailure('cancelled', 'The evaluation was cancelled before it finished.');
      if (err instanceof ProviderFailure) {
        return { evaluation: local, usedLocalBecause: `The AI evaluator could not be used (${err.error.message}), so the local rules evaluated this answer.` };
      }
      throw err;
    }
    // An edge function chooses the model: the one it named is the one to record.
    const model = endpoint.service === 'edge-function' ? (named.model === null ? null : serverModelUsed(named.model)) : endpoint.model;
    if (model === null) {
      return { evaluation: local, usedLocalBecause: "The server's AI evaluator did not name its model, so the local rules evaluated this answer." };
    }
    const checked = checkReply(reply, input.transcript, rubric, local, model);
    if (checked.ok) return { evaluation: checked.evaluation, usedLocalBecause: null };
    // Cut at the model's token limit, the JSON is unfinished: that is the problem to name, not how the rest fails to parse.
    const problem = finishReason === 'length' ? 'it reached its length limit before the JSON object was complete' : checked.problem;
    problems.push(problem);
    messages.push(
      { role: 'assistant', content: reply },
      { role: 'user', content: evaluatorRetryPrompt(problem) },
    );
  }
  return {
    evaluation: local,
    usedLocalBecause: `The AI evaluator's reply was not valid ${AI_ATTEMPTS} times (last problem: ${problems.at(-1)}), so the local rules evaluated this answer.`,
  };
}

type Checked = { ok: true; evaluation: DrillEvaluation } | { ok: false; problem: string };

/** Parses and validates a reply: JSON, the reply schema, exactly the rubric's names, evidence quoted from the response. */
function checkReply(reply: string, transcript: string, rubric: Rubric, local: DrillEvaluation, model: string): Checked {
  const json = extractJson(reply);
  if (json === null) return { ok: false, problem: 'it does not contain a JSON object' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { ok: false, problem: `its JSON does not parse (${err instanceof Error ? err.message : String(err)})` };
  }
  const parsed = modelReplySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: describeIssue(parsed.error.issues[0]) };
  const problem = rubricProblem(parsed.data, rubric) ?? evidenceProblem(parsed.data, transcript);
  if (problem) return { ok: false, problem };

  const byName = new Map(parsed.data.categories.map((category) => [category.name, category]));
  const evaluation: DrillEvaluation = {
    durationS: local.durationS,
    durationEstimated: local.durationEstimated,
    words: local.words,
    wpm: local.wpm,
    overallScore: parsed.data.overallScore,
    // In the rubric's order, each tied to the rubric's measure. A written answer's pace was not measured, whatever the
    // model says: that verdict is the local rules' one ("Pace was not measured…").
    categories: rubric.dimensions.map((dimension, index) => {
      if (dimension.measure === 'pace' && local.durationEstimated) return local.categories[index]!;
      const category = byName.get(dimension.name)!;
      return { name: dimension.name, measure: dimension.measure, verdict: category.verdict, note: category.note, evidence: category.evidence };
    }),
    whatChanged: parsed.data.whatChanged,
    practiceRule: parsed.data.practiceRule,
    modelUsed: model,
    rubric: rubricRecord(rubric),
  };
  const final = drillEvaluationSchema.safeParse(evaluation);
  return final.success ? { ok: true, evaluation: final.data } : { ok: false, problem: describeIssue(final.error.issues[0]) };
}

/** The JSON object in a reply, allowing a ```json fence or a sentence around it. */
function extractJson(reply: string): string | null {
  const first = reply.indexOf('{');
  const last = reply.lastIndexOf('}');
  return first >= 0 && last > first ? reply.slice(first, last + 1) : null;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'it does not match the schema';
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the object';
  return `${path}: ${issue.message}`;
}

function rubricProblem(reply: ModelReply, rubric: Rubric): string | null {
  const expected = rubric.dimensions.map((dimension) => dimension.name);
  const names = reply.categories.map((category) => category.name);
  const unknown = names.filter((name) => !expected.includes(name));
  const missing = expected.filter((name) => !names.includes(name));
  if (unknown.length === 0 && missing.length === 0 && new Set(names).size === names.length) return null;
  return `categories must be exactly ${expected.map((name) => `"${name}"`).join(', ')}, once each${missing.length > 0 ? `; missing ${missing.map((n) => `"${n}"`).join(', ')}` : ''}${unknown.length > 0 ? `; not in the rubric: ${unknown.map((n) => `"${n}"`).join(', ')}` : ''}`;
}

/** Evidence must quote the response: every item appears in it (ignoring case and runs of spaces). */
function evidenceProblem(reply: ModelReply, transcript: string): string | null {
  const haystack = normalizeQuote(transcript);
  for (const category of reply.categories) {
    const invented = category.evidence.find((item) => !haystack.includes(normalizeQuote(item)));
    if (invented !== undefined) {
      return `the evidence "${invented.slice(0, 80)}" for "${category.name}" is not a quote from the response`;
    }
  }
  return null;
}

function normalizeQuote(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

function userPrompt(input: LocalEvaluationInput, local: DrillEvaluation): string {
  const facts = [
    `Duration: ${local.durationS} s${local.durationEstimated ? ' (estimated from the word count: a written answer, pace not measured)' : ' (measured)'}`,
    `Words: ${local.words}`,
    `Words per minute: ${local.wpm}`,
    `Expected duration: ${input.question.expectedDurationS} s`,
  ].join('\n');
  const criteria = input.question.evaluationCriteria.map((criterion) => `- ${criterion}`).join('\n');
  return `Question: ${input.question.prompt}\nEvaluation criteria:\n${criteria}\n\nMeasured facts:\n${facts}\n\nThe answer, between the markers:\n<<<ANSWER\n${input.transcript}\nANSWER>>>`;
}
