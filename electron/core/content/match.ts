/**
 * How a pack's record compares with the row it matches (by id, else by scoped slug): the one rule the diff shows
 * before an import (workspace.ts) and the import counts by after it (import.ts), so the numbers the instructor
 * confirmed are the numbers reported. The compared fields are what the pack writes less its timestamps and provenance:
 * a record written the same is unchanged whatever its created/updated stamps say.
 */
import type { DrillQuestion, PackDomain, PackQuestion, PackSkill } from '../../../shared/content/pack';

/** A matched row as read from its table, with its provenance (drill questions take theirs from their pack record). */
export interface MatchedRow {
  id: string;
  origin: string;
  pack_name: string | null;
  [field: string]: unknown;
}

/** What override mode does to a matched row: rewrites it with other values, leaves it as it was, or takes it over. */
export type OverrideChange = 'updated' | 'unchanged' | 'replaced';

export const flag = (value: boolean): number => (value ? 1 : 0);

export const domainFields = (d: PackDomain) => ({ slug: d.slug, title: d.title, sort_order: d.sort_order, is_published: flag(d.is_published) });

export const skillFields = (s: PackSkill, domainId: string) => ({
  domain_id: domainId,
  slug: s.slug,
  title: s.title,
  description: s.description ?? null,
  sort_order: s.sort_order,
  is_published: flag(s.is_published),
});

export const questionFields = (q: PackQuestion, skillId: string) => ({
  skill_id: skillId,
  slug: q.slug,
  type: q.type,
  payload: JSON.stringify(q.payload),
  explanation: q.explanation == null ? null : JSON.stringify(q.explanation),
  sort_order: q.sort_order,
  is_published: flag(q.is_published),
});

export const drillQuestionFields = (q: DrillQuestion) => ({
  category: q.category,
  prompt: q.prompt,
  expected_duration_s: q.expected_duration_s,
  evaluation_criteria: JSON.stringify(q.evaluation_criteria),
});

/** A drill question by id, with its pack's name as provenance (its rows have no origin of their own). */
export const DRILL_QUESTION_MATCH_SQL = `SELECT d.*, 'pack' AS origin, p.name AS pack_name
  FROM drill_questions d JOIN content_packs p ON p.id = d.pack_id WHERE d.id = ?`;

/**
 * Override mode's change to `row`, and the fields whose value changes: a row another pack (or the server) provided is
 * replaced even when its values are the same (its provenance changes); one of this pack's is updated or unchanged.
 */
export function overrideChange(next: Record<string, unknown>, row: MatchedRow, packName: string): { change: OverrideChange; fields: string[] } {
  const fields = Object.keys(next).filter((field) => next[field] !== row[field]);
  if (row.origin !== 'pack' || row.pack_name !== packName) return { change: 'replaced', fields: fields.length > 0 ? fields : ['provenance'] };
  return { change: fields.length === 0 ? 'unchanged' : 'updated', fields };
}
