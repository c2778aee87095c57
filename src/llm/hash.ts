/** Offset basis of 64-bit FNV-1a, split into 32-bit halves. */
const FNV64_OFFSET_HIGH = 0xcbf29ce4;
const FNV64_OFFSET_LOW = 0x84222325;
/** The 64-bit FNV prime is 2^40 + 0x1b3; this is its low part. */
const FNV64_PRIME_LOW = 0x1b3;
const TWO_POW_32 = 0x1_0000_0000;

const encoder = new TextEncoder();

/**
 * 64-bit FNV-1a (Fowler–Noll–Vo, IETF draft-eastlake-fnv) over the UTF-8 bytes of `text`, as 16
 * lower-case hex digits. Pure JavaScript and synchronous (no `crypto.subtle`), so it runs in
 * browsers and edge runtimes. It is a content fingerprint for cache keys, not a cryptographic hash:
 * do not use it where an adversary could benefit from a collision.
 *
 * The product `h · prime mod 2^64` is computed on two 32-bit halves: with `prime = 2^40 + 0x1b3`,
 * `h · 2^40 mod 2^64` only adds `low << 8` to the high half, and every intermediate stays below
 * 2^53, so float64 arithmetic is exact.
 *
 * @example `fnv1a64('a') === 'af63dc4c8601ec8c'`
 */
export function fnv1a64(text: string): string {
  const bytes = encoder.encode(text);
  let high = FNV64_OFFSET_HIGH;
  let low = FNV64_OFFSET_LOW;
  for (let i = 0; i < bytes.length; i++) {
    low = (low ^ (bytes[i] as number)) >>> 0;
    const lowProduct = low * FNV64_PRIME_LOW;
    const carry = Math.floor(lowProduct / TWO_POW_32);
    high = (high * FNV64_PRIME_LOW + carry + ((low << 8) >>> 0)) % TWO_POW_32;
    low = lowProduct % TWO_POW_32;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
