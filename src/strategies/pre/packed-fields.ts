import { RerankError } from '../../errors/rerank-error.js';
import type { PackedCategories, PackedRequest } from '../../types.js';

/*
 * Accessors for packed fields a feature needs. `rerank()` packs what a strategy's `requires` asks
 * for; a host calling a feature function directly must pack the same fields, e.g.
 * `packRequest(request, unexpectednessBlend().requires)`. These turn a forgotten field into a
 * typed error instead of a crash or a NaN.
 */

/**
 * The candidates' unit embeddings.
 *
 * @throws {@link RerankError} `MISSING_EMBEDDING` when they were not packed.
 */
export function candidateEmbeddings(request: PackedRequest, owner: string): Float64Array {
  const { embeddings } = request.candidates;
  if (embeddings === undefined) {
    throw new RerankError(
      'MISSING_EMBEDDING',
      `${owner} needs candidate embeddings; pack the request with requires { embeddings: 'required' } (rerank() does this for you).`,
      { field: 'candidates.embedding' },
    );
  }
  return embeddings;
}

/**
 * The history's unit embeddings (empty when the history is empty).
 *
 * @throws {@link RerankError} `MISSING_HISTORY` when the history has items but their embeddings were not packed.
 */
export function historyEmbeddings(request: PackedRequest, owner: string): Float64Array {
  const { embeddings, n } = request.history;
  if (embeddings !== undefined) return embeddings;
  if (n === 0) return new Float64Array(0);
  throw new RerankError(
    'MISSING_HISTORY',
    `${owner} needs history embeddings; pack the request with requires { historyEmbeddings: 'required' } (rerank() does this for you).`,
    { field: 'user.history.embedding' },
  );
}

/**
 * The candidates' categories.
 *
 * @throws {@link RerankError} `MISSING_CATEGORIES` when they were not packed.
 */
export function candidateCategories(request: PackedRequest, owner: string): PackedCategories {
  const { categories } = request.candidates;
  if (categories === undefined) {
    throw new RerankError(
      'MISSING_CATEGORIES',
      `${owner} needs candidate categories; pack the request with requires { categories: 'required' } (rerank() does this for you).`,
      { field: 'candidates.categories' },
    );
  }
  return categories;
}

/**
 * The history's categories (no rows when the history is empty).
 *
 * @throws {@link RerankError} `MISSING_HISTORY` when the history has items but their categories were not packed.
 */
export function historyCategories(request: PackedRequest, owner: string): PackedCategories {
  const { categories, n } = request.history;
  if (categories !== undefined) return categories;
  if (n === 0) return { offsets: new Uint32Array(1), codes: new Uint32Array(0) };
  throw new RerankError(
    'MISSING_HISTORY',
    `${owner} needs history categories; pack the request with requires { historyCategories: 'required' } (rerank() does this for you).`,
    { field: 'user.history.categories' },
  );
}

/**
 * The candidates' popularity counts.
 *
 * @throws {@link RerankError} `MISSING_POPULARITY` when they were not packed.
 */
export function candidatePopularity(request: PackedRequest, owner: string): Float64Array {
  const { popularity } = request.candidates;
  if (popularity === undefined) {
    throw new RerankError(
      'MISSING_POPULARITY',
      `${owner} needs candidate popularity; pack the request with requires { popularity: 'required' } (rerank() does this for you).`,
      { field: 'candidates.popularity' },
    );
  }
  return popularity;
}
