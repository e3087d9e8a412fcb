/** Nelder–Mead simplex minimiser (standard coefficients), for small smooth fits. */
export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  steps: number[],
  maxEvals = 400,
  tol = 1e-10,
): { x: number[]; value: number; evals: number } {
  const n = start.length;
  let simplex = [start, ...steps.map((s, i) => start.map((v, j) => (j === i ? v + s : v)))];
  let values = simplex.map(f);
  let evals = n + 1;
  while (evals < maxEvals) {
    const order = values
      .map((v, i) => [v, i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => i);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (Math.abs(values[n]! - values[0]!) <= tol * (Math.abs(values[0]!) + tol)) break;
    const centroid = Array.from({ length: n }, (_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n]![j]! - c));
    const reflected = along(-1);
    const fr = f(reflected);
    evals++;
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = f(expanded);
      evals++;
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = fr < values[n]! ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      evals++;
      if (fc < Math.min(fr, values[n]!)) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          values[i] = f(simplex[i]!);
        }
        evals += n;
      }
    }
  }
  const bestI = values.indexOf(Math.min(...values));
  return { x: simplex[bestI]!, value: values[bestI]!, evals };
}
