/** Gaussian elimination with partial pivoting on a copy (m is small: pulses + segments + drift). */
export function solveLinearSystem(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]!) > Math.abs(A[p * m + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k]!, A[c * m + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    const d = A[c * m + c]!;
    if (d === 0) continue;
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c]! / d;
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r * m + k]! -= f * A[c * m + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let c = m - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let k = c + 1; k < m; k++) s -= A[c * m + k]! * x[k]!;
    x[c] = A[c * m + c]! === 0 ? 0 : s / A[c * m + c]!;
  }
  return x;
}
