/**
 * Naive greedy DPP for the speed table: every step recomputes `log det(L_{S ∪ {i}})` from scratch
 * for every remaining i (a fresh Cholesky factorisation of the (|S|+1)² kernel block), the way one
 * would write it without Chen et al.'s incremental update. O(k·n·(k²·dim + k³)). Same kernel, stop
 * and fill rule as docs/formulas.md#dpp; only meant for small n.
 */
export function naiveDpp(relevance: Float64Array, unit: Float64Array, n: number, dim: number, k: number, theta: number): number[] {
  const alpha = theta / (2 * (1 - theta));
  let maxRelevance = -Infinity;
  for (const r of relevance) maxRelevance = Math.max(maxRelevance, r);
  const q = Float64Array.from(relevance, (r) => Math.exp(alpha * (r - maxRelevance)));
  const kernel = (a: number, b: number): number => {
    let dot = 0;
    for (let x = 0; x < dim; x++) dot += (unit[a * dim + x] as number) * (unit[b * dim + x] as number);
    return (q[a] as number) * (q[b] as number) * (a === b ? 1 : (1 + dot) / 2);
  };
  const logDet = (set: readonly number[]): number => {
    const m = set.length;
    const chol = new Float64Array(m * m);
    let sum = 0;
    for (let r = 0; r < m; r++) {
      for (let c = 0; c <= r; c++) {
        let v = kernel(set[r] as number, set[c] as number);
        for (let x = 0; x < c; x++) v -= (chol[r * m + x] as number) * (chol[c * m + x] as number);
        if (r === c) {
          if (v <= 0) return -Infinity;
          chol[r * m + r] = Math.sqrt(v);
          sum += Math.log(v);
        } else {
          chol[r * m + c] = v / (chol[c * m + c] as number);
        }
      }
    }
    return sum;
  };
  const chosen: number[] = [];
  const taken = new Uint8Array(n);
  let base = 0;
  while (chosen.length < Math.min(k, n)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1) continue;
      const value = logDet([...chosen, i]);
      if (best < 0 || value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    if (!(Math.exp(bestValue - base) >= 1e-10)) break;
    chosen.push(best);
    taken[best] = 1;
    base = bestValue;
  }
  const rest = Array.from(relevance.keys())
    .filter((i) => taken[i] === 0)
    .sort((a, b) => (relevance[b] as number) - (relevance[a] as number) || a - b);
  while (chosen.length < Math.min(k, n)) chosen.push(rest.shift() as number);
  return chosen;
}
