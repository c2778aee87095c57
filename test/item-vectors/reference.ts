/**
 * Brute-force references for the item-vector tests, written independently of the library code:
 * the dense item-item matrix from (user, item) pairs, and a textbook Jacobi eigensolver that applies
 * each rotation as an explicit dense product `JᵀAJ` (slow, obvious, only for small n).
 */

/** Dense `M` (n × n, arrays of rows): `XᵀX` or `D^-½·XᵀX·D^-½` from the distinct (user, item) pairs. */
export function denseMatrix(numItems: number, pairs: readonly (readonly [number, number])[], method: 'cosine' | 'cooccurrence'): number[][] {
  const usersOf: Set<number>[] = Array.from({ length: numItems }, () => new Set<number>());
  for (const [user, item] of pairs) usersOf[item]!.add(user);
  const m: number[][] = [];
  for (let i = 0; i < numItems; i++) {
    m.push([]);
    for (let j = 0; j < numItems; j++) {
      let common = 0;
      for (const u of usersOf[i]!) if (usersOf[j]!.has(u)) common++;
      const ci = usersOf[i]!.size;
      const cj = usersOf[j]!.size;
      m[i]!.push(method === 'cooccurrence' ? common : ci === 0 || cj === 0 ? 0 : common / Math.sqrt(ci * cj));
    }
  }
  return m;
}

/** Eigenpairs of a symmetric matrix, largest eigenvalue first: `{ values, vectors }` with `vectors[j]` a unit eigenvector. */
export function referenceEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i]![j]! ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = 0.5 * Math.atan2(2 * a[p]![q]!, a[q]![q]! - a[p]![p]!);
        const c = Math.cos(theta);
        const s = Math.sin(theta);
        // A ← JᵀAJ and V ← VJ with J the identity except J_pp = J_qq = c, J_pq = s, J_qp = −s;
        // only rows and columns p and q change.
        for (const row of a) [row[p], row[q]] = [c * row[p]! - s * row[q]!, s * row[p]! + c * row[q]!];
        const rp = a[p]!.map((x, k) => c * x - s * a[q]![k]!);
        const rq = a[p]!.map((x, k) => s * x + c * a[q]![k]!);
        a[p] = rp;
        a[q] = rq;
        for (const row of v) [row[p], row[q]] = [c * row[p]! - s * row[q]!, s * row[p]! + c * row[q]!];
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y]![y]! - a[x]![x]!);
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}

/** Gram matrix `G_ij = vᵢ·vⱼ` of row-major vectors. */
export function gram(vectors: Float64Array, rows: number, dim: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: rows }, (_, j) => {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += vectors[i * dim + c]! * vectors[j * dim + c]!;
      return dot;
    }),
  );
}

/** Best rank-d approximation `Σ_{j<d} λ_j v_j v_jᵀ` from reference eigenpairs. */
export function rankApproximation(eigen: { values: number[]; vectors: number[][] }, d: number): number[][] {
  const n = eigen.values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += eigen.values[c]! * eigen.vectors[c]![i]! * eigen.vectors[c]![j]!;
      return sum;
    }),
  );
}
