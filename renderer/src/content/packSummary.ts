/** A pack's contents in words: "1 domain, 2 skills, 3 questions" (drill questions when it has any). */
import { plural } from '../shell/format';

export function packSummary(counts: { domains: number; skills: number; questions: number; drillQuestions: number }): string {
  const parts = [plural(counts.domains, 'domain'), plural(counts.skills, 'skill'), plural(counts.questions, 'question')];
  if (counts.drillQuestions > 0) parts.push(plural(counts.drillQuestions, 'drill question'));
  return parts.join(', ');
}
