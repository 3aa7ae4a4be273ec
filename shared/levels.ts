/** Levels from XP, shared by core (which awards XP) and the renderer (which shows the way to the next level). */
export const XP_PER_LEVEL = 1000;

export function levelOf(xp: number): number {
  return Math.floor(xp / XP_PER_LEVEL);
}

/** "340 / 1000 XP to level 1": the XP earned within the current level, out of what the next level takes. */
export function levelProgressText(xp: number): string {
  return `${xp % XP_PER_LEVEL} / ${XP_PER_LEVEL} XP to level ${levelOf(xp) + 1}`;
}
