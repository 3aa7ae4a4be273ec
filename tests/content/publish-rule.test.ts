/** The publish rule on a pack alone (what a publisher may mark published), matching what import stores. */
import { describe, expect, it } from 'vitest';
import { applyPublishRule } from '../../shared/content/publish-rule';
import { importPack } from '../../electron/core/content/import';
import { validatePackText } from '../../electron/core/content/validate';
import { buildPack, packText } from './pack-builder';
import { openTempDatabase } from './temp-database';

function unpublishablePack() {
  const pack = buildPack({ domains: 2, skillsPerDomain: 2, questionsPerSkill: 2 });
  const [skillA, skillB] = pack.skills;
  pack.questions = pack.questions.filter((q) => q.skill_id !== skillA!.id);
  for (const q of pack.questions) if (q.skill_id === skillB!.id) q.is_published = false;
  return packText(pack);
}

describe('applyPublishRule', () => {
  it('lowers is_published on skills without published questions and domains without published skills', () => {
    const pack = validatePackText(unpublishablePack()).pack!;
    const { pack: ruled, keptUnpublished } = applyPublishRule(pack);
    expect(keptUnpublished).toEqual({ domains: 1, skills: 2 });
    expect(ruled.skills.map((s) => s.is_published)).toEqual([false, false, true, true]);
    expect(ruled.domains.map((d) => d.is_published)).toEqual([false, true]);
    // The input is not modified.
    expect(pack.skills.every((s) => s.is_published)).toBe(true);
  });

  it('agrees with what import stores in an empty database', () => {
    const text = unpublishablePack();
    const ruled = applyPublishRule(validatePackText(text).pack!).pack;
    const db = openTempDatabase();
    try {
      importPack(db.sqlite, text, { mode: 'append' });
      const stored = (table: string) =>
        db.sqlite.prepare(`SELECT id, is_published FROM ${table} ORDER BY id`).all() as Array<{ id: string; is_published: number }>;
      const expected = (rows: Array<{ id: string; is_published: boolean }>) =>
        rows.map((r) => ({ id: r.id, is_published: r.is_published ? 1 : 0 })).sort((a, b) => a.id.localeCompare(b.id));
      expect(stored('skills')).toEqual(expected(ruled.skills));
      expect(stored('domains')).toEqual(expected(ruled.domains));
    } finally {
      db.dispose();
    }
  });

  it('never raises a draft', () => {
    const pack = validatePackText(packText(buildPack({ published: false }))).pack!;
    const { pack: ruled } = applyPublishRule(pack);
    expect([...ruled.domains, ...ruled.skills].some((r) => r.is_published)).toBe(false);
  });
});
