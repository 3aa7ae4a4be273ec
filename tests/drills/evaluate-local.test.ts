/** The local drill evaluator against hand-written answers, and its promises: deterministic, evidence quoted, rubric honoured. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_RUBRIC, drillEvaluationSchema, rubricMeasures, type DrillEvaluation, type Rubric } from '../../shared/drills/evaluation';
import { AppFailure } from '../../shared/errors';
import {
  countWords,
  estimateSpokenDurationS,
  evaluateLocally,
  LOCAL_EVALUATOR_VERSION,
  MEASURE_WEIGHTS,
  type LocalEvaluationInput,
} from '../../electron/core/drills/evaluate-local';
import { handWrittenResponses, STRONG_STAR_ANSWER, type HandWrittenResponse } from './hand-written-responses';

function inputOf(response: HandWrittenResponse, rubric?: Rubric): LocalEvaluationInput {
  const written = response.spokenDurationS === null;
  return {
    transcript: response.transcript,
    durationS: written ? estimateSpokenDurationS(countWords(response.transcript)) : response.spokenDurationS!,
    durationEstimated: written,
    question: response.question,
    rubric,
  };
}

const byName = (name: string) => handWrittenResponses.find((response) => response.name === name)!;
const category = (evaluation: DrillEvaluation, measure: string) => evaluation.categories.find((c) => c.measure === measure)!;

/** A neutral answer of exactly `words` words (no fillers, cues or numbers), for pace and length rules. */
const wordsOf = (words: number) => Array.from({ length: words }, () => 'answer').join(' ');
const plainQuestion = { prompt: 'Tell me about a project.', evaluationCriteria: ['Describes the project'], expectedDurationS: 60 };

afterEach(() => {
  vi.useRealTimers();
});

