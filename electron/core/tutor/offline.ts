/**
 * The offline tutor, used when no provider is configured or reachable. It says nothing that is not in local content:
 * a hint ladder for the current question (a diagnostic question, the skill's concept, a step nudge, and a worked
 * example only after the learner has answered), and for "what is…" questions a full-text search (SQLite FTS5) that
 * quotes the questions and explanations it found, each linked to its skill's screen.
 */
import type { TutorContext } from '../../../shared/ipc/contract';
import { QUESTION_IS_LEARNABLE, QUESTION_WITH_SKILL_AND_DOMAIN } from '../content/learnable';
import type { Sqlite } from '../db/open';
import { parseJson } from '../practice/json';

/**
 * Where a found question leads: its skill's screen, as an in-app link (`#/…`), the only kind a reply's Markdown keeps in the
 * window (it empties links of other schemes, such as `study:`).
 */
export const skillLink = (skillId: string) => `#/skill/${skillId}`;

const LOOKUP = /^\s*(what|what's|whats|who|define|explain|meaning of|tell me about|how does|why does)\b/i;
const STOP_WORDS = new Set(['what', 'whats', 'is', 'are', 'the', 'a', 'an', 'of', 'to', 'in', 'and', 'or', 'does', 'do', 'how', 'why', 'who', 'define', 'explain', 'meaning', 'tell', 'me', 'about', 'it', 'this', 'that', 'for', 'with', 'mean']);
const SEARCH_LIMIT = 3;

export interface OfflineTutor {
  /** The reply to the learner's message; `hintsGiven` is how many offline hints this chat already had. */
  reply(text: string, context: TutorContext, hintsGiven: number): string;
}

export function createOfflineTutor(sqlite: Sqlite): OfflineTutor {
  // The index lives in the connection's temp schema and is rebuilt when the content changed (count or newest edit).
  let indexedVersion = '';
  const contentVersion = () => {
    const row = sqlite.prepare('SELECT COUNT(*) AS n, MAX(updated_utc_ms) AS t FROM questions').get() as { n: number; t: number | null };
    return `${row.n}:${row.t ?? 0}`;
  };
  const ensureIndex = () => {
    const version = contentVersion();
    if (version === indexedVersion) return;
    sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.tutor_search USING fts5(question_id UNINDEXED, prompt, body, tokenize = 'porter unicode61')`);
    sqlite.exec('DELETE FROM temp.tutor_search');
    const rows = sqlite
      .prepare(`SELECT q.id, q.payload, q.explanation, s.title AS skill, s.description FROM ${QUESTION_WITH_SKILL_AND_DOMAIN} WHERE ${QUESTION_IS_LEARNABLE}`)
      .all() as Array<{ id: string; payload: string; explanation: string | null; skill: string; description: string | null }>;
    const insert = sqlite.prepare('INSERT INTO temp.tutor_search (question_id, prompt, body) VALUES (?, ?, ?)');
    sqlite.transaction(() => {
      for (const row of rows) {
        const payload = parseJson<{ prompt?: string }>(row.payload);
        const explanation = parseJson<{ body?: string }>(row.explanation)?.body ?? '';
        insert.run(row.id, payload?.prompt ?? '', [explanation, row.skill, row.description ?? ''].join('\n'));
      }
    })();
    indexedVersion = version;
  };

  const search = (text: string): string => {
    ensureIndex();
    const terms = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => !STOP_WORDS.has(w)))];
    if (terms.length === 0) return 'Ask me about a word or idea from your course, for example "what is condensation?"';
    const query = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
    const hits = sqlite
      .prepare(
        `SELECT t.prompt, q.skill_id AS skillId, q.explanation FROM temp.tutor_search t JOIN questions q ON q.id = t.question_id
         WHERE tutor_search MATCH ? ORDER BY bm25(tutor_search) LIMIT ?`,
      )
      .all(query, SEARCH_LIMIT) as Array<{ prompt: string; skillId: string; explanation: string | null }>;
    if (hits.length === 0) {
      return `I found nothing about "${terms.join(' ')}" in the content on this device, so I can't say more without making things up.`;
    }
    const parts = ['Here is what your course content says:'];
    for (const hit of hits) {
      const explanation = parseJson<{ body?: string }>(hit.explanation)?.body;
      parts.push('', `**[${hit.prompt}](${skillLink(hit.skillId)})**`);
      if (explanation) parts.push(`> ${explanation}`);
    }
    return parts.join('\n');
  };

  const hint = (context: TutorContext, hintsGiven: number): string => {
    const q = context.question!;
    const concept = context.skill?.description;
    const explanation = q.explanation ?? null;
    const ladder = [
      () => `Let's start with the question itself: "${q.prompt}" What is it asking you to find, and what do you already know that could help?`,
      () => (concept ? `Here is the idea this skill is about: ${concept} How could that apply here?` : null),
      () => {
        const firstStep = stepNudge(explanationFor(q));
        return firstStep ? `A nudge for the first step: ${firstStep}. What do you get when you try that?` : null;
      },
      () =>
        q.answered && explanation
          ? `Here is the worked example from your course: ${explanation}`
          : q.answered
            ? 'There is no worked example for this question in your content.'
            : "I'll show the worked example once you've answered. Give it a try first; any answer is fine.",
    ];
    for (let level = Math.min(hintsGiven, ladder.length - 1); level < ladder.length; level++) {
      const text = ladder[level]!();
      if (text) return text;
    }
    return ladder[ladder.length - 1]!()!;
  };

  /** The question's explanation from the content (kept by core even before the learner answered: the guard checks the nudge). */
  const explanationFor = (q: NonNullable<TutorContext['question']>): string | null => {
    const row = sqlite.prepare('SELECT explanation FROM questions WHERE id = ?').pluck().get(q.id) as string | null | undefined;
    return parseJson<{ body?: string }>(row ?? null)?.body ?? null;
  };

  return {
    reply(text, context, hintsGiven) {
      if (!context.question || LOOKUP.test(text)) return search(text);
      return hint(context, hintsGiven);
    },
  };
}

/** The explanation's first move, cut before any result ("Divide both sides by 2 to undo …: x = 5" → its first part). */
function stepNudge(explanation: string | null): string | null {
  if (!explanation) return null;
  const first = explanation.split(/(?<=[.!?])\s/)[0]!.split(/[:=]/)[0]!.trim().replace(/[.!?]$/, '');
  return first.length >= 8 ? first : null;
}
