/**
 * What a learner may study, defined once: a skill is learnable when it and its domain are published; a question when
 * it is published and its skill is learnable; rows of an import still being written never are. Drafts are for
 * authors (the instructor preview is its own path that records nothing). The library tree, practice's start, next and answer all build their SQL from these fragments.
 */

/** `FROM` clause joining a skill (alias `s`) to its domain (alias `d`). */
export const SKILL_WITH_DOMAIN = 'skills s JOIN domains d ON d.id = s.domain_id';

/** `FROM` clause joining a question (alias `q`) to its skill (`s`) and domain (`d`). */
export const QUESTION_WITH_SKILL_AND_DOMAIN = 'questions q JOIN skills s ON s.id = q.skill_id JOIN domains d ON d.id = s.domain_id';

/**
 * True (1) unless the row (`alias`, or the query's one table) belongs to a pack import that has not committed yet
 * (migration 0011). The mark is cleared after the commit, so the subquery runs only for rows of an import in flight;
 * a mark the clearing left (it stopped on a failure) hides nothing, since its import is no longer listed.
 */
export const committed = (alias?: string) => {
  const mark = alias === undefined ? 'pending_import' : `${alias}.pending_import`;
  return `(${mark} IS NULL OR ${mark} NOT IN (SELECT id FROM pending_imports))`;
};

/** True (1) when the skill `s` and its domain `d` are published (and not part of an import still being written). */
export const SKILL_IS_LEARNABLE = `(s.is_published = 1 AND d.is_published = 1 AND ${committed('s')} AND ${committed('d')})`;

/** True (1) when the question `q`, its skill `s` and its domain `d` are published (and committed). */
export const QUESTION_IS_LEARNABLE = `(q.is_published = 1 AND ${committed('q')} AND ${SKILL_IS_LEARNABLE})`;

/** The message a learner sees for content that exists but is a draft (or under one). */
export function notPublishedMessage(what: 'skill' | 'question', label: string): string {
  return `The ${what} ${label} is not published (it${what === 'question' ? ', its skill' : ''} or its domain is a draft), so it cannot be practised.`;
}
