import { describeValue } from '../../errors/describe-value.js';
import { RerankError } from '../../errors/rerank-error.js';

/**
 * Arithmetic of the similarity kernels of `mmr()` and `dpp()`:
 * - `'float64'` (the default): double precision throughout, bit-identical across backends.
 * - `'float32'`: the unit rows are rounded to float32 and every dot product runs in single
 *   precision (f32x4 WebAssembly SIMD, or the bit-identical JS fallback), at half the bytes and
 *   twice the SIMD lanes; the greedy bookkeeping stays float64. Meant for high-dimensional text
 *   embeddings (768–1536), which arrive as float32 anyway. See README "Single precision" for the
 *   tolerance.
 */
export type Precision = 'float64' | 'float32';

/** Default {@link Precision}: the float64 path, unchanged by the float32 option. */
export const DEFAULT_PRECISION: Precision = 'float64';

/**
 * Returns `value` when it is a {@link Precision}, the default when it is undefined.
 *
 * @throws {@link RerankError} `INVALID_OPTION` naming the option and the accepted values.
 */
export function precisionOption(owner: string, value: unknown): Precision {
  if (value === undefined) return DEFAULT_PRECISION;
  if (value === 'float64' || value === 'float32') return value;
  throw new RerankError('INVALID_OPTION', `${owner}: option "precision" must be 'float64' or 'float32', got ${describeValue(value)}.`, {
    field: 'options.precision',
    value,
  });
}
