import { createItemTable, itemVectors, isRerankError, type ItemTable, rerank } from '../index.js';
import type { ProgressListener } from './api.js';
import { compareStrategies, type SelectedRow, type StrategyRow } from './compare.js';
import { configuredFamilies, type EvaluationConfig } from './config.js';
import { type EvalContext, type EvalUser, median, minMaxNormalise, mostPopular } from './context.js';
import type { StrategyMetrics } from './evaluate.js';
import { fewUsersNotes } from './few-users.js';
import { type CandidateColumns, type CandidateData, readCandidates, readHistory } from './io/candidates.js';
import { IdIndex } from './io/growable.js';
import { inputError } from './io/input-error.js';
import { DEFAULT_ITEM_COLUMNS, type ItemColumns, type ItemMetadata, readItems } from './io/items.js';
import { seededRandom } from './random.js';
import { PREDICTION_WIDENING } from './selection.js';
import { STRATEGY_FAMILIES, type StrategyFamily } from './strategies.js';

/** Options of {@link evaluateCandidates}. */
export interface EvaluateCandidatesOptions {
  /** Candidates file: `userId,itemId,score` (CSV or `.jsonl`). */
  readonly candidates: string;
  /** Held-out positives file: `userId,itemId`. */
  readonly positives: string;
  /** Optional history file: `userId,itemId`, what each user consumed before, oldest first. @defaultValue none (no history) */
  readonly history?: string;
  /** Optional items file (`itemId[,title][,genres][,embedding]`). */
  readonly items?: string;
  /** Column names. @defaultValue `userId,itemId,score` (see `DEFAULT_CANDIDATE_COLUMNS`) */
  readonly columns?: Partial<CandidateColumns>;
  /** Items-file column names. @defaultValue `itemId,title,genres,embedding` */
  readonly itemColumns?: Partial<ItemColumns>;
  /** Settings. @defaultValue the demo's */
  readonly config?: EvaluationConfig;
  /** Extra strategy families (custom `Reranker`s). @defaultValue none */
  readonly extraFamilies?: readonly StrategyFamily<unknown>[];
  /** Progress. @defaultValue none */
  readonly progress?: ProgressListener;
  /** One line per stage. @defaultValue none */
  readonly log?: (line: string) => void;
}

/** A family mode (b) could not run, and why (e.g. it needs a user history, which candidates do not carry). */
export interface SkippedFamily {
  /** Family. */
  readonly family: string;
  /** The library's error message. */
  readonly reason: string;
}

/** What {@link evaluateCandidates} returns (also `report.json`). */
export interface CandidatesReport {
  /** Always `candidates` (mode b). */
  readonly mode: 'candidates';
  /** Name of the base ranking in tables: `your scores`. */
  readonly baseName: string;
  /** The candidates file. */
  readonly dataset: string;
  /** How the run was set up, in words and numbers. */
  readonly protocol: Readonly<Record<string, unknown>>;
  /** List length. */
  readonly k: number;
  /** Seed of the user split, the item vectors and the bootstrap. */
  readonly seed: number;
  /** Users in each half. */
  readonly users: { readonly validation: number; readonly test: number };
  /** Your ranking (candidates by score) on the test half. */
  readonly base: StrategyMetrics & { readonly validationNdcg: number; readonly validationSerendipityHitCount: number };
  /** The one split ({@link USER_SPLIT}) with its base and the share of rows that met their floor on test. */
  readonly splits: readonly { readonly split: string; readonly base: CandidatesReport['base']; readonly floorsMet: { readonly met: number; readonly rows: number } }[];
  /** Every grid point on the test half. */
  readonly strategies: readonly StrategyRow[];
  /** Per family and floor, the setting chosen on the validation half, reported on the test half. */
  readonly selected: readonly SelectedRow[];
  /** Selected rows with a setting, and how many met their floor on test. */
  readonly floorsMet: { readonly met: number; readonly rows: number };
  /** Families that could not run on this input. */
  readonly skipped: readonly SkippedFamily[];
  /** Notes for the reader (none in mode b). */
  readonly notes: readonly string[];
}

/** Name of mode (b)'s single split (users split in two halves). */
export const USER_SPLIT = 'user halves';

/** Default size of the primitive list PM in mode (b): the most frequent candidate items. @defaultValue 100 */
export const DEFAULT_PRIMITIVE_SIZE = 100;

/** Rows scaled to unit length (zero rows stay zero). */
function unitRows(vectors: Float64Array, n: number, dim: number): Float64Array {
  const unit = new Float64Array(vectors.length);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (vectors[i * dim + j] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) unit[i * dim + j] = (vectors[i * dim + j] as number) * scale;
  }
  return unit;
}

