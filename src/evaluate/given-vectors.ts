import { RerankError } from '../index.js';
import type { ItemVectors } from './context.js';
import { type ItemSpace, MIN_ITEM_SUPPORT } from './ease.js';
import { inputError } from './io/input-error.js';
import type { MovieLensData } from './movielens.js';
import { POSITIVE_THRESHOLD } from './split.js';

/**
 * The `given` item representation: the embeddings that came with the data (an items file's
 * `embedding` column), one row per item of the split's item space, row-major `items × dim`. They
 * replace only the vectors the strategies see; `u`, UH and ILD keep the fixed metric vectors.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when an item of the space has no embedding
 *   ({@link requireGivenEmbeddings} rules that out for the CLI and `evaluateInteractions`).
 */
export function givenVectors(space: ItemSpace, data: MovieLensData): ItemVectors {
  const embeddings = data.embeddings ?? [];
  const dim = embeddings.find((e) => e !== undefined)?.length ?? 0;
  const vectors = new Float64Array(space.items.length * dim);
  space.items.forEach((item, c) => {
    const embedding = embeddings[item];
    if (embedding === undefined || embedding.length !== dim) {
      throw new RerankError('INVALID_ARGUMENT', `item "${data.items[item] as string}" has no ${dim}-number embedding; every item the base can rank needs one for the given representation.`, { field: 'embeddings' });
    }
    vectors.set(embedding, c * dim);
  });
  return { vectors, dim };
}

/** Where the inputs of {@link requireGivenEmbeddings} came from, for its error message. */
export interface GivenEmbeddingsSource {
  /** Interactions file. */
  readonly interactions: string;
  /** Items file. */
  readonly items: string;
  /** First line of each item in the interactions file (0: none), and the item column there. */
  readonly firstSeen: { readonly lines: Int32Array; readonly column: number | string };
}

/**
 * Checks, before anything runs, that every item the EASE base may rank has a given embedding: the
 * items with at least {@link MIN_ITEM_SUPPORT} users who rated them ≥ {@link POSITIVE_THRESHOLD}
 * (every split's item space is a subset of these). Items outside that set need none: they are
 * never candidates. A partial embedding file is refused rather than patched (a zero or borrowed
 * vector would be a made-up similarity).
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` naming the interactions file, line and column where
 *   the first such item without an embedding appears.
 */
export function requireGivenEmbeddings(data: MovieLensData, source: GivenEmbeddingsSource): void {
  const embeddings = data.embeddings;
  if (embeddings === undefined) return;
  const users = new Int32Array(data.items.length);
  const lastUser = new Int32Array(data.items.length).fill(-1);
  data.timelines.forEach((timeline, u) => {
    timeline.items.forEach((item, i) => {
      if ((timeline.ratings[i] as number) >= POSITIVE_THRESHOLD && lastUser[item] !== u) {
        lastUser[item] = u;
        users[item] = (users[item] as number) + 1;
      }
    });
  });
  let missing = -1;
  let count = 0;
  users.forEach((n, item) => {
    if (n < MIN_ITEM_SUPPORT || embeddings[item] !== undefined) return;
    count++;
    const line = source.firstSeen.lines[item] as number;
    if (missing < 0 || line < (source.firstSeen.lines[missing] as number)) missing = item;
  });
  if (missing < 0) return;
  const others = count > 1 ? ` (and ${count - 1} more such item${count > 2 ? 's' : ''})` : '';
  throw inputError(
    source.interactions,
    source.firstSeen.lines[missing] as number,
    source.firstSeen.column,
    `item "${data.items[missing] as string}" has no embedding in ${source.items}${others}, but ${users[missing] as number} users liked it, so the base can recommend it; give every such item an embedding, or drop the embedding column to use the vectors built from the interactions only.`,
  );
}
