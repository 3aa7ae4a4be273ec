/**
 * The local drill evaluator: observable rules only, pure and deterministic (no clock, no I/O, no randomness), so the
 * same response always gets the same result. Each of the rubric's 7 dimensions is one measure below; every note quotes
 * the response, and every evidence item is an exact excerpt of it. The rules and the score formula are documented in
 * docs/decisions.md ("Drill evaluation").
 */
import {
  BUILTIN_RUBRIC,
  MAX_WHAT_CHANGED,
  rubricRecord,
  rubricSchema,
  type DrillCategoryResult,
  type DrillEvaluation,
  type Rubric,
  type RubricMeasure,
} from '../../../shared/drills/evaluation';
import { localModelUsed } from '../../../shared/drills/evaluator-name';
import { AppFailure } from '../../../shared/errors';

/** Bumped whenever a rule changes, so results made by different rules can be told apart. */
export const LOCAL_EVALUATOR_VERSION = '1';
export const LOCAL_MODEL_USED = localModelUsed(LOCAL_EVALUATOR_VERSION);
/** The speaking rate a written answer's duration is estimated at (issue 10). */
export const ESTIMATED_SPEAKING_WPM = 145;

/** Pace bands in words per minute (issue 10): the target band passes, outside the outer limits flags. */
export const PACE = { targetMin: 130, targetMax: 160, flagBelow: 100, flagAbove: 190 } as const;
/** Fillers per minute allowed (issue 10). */
export const MAX_FILLERS_PER_MINUTE = 2;
/** Hedging flags when there are at least this many hedges and more than MAX_HEDGES_PER_MINUTE. */
export const MIN_HEDGES_TO_FLAG = 2;
export const MAX_HEDGES_PER_MINUTE = 2;
/** Length passes within ±30% of the question's expected duration. */
export const LENGTH_TOLERANCE = 0.3;
/** Weights of the overall score (sum 100); a dimension that was not measured is left out and the rest rescaled. */
export const MEASURE_WEIGHTS: Record<RubricMeasure, number> = {
  pace: 15,
  fillers: 15,
  structure: 15,
  specificity: 15,
  relevance: 20,
  length: 10,
  result: 10,
};

export interface DrillQuestionInput {
  prompt: string;
  evaluationCriteria: string[];
  expectedDurationS: number;
}

export interface LocalEvaluationInput {
  transcript: string;
  /** Seconds spoken; for a written answer, `estimateSpokenDurationS(countWords(text))`. */
  durationS: number;
  durationEstimated: boolean;
  question: DrillQuestionInput;
  /** The pack's rubric; the built-in one when absent. */
  rubric?: Rubric | undefined;
}

/** Words in a text: whitespace-separated pieces holding at least one letter or digit ("3.5", "don't", "e-mail" are one). */
export function countWords(text: string): number {
  let count = 0;
  for (const match of text.matchAll(PIECE)) if (hasWord(match[0])) count += 1;
  return count;
}

/** Seconds a written answer of `words` words would take to say at 145 WPM, to 0.1 s; at least 1 s. */
export function estimateSpokenDurationS(words: number): number {
  return Math.max(1, Math.round((words * 600) / ESTIMATED_SPEAKING_WPM) / 10);
}

/** Scores a response on the rubric's 7 dimensions. Throws an `invalid_input` AppFailure for an empty transcript or a bad duration. */
export function evaluateLocally(input: LocalEvaluationInput): DrillEvaluation {
  const rubric = input.rubric === undefined ? BUILTIN_RUBRIC : parseRubric(input.rubric);
  if (!Number.isFinite(input.durationS) || input.durationS <= 0) {
    throw new AppFailure('invalid_input', `The response's duration must be a number of seconds greater than 0 (got ${String(input.durationS)}).`);
  }
  const text = new ResponseText(input.transcript);
  if (text.words.length === 0) {
    throw new AppFailure('invalid_input', 'The response has no words to evaluate: a transcript is required.');
  }
  const durationS = input.durationS;
  const minutes = durationS / 60;
  const wpm = round1(text.words.length / minutes);
  const context: MeasureContext = { text, durationS, minutes, wpm, estimated: input.durationEstimated, question: input.question };

  const outcomes = new Map<RubricMeasure, MeasureOutcome>();
  for (const measure of Object.keys(MEASURES) as RubricMeasure[]) outcomes.set(measure, MEASURES[measure](context));

  const categories: DrillCategoryResult[] = rubric.dimensions.map((dimension) => {
    const outcome = outcomes.get(dimension.measure)!;
    return {
      name: dimension.name,
      measure: dimension.measure,
      verdict: outcome.verdict,
      note: clip(outcome.note, LIMITS.note),
      // A cut excerpt is still an exact excerpt: its start.
      evidence: unique(outcome.evidence.map((item) => item.slice(0, LIMITS.evidenceChars))).slice(0, LIMITS.evidenceItems),
    };
  });

  // Ranked by points lost (weight × (1 − score)); ties keep the rubric's order.
  const ranked = rubric.dimensions
    .map((dimension, order) => {
      const outcome = outcomes.get(dimension.measure)!;
      const lost = outcome.score === null ? 0 : MEASURE_WEIGHTS[dimension.measure] * (1 - outcome.score);
      return { outcome, lost, order };
    })
    .filter((entry) => entry.lost > 0 && entry.outcome.suggestion !== null)
    .sort((a, b) => b.lost - a.lost || a.order - b.order);

  return {
    durationS,
    durationEstimated: input.durationEstimated,
    words: text.words.length,
    wpm,
    overallScore: overallScore(outcomes),
    categories,
    whatChanged: ranked.slice(0, MAX_WHAT_CHANGED).map((entry) => clip(entry.outcome.suggestion!, LIMITS.suggestion)),
    practiceRule: ranked[0]?.outcome.practiceRule ?? KEEP_PRACTICE_RULE,
    modelUsed: LOCAL_MODEL_USED,
    rubric: rubricRecord(rubric),
  };
}

