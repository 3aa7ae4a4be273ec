/** Experience points and levels: the one place that says what an activity is worth. */
const XP_PER_CORRECT_ANSWER = 10;
export const XP_PER_LEVEL = 1000;

/** XP earned by one graded answer. Drills and the tutor add their own activities here. */
export function xpForAnswer(isCorrect: boolean): number {
  return isCorrect ? XP_PER_CORRECT_ANSWER : 0;
}

/** The total after earning `earned`; XP never goes down. */
export function awardXp(currentXp: number, earned: number): number {
  return currentXp + Math.max(0, earned);
}

export function levelOf(xp: number): number {
  return Math.floor(xp / XP_PER_LEVEL);
}
