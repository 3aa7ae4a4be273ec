/** A pack's contents in words: "1 domain, 2 skills, 3 questions" (drill questions when it has any). */
import { plural } from '../shell/format';

export function packSummary(counts: { domains: number; skills: number; questions: number; drillQuestions: number }): string {
  const parts = [plural(counts.domains, 'domain'), plural(counts.skills, 'skill'), plural(counts.questions, 'question')];
  if (counts.drillQuestions > 0) parts.push(plural(counts.drillQuestions, 'drill question'));
  return parts.join(', ');
}

type ListedPack = { id: string; name: string; version: string; counts: { domains: number; skills: number; questions: number; drillQuestions: number } };

/**
 * The other installed imports of `pack`'s name. Content rows carry the pack's name, not an import's id, so they are
 * shared by every import of that name and go only with the last one (core's removeSteps).
 */
export function sameNameImports<P extends ListedPack>(packs: readonly P[], pack: P): P[] {
  return packs.filter((p) => p.name === pack.name && p.id !== pack.id);
}

/** What removing `pack` does, said before it is removed. */
export function removalSentence(pack: ListedPack, packs: readonly ListedPack[]): string {
  const others = sameNameImports(packs, pack);
  if (others.length === 0) return `Its content (${packSummary(pack.counts)}) leaves this device. Your answers and progress stay in your history.`;
  const versions = [...new Set(others.map((p) => p.version))].join(', ');
  const holders = others.length === 1 ? 'another import' : `${others.length} other imports`;
  const goes = pack.counts.drillQuestions > 0 ? `this import's record and its ${plural(pack.counts.drillQuestions, 'drill question')} go` : "this import's record goes";
  return `Its content stays on this device: ${holders} of ${pack.name} (version ${versions}) still ${others.length === 1 ? 'holds' : 'hold'} it. Only ${goes}.`;
}