/**
 * The overall score: 100 × Σ weight·score ÷ Σ weight over the measured dimensions, rounded. A dimension's score is 1
 * for PASS and 0 for FLAG, except pace in a borderline band (0.5 to 1, see `paceOutcome`) and structure (cued parts ÷ 4).
 */
function overallScore(outcomes: Map<RubricMeasure, MeasureOutcome>): number {
  let earned = 0;
  let possible = 0;
  for (const [measure, outcome] of outcomes) {
    if (outcome.score === null) continue;
    earned += MEASURE_WEIGHTS[measure] * outcome.score;
    possible += MEASURE_WEIGHTS[measure];
  }
  return Math.round((100 * earned) / possible);
}

/** The evaluation schema's limits (shared/drills/evaluation.ts), kept even for a pathological answer (one 10,000-letter "word"). */
const LIMITS = { note: 2000, suggestion: 500, evidenceChars: 500, evidenceItems: 20 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function parseRubric(rubric: Rubric): Rubric {
  const parsed = rubricSchema.safeParse(rubric);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new AppFailure('content_invalid', `The drill pack's rubric is not valid: ${first?.message ?? 'unknown problem'}.`);
}

// ---------------------------------------------------------------------------------------------------------------
// The response's text: words and sentences with their offsets, so every quote is an exact excerpt.

// Two linear scans rather than one pattern such as /\S*[\p{L}\p{N}]\S*/, which backtracks quadratically on a long run of punctuation.
const PIECE = /\S+/g;
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Whether `piece` holds a letter or digit: an ASCII look first, the Unicode pattern only for the rest. */
function hasWord(piece: string): boolean {
  for (let i = 0; i < piece.length; i += 1) {
    const code = piece.charCodeAt(i);
    if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
  }
  return HAS_WORD.test(piece);
}
/** Sentences in the last ones shorter than this are a sign-off ("So yeah.") and do not count as the closing sentence. */
const SIGN_OFF_MAX_WORDS = 5;
/** A quote longer than this many words is cut to a window around what it shows. */
const QUOTE_MAX_WORDS = 35;
const QUOTE_WINDOW_WORDS = 10;

interface Span {
  start: number;
  end: number;
}

class ResponseText {
  readonly words: Span[] = [];
  readonly sentences: Span[] = [];
  /** `findAll`'s results per pattern. */
  readonly matches = new Map<RegExp, Found[]>();

  constructor(readonly raw: string) {
    for (const match of raw.matchAll(PIECE)) {
      if (hasWord(match[0])) this.words.push({ start: match.index, end: match.index + match[0].length });
    }
    this.sentences = splitSentences(raw);
  }

  slice(span: Span): string {
    return this.raw.slice(span.start, span.end);
  }

  /** Index of the first word that ends after `offset`. */
  wordAt(offset: number): number {
    let low = 0;
    let high = this.words.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.words[mid]!.end <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The sentence holding `span`, or a window of words around it when that sentence is long (unpunctuated speech). */
  quote(span: Span): string {
    const sentence = this.sentences.find((s) => s.start <= span.start && span.start < s.end) ?? span;
    const first = this.wordAt(sentence.start);
    const last = this.wordAt(Math.max(sentence.start, sentence.end - 1));
    if (last - first + 1 <= QUOTE_MAX_WORDS) return this.slice(sentence);
    const at = this.wordAt(span.start);
    const from = Math.max(first, at - QUOTE_WINDOW_WORDS);
    const to = Math.min(last, this.wordAt(Math.max(span.start, span.end - 1)) + QUOTE_WINDOW_WORDS);
    return this.raw.slice(this.words[from]!.start, this.words[to]!.end);
  }

  /** The first and last few words: what was timed. */
  opening(count: number): string {
    const to = Math.min(this.words.length, count) - 1;
    return this.raw.slice(this.words[0]!.start, this.words[to]!.end);
  }

  closing(count: number): string {
    const from = Math.max(0, this.words.length - count);
    return this.raw.slice(this.words[from]!.start, this.words[this.words.length - 1]!.end);
  }
}

/** Sentences end at . ! ? (not inside a number such as 3.5) or a line break; each span starts at its first non-space. */
function splitSentences(raw: string): Span[] {
  const spans: Span[] = [];
  let start = -1;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i]!;
    if (start < 0) {
      if (!isSpace(ch)) start = i;
      continue;
    }
    const terminator = ch === '.' || ch === '!' || ch === '?';
    if (ch === '\n' || (terminator && !(ch === '.' && isDigit(raw[i - 1]) && isDigit(raw[i + 1])))) {
      let end = ch === '\n' ? i : i + 1;
      // Keep closing punctuation and quotes with the sentence.
      while (end < raw.length && CLOSERS.has(raw[end]!)) end += 1;
      spans.push({ start, end: trimEnd(raw, start, end) });
      start = -1;
      i = end - 1;
    }
  }
  if (start >= 0) spans.push({ start, end: trimEnd(raw, start, raw.length) });
  return spans.filter((span) => span.end > span.start && hasWord(raw.slice(span.start, span.end)));
}

