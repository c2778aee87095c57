import { createItemTable, type ItemTable } from '../../src/index.js';
import { packRequest } from '../../src/pack/pack-request.js';
import type { Candidate, PackedRequest } from '../../src/types.js';
import type { SpeedInput } from './inputs.js';

/** The ways a benchmark hands the same input to the library. */
export interface PreparedRequests {
  /** Candidates carrying their raw vectors as plain arrays (validated and normalised per request). */
  readonly raw: Candidate[];
  /** Candidates carrying only `{ id, relevance }`, resolved through {@link PreparedRequests.catalog}. */
  readonly byId: Candidate[];
  /** The candidates' catalogue, packed once with `createItemTable`. */
  readonly catalog: ItemTable;
  /** The request as `rerank()` packs it, for timing a strategy's `select()` alone. */
  readonly packed: PackedRequest;
}

/** Builds every form of the request once, outside any timed region. */
export function prepareRequests(input: SpeedInput): PreparedRequests {
  const { n, dim, relevance, embeddings } = input;
  const ids = Array.from({ length: n }, (_, i) => `item-${i}`);
  const raw: Candidate[] = ids.map((id, i) => ({
    id,
    relevance: relevance[i] as number,
    embedding: Array.from(embeddings.subarray(i * dim, i * dim + dim)),
  }));
  const byId: Candidate[] = ids.map((id, i) => ({ id, relevance: relevance[i] as number }));
  const catalog = createItemTable(raw.map(({ id, embedding }) => ({ id, embedding: embedding as number[] })));
  const packed = packRequest({ candidates: raw, k: 1, strategy: { name: 'pack', stage: 'post', requires: { embeddings: 'required' }, select: () => { throw new Error('unused'); } } });
  return { raw, byId, catalog, packed };
}
