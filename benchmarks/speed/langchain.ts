import { maximalMarginalRelevance } from '@langchain/core/utils/math';
import type { SpeedInput } from './inputs.js';

/** LangChain's MMR arguments for a `'flat'` input: the query and the raw vectors as plain arrays. */
export interface LangChainInput {
  readonly query: number[];
  readonly embeddings: number[][];
}

/**
 * The input as `maximalMarginalRelevance` from `@langchain/core/utils/math` takes it, or null when
 * the input has no query vector (its relevance is then not the cosine to a query, which is the only
 * relevance LangChain's MMR knows).
 */
export function langChainInput(input: SpeedInput): LangChainInput | null {
  const { n, dim, embeddings, query } = input;
  if (query === undefined) return null;
  return {
    query: Array.from(query),
    embeddings: Array.from({ length: n }, (_, i) => Array.from(embeddings.subarray(i * dim, i * dim + dim))),
  };
}

/** LangChain's MMR: the indices it selects, in order. It recomputes similarity to every pick at every step: O(n·k²·dim). */
export function runLangChain(input: LangChainInput, k: number, lambda: number): number[] {
  return maximalMarginalRelevance(input.query, input.embeddings, lambda, k);
}
