import { choiceOption } from './choice-option.js';

/**
 * How a blend puts relevance and a feature on one scale, per request:
 * - `'minmax'`: `(x − min) / (max − min)`, in [0, 1]; invariant to positive affine changes of the
 *   input scale (`a·x + b`, `a > 0`). A constant vector maps to all zeros.
 * - `'rank'`: mid-rank `(#{j : x_j < x_i} + ½·#{j ≠ i : x_j = x_i}) / (n − 1)`, in [0, 1]; invariant
 *   to every strictly increasing transform of the input. Equal inputs get equal values; n = 1 maps to 0.
 */
export type Normalisation = 'minmax' | 'rank';

/**
 * Checks a `normalise` option.
 *
 * @throws {@link RerankError} `INVALID_OPTION` naming the option and the accepted values.
 */
export function normalisationOption(owner: string, value: unknown, fallback: Normalisation): Normalisation {
  return value === undefined ? fallback : choiceOption(owner, 'normalise', value, ['minmax', 'rank']);
}

/** Min-max normalisation into `out` (see {@link Normalisation}). */
function minMax(values: Float64Array, out: Float64Array): void {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < low) low = x;
    if (x > high) high = x;
  }
  if (!(high > low)) {
    out.fill(0);
    return;
  }
  const range = high - low;
  if (Number.isFinite(range)) {
    for (let i = 0; i < values.length; i++) out[i] = ((values[i] as number) - low) / range;
    return;
  }
  // The range overflows float64 (inputs near ±Number.MAX_VALUE): halve both ends first.
  const halfRange = high / 2 - low / 2;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] as number) / 2 - low / 2) / halfRange;
}

/** Mid-rank normalisation into `out` (see {@link Normalisation}). O(n log n). */
function midRank(values: Float64Array, out: Float64Array): void {
  const n = values.length;
  if (n <= 1) {
    out.fill(0);
    return;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const x = values[order[start] as number] as number;
    while (end < n && values[order[end] as number] === x) end++;
    // Items start..end-1 tie: each has `start` smaller items and `end − start − 1` equal others.
    const value = (start + (end - start - 1) / 2) / (n - 1);
    for (let p = start; p < end; p++) out[order[p] as number] = value;
    start = end;
  }
}

/**
 * Normalises finite `values` per request with `mode` (see {@link Normalisation}).
 *
 * @param out - Where to write; a new array by default. May be `values` itself.
 * @returns `out`, every entry in [0, 1].
 */
export function normaliseScores(values: Float64Array, mode: Normalisation, out = new Float64Array(values.length)): Float64Array {
  if (mode === 'rank') midRank(values, out);
  else minMax(values, out);
  return out;
}
