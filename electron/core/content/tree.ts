/** The library tree: learnable domains → skills (content/learnable.ts), with each skill's question count and the learner's progress. */
import type { LibraryTree } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { QUESTION_IS_LEARNABLE, QUESTION_WITH_SKILL_AND_DOMAIN, SKILL_IS_LEARNABLE } from './learnable';

interface TreeRow {
  domain_id: string;
  domain_slug: string;
  domain_title: string;
  id: string;
  slug: string;
  title: string;
  description: string | null;
  question_count: number;
  progress: number;
}

export function createLibraryQueries(sqlite: Sqlite) {
  const treeRows = sqlite.prepare(
    `SELECT d.id AS domain_id, d.slug AS domain_slug, d.title AS domain_title,
            s.id, s.slug, s.title, s.description,
            (SELECT COUNT(*) FROM questions q WHERE q.skill_id = s.id AND ${QUESTION_IS_LEARNABLE}) AS question_count,
            COALESCE(sp.progress, 0) AS progress
     FROM domains d
     JOIN skills s ON s.domain_id = d.id AND ${SKILL_IS_LEARNABLE}
     LEFT JOIN skill_progress sp ON sp.skill_id = s.id AND sp.user_id = ?
     ORDER BY d.sort_order, d.title, d.id, s.sort_order, s.title, s.id`,
  );
  const publishedQuestionCount = sqlite.prepare(`SELECT COUNT(*) FROM ${QUESTION_WITH_SKILL_AND_DOMAIN} WHERE ${QUESTION_IS_LEARNABLE}`).pluck();

  return {
    /** The published tree with `userId`'s progress (none for null: nobody has studied on this device yet). */
    tree(userId: string | null): LibraryTree {
      const domains: LibraryTree['domains'] = [];
      let current: LibraryTree['domains'][number] | undefined;
      for (const row of treeRows.iterate(userId) as IterableIterator<TreeRow>) {
        if (!current || current.id !== row.domain_id) {
          current = { id: row.domain_id, slug: row.domain_slug, title: row.domain_title, skills: [] };
          domains.push(current);
        }
        current.skills.push({
          id: row.id,
          slug: row.slug,
          title: row.title,
          description: row.description,
          questionCount: row.question_count,
          progress: row.progress,
        });
      }
      return { domains };
    },
    questionCount(): number {
      return publishedQuestionCount.get() as number;
    },
  };
}
