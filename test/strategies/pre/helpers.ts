import { packRequest } from '../../../src/pack/pack-request.js';
import { relevance } from '../../../src/strategies/post/relevance.js';
import type { Candidate, HistoryItem, PackedRequest, Requirements } from '../../../src/types.js';

/** Packs candidates and a history with every field the pre-processing features read. */
export const ALL_FIELDS: Requirements = {
  embeddings: 'required',
  historyEmbeddings: 'required',
  categories: 'required',
  historyCategories: 'required',
  popularity: 'required',
};

export function pack(
  candidates: readonly Candidate[],
  history: readonly HistoryItem[],
  requires: Requirements = ALL_FIELDS,
): PackedRequest {
  return packRequest({ candidates, user: { id: 'u', history }, k: 1, strategy: relevance() }, requires);
}

/** Independent float64 cosine of two raw vectors. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, j) => {
    const y = b[j] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}