const CLOSERS = new Set(['.', '!', '?', '"', "'", '”', '’', ')', ']']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\u00a0' || (ch > '\u1fff' && /\s/.test(ch));
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function trimEnd(raw: string, start: number, end: number): number {
  while (end > start && isSpace(raw[end - 1]!)) end -= 1;
  return end;
}

interface Found {
  span: Span;
  /** The matched words as written. */
  text: string;
}

/** Every match of `pattern` (global, case-insensitive) in the response; each pattern runs once per response. */
function findAll(text: ResponseText, pattern: RegExp): Found[] {
  const known = text.matches.get(pattern);
  if (known) return known;
  const found: Found[] = [];
  for (const match of text.raw.matchAll(pattern)) {
    found.push({ span: { start: match.index, end: match.index + match[0].length }, text: match[0] });
  }
  text.matches.set(pattern, found);
  return found;
}

/** Counts per form, keeping the first spelling seen as the evidence. */
function tally(found: Found[]): Array<{ text: string; count: number }> {
  const byKey = new Map<string, { text: string; count: number }>();
  for (const item of found) {
    const key = item.text.toLowerCase().replace(/’/g, "'");
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { text: item.text, count: 1 });
  }
  return [...byKey.values()];
}

/** The forms most often used first (first seen first among equals), at most 8, and how many other forms there were. */
function describeTally(items: Array<{ text: string; count: number }>): string {
  const shown = [...items].sort((a, b) => b.count - a.count).slice(0, 8);
  const rest = items.length - shown.length;
  return shown.map((item) => `"${item.text}" ×${item.count}`).join(', ') + (rest > 0 ? ` and ${plural(rest, 'other form')}` : '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The measures.

interface MeasureContext {
  text: ResponseText;
  durationS: number;
  minutes: number;
  wpm: number;
  estimated: boolean;
  question: DrillQuestionInput;
}

interface MeasureOutcome {
  verdict: 'PASS' | 'FLAG';
  /** 0–1 towards the overall score; null when not measured (left out of the score). */
  score: number | null;
  note: string;
  evidence: string[];
  /** What to change next time, quoting the response; null when there is nothing to change. */
  suggestion: string | null;
  practiceRule: string;
}

const KEEP_PRACTICE_RULE =
  'Keep the shape: one sentence of situation, your own actions with a number, and a last sentence that states the result.';

const MEASURES: Record<RubricMeasure, (context: MeasureContext) => MeasureOutcome> = {
  pace: paceOutcome,
  fillers: fillersOutcome,
  structure: structureOutcome,
  specificity: specificityOutcome,
  relevance: relevanceOutcome,
  length: lengthOutcome,
  result: resultOutcome,
};

/** The timed span, quoted by its first and last words. */
function timedSpan(text: ResponseText): { quote: string; evidence: string[] } {
  const opening = text.opening(6);
  const closing = text.closing(6);
  if (text.words.length <= 12) return { quote: `"${text.raw.trim()}"`, evidence: [text.raw.trim()] };
  return { quote: `from "${opening}" to "${closing}"`, evidence: [opening, closing] };
}

/**
 * Pace. 130–160 WPM passes; under 100 or over 190 flags. Borderline rule: 100 ≤ WPM < 130 and 160 < WPM ≤ 190 PASS with
 * a note naming the side, and score from 1 at the target band's edge down to 0.5 at the flag limit (so the overall
 * score still shows it, and it can be a suggestion). A written answer's duration is estimated: PASS, "not measured",
 * left out of the score and never suggested.
 */
function paceOutcome({ text, durationS, wpm, estimated }: MeasureContext): MeasureOutcome {
  const span = timedSpan(text);
  const practiceRule = 'Say your answer aloud to a timer and aim for 130–160 words a minute: about 2½ words a second.';
  if (estimated) {
    return {
      verdict: 'PASS',
      score: null,
      note: `Pace was not measured: this was a written answer, ${plural(text.words.length, 'word')} ${span.quote}, so its duration (${formatSeconds(durationS)}) is estimated at ${ESTIMATED_SPEAKING_WPM} WPM. Record it aloud to measure pace.`,
      evidence: span.evidence,
      suggestion: null,
      practiceRule,
    };
  }
  const measured = `${plural(text.words.length, 'word')} in ${formatSeconds(durationS)}, ${span.quote}: ${wpm} WPM`;
  if (wpm >= PACE.targetMin && wpm <= PACE.targetMax) {
    return { verdict: 'PASS', score: 1, note: `${measured}, within the 130–160 WPM target.`, evidence: span.evidence, suggestion: null, practiceRule };
  }
  if (wpm < PACE.flagBelow || wpm > PACE.flagAbove) {
    const slow = wpm < PACE.flagBelow;
    return {
      verdict: 'FLAG',
      score: 0,
      note: `${measured}, ${slow ? 'under 100' : 'over 190'} WPM (target 130–160).`,
      evidence: span.evidence,
      suggestion: slow
        ? `Speed up from ${wpm} to 130–160 WPM: shorten the pauses between sentences rather than adding words.`
        : `Slow down from ${wpm} to 130–160 WPM: pause for a breath at the end of each sentence.`,
      practiceRule,
    };
  }
  const slow = wpm < PACE.targetMin;
  const distance = slow ? (PACE.targetMin - wpm) / (PACE.targetMin - PACE.flagBelow) : (wpm - PACE.targetMax) / (PACE.flagAbove - PACE.targetMax);
  return {
    verdict: 'PASS',
    score: 1 - distance / 2,
    note: `${measured}: borderline, a little ${slow ? 'slow (100–130' : 'fast (160–190'} WPM; target 130–160).`,
    evidence: span.evidence,
    suggestion: `Bring the pace from ${wpm} into 130–160 WPM: ${slow ? 'trim the pauses a little' : 'let each sentence end before starting the next'}.`,
    practiceRule,
  };
}

const FILLER_PATTERN = new RegExp(
  [
    String.raw`\b(?:um+|umm+|uh+|uhm+|erm+|er|hmm+)\b`,
    // "you know" as a filler: not introducing a clause ("you know that…", "you know how…", "do you know").
    String.raw`(?<!\b(?:do|did|would|will|if)\s)\byou know\b(?!\s+(?:that|how|what|why|when|where|whether|if|the|a|about|who|which)\b)`,
    String.raw`\bI mean(?=,)`,
    String.raw`\bbasically\b`,
    String.raw`\bliterally\b`,
    // "like" as a filler: followed by a comma ("like, we had…") or approximating a number ("like 30 patients").
    String.raw`\blike(?=,|\s+\d)`,
  ].join('|'),
  'gi',
);

const HEDGE_PATTERN = new RegExp(
  [
    String.raw`\bI think maybe\b`,
    String.raw`\bI guess\b`,
    String.raw`\bI suppose\b`,
    String.raw`\bI feel like\b`,
    String.raw`\bI(?:'|’| a)m not (?:really )?sure\b`,
    String.raw`\bI don(?:'|’)t know\b`,
    // "kind of"/"sort of" as hedges, not as "what kind of" or "this sort of".
    String.raw`(?<!\b(?:what|this|that|the|a|any|some|every|which|same|these|those|one|another|different|each|my|our|your)\s)\b(?:kind|sort) of\b`,
    String.raw`\bmaybe\b`,
    String.raw`\bperhaps\b`,
    String.raw`\bprobably\b`,
    String.raw`\bsomewhat\b`,
    String.raw`\bmore or less\b`,
    String.raw`\bor something\b`,
    String.raw`\bhopefully\b`,
  ].join('|'),
  'gi',
);

const FILLERS_PRACTICE_RULE = 'When you feel a filler coming, pause silently instead; say facts without "maybe" or "I guess".';

/**
 * Fillers and hedging, one dimension: FLAG when fillers exceed 2 per minute, or when hedges number at least 2 and
 * exceed 2 per minute. Either alone is enough; the note reports both.
 */
function fillersOutcome({ text, minutes, estimated }: MeasureContext): MeasureOutcome {
  const fillers = tally(findAll(text, FILLER_PATTERN));
  const hedges = tally(findAll(text, HEDGE_PATTERN));
  const fillerCount = fillers.reduce((sum, item) => sum + item.count, 0);
  const hedgeCount = hedges.reduce((sum, item) => sum + item.count, 0);
  const fillerRate = round1(fillerCount / minutes);
  const hedgeRate = round1(hedgeCount / minutes);
  const tooManyFillers = fillerRate > MAX_FILLERS_PER_MINUTE;
  const tooManyHedges = hedgeCount >= MIN_HEDGES_TO_FLAG && hedgeRate > MAX_HEDGES_PER_MINUTE;
  const per = estimated ? 'per estimated minute' : 'per minute';
  if (fillerCount === 0 && hedgeCount === 0) {
    const span = timedSpan(text);
    return {
      verdict: 'PASS',
      score: 1,
      note: `No filler words and no hedging phrases in the ${plural(text.words.length, 'word')} ${span.quote}.`,
      evidence: span.evidence,
      suggestion: null,
      practiceRule: FILLERS_PRACTICE_RULE,
    };
  }
  const fillerPart =
    fillerCount === 0 ? 'No filler words' : `Fillers: ${describeTally(fillers)} (${fillerRate} ${per}; limit ${MAX_FILLERS_PER_MINUTE})`;
  const hedgePart =
    hedgeCount === 0 ? 'no hedging phrases' : `hedging: ${describeTally(hedges)} (${hedgeRate} ${per}; flagged above ${MAX_HEDGES_PER_MINUTE} once there are ${MIN_HEDGES_TO_FLAG})`;
  const evidence = [...fillers, ...hedges].map((item) => item.text);
  const flagged = tooManyFillers || tooManyHedges;
  let suggestion: string | null = null;
  if (tooManyFillers && tooManyHedges) {
    suggestion = `Replace the fillers (${describeTally(fillers.slice(0, 3))}) with a silent pause, and state what you did without "${hedges[0]!.text}".`;
  } else if (tooManyFillers) {
    suggestion = `Replace the fillers (${describeTally(fillers.slice(0, 3))}) with a silent pause.`;
  } else if (tooManyHedges) {
    suggestion = `State what you did plainly: drop hedges such as ${hedges.slice(0, 3).map((item) => `"${item.text}"`).join(', ')}.`;
  }
  return {
    verdict: flagged ? 'FLAG' : 'PASS',
    score: flagged ? 0 : 1,
    note: `${fillerPart}; ${hedgePart}.`,
    evidence: unique(evidence),
    suggestion,
    practiceRule: FILLERS_PRACTICE_RULE,
  };
}

/** Concrete action verbs (past or present) a first-person action uses; vague ones ("did", "helped", "handled") are not here. */
const ACTION_VERBS =
  'organi[sz]ed?|set up|built|build|wrote|write|called|call|reviewed|review|created|create|designed|design|led|lead|trained|train|' +
  'measured|measure|reduced|reduce|scheduled|schedule|escalated|contacted|explained|explain|interviewed|prepared|arranged|drafted|' +
  'introduced|introduce|split|checked|check|corrected|correct|tested|test|ran|coordinated|negotiated|presented|rewrote|automated|documented|' +
  'mapped|paged|examined|admitted|analy[sz]ed|audited|calculated|compared|collected|launched|migrated|mentored|taught|hired|fixed|' +
  'replaced|simplified|shortened|cut|saved|raised|recruited|surveyed|ordered|booked|phoned|emailed|e-mailed|texted|listed|sorted|' +
  'prioriti[sz]ed|delegated|assigned|met|asked|proposed|spoke|talked|told|informed|reported|disclosed|flagged|sat down|walked|showed|' +
  'demonstrated|published|submitted|recorded|tracked|monitored|reorgani[sz]ed|restructured|rebuilt|streamlined|piloted|volunteered|' +
  'founded|started|stopped|changed|apologi[sz]ed|resolved|decided|listened|gave|handed|moved|visited|followed up|agreed|ranked|chose';
/** A first-person subject and a concrete action verb, with at most one adverb between ("I then called", "we quickly set up"). */
const CONCRETE_ACTION_PATTERN = new RegExp(
  String.raw`\b(?:I|we)\s(?:(?:then|also|first|quickly|immediately|personally|finally|carefully|together|eventually|directly|still)\s)?(?:${ACTION_VERBS})\b`,
  'gi',
);

/** Result and outcome cues: used by structure (the R of STAR) and by the closing result. */
const RESULT_PATTERN = new RegExp(
  String.raw`\b(?:as a result|the result|the outcome|in the end|ended up|which (?:meant|led|cut|saved|reduced|raised)|this (?:meant|led|cut|saved|reduced)|that (?:meant|led)|led to|resulted in|since then|from then on|eventually|afterwards|by the end|(?:we|I|it|they|she|he) (?:reduced|increased|improved|saved|cut|finished|achieved|delivered|launched|shipped|passed|won|recovered|resolved|completed|raised|dropped|fell|rose|went from)|(?:was|were) (?:resolved|discharged|adopted|approved|published|accepted|on time|stable|finished|completed)|(?:is|are|was|were) now|now (?:the|we|I|it|they|our|my|everyone|every|all)|(?:is|are|was|were) (?:quicker|faster|shorter|safer|clearer|better|fewer|lower|higher)|I learned|taught me|the lesson)\b`,
  'gi',
);

type StarPart = 'situation' | 'task' | 'action' | 'result';
/** "first I", "then we": a sequenced step counts as an action cue too. */
const SEQUENCED_ACTION_PATTERN = /\b(?:first|then|next|after that|finally),? (?:I|we)\b/gi;
const STAR_CUES: Record<Exclude<StarPart, 'action'>, RegExp> = {
  situation: new RegExp(
    String.raw`\b(?:when I was|while I was|at the time|back in|in my (?:first|second|third|fourth|final|last|previous|current) (?:year|job|role|rotation|placement|month|week|day|post|term|semester)|during (?:my|a|an|the|our)|last (?:year|month|summer|spring|winter|autumn|fall|week)|the situation|on (?:a|one) (?:busy|night|shift|call)|I was working|I worked (?:as|at|on)|one (?:day|night|time|evening|morning)|a few (?:months|years|weeks) ago|(?:years|months|weeks) ago)\b`,
    'gi',
  ),
  task: new RegExp(
    String.raw`\b(?:my (?:task|job|role|responsibility|goal|aim) was|I was (?:responsible|asked|tasked|in charge)|I (?:needed|had) to|we (?:needed|had) to|the (?:goal|task|challenge|problem|issue|aim) was|(?:asked|assigned) me to|it was my job)\b`,
    'gi',
  ),
  result: RESULT_PATTERN,
};

/** Each STAR part's cues in the response, in order; actions reuse the concrete actions Specificity finds. */
function starCues(text: ResponseText): Record<StarPart, Found[]> {
  const actions = [...findAll(text, CONCRETE_ACTION_PATTERN), ...findAll(text, SEQUENCED_ACTION_PATTERN)].sort((a, b) => a.span.start - b.span.start);
  return {
    situation: findAll(text, STAR_CUES.situation),
    task: findAll(text, STAR_CUES.task),
    action: actions,
    result: findAll(text, STAR_CUES.result),
  };
}

const STAR_HINT: Record<StarPart, string> = {
  situation: 'one sentence of where and when ("At the time, I was…")',
  task: 'what you had to achieve ("My task was…")',
  action: 'the steps you took yourself ("I called…, then I…")',
  result: 'how it ended ("As a result, …")',
};

/**
 * Structure: situation, task, action and result cues, in STAR order. PASS when at least 3 of the 4 parts are cued and
 * they come in order: the first situation or task cue before the first action, and a result cue after it. Score = cued
 * parts ÷ 4, halved when out of order.
 */
function structureOutcome({ text }: MeasureContext): MeasureOutcome {
  const cues = starCues(text);
  const parts = (Object.keys(cues) as StarPart[]).map((part) => ({ part, found: cues[part][0] ?? null }));
  const present = parts.filter((part) => part.found !== null);
  const missing = parts.filter((part) => part.found === null).map((part) => part.part);
  const firstAction = cues.action[0]?.span.start ?? null;
  const firstContext = Math.min(cues.situation[0]?.span.start ?? Infinity, cues.task[0]?.span.start ?? Infinity);
  const lastResult = cues.result.at(-1)?.span.start ?? null;
  const contextFirst = firstAction === null || firstContext === Infinity || firstContext < firstAction;
  const resultAfter = firstAction === null || lastResult === null || lastResult > firstAction;
  const ordered = contextFirst && resultAfter;
  const pass = present.length >= 3 && ordered;
  const evidence = present.length > 0 ? unique(present.map((part) => text.quote(part.found!.span))) : timedSpan(text).evidence;
  const quoted = present.map((part) => `${part.part} "${part.found!.text}"`).join(', ');
  const disorder = ordered
    ? ''
    : ` Out of order: ${contextFirst ? 'no result comes after the first action' : `the first action ("${cues.action[0]!.text}") comes before any situation or task`}.`;
  const note =
    present.length === 0
      ? `No situation, task, action or result cues (such as "at the time", "my task was", "I decided", "as a result") in the answer ${timedSpan(text).quote}.`
      : `${present.length} of 4 STAR parts cued: ${quoted}.${missing.length > 0 ? ` Not found: ${missing.join(', ')}.` : ''}${disorder}`;
  let suggestion: string | null = null;
  if (missing.length > 0) suggestion = `Add the missing ${missing.join(' and ')}: ${missing.map((part) => STAR_HINT[part]).join('; ')}.`;
  else if (!ordered) suggestion = 'Tell it in order: the situation first, then what you did, then the result.';
  return {
    verdict: pass ? 'PASS' : 'FLAG',
    score: (present.length / 4) * (ordered ? 1 : 0.5),
    note,
    evidence,
    suggestion,
    practiceRule: 'Answer in four beats: situation (one sentence), task, what you did, and the result.',
  };
}

const NUMBER_PATTERN = new RegExp(
  String.raw`(?<![a-z])[$€£]?\d[\d,.]*(?:\s?(?:%|percent|per cent))?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|hundreds|thousand|thousands|half|dozen|twice|double|triple|percent)\b(?!-)`,
  'gi',
);
/** Specificity: PASS with at least one number and at least two concrete first-person actions, or four actions without a number. */
function specificityOutcome({ text }: MeasureContext): MeasureOutcome {
  const numbers = findAll(text, NUMBER_PATTERN).map((found) => ({ ...found, text: found.text.replace(/[,.]+$/, '') }));
  const actions = findAll(text, CONCRETE_ACTION_PATTERN);
  const pass = (numbers.length >= 1 && actions.length >= 2) || actions.length >= 4;
  const numberTexts = unique(numbers.map((found) => found.text));
  const actionTexts = unique(actions.map((found) => found.text));
  const numberPart = numbers.length === 0 ? 'no numbers' : `${plural(numbers.length, 'number')} (${numberTexts.slice(0, 8).map((n) => `"${n}"`).join(', ')})`;
  const actionPart =
    actions.length === 0
      ? 'no concrete first-person actions (such as "I called", "we reviewed")'
      : `${plural(actions.length, 'concrete action')} (${actionTexts.slice(0, 8).map((a) => `"${a}"`).join(', ')})`;
  let suggestion: string | null = null;
  if (!pass) {
    suggestion =
      numbers.length === 0
        ? 'Add one number that sizes the situation or the result (how many, how long, how much), and say which steps you took yourself ("I called…").'
        : 'Name the concrete steps you took yourself ("I reviewed…", "I called…") instead of what generally happened.';
  }
  return {
    verdict: pass ? 'PASS' : 'FLAG',
    score: pass ? 1 : 0,
    note:
      numbers.length === 0 && actions.length === 0
        ? `Found no numbers and no concrete first-person actions (such as "I called", "we reviewed") in the answer ${timedSpan(text).quote}.`
        : `Found ${numberPart} and ${actionPart}.`,
    evidence:
      numbers.length === 0 && actions.length === 0 ? timedSpan(text).evidence : unique([...numberTexts.slice(0, 8), ...actionTexts.slice(0, 8)]),
    suggestion,
    practiceRule: 'Put one number in every answer, and start your action sentences with "I" and a verb.',
  };
}

/** Words too common, or about the answer's form rather than its topic, to show relevance. */
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours ' +
    'tell time describe describes description give gives given example examples walk through explain explains explanation name names naming state states statement show shows showing use uses using used clear clearly specific specifically brief briefly avoid avoids mention mentions including include includes without own answer answers response candidate speak speaks stay stays pick picks make makes chose choose chooses leave leaves refer refers connect connects identify identifies take takes end ends start starts set sets follow follows back backs reflect reflects relevant concrete one two three first second last next since ever still every result results outcome outcomes took went going gone got get gets ended came come comes turned happened done said says felt feel know knew think thought want wanted need needed keep keeps kept minute minutes hour hours day days week weeks month months year years something someone thing things way ways like well good really much many lot time times person people part point points rather instead actually kind sort could would should might must able made'
  ).split(' '),
);

