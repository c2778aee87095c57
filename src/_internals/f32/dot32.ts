const fround = Math.fround;

/**
 * Single-precision dot product of `a[aOffset ..]` and `b[bOffset ..]` over `length` entries, in the
 * exact order of the f32x4 WebAssembly kernel (`$dot32` in src/_internals/wasm/f32-kernels.wat), so
 * both backends of the float32 path agree bit for bit: eight partial sums (two f32x4 vectors) over
 * blocks of eight entries, a last block of four into the first vector, the two vectors added lane
 * by lane, their lanes summed as `(l0 + l1) + (l2 + l3)`, then the scalar tail. Every product and
 * sum is rounded to float32 (`Math.fround`; a float64 product of two float32 values is exact and
 * a float64 sum rounded to float32 equals the float32 sum, so this is IEEE single precision).
 */
export function dot32(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  const eights = length & ~7;
  const fours = length & ~3;
  let j = 0;
  for (; j < eights; j += 8) {
    const x = aOffset + j;
    const y = bOffset + j;
    p0 = fround(p0 + fround((a[x] as number) * (b[y] as number)));
    p1 = fround(p1 + fround((a[x + 1] as number) * (b[y + 1] as number)));
    p2 = fround(p2 + fround((a[x + 2] as number) * (b[y + 2] as number)));
    p3 = fround(p3 + fround((a[x + 3] as number) * (b[y + 3] as number)));
    q0 = fround(q0 + fround((a[x + 4] as number) * (b[y + 4] as number)));
    q1 = fround(q1 + fround((a[x + 5] as number) * (b[y + 5] as number)));
    q2 = fround(q2 + fround((a[x + 6] as number) * (b[y + 6] as number)));
    q3 = fround(q3 + fround((a[x + 7] as number) * (b[y + 7] as number)));
  }
  if (j < fours) {
    const x = aOffset + j;
    const y = bOffset + j;
    p0 = fround(p0 + fround((a[x] as number) * (b[y] as number)));
    p1 = fround(p1 + fround((a[x + 1] as number) * (b[y + 1] as number)));
    p2 = fround(p2 + fround((a[x + 2] as number) * (b[y + 2] as number)));
    p3 = fround(p3 + fround((a[x + 3] as number) * (b[y + 3] as number)));
    j += 4;
  }
  let sum = fround(fround(fround(p0 + q0) + fround(p1 + q1)) + fround(fround(p2 + q2) + fround(p3 + q3)));
  for (; j < length; j++) sum = fround(sum + fround((a[aOffset + j] as number) * (b[bOffset + j] as number)));
  return sum;
}
