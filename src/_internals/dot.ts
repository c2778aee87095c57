/**
 * Dot product of `a[aOffset .. aOffset+length)` and `b[bOffset .. bOffset+length)` in float64,
 * with four independent partial sums (summed as `(s0 + s1) + (s2 + s3)`, then the tail). The fixed
 * summation order makes every caller that uses it bit-for-bit consistent with every other, which
 * the lazy and dense greedy selections rely on; the four accumulators break the add-latency chain,
 * roughly doubling throughput over a single running sum.
 */
export function dotUnrolled(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const blocked = length - (length & 3);
  let j = 0;
  for (; j < blocked; j += 4) {
    s0 += (a[aOffset + j] as number) * (b[bOffset + j] as number);
    s1 += (a[aOffset + j + 1] as number) * (b[bOffset + j + 1] as number);
    s2 += (a[aOffset + j + 2] as number) * (b[bOffset + j + 2] as number);
    s3 += (a[aOffset + j + 3] as number) * (b[bOffset + j + 3] as number);
  }
  let sum = s0 + s1 + (s2 + s3);
  for (; j < length; j++) sum += (a[aOffset + j] as number) * (b[bOffset + j] as number);
  return sum;
}

/**
 * `out[0] = ⟨a, c⟩` and `out[1] = ⟨b, c⟩` over `length` entries from the given offsets, each summed
 * exactly as {@link dotUnrolled} (bit-for-bit the same values), in one pass that loads each entry
 * of the shared operand `c` once: eight independent partial sums instead of four.
 */
export function dotPairUnrolled(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  c: Float64Array,
  cOffset: number,
  length: number,
  out: Float64Array,
): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  const blocked = length - (length & 3);
  let j = 0;
  for (; j < blocked; j += 4) {
    const c0 = c[cOffset + j] as number;
    const c1 = c[cOffset + j + 1] as number;
    const c2 = c[cOffset + j + 2] as number;
    const c3 = c[cOffset + j + 3] as number;
    a0 += (a[aOffset + j] as number) * c0;
    a1 += (a[aOffset + j + 1] as number) * c1;
    a2 += (a[aOffset + j + 2] as number) * c2;
    a3 += (a[aOffset + j + 3] as number) * c3;
    b0 += (b[bOffset + j] as number) * c0;
    b1 += (b[bOffset + j + 1] as number) * c1;
    b2 += (b[bOffset + j + 2] as number) * c2;
    b3 += (b[bOffset + j + 3] as number) * c3;
  }
  let first = a0 + a1 + (a2 + a3);
  let second = b0 + b1 + (b2 + b3);
  for (; j < length; j++) {
    const shared = c[cOffset + j] as number;
    first += (a[aOffset + j] as number) * shared;
    second += (b[bOffset + j] as number) * shared;
  }
  out[0] = first;
  out[1] = second;
}

/**
 * `max_j` {@link dotUnrolled}`(a[aOffset..), rows[j·dim..])` over the first `count` rows of the
 * row-major `rows`: the largest cosine when all hold unit vectors. `-Infinity` when `count` is 0.
 * No allocation.
 */
export function maxDotUnrolled(a: Float64Array, aOffset: number, rows: Float64Array, count: number, dim: number): number {
  let best = -Infinity;
  for (let j = 0, row = 0; j < count; j++, row += dim) {
    const dot = dotUnrolled(a, aOffset, rows, row, dim);
    if (dot > best) best = dot;
  }
  return best;
}
