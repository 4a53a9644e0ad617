/**
 * Splits a list into runs of at most `size`: for D1's 100 bound parameters per statement and the size of a queue
 * message, which user-controlled lists must never exceed in one piece.
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}