/** Item vectors: the items file's embeddings, or cosine co-occurrence vectors of the candidate lists. */
function vectorsFor(
  data: CandidateData,
  metadata: ItemMetadata | undefined,
  itemsPath: string | undefined,
  candidatesPath: string,
  seed: number,
  history: readonly Int32Array[] | undefined,
): { vectors: Float64Array; dim: number; source: string; name: string } {
  const n = data.items.size;
  if (metadata?.hasEmbeddings === true) {
    const dim = metadata.embeddings.find((e) => e !== undefined)?.length ?? 0;
    const vectors = new Float64Array(n * dim);
    metadata.embeddings.forEach((e, item) => {
      if (e !== undefined) vectors.set(e, item * dim);
    });
    for (const user of data.users) {
      for (const item of user.items) {
        if (metadata.embeddings[item] === undefined) {
          throw inputError(itemsPath as string, 1, undefined, `no embedding for candidate item "${data.items.ids[item] as string}" (from ${candidatesPath}); give every candidate item an embedding or drop the embedding column.`);
        }
      }
    }
    return { vectors, dim, source: 'the items file\'s embeddings', name: 'given' };
  }
  // Rows of X: every user's candidate list (so every candidate item has a vector), then histories.
  const rows = [...data.users.map((user) => user.items), ...(history ?? [])].filter((row) => row.length > 0);
  let total = 0;
  for (const row of rows) total += row.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(total);
  rows.forEach((row, r) => {
    indices.set(row, indptr[r] as number);
    indptr[r + 1] = (indptr[r] as number) + row.length;
  });
  const result = itemVectors({ numItems: n, indptr, indices }, { method: 'cosine', seed });
  const what = history === undefined ? 'the candidate lists' : 'the candidate lists and the histories';
  return { vectors: result.vectors, dim: result.dim, source: `itemVectors(cosine, d=${result.dim}) of ${what} (each list one row)`, name: 'candidates' };
}

function context(split: 'validation' | 'test', users: readonly EvalUser[], catalog: ItemTable, shared: Omit<EvalContext, 'split' | 'users' | 'catalog' | 'metricCatalog'>): EvalContext {
  return { ...shared, split, users, catalog, metricCatalog: catalog };
}

/**
 * Mode (b) of `serendipity-rerank evaluate`: your model's scored candidates and each user's held-out
 * positives. Users are split by a seeded shuffle into a validation half (settings chosen there) and
 * a test half (reported), then the shared comparison runs (`compareStrategies`) with the candidates in
 * score order as the base. With a history file, it gives each user's history (unexpectedness,
 * unexpected hits) and popularity (novelty, PM); without one, popularity is the number of users an
 * item is a candidate for and every candidate has u = 1, so unexpected hits are 0. Families that
 * cannot run on the input (and families that learn from an earlier labelled window) are listed in
 * `skipped`.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` with a one-line `file:line:column:` message on bad input.
 */