/** A light suffix-stripping stem, the same on both sides of a comparison ("disagreed", "disagreement" → "disagre…"). */
function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.includes("'") || w.includes('’')) w = w.replace(/[’']s$/, '').replace(/[’']/g, '');
  for (const suffix of SUFFIXES) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      return w.slice(0, -suffix.length) + (suffix === 'ied' || suffix === 'ies' ? 'y' : '');
    }
  }
  return w;
}

/** Tried in this order; the first that fits is removed. */
const SUFFIXES = ['ements', 'ement', 'ments', 'ment', 'ingly', 'ings', 'ing', 'edly', 'ied', 'ies', 'ed', 'es', 's', 'ly', 'ation', 'ion', 'ness', 'ful'];

const STEM_PREFIX = 5;

/** Two stems match when equal, or when the shorter (at least 5 letters) begins the longer: "disagre" ~ "disagree". */
function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  return a.length <= b.length ? a.length >= STEM_PREFIX && b.startsWith(a) : b.length >= STEM_PREFIX && a.startsWith(b);
}

/** Words for relevance: Latin letters (accented ones too), with inner apostrophes and hyphens. */
const TERM = /[a-zà-öø-ÿ][a-zà-öø-ÿ’'-]*[a-zà-öø-ÿ]|[a-zà-öø-ÿ]/gi;

function keyStems(text: string): string[] {
  const stems: string[] = [];
  for (const match of text.matchAll(TERM)) {
    const word = match[0].toLowerCase();
    if (word.length < 4 || STOPWORDS.has(word)) continue;
    const s = stem(word);
    if (!stems.includes(s)) stems.push(s);
  }
  return stems;
}

/**
 * Relevance: the key terms (stems of content words, minus stopwords and words about form such as "describes" or
 * "clear") of the prompt and of the evaluation criteria, looked for in the response. PASS when the answer uses at least
 * one key term of the prompt (its topic), or at least two of the criteria's other key terms. Synonyms are not
 * recognised: "told me my notes were too long" is not "feedback".
 */
function relevanceOutcome({ text, question }: MeasureContext): MeasureOutcome {
  // Each distinct word is stemmed once; each key term is looked up once.
  const responseTerms = new Map<string, Found>();
  const seenWords = new Set<string>();
  for (const match of text.raw.matchAll(TERM)) {
    const word = match[0].toLowerCase();
    if (seenWords.has(word)) continue;
    seenWords.add(word);
    const s = stem(word);
    if (!responseTerms.has(s)) responseTerms.set(s, { span: { start: match.index, end: match.index + match[0].length }, text: match[0] });
  }
  // Stems that can match by prefix (5 letters or more), by their first 5 letters.
  const byPrefix = new Map<string, string[]>();
  for (const s of responseTerms.keys()) {
    if (s.length < STEM_PREFIX) continue;
    const bucket = byPrefix.get(s.slice(0, STEM_PREFIX));
    if (bucket) bucket.push(s);
    else byPrefix.set(s.slice(0, STEM_PREFIX), [s]);
  }
  const lookups = new Map<string, Found | null>();
  const findTerm = (key: string): Found | null => {
    const known = lookups.get(key);
    if (known !== undefined) return known;
    let found = responseTerms.get(key) ?? null;
    if (!found && key.length >= STEM_PREFIX) {
      const match = byPrefix.get(key.slice(0, STEM_PREFIX))?.find((s) => stemsMatch(key, s));
      if (match !== undefined) found = responseTerms.get(match)!;
    }
    lookups.set(key, found);
    return found;
  };
  const promptKeys = distinctKeys(keyStems(question.prompt), []);
  const criteriaKeys = question.evaluationCriteria.map(keyStems);
  const otherCriteriaKeys = distinctKeys(criteriaKeys.flat(), promptKeys);
  const promptFound = promptKeys.flatMap((key) => findTerm(key) ?? []);
  const criteriaFound = otherCriteriaKeys.flatMap((key) => findTerm(key) ?? []);
  const found = new Set([...promptKeys, ...otherCriteriaKeys].filter((key) => findTerm(key) !== null));
  const touched = question.evaluationCriteria.filter((_, index) =>
    criteriaKeys[index]!.some((key) => findTerm(key) !== null || [...found].some((f) => stemsMatch(f, key))),
  );
  const nothingToCheck = promptKeys.length === 0 && otherCriteriaKeys.length === 0;
  const pass = nothingToCheck || promptFound.length >= 1 || criteriaFound.length >= 2;
  const quoteTerms = (items: Found[]) => unique(items.map((item) => item.text)).map((word) => `"${word}"`).join(', ');
  const parts = [
    promptFound.length > 0
      ? `uses the prompt's ${promptFound.length === 1 ? 'term' : 'terms'} ${quoteTerms(promptFound)}`
      : `uses none of the prompt's key terms (${promptKeys.length})`,
    criteriaFound.length > 0
      ? `${plural(criteriaFound.length, 'term')} from the criteria (${quoteTerms(criteriaFound)})`
      : 'no other term from the criteria',
  ];
  const opening = text.quote(text.words[0]!);
  const note = nothingToCheck
    ? `The question and its criteria have no key terms to look for, so relevance passes for the answer that opens "${opening}".`
    : promptFound.length === 0 && criteriaFound.length === 0
      ? `None of the question's ${plural(promptKeys.length + otherCriteriaKeys.length, 'key term')} (from the prompt and its criteria) appear in the answer, which opens "${opening}".`
      : `The answer ${parts.join(', and ')}; it touches ${touched.length} of ${plural(question.evaluationCriteria.length, 'criterion', 'criteria')}.`;
  const untouched = question.evaluationCriteria.filter((criterion) => !touched.includes(criterion));
  return {
    verdict: pass ? 'PASS' : 'FLAG',
    score: pass ? 1 : 0,
    note,
    evidence: promptFound.length + criteriaFound.length === 0 ? [opening] : unique([...promptFound, ...criteriaFound].map((item) => item.text)).slice(0, 20),
    suggestion: pass ? null : `Answer the question asked ("${question.prompt}"): address ${untouched.length > 0 ? `"${untouched[0]}"` : 'its criteria'} in your own words.`,
    practiceRule: "Before answering, repeat the question's key words to yourself and use them in your first sentence.",
  };
}

/** `keys` without those matching an earlier key or one of `exclude`. */
function distinctKeys(keys: string[], exclude: string[]): string[] {
  const kept: string[] = [];
  for (const key of keys) if (![...exclude, ...kept].some((other) => stemsMatch(other, key))) kept.push(key);
  return kept;
}

/** Length: the duration within ±30% of the question's expected duration. */
function lengthOutcome({ text, durationS, estimated, question }: MeasureContext): MeasureOutcome {
  const expected = question.expectedDurationS;
  const ratio = durationS / expected;
  const difference = Math.round((ratio - 1) * 100);
  const span = timedSpan(text);
  const label = estimated ? `an estimated ${formatSeconds(durationS)} (written, ${plural(text.words.length, 'word')})` : formatSeconds(durationS);
  const short = ratio < 1 - LENGTH_TOLERANCE;
  const long = ratio > 1 + LENGTH_TOLERANCE;
  const band = `${formatSeconds(expected * (1 - LENGTH_TOLERANCE))}–${formatSeconds(expected * (1 + LENGTH_TOLERANCE))}`;
  const relation = difference === 0 ? 'on target' : `${Math.abs(difference)}% ${difference < 0 ? 'shorter' : 'longer'}`;
  return {
    verdict: short || long ? 'FLAG' : 'PASS',
    score: short || long ? 0 : 1,
    note: `The answer ${span.quote} lasts ${label} against an expected ${formatSeconds(expected)}: ${relation} (target ${band}).`,
    evidence: span.evidence,
    suggestion: short
      ? `Extend the answer to at least ${formatSeconds(expected * (1 - LENGTH_TOLERANCE))}: add the step you took and the result it had.`
      : long
        ? `Cut the answer to at most ${formatSeconds(expected * (1 + LENGTH_TOLERANCE))}: keep one example and drop the background detail.`
        : null,
    practiceRule: `Rehearse against a timer: aim for ${formatSeconds(expected)}, and stop once the result is said.`,
  };
}

/**
 * Result: the closing sentence states an outcome. The closing sentence is the last one with more than 5 words (shorter
 * sign-offs after it, such as "So yeah.", are skipped) and, for unpunctuated speech, no more than its last 35 words.
 */
function resultOutcome({ text }: MeasureContext): MeasureOutcome {
  const closing = closingSpan(text);
  const closingText = text.slice(closing);
  const cue = findAll(text, RESULT_PATTERN).find((found) => found.span.start >= closing.start && found.span.end <= closing.end);
  const practiceRule = 'End every answer on one sentence that says what happened because of what you did.';
  if (cue) {
    return {
      verdict: 'PASS',
      score: 1,
      note: `The answer closes on its result ("${cue.text}"): "${closingText}"`,
      evidence: [closingText],
      suggestion: null,
      practiceRule,
    };
  }
  const earlier = findAll(text, RESULT_PATTERN).filter((found) => found.span.end <= closing.start);
  const lastEarlier = earlier.at(-1);
  const earlierQuote = lastEarlier ? text.quote(lastEarlier.span) : null;
  return {
    verdict: 'FLAG',
    score: 0,
    note: earlierQuote
      ? `A result is stated earlier ("${earlierQuote}") but the answer closes on "${closingText}", which states no outcome.`
      : `No result or outcome is stated; the answer closes on "${closingText}".`,
    evidence: earlierQuote ? [closingText, earlierQuote] : [closingText],
    suggestion: earlierQuote
      ? `Move the result to the end: finish on "${earlierQuote}" rather than "${closingText}".`
      : `Close with the outcome: one last sentence saying what changed because of your actions (for example "As a result, …").`,
    practiceRule,
  };
}

function closingSpan(text: ResponseText): Span {
  const sentences = text.sentences;
  const wordsIn = (span: Span) => text.wordAt(span.end - 1) - text.wordAt(span.start) + 1;
  // The last sentence longer than a sign-off; the very last one when every sentence is that short.
  const sentence = sentences.findLast((candidate) => wordsIn(candidate) > SIGN_OFF_MAX_WORDS) ?? sentences[sentences.length - 1]!;
  if (wordsIn(sentence) <= QUOTE_MAX_WORDS) return sentence;
  return { start: text.words[text.wordAt(sentence.end - 1) - QUOTE_MAX_WORDS + 1]!.start, end: sentence.end };
}
