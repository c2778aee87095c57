/**
 * `max_j a[aOffset..aOffset+dim) · b[j·dim..(j+1)·dim)` over the first `count` rows of `b`, the
 * largest cosine when both hold unit vectors; `-Infinity` when `count` is 0. Four independent
 * accumulators per dot product (about 1.5× faster than one on V8), no allocation.
 */
export function maxDot(a: Float64Array, aOffset: number, b: Float64Array, count: number, dim: number): number {
  let best = -Infinity;
  for (let j = 0, other = 0; j < count; j++, other += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d + 3 < dim; d += 4) {
      s0 += (a[aOffset + d] as number) * (b[other + d] as number);
      s1 += (a[aOffset + d + 1] as number) * (b[other + d + 1] as number);
      s2 += (a[aOffset + d + 2] as number) * (b[other + d + 2] as number);
      s3 += (a[aOffset + d + 3] as number) * (b[other + d + 3] as number);
    }
    for (; d < dim; d++) s0 += (a[aOffset + d] as number) * (b[other + d] as number);
    const dot = s0 + s1 + (s2 + s3);
    if (dot > best) best = dot;
  }
  return best;
}