describe('the hand-written answers', () => {
  it('are at least 20, spoken and written', () => {
    expect(handWrittenResponses.length).toBeGreaterThanOrEqual(20);
    expect(handWrittenResponses.some((r) => r.spokenDurationS === null)).toBe(true);
  });

  it.each(handWrittenResponses.map((r) => [r.name, r] as const))('%s: every dimension gets the verdict a careful reader gives', (_name, response) => {
    const evaluation = evaluateLocally(inputOf(response));
    const got = Object.fromEntries(evaluation.categories.map((c) => [c.measure, c.verdict]));
    // The notes in the message make a mismatch easy to read.
    expect(got, evaluation.categories.map((c) => `${c.verdict} ${c.name}: ${c.note}`).join('\n')).toEqual(response.expected);
  });

  it.each(handWrittenResponses.map((r) => [r.name, r] as const))('%s: a valid evaluation whose evidence and notes quote the answer', (_name, response) => {
    const evaluation = evaluateLocally(inputOf(response));
    expect(drillEvaluationSchema.safeParse(evaluation).success).toBe(true);
    for (const result of evaluation.categories) {
      for (const item of result.evidence) expect(response.transcript, `${result.name} evidence`).toContain(item);
      const quotes = [...result.note.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
      expect(
        quotes.some((quote) => response.transcript.includes(quote)),
        `${result.name} note quotes the answer: ${result.note}`,
      ).toBe(true);
      // Observable things only: no verdicts about the person.
      expect(result.note).not.toMatch(/\b(confiden|nervous|personality|lacked|insecure|shy|arrogant)/i);
    }
    expect(evaluation.whatChanged.length).toBeLessThanOrEqual(3);
    expect(evaluation.practiceRule.length).toBeGreaterThan(10);
  });
});

describe('what a result holds', () => {
  it('counts words, measures WPM as words per minute, and names the rules and rubric used', () => {
    const evaluation = evaluateLocally(inputOf(byName('a strong STAR answer')));
    expect(evaluation.words).toBe(206);
    expect(evaluation.durationS).toBe(95);
    expect(evaluation.wpm).toBe(130.1);
    expect(evaluation.durationEstimated).toBe(false);
    expect(evaluation.modelUsed).toBe(`local-rules-${LOCAL_EVALUATOR_VERSION}`);
    expect(evaluation.rubric).toEqual({ version: 'builtin-1', names: BUILTIN_RUBRIC.dimensions.map((d) => d.name) });
    expect(evaluation.categories.map((c) => c.name)).toEqual(['Pace', 'Fillers and hedging', 'Structure', 'Specificity', 'Relevance', 'Length', 'Result']);
    expect(evaluation.overallScore).toBe(100);
    expect(evaluation.whatChanged).toEqual([]);
  });

  it('quotes the fillers found, and the sentence that states the result', () => {
    const evaluation = evaluateLocally(inputOf(byName('filler-heavy but otherwise sound')));
    const fillers = category(evaluation, 'fillers');
    expect(fillers.evidence).toEqual(['Um', 'uh', 'basically', 'Like', 'you know']);
    expect(fillers.note).toContain('"Um" ×2');
    expect(fillers.note).toContain('9.6 per minute');
    const result = category(evaluation, 'result');
    expect(result.evidence).toEqual(['In the end we finished the report two days early and got the best mark in the class.']);
  });

  it('says where a buried result is, and suggests ending on it', () => {
    const evaluation = evaluateLocally(inputOf(byName('result buried mid-answer')));
    const result = category(evaluation, 'result');
    expect(result.evidence).toContain('As a result, the longest wait dropped to twenty minutes within a month.');
    expect(evaluation.whatChanged.some((s) => s.startsWith('Move the result to the end'))).toBe(true);
  });

  it('quotes the numbers and the concrete actions found', () => {
    const evaluation = evaluateLocally(inputOf(byName('numbers-rich improvement')));
    const specificity = category(evaluation, 'specificity');
    expect(specificity.evidence).toEqual(expect.arrayContaining(['40', '15 percent', 'I proposed', 'I drafted']));
  });

  it('does not count "like", "kind of" or "double-check" used as ordinary words', () => {
    const evaluation = evaluateLocally(inputOf(byName('"like" and "kind of" used as ordinary words')));
    expect(category(evaluation, 'fillers').evidence).not.toContain('like');
    const hedging = evaluateLocally(inputOf(byName('hedging')));
    expect(category(hedging, 'specificity').evidence).not.toContain('double');
  });
});

describe('pace', () => {
  const paceAt = (words: number, durationS: number) =>
    category(evaluateLocally({ transcript: wordsOf(words), durationS, durationEstimated: false, question: plainQuestion }), 'pace');

  it('passes 130–160 WPM, flags under 100 and over 190, both limits included in the inner band', () => {
    expect(paceAt(130, 60)).toMatchObject({ verdict: 'PASS' });
    expect(paceAt(160, 60)).toMatchObject({ verdict: 'PASS' });
    expect(paceAt(999, 600).verdict).toBe('FLAG'); // 99.9
    expect(paceAt(1901, 600).verdict).toBe('FLAG'); // 190.1
  });

  it('borderline rule: 100 ≤ WPM < 130 and 160 < WPM ≤ 190 PASS, with a note naming the side and a partial score', () => {
    const slow = paceAt(1000, 600); // 100
    expect(slow.verdict).toBe('PASS');
    expect(slow.note).toContain('borderline, a little slow');
    const fast = paceAt(1900, 600); // 190
    expect(fast.verdict).toBe('PASS');
    expect(fast.note).toContain('borderline, a little fast');
    // Scores: 1 in the target band down to 0.5 at the flag limit, weighted 15 of 100.
    const at = (words: number) => evaluateLocally({ transcript: wordsOf(words), durationS: 60, durationEstimated: false, question: plainQuestion });
    const target = at(145);
    const edge = at(100);
    const mid = at(115);
    const flagged = at(99);
    // Half of pace's 15 points, give or take the rounding of each score.
    expect(Math.abs(target.overallScore - edge.overallScore - MEASURE_WEIGHTS.pace * 0.5)).toBeLessThanOrEqual(0.5);
    expect(mid.overallScore).toBeGreaterThan(edge.overallScore);
    expect(mid.overallScore).toBeLessThan(target.overallScore);
    expect(flagged.overallScore).toBeLessThan(edge.overallScore);
    // A borderline pace is worth a suggestion when little else is to change.
    const borderline = evaluateLocally(inputOf(byName('borderline slow')));
    expect(borderline.whatChanged).toEqual([expect.stringMatching(/^Extend the answer/), 'Bring the pace from 114.9 into 130–160 WPM: trim the pauses a little.']);
  });

  it('is not measured for a written answer: PASS, said so, left out of the score and of the suggestions', () => {
    const written = evaluateLocally(inputOf(byName('a strong written answer')));
    const pace = category(written, 'pace');
    expect(pace.verdict).toBe('PASS');
    expect(pace.note).toMatch(/^Pace was not measured: this was a written answer/);
    expect(written.durationEstimated).toBe(true);
    expect(written.durationS).toBe(estimateSpokenDurationS(206));
    // Typed at any speed, the same text scores the same: the estimated duration is all that counts.
    const slowTyping = evaluateLocally({ ...inputOf(byName('a strong written answer')), durationS: estimateSpokenDurationS(206) });
    expect(slowTyping).toEqual(written);
    expect(written.overallScore).toBe(100);
    const shortWritten = evaluateLocally(inputOf(byName('a short written answer')));
    expect(shortWritten.whatChanged.join(' ')).not.toMatch(/WPM/);
  });
});

describe('fillers and hedging', () => {
  const fillersIn = (transcript: string, durationS: number) =>
    category(evaluateLocally({ transcript, durationS, durationEstimated: false, question: plainQuestion }), 'fillers');

  it('flags more than 2 fillers per minute, not 2', () => {
    expect(fillersIn(`Um, ${wordsOf(60)} uh ${wordsOf(60)}.`, 60).verdict).toBe('PASS');
    expect(fillersIn(`Um, ${wordsOf(60)} uh ${wordsOf(60)} you know.`, 60).verdict).toBe('FLAG');
  });

  it('flags hedges over 2 per minute once there are at least 2; a single hedge never flags', () => {
    expect(fillersIn(`Maybe ${wordsOf(20)}.`, 10).verdict).toBe('PASS');
    expect(fillersIn(`Maybe ${wordsOf(60)} I guess ${wordsOf(60)}.`, 60).verdict).toBe('PASS');
    expect(fillersIn(`Maybe ${wordsOf(40)} I guess ${wordsOf(40)} sort of done.`, 60).verdict).toBe('FLAG');
  });

  it('counts "I think maybe" once, not as a hedge and another', () => {
    const result = fillersIn(`I think maybe ${wordsOf(100)}.`, 60);
    expect(result.note).toContain('"I think maybe" ×1');
    expect(result.note).not.toContain('"maybe"');
  });
});

describe('length', () => {
  const lengthAt = (durationS: number) =>
    category(evaluateLocally({ transcript: wordsOf(145), durationS, durationEstimated: false, question: plainQuestion }), 'length').verdict;

  it('passes within ±30% of the expected duration (limits included) and flags outside', () => {
    expect(lengthAt(42)).toBe('PASS');
    expect(lengthAt(78)).toBe('PASS');
    expect(lengthAt(41.9)).toBe('FLAG');
    expect(lengthAt(78.1)).toBe('FLAG');
  });
});

describe('the overall score and the suggestions', () => {
  it('is 100 × Σ weight·score ÷ Σ weight, with PASS 1, FLAG 0, structure cued parts ÷ 4', () => {
    const evaluation = evaluateLocally(inputOf(byName('filler-heavy but otherwise sound')));
    // Fillers (15) and length (10) flagged, the rest pass fully.
    expect(evaluation.overallScore).toBe(75);
    const short = evaluateLocally(inputOf(byName('too short')));
    // Structure 1 of 4 cued (15 × 0.25), specificity, length and result flagged.
    expect(short.overallScore).toBe(Math.round(15 + 15 + 15 * 0.25 + 20));
    expect(Object.values(MEASURE_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('ranks at most 3 suggestions by points lost, the heaviest first, and gives one practice rule from the first', () => {
    const offTopic = evaluateLocally(inputOf(byName('off-topic')));
    expect(offTopic.whatChanged).toHaveLength(3);
    expect(offTopic.whatChanged[0]).toMatch(/^Answer the question asked/); // relevance: 20 points
    expect(offTopic.whatChanged[1]).toMatch(/^Extend the answer/); // length: 10 points
    expect(offTopic.whatChanged[2]).toMatch(/^Add the missing task/); // structure, 3 of 4 parts: 3.75 points
    expect(offTopic.practiceRule).toMatch(/key words/);
    const halting = evaluateLocally(inputOf(byName('a halting, filler-heavy answer that never gets to the point')));
    expect(halting.whatChanged).toHaveLength(3);
    expect(halting.whatChanged[0]).toMatch(/^Speed up/); // pace, fillers and specificity lose 15 each: rubric order
    expect(halting.whatChanged[1]).toMatch(/^Replace the fillers/);
    expect(halting.whatChanged[2]).toMatch(/^Add one number/);
  });

  it('gives a keep-the-shape practice rule when nothing is to change', () => {
    const strong = evaluateLocally(inputOf(byName('a strong STAR answer')));
    expect(strong.practiceRule).toMatch(/^Keep the shape/);
  });
});

describe('determinism', () => {
  it('gives the same result for the same answer, whatever the clock says and whatever was evaluated before', () => {
    const first = handWrittenResponses.map((response) => evaluateLocally(inputOf(response)));
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-07-04T12:00:00Z'));
    const again = [...handWrittenResponses].reverse().map((response) => evaluateLocally(inputOf(response))).reverse();
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });
});

describe("a pack's rubric", () => {
  const rubric: Rubric = {
    version: 'panel-2',
    dimensions: [
      { name: 'Story arc', measure: 'structure' },
      { name: 'Answers the question', measure: 'relevance' },
      { name: 'Tempo', measure: 'pace' },
      { name: 'Plain speech', measure: 'fillers' },
      { name: 'Detail', measure: 'specificity' },
      { name: 'Timing', measure: 'length' },
      { name: 'Outcome', measure: 'result' },
    ],
  };

  it('renames and reorders the dimensions, keeps each measure’s verdict, and is recorded with its version', () => {
    const response = byName('result buried mid-answer');
    const builtin = evaluateLocally(inputOf(response));
    const own = evaluateLocally(inputOf(response, rubric));
    expect(own.categories.map((c) => c.name)).toEqual(rubric.dimensions.map((d) => d.name));
    expect(own.rubric).toEqual({ version: 'panel-2', names: rubric.dimensions.map((d) => d.name) });
    for (const measure of rubricMeasures) {
      const { name: _builtinName, ...expected } = category(builtin, measure);
      const { name: _ownName, ...actual } = category(own, measure);
      expect(actual).toEqual(expected);
    }
    expect(own.overallScore).toBe(builtin.overallScore);
    expect(drillEvaluationSchema.safeParse(own).success).toBe(true);
  });

  it('refuses a rubric that does not tie 7 unique names to the 7 measures', () => {
    const broken = { ...rubric, dimensions: rubric.dimensions.slice(0, 6) };
    expect(() => evaluateLocally(inputOf(byName('a strong STAR answer'), broken))).toThrow(AppFailure);
    expect(() => evaluateLocally(inputOf(byName('a strong STAR answer'), broken))).toThrow(/rubric is not valid/);
  });
});

describe('bad input', () => {
  const base = { durationS: 60, durationEstimated: false, question: plainQuestion };

  it('refuses a transcript without words, naming the problem', () => {
    for (const transcript of ['', '   ', '... !!! —']) {
      let error: unknown;
      try {
        evaluateLocally({ ...base, transcript });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppFailure);
      expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('transcript is required') });
    }
  });

  it('refuses a duration that is not a positive number of seconds', () => {
    for (const durationS of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => evaluateLocally({ ...base, transcript: STRONG_STAR_ANSWER, durationS })).toThrow(/greater than 0/);
    }
  });
});

describe('countWords and estimateSpokenDurationS', () => {
  it('counts pieces with a letter or digit, so numbers, contractions and hyphenated words are one word each', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  — ... ')).toBe(0);
    expect(countWords("I don't know — we cut 3.5 hours, e-mail 2,000 people.")).toBe(10);
    expect(countWords('line one\nline\ttwo')).toBe(4);
    expect(countWords(STRONG_STAR_ANSWER)).toBe(206);
  });

  it('estimates at 145 words per minute, to a tenth of a second, never below 1 s', () => {
    expect(estimateSpokenDurationS(145)).toBe(60);
    expect(estimateSpokenDurationS(450)).toBe(186.2);
    expect(estimateSpokenDurationS(1)).toBe(1);
    expect(estimateSpokenDurationS(0)).toBe(1);
  });
});

describe('the closing sentence', () => {
  const resultOf = (transcript: string) =>
    category(evaluateLocally({ transcript, durationS: 30, durationEstimated: false, question: plainQuestion }), 'result');

  it('is the last sentence when every sentence is short', () => {
    expect(resultOf('I ran the project. It failed. We learned a lot.').evidence).toEqual(['We learned a lot.']);
    expect(resultOf('The project was hard. In the end it shipped.').verdict).toBe('PASS');
  });

  it('skips a short sign-off after a longer sentence', () => {
    expect(resultOf('As a result, the project shipped two weeks early. That is all.').evidence).toEqual([
      'As a result, the project shipped two weeks early.',
    ]);
  });
});

describe('a pathological answer', () => {
  it('still gives a valid evaluation within the schema limits, its evidence still excerpts of the answer', () => {
    const oneHugeWord = 'a'.repeat(10_000);
    const fillerForms = Array.from({ length: 60 }, (_, i) => `u${'h'.repeat(i + 1)}`).join(' ');
    const longSentences = Array.from({ length: 40 }, (_, i) => `${'word '.repeat(300)}number ${i}`).join(' ');
    for (const transcript of [oneHugeWord, `${oneHugeWord} ${oneHugeWord}. As a result ${oneHugeWord}`, fillerForms, longSentences]) {
      const evaluation = evaluateLocally({ transcript, durationS: 60, durationEstimated: false, question: plainQuestion });
      const parsed = drillEvaluationSchema.safeParse(evaluation);
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0])).toBe(true);
      for (const result of evaluation.categories) for (const item of result.evidence) expect(transcript.includes(item)).toBe(true);
    }
  });
});