export async function evaluateCandidates(options: EvaluateCandidatesOptions): Promise<CandidatesReport> {
  const config = options.config ?? {};
  const seed = config.seed ?? 42;
  const k = config.k ?? 10;
  const items = new IdIndex();
  const itemColumns = { ...DEFAULT_ITEM_COLUMNS, item: 'itemId', ...options.itemColumns };
  const metadata = options.items === undefined ? undefined : await readItems(options.items, items, itemColumns, new Set(Object.keys(options.itemColumns ?? {})));
  const data = await readCandidates(options.candidates, options.positives, items, options.columns);
  const history = options.history === undefined ? undefined : await readHistory(options.history, data, options.columns);
  options.log?.(`read ${data.rows} candidates of ${data.users.length} users, ${items.size} items`);
  const n = items.size;
  const ids = items.ids;
  // Popularity: distinct users in the history when there is one, else how many users an item is a candidate for.
  const popularity = new Float64Array(n);
  const inCatalog = new Uint8Array(n);
  for (const user of data.users) for (const item of user.items) inCatalog[item] = 1;
  for (const list of history ?? data.users.map((user) => user.items)) {
    for (const item of new Set(list)) {
      popularity[item] = (popularity[item] as number) + 1;
      inCatalog[item] = 1;
    }
  }
  const { vectors, dim, source, name } = vectorsFor(data, metadata, options.items, options.candidates, seed, history);
  const unit = unitRows(vectors, n, dim);
  // History items without a vector (no embedding in the items file) cannot be compared: left out.
  const hasVector = (i: number): boolean => {
    for (let j = 0; j < dim; j++) if (unit[i * dim + j] !== 0) return true;
    return false;
  };
  const catalogItems = Array.from({ length: n }, (_, i) => i).filter((i) => inCatalog[i] === 1 && hasVector(i));
  const catalog = createItemTable(
    catalogItems.map((i) => ({
      id: ids[i] as string,
      embedding: vectors.subarray(i * dim, i * dim + dim),
      categories: metadata?.categories[i] ?? [],
      popularity: popularity[i] as number,
    })),
  );
  const primitive = mostPopular(popularity, ids, config.primitiveSize ?? DEFAULT_PRIMITIVE_SIZE);
  const evalUsers: EvalUser[] = data.users.map((user, u) => {
    const past = (history?.[u] ?? new Int32Array(0)).filter(hasVector);
    // u_i = 1 − max over the history of cos(e_i, e_h); 1 with no history (the max over nothing is 0).
    const unexpectedness = Float64Array.from(user.items, (item) => {
      let best = 0;
      for (const h of past) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += (unit[item * dim + j] as number) * (unit[h * dim + j] as number);
        if (dot > best) best = dot;
      }
      return 1 - best;
    });
    return {
      id: user.id,
      candidateIds: Array.from(user.items, (i) => ids[i] as string),
      relevance: minMaxNormalise(user.scores),
      historyIds: Array.from(past, (i) => ids[i] as string),
      relevant: new Set(Array.from(user.positives, (i) => ids[i] as string)),
      unexpectedness,
      medianUnexpectedness: median(unexpectedness),
    };
  });
  const order = evalUsers.map((_, u) => u);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const half = Math.ceil(order.length / 2);
  const validationUsers = order.slice(0, half).sort((a, b) => a - b).map((u) => evalUsers[u] as EvalUser);
  const testUsers = order.slice(half).sort((a, b) => a - b).map((u) => evalUsers[u] as EvalUser);
  if (testUsers.length === 0) throw inputError(options.candidates, 1, undefined, 'needs at least 2 users with candidates and positives (one for validation, one for test).');
  const shared = {
    representation: name,
    data: { items: ids, titles: Array.from(ids, (_, i) => metadata?.titles[i] ?? ''), genres: Array.from(ids, (_, i) => metadata?.categories[i] ?? []), timelines: [], numRatings: 0 },
    train: { train: [], trainPositives: [], heldOutPositives: [] },
    space: { items: Int32Array.from(ids, (_, i) => i), column: Int32Array.from(ids, (_, i) => i), userCounts: popularity },
    vectors,
    dim,
    unitVectors: unit,
    popularity,
    numUsers: history === undefined ? data.users.length : history.filter((list) => list.length > 0).length || data.users.length,
    primitive,
    lambda: Number.NaN,
    k,
  };
  const validation = context('validation', validationUsers, catalog, shared);
  const test = context('test', testUsers, catalog, shared);

  // Families that cannot run without what mode (b) lacks (a history) are skipped, not crashed on.
  const skipped: SkippedFamily[] = [];
  const probe = validationUsers[0] as EvalUser;
  const runnable = [...configuredFamilies(config, STRATEGY_FAMILIES), ...(options.extraFamilies ?? [])].filter((family) => {
    if (family.prepare !== undefined) {
      skipped.push({ family: family.family, reason: 'learns from an earlier labelled window and user histories, which mode (b) does not have' });
      return false;
    }
    try {
      const strategy = family.make(family.params[0] as number | string, validation, undefined);
      rerank({ candidates: probe.candidateIds.map((id, i) => ({ id, relevance: probe.relevance[i] as number })), user: { id: probe.id, history: probe.historyIds.map((id) => ({ id })) }, k, strategy, catalog });
      return true;
    } catch (error) {
      if (!isRerankError(error)) throw error;
      skipped.push({ family: family.family, reason: error.message });
      options.log?.(`skipped ${family.family}: ${error.message}`);
      return false;
    }
  });
  const floors = config.floors ?? [0.95, 0.9];
  const comparison = compareStrategies(validation, test, {
    families: runnable,
    floors,
    seed,
    split: USER_SPLIT,
    ...(config.bootstrapSamples === undefined ? {} : { bootstrapSamples: config.bootstrapSamples }),
    ...(config.predictionWidening === undefined ? {} : { predictionWidening: config.predictionWidening }),
    ...(options.progress === undefined ? {} : { onProgress: options.progress }),
  });
  const chosen = comparison.selected.filter((row) => row.param !== null);
  const floorsMet = { met: chosen.filter((row) => row.metFloorOnTest === true).length, rows: chosen.length };
  const notes = fewUsersNotes([{ split: USER_SPLIT, users: { validation: validationUsers.length, test: testUsers.length } }]);
  for (const note of notes) options.log?.(`note: ${note}`);
  const base = {
    ...comparison.base.test.metrics,
    validationNdcg: comparison.base.validation.metrics.ndcg,
    validationSerendipityHitCount: comparison.base.validation.metrics.serendipityHitCount,
  };
  return {
    mode: 'candidates',
    baseName: 'your scores',
    dataset: options.candidates,
    protocol: {
      split: 'users shuffled with the seed; first half validation, second half test',
      relevance: 'scores min-max normalised per user',
      popularity: history === undefined ? 'number of users an item is a candidate for' : 'distinct users of an item in the history file',
      primitive: `top-${config.primitiveSize ?? DEFAULT_PRIMITIVE_SIZE} items by that popularity`,
      itemVectors: source,
      unexpectedHits:
        history === undefined
          ? 'no history file: every candidate has u = 1, so unexpected hits are 0'
          : 'u = 1 − max cos(candidate, history item) with the item vectors above; a hit counts when u exceeds the median u of the user\'s candidates',
      bootstrapSamples: config.bootstrapSamples ?? 2000,
      predictionWidening: config.predictionWidening ?? PREDICTION_WIDENING,
    },
    k,
    seed,
    users: { validation: validationUsers.length, test: testUsers.length },
    base,
    splits: [{ split: USER_SPLIT, base, floorsMet }],
    strategies: comparison.strategies,
    selected: comparison.selected,
    floorsMet,
    skipped,
    notes,
  };
}
