/**
 * drill_evaluate_local: p95 ms for the local drill evaluator to score a 3-minute, 450-word spoken answer on the 7
 * rubric dimensions. Baseline, same run and same text: p95 of `countWords` on it (one pass over the answer), so the
 * ratio says how many plain passes over the text the whole evaluation costs.
 */
import { performance } from 'node:perf_hooks';
import { countWords, evaluateLocally, type LocalEvaluationInput } from '../electron/core/drills/evaluate-local';
import { handWrittenResponses } from '../tests/drills/hand-written-responses';
import { percentile, withBaseline, type BenchResult } from './result';

const WORDS = 450;
const DURATION_S = 180;
const WARM_UP = 200;
const SAMPLES = 2000;

/** A realistic answer of exactly 450 words: the hand-written spoken answers run together, cut at the 450th word. */
export function answerOf450Words(): string {
  const text = handWrittenResponses.map((response) => response.transcript).join(' ');
  const words = [...text.matchAll(/\S+/g)];
  if (words.length < WORDS) throw new Error(`drill_evaluate_local: the hand-written answers hold only ${words.length} words`);
  const cut = text.slice(0, words[WORDS - 1]!.index + words[WORDS - 1]![0].length);
  if (countWords(cut) !== WORDS) throw new Error(`drill_evaluate_local: the answer has ${countWords(cut)} words, not ${WORDS}`);
  return cut;
}

function p95(run: () => unknown): number {
  for (let i = 0; i < WARM_UP; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return percentile(samples, 95);
}

export function benchDrillEvaluateLocal(): BenchResult[] {
  const senior = handWrittenResponses.find((response) => response.name === 'a strong STAR answer')!;
  const input: LocalEvaluationInput = { transcript: answerOf450Words(), durationS: DURATION_S, durationEstimated: false, question: senior.question };
  const evaluation = evaluateLocally(input);
  if (evaluation.words !== WORDS || evaluation.categories.length !== 7) throw new Error('drill_evaluate_local: unexpected evaluation');
  const baseline = p95(() => countWords(input.transcript));
  const value = p95(() => evaluateLocally(input));
  return [withBaseline('drill_evaluate_local', value, 'ms', baseline, '≤ 20 ms')];
}
