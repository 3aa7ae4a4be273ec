/** Pure logic of keyboard reordering: moving one step within the learner's order and the sentence that announces it. */

/** `order` with the entry at `from` moved to `to` (both clamped); a new array, the input is untouched. */
export function moveStep(order: readonly number[], from: number, to: number): number[] {
  const next = [...order];
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved!);
  return next;
}

/** The announcement after a move, naming the step and its new position: "“Boil water” moved to position 2 of 4." */
export function moveAnnouncement(stepText: string, position: number, count: number, blocked: boolean): string {
  if (blocked) return `“${stepText}” is already ${position === 1 ? 'first' : 'last'}.`;
  return `“${stepText}” moved to position ${position} of ${count}.`;
}

