/** Default cap on mean-shift iterations per seed. */
export const DEFAULT_MEAN_SHIFT_ITERATIONS = 300;

/** Output of {@link meanShift}. */
export interface MeanShiftResult {
  /** Number of clusters. */
  readonly count: number;
  /** Cluster centres (modes), row-major `count × dim`, ordered by decreasing window population. */
  readonly centres: Float64Array;
  /** Number of points assigned to each centre; sums to the number of points. */
  readonly sizes: Int32Array;
  /** Centre index of each point (its nearest centre, ties to the lower centre index). */
  readonly labels: Int32Array;
}

function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, dim: number): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) {
    const diff = (a[aOffset + j] as number) - (b[bOffset + j] as number);
    sum += diff * diff;
  }
  return sum;
}

/**
 * Mean-shift clustering with a flat kernel (Fukunaga & Hostetler, IEEE TIT 1975; Comaniciu & Meer,
 * IEEE TPAMI 2002), as used by PURS (Li et al., RecSys 2020) to find a user's interest centres.
 *
 * Every point seeds a search: move to the mean of the points within Euclidean distance `bandwidth`,
 * until the move is below `1e-3·bandwidth` or `maxIterations` is reached. Modes are then ordered by
 * how many points lie within `bandwidth` of them (ties: lower seed index), and a mode closer than
 * `bandwidth` to an already kept one is dropped (the scikit-learn `MeanShift` rule). Points are
 * assigned to their nearest kept centre. Deterministic. O(n²·d·iterations).
 *
 * @param points - Row-major `n × dim`.
 * @param n - Number of points.
 * @param dim - Dimension.
 * @param bandwidth - Kernel radius, > 0.
 * @param maxIterations - Cap on shifts per seed.
 */
export function meanShift(
  points: Float64Array,
  n: number,
  dim: number,
  bandwidth: number,
  maxIterations = DEFAULT_MEAN_SHIFT_ITERATIONS,
): MeanShiftResult {
  const radius2 = bandwidth * bandwidth;
  const stop2 = (1e-3 * bandwidth) ** 2;
  const modes = new Float64Array(n * dim);
  const population = new Int32Array(n);
  const next = new Float64Array(dim);
  for (let seed = 0; seed < n; seed++) {
    const at = seed * dim;
    modes.set(points.subarray(at, at + dim), at);
    let inside = 0;
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      next.fill(0);
      inside = 0;
      for (let p = 0; p < n; p++) {
        if (squaredDistance(points, p * dim, modes, at, dim) > radius2) continue;
        inside++;
        for (let j = 0; j < dim; j++) next[j] = (next[j] as number) + (points[p * dim + j] as number);
      }
      if (inside === 0) break;
      for (let j = 0; j < dim; j++) next[j] = (next[j] as number) / inside;
      const moved = squaredDistance(next, 0, modes, at, dim);
      modes.set(next, at);
      if (moved < stop2) break;
    }
    population[seed] = inside;
  }

  const order = Array.from({ length: n }, (_, seed) => seed).sort(
    (a, b) => (population[b] as number) - (population[a] as number) || a - b,
  );
  const kept: number[] = [];
  for (const seed of order) {
    let duplicate = false;
    for (const other of kept) {
      if (squaredDistance(modes, seed * dim, modes, other * dim, dim) < radius2) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) kept.push(seed);
  }

  const count = kept.length;
  const centres = new Float64Array(count * dim);
  kept.forEach((seed, c) => centres.set(modes.subarray(seed * dim, seed * dim + dim), c * dim));
  const sizes = new Int32Array(count);
  const labels = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < count; c++) {
      const distance = squaredDistance(points, p * dim, centres, c * dim, dim);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    labels[p] = best;
    sizes[best] = (sizes[best] as number) + 1;
  }
  return { count, centres, sizes, labels };
}
