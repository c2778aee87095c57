/**
 * Seeded randomness for the evaluation: mulberry32 (the library's own, in src/_internals), so the
 * same seed gives the same stream on every platform and bootstrap CIs and SVD start vectors are
 * reproducible.
 */
export { mulberry32 as seededRandom } from '../_internals/random.js';

/** A standard normal draw from `random` (Box–Muller transform). */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
