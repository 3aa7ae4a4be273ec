/**
 * The publish rule applied to a pack on its own: a skill is published only with at least one
 * published question, a domain only with at least one published skill. (Import applies the same
 * rule against the whole database, where a skill may already have questions from earlier packs.)
 */
import type { ContentPack } from './pack';

export interface PublishRuleOutcome {
  /** The pack with `is_published` lowered where the rule forbids it; nothing is ever raised. */
  pack: ContentPack;
  keptUnpublished: { domains: number; skills: number };
}

export function applyPublishRule(pack: ContentPack): PublishRuleOutcome {
  const skillsWithQuestions = new Set(pack.questions.filter((q) => q.is_published).map((q) => q.skill_id));
  let skillsKept = 0;
  const skills = pack.skills.map((skill) => {
    if (!skill.is_published || skillsWithQuestions.has(skill.id)) return skill;
    skillsKept += 1;
    return { ...skill, is_published: false };
  });
  const domainsWithSkills = new Set(skills.filter((s) => s.is_published).map((s) => s.domain_id));
  let domainsKept = 0;
  const domains = pack.domains.map((domain) => {
    if (!domain.is_published || domainsWithSkills.has(domain.id)) return domain;
    domainsKept += 1;
    return { ...domain, is_published: false };
  });
  return { pack: { ...pack, domains, skills }, keptUnpublished: { domains: domainsKept, skills: skillsKept } };
}
