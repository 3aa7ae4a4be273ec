/**
 * The answer guard: runs on every chunk of a reply before it reaches the renderer. While the learner has not answered
 * the current question, a sentence that reveals the solution (the correct choice's text, its letter, number or
 * ordinal, "the answer is 5", the correct step order) is held back and replaced by one note. Text is released a
 * sentence at a time, and each sentence is checked together with the one before it, so a leak split across chunks
 * (or across a sentence break) is still caught.
 */

/** What the guard must not let out: known to core only, never sent to the model before the learner answers. */
export type GuardSecret =
  | { type: 'mcq_single'; choices: string[]; correctIndex: number }
  | { type: 'reorder_steps'; steps: string[]; order: number[] };

export type GuardOutput = { type: 'delta'; text: string } | { type: 'held'; note: string };

export const GUARD_NOTE = "\n\n_(The tutor started to give the answer away, so that part is hidden until you've answered. Try the next hint first.)_\n\n";

export interface Guard {
  /** Takes the next piece of the reply; returns what may be shown now. */
  push(text: string): GuardOutput[];
  /** The reply ended: checks and returns what was still waiting. */
  flush(): GuardOutput[];
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
/** Where a sentence ends: . ! ? or a line break, followed by space or the end of what we have (not "2.5"). */
const SENTENCE_END = /[.!?](?=\s)|\n/g;

/** Lowercase, no Markdown emphasis, unicode minus as "-", spaces collapsed: the text the rules read. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[*_`~]/g, '')
    .replace(/[\u2212\u2013\u2014]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words that carry a step's meaning (numbers and words of 4+ letters), from the part before any colon. */
function signature(step: string): string[] {
  const head = normalize(step).split(':')[0]!;
  return [...new Set(head.match(/\d+|[a-z]{4,}/g) ?? [])].filter((w) => !['both', 'sides', 'side', 'with', 'from', 'the'].includes(w));
}

/** Builds the leak test for one question: true when the text reveals its solution. */
export function leakDetector(secret: GuardSecret): (text: string) => boolean {
  return secret.type === 'mcq_single' ? mcqLeak(secret) : reorderLeak(secret);
}

function mcqLeak({ choices, correctIndex }: { choices: string[]; correctIndex: number }): (text: string) => boolean {
  const letter = String.fromCharCode(97 + correctIndex);
  const number = String(correctIndex + 1);
  const ordinal = ORDINALS[correctIndex] ?? '\u0000';
  const isLast = correctIndex === choices.length - 1;
  const correct = normalize(choices[correctIndex] ?? '').trim().replace(/[.!?]$/, '');
  const numeric = /^-?\d+(\.\d+)?$/.test(correct);
  const spelled = numeric && Number(correct) >= 0 && Number(correct) < NUMBER_WORDS.length ? NUMBER_WORDS[Number(correct)]! : null;
  const value = `(?:${escape(correct)}${spelled ? `|${spelled}` : ''})`;
  const optionWord = '(?:option|choice|answer|alternative|letter|item|number|#)';
  const rules: RegExp[] = [
    // "option C", "choice (c)", "letter c", "answer c"
    new RegExp(`\\b(?:option|choice|alternative|letter|item)s?\\s*[(\\[]?${letter}\\b(?![-'])`),
    new RegExp(`\\banswer\\s*(?:is|:|=|would be|should be|must be)?\\s*[(\\[]?${letter}[)\\].]?(?=\\s|$|[,;!?])`),
    new RegExp(`(?:^|\\s)[(\\[]${letter}[)\\]]`),
    new RegExp(`(?:^|\\s)${letter}\\s+(?:is|was|would be)\\s+(?:the\\s+)?(?:correct|right|answer|one)`),
    // "option 3", "choice #3", "number 3"
    new RegExp(`\\b${optionWord}\\s*#?\\s*${number}\\b(?!\\s*(?:of|out of|x|\\*))`),
    // "the third option", "the third one", "the last choice"
    new RegExp(`\\b(?:${ordinal}${isLast ? '|last|final|bottom' : ''})\\s+(?:option|choice|one|answer|alternative|entry|item)\\b`),
    new RegExp(`\\b(?:option|choice|answer)\\s+(?:number\\s+)?(?:${NUMBER_WORDS[correctIndex + 1]})\\b`),
  ];
  if (numeric) {
    // A short value is only a leak in an answer-giving frame: "the answer is 5", "x = 5", "it equals five".
    rules.push(
      new RegExp(`(?:=|equals?|equal to|is|be|'s|gives?|get|got|makes?|comes? out (?:to|as)|works out (?:to|as))\\s*(?:just |simply |exactly |indeed |actually |definitely )?(?:x\\s*=\\s*)?${value}(?!\\w|\\.\\d)`),
      new RegExp(`(?:^|[^\\w.])${value}\\s+(?:is|was|would be)\\s+(?:the\\s+)?(?:correct|right|answer|solution|one)`),
    );
  } else if (correct.length >= 3) {
    rules.push(new RegExp(`\\b${escape(correct)}`));
  }
  return (text) => {
    const t = normalize(text);
    return rules.some((rule) => rule.test(t));
  };
}

function reorderLeak({ steps, order }: { steps: string[]; order: number[] }): (text: string) => boolean {
  const labels = order.map((i) => String(i + 1));
  const signatures = steps.map(signature);
  // The whole order as numbers: "1, 4, 2, 3", "1-4-2-3", "1 → 4 → 2 → 3", "steps 1 4 2 3".
  const sequence = new RegExp(`(?:^|[^\\d])${labels.join('\\s*(?:,|-|>|→|then|and|;|\\s)\\s*(?:step\\s*)?')}(?!\\d)`);
  const first = labels[0]!;
  const firstStep = new RegExp(`\\b(?:start|begin|first)\\w*\\s+(?:\\w+\\s+){0,3}step\\s*#?${first}\\b|\\bstep\\s*#?${first}\\s+(?:comes?|goes|is)\\s+first`);
  // Which step a clause describes: the step whose signature it covers most (at least two thirds of it).
  const stepOf = (clause: string): number | null => {
    let best: number | null = null;
    let bestShare = 0;
    signatures.forEach((words, index) => {
      if (words.length === 0) return;
      const share = words.filter((w) => new RegExp(`\\b${escape(w)}`).test(clause)).length / words.length;
      if (share >= 2 / 3 && share > bestShare) {
        best = index;
        bestShare = share;
      }
    });
    return best;
  };
  const rank = new Map(order.map((step, position) => [step, position]));
  return (text) => {
    const t = normalize(text).replace(/->/g, '→');
    if (sequence.test(t) || firstStep.test(t)) return true;
    // "step 4 before step 2", "step 4, then step 2": a pair in the correct adjacent order.
    for (let i = 0; i + 1 < labels.length; i++) {
      const pair = new RegExp(`step\\s*#?${labels[i]}\\b[^.?!]{0,40}?(?:before|then|followed by|→|and then|comes? ahead of|precedes)[^.?!]{0,10}?step\\s*#?${labels[i + 1]}\\b`);
      if (pair.test(t)) return true;
    }
    // Steps described in words, in the correct order: three or more (or every step), none out of place.
    const described = t
      .split(/[,;:.!?→]|\bthen\b|\bnext\b|\bafter that\b|\bfinally\b|\blastly\b/)
      .map(stepOf)
      .filter((s): s is number => s !== null)
      .filter((s, i, all) => all.indexOf(s) === i);
    if (described.length >= Math.min(3, steps.length)) {
      const ranks = described.map((s) => rank.get(s)!);
      if (ranks.every((r, i) => i === 0 || r > ranks[i - 1]!)) return true;
    }
    return false;
  };
}

/** A guard for one reply: passes everything when there is nothing to hide (no question, or already answered). */
export function createGuard(secret: GuardSecret | null): Guard {
  if (!secret) return { push: (text) => (text ? [{ type: 'delta', text }] : []), flush: () => [] };
  const leaks = leakDetector(secret);
  let pending = '';
  let previous = '';
  let holding = false;

  const judge = (sentence: string): GuardOutput[] => {
    if (sentence.trim() === '') {
      return holding ? [] : [{ type: 'delta', text: sentence }];
    }
    const leaked = leaks(sentence) || (leaks(`${previous} ${sentence}`) && !leaks(previous));
    previous = sentence;
    if (leaked) {
      if (holding) return [];
      holding = true;
      return [{ type: 'held', note: GUARD_NOTE }];
    }
    holding = false;
    return [{ type: 'delta', text: sentence }];
  };

  return {
    push(text) {
      pending += text;
      const out: GuardOutput[] = [];
      let cut = 0;
      for (const match of pending.matchAll(SENTENCE_END)) {
        const end = match.index + match[0].length;
        out.push(...judge(pending.slice(cut, end)));
        cut = end;
      }
      pending = pending.slice(cut);
      return out;
    },
    flush() {
      const rest = pending;
      pending = '';
      return rest ? judge(rest) : [];
    },
  };
}
