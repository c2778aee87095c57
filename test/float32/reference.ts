/**
 * Independent float64 references for the float32 path's tests: unit rows, MMR (Carbonell &
 * Goldstein 1998) and DPP greedy MAP by Chen, Zhang & Zhou's Algorithm 1 on the explicit kernel
 * L_ij = q_i q_j (1 + cos)/2 (incremental Cholesky), each recording, at every step, the best and
 * the runner-up objective so a test knows how far apart they were.
 */
export interface ReferenceStep {
  readonly pick: number;
  readonly best: number;
  readonly runnerUp: number;
}

export function unitRows(vectors: readonly (readonly number[])[]): Float64Array {
  const dim = vectors[0]?.length ?? 0;
  const rows = new Float64Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    v.forEach((x, j) => (rows[i * dim + j] = x / norm));
  });
  return rows;
}

function cosine(rows: Float64Array, dim: number, i: number, j: number): number {
  let s = 0;
  for (let x = 0; x < dim; x++) s += (rows[i * dim + x] as number) * (rows[j * dim + x] as number);
  return s;
}

/** Greedy steps over `score(i, chosen)` with ties → lower index. */
function greedy(n: number, k: number, score: (i: number, chosen: readonly number[]) => number): ReferenceStep[] {
  const chosen: number[] = [];
  const steps: ReferenceStep[] = [];
  for (let t = 0; t < Math.min(n, k); t++) {
    let best = -1;
    let bestScore = -Infinity;
    let runnerUp = -Infinity;
    for (let i = 0; i < n; i++) {
      if (chosen.includes(i)) continue;
      const s = score(i, chosen);
      if (best < 0 || s > bestScore) {
        runnerUp = bestScore;
        best = i;
        bestScore = s;
      } else if (s > runnerUp) runnerUp = s;
    }
    chosen.push(best);
    steps.push({ pick: best, best: bestScore, runnerUp });
  }
  return steps;
}

export function referenceMmr(rows: Float64Array, dim: number, relevance: readonly number[], lambda: number, k: number): ReferenceStep[] {
  return greedy(relevance.length, k, (i, chosen) => {
    const penalty = chosen.length === 0 ? 0 : Math.max(...chosen.map((j) => cosine(rows, dim, i, j)));
    return lambda * (relevance[i] as number) - (1 - lambda) * penalty;
  });
}

/** DPP steps; `best`/`runnerUp` are gains d_i² (det ratios), not logs. */
export function referenceDpp(rows: Float64Array, dim: number, relevance: readonly number[], alpha: number, k: number): ReferenceStep[] {
  const n = relevance.length;
  const top = Math.max(...relevance);
  const q = relevance.map((r) => Math.exp(alpha * (r - top)));
  const entry = (i: number, j: number): number => (q[i] as number) * (q[j] as number) * ((1 + cosine(rows, dim, i, j)) / 2);
  const c: number[][] = Array.from({ length: n }, () => []);
  const gains = Array.from({ length: n }, (_, i) => entry(i, i));
  const steps: ReferenceStep[] = [];
  const chosen = new Set<number>();
  for (let t = 0; t < Math.min(n, k); t++) {
    let best = -1;
    let runnerUp = -Infinity;
    for (let i = 0; i < n; i++) {
      if (chosen.has(i)) continue;
      if (best < 0 || (gains[i] as number) > (gains[best] as number)) {
        if (best >= 0) runnerUp = Math.max(runnerUp, gains[best] as number);
        best = i;
      } else runnerUp = Math.max(runnerUp, gains[i] as number);
    }
    steps.push({ pick: best, best: gains[best] as number, runnerUp });
    chosen.add(best);
    const dj = Math.sqrt(gains[best] as number);
    for (let i = 0; i < n; i++) {
      if (chosen.has(i)) continue;
      let dot = 0;
      for (let u = 0; u < t; u++) dot += (c[best]![u] as number) * (c[i]![u] as number);
      const e = (entry(best, i) - dot) / dj;
      c[i]!.push(e);
      gains[i] = (gains[i] as number) - e * e;
    }
  }
  return steps;
}
