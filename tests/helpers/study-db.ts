/**
 * A migrated database in a temp folder with the embedded sample pack loaded, as the app has it on first start (or an
 * older app, given its `migrationsDir`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSamplePackPath } from '../../electron/core/app';
import { importPack } from '../../electron/core/content/import';
import { openDatabase, type OpenedDatabase } from '../../electron/core/db/open';
import type { Clock } from '../../electron/core/ports';

export function openSampleDatabase(dir: string, clock: Clock, migrationsDir?: string): OpenedDatabase {
  const opened = openDatabase(join(dir, 'study.sqlite'), { nowMs: clock.now(), migrationsDir });
  importPack(opened.sqlite, readFileSync(defaultSamplePackPath), { mode: 'append', clock });
  return opened;
}

export interface SkillWithQuestions {
  skillId: string;
  mcq: Array<{ id: string; solution_index: number; choices: number }>;
  reorder: Array<{ id: string; solution: number[] }>;
}

/** The first skill having both question types, with the solutions a test needs to answer right or wrong. */
export function skillWithBothTypes(opened: OpenedDatabase): SkillWithQuestions {
  const rows = opened.sqlite
    .prepare('SELECT id, skill_id, type, payload FROM questions WHERE is_published = 1 ORDER BY skill_id, sort_order, id')
    .all() as Array<{ id: string; skill_id: string; type: string; payload: string }>;
  const bySkill = new Map<string, SkillWithQuestions>();
  for (const row of rows) {
    const entry = bySkill.get(row.skill_id) ?? { skillId: row.skill_id, mcq: [], reorder: [] };
    const payload = JSON.parse(row.payload) as { solution_index?: number; choices?: string[]; solution?: number[] };
    if (row.type === 'mcq_single') entry.mcq.push({ id: row.id, solution_index: payload.solution_index!, choices: payload.choices!.length });
    else entry.reorder.push({ id: row.id, solution: payload.solution! });
    bySkill.set(row.skill_id, entry);
  }
  const found = [...bySkill.values()].find((s) => s.mcq.length > 0 && s.reorder.length > 0);
  if (!found) throw new Error('the sample pack has no skill with both question types');
  return found;
}
