/** SQL stores a measure that came out NaN or ±Infinity (undefined, not zero) as NULL. */
export function finiteOrNull(x: number | undefined | null): number | null {
  return x === undefined || x === null || !Number.isFinite(x) ? null : x;
}
