/** Experience points: the one place that says what an activity is worth (levels: shared/levels.ts). */
import { levelOf, XP_PER_LEVEL } from '../../../shared/levels';

export { levelOf, XP_PER_LEVEL };

const XP_PER_CORRECT_ANSWER = 10;

/** XP earned by one graded answer. Drills and the tutor add their own activities here. */
export function xpForAnswer(isCorrect: boolean): number {
  return isCorrect ? XP_PER_CORRECT_ANSWER : 0;
}

const XP_PER_COMPLETED_DRILL = 20;

/** XP earned by a completed response drill, whatever its score: answering aloud is the practice being rewarded. */
export function xpForDrill(): number {
  return XP_PER_COMPLETED_DRILL;
}

/** The total after earning `earned`; XP never goes down. */
export function awardXp(currentXp: number, earned: number): number {
  return currentXp + Math.max(0, earned);
}
