/** Whether `order` lists each index 0 to `count - 1` exactly once (a reorder answer); zod-free, for the renderer too. */
export function isPermutation(order: readonly number[], count: number): boolean {
  if (order.length !== count) return false;
  const seen = new Set<number>();
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= count || seen.has(i)) return false;
    seen.add(i);
  }
  return true;
}
