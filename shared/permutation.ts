/** Whether `order` lists each index 0 to `count - 1` exactly once (a reorder answer); zod-free, for the renderer too. */
export function isPermutation(order: readonly number[], count: number): boolean {
  if (order.length !== count) return false;
  // A byte per index, not a Set: the content check runs this for every reorder question of a 100k-question pack.
  const seen = new Uint8Array(count);
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= count || seen[i] === 1) return false;
    seen[i] = 1;
  }
  return true;
}
