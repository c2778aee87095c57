import { createItemTable, type ItemTable } from '../../src/index.js';
import { packRequest } from '../../src/pack/pack-request.js';
import type { Candidate, PackedRequest } from '../../src/types.js';
import { mulberry32 } from '../../src/_internals/random.js';
import { makeInput, type SpeedInput } from './inputs.js';

/** Catalogue items per candidate in the realistic catalogue case. */
const CATALOGUE_FACTOR = 10;

/** The ways a benchmark hands the same input to the library. */
export interface PreparedRequests {
  /** Candidates carrying their raw vectors as plain arrays (validated and normalised per request). */
  readonly raw: Candidate[];
  /** Candidates carrying only `{ id, relevance }`, resolved through {@link PreparedRequests.catalog}. */
  readonly byId: Candidate[];
  /** The candidates' catalogue, packed once with `createItemTable`. */
  readonly catalog: ItemTable;
  /**
   * A realistic catalogue request: the candidates sit at scattered rows of a catalogue ten times
   * their number (the rest are other items), and their ids are fresh strings, as if parsed from a
   * request body, rather than the very strings the table was built from.
   */
  readonly scattered: { readonly catalog: ItemTable; readonly candidates: Candidate[] } | null;
  /** The request as `rerank()` packs it, for timing a strategy's `select()` alone. */
  readonly packed: PackedRequest;
}

/**
 * Builds every form of the request once, outside any timed region; the scattered catalogue (ten
 * times the data) only when `withScattered`.
 */
export function prepareRequests(input: SpeedInput, withScattered = true): PreparedRequests {
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
  return { raw, byId, catalog, packed, scattered: withScattered ? scatteredCatalog(input, raw) : null };
}

function scatteredCatalog(input: SpeedInput, raw: Candidate[]): PreparedRequests['scattered'] {
  const { n, dim } = input;
  const others = makeInput((CATALOGUE_FACTOR - 1) * n, dim, input.shape, n + dim);
  const items = [
    ...raw.map(({ id, embedding }) => ({ id, embedding: embedding as number[] })),
    ...Array.from({ length: others.n }, (_, i) => ({ id: `other-${i}`, embedding: Array.from(others.embeddings.subarray(i * dim, i * dim + dim)) })),
  ];
  const random = mulberry32(n);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as (typeof items)[number], items[i] as (typeof items)[number]];
  }
  const candidates: Candidate[] = JSON.parse(JSON.stringify(raw.map(({ id, relevance }) => ({ id, relevance }))));
  return { catalog: createItemTable(items), candidates };
}
