import { type Candidate, catalogCoverage, evaluateList, giniIndex, type ItemTable, rerank, type Reranker, serendipityAuralist, unexpectedness, type UserContext } from '../index.js';
import { createRequestMemo, type RequestMemo, withRequestMemo } from '../strategies/pre/request-memo.js';
import type { EvalContext, EvalUser } from './context.js';

/**
 * Users whose requests are timed for the latency columns: every ⌈m / this⌉-th user, each request run
 * once more outside the feature memo so the time is what a single request costs. @defaultValue 200
 */
export const LATENCY_USERS = 200;

/** Per-user outcomes of one strategy on one split, aligned with `context.users`. */
export interface UserOutcomes {
  /** nDCG@k per user. */
  readonly ndcg: Float64Array;
  /** Ge serendipity hits per user: held-out positives in the top k that are not in PM (a count). */
  readonly serendipityHits: Float64Array;
  /** Unexpected hits per user: held-out positives in the top k with `u` above the user's median candidate `u` (a count). */
  readonly unexpectedHits: Float64Array;
}

/** Averages of one strategy on one split (see {@link evaluateStrategy}). */
export interface StrategyMetrics {
  /** nDCG@k (docs/formulas.md#ndcg, binary relevance). */
  readonly ndcg: number;
  /** recall@k. */
  readonly recall: number;
  /** Ge serendipity@k: mean over users of |hits ∉ PM| / k. */
  readonly serendipityHits: number;
  /** Unexpected hits@k: mean over users of |hits with u > median u| / k. */
  readonly unexpectedHits: number;
  /** Total Ge hits over users. */
  readonly serendipityHitCount: number;
  /** Total unexpected hits over users. */
  readonly unexpectedHitCount: number;
  /** Intra-list diversity (mean 1 − cos over pairs). */
  readonly ild: number;
  /** MIUF novelty. */
  readonly novelty: number;
  /** Unexpectedness: mean over the list of 1 − max cos to the history. */
  readonly unexpectedness: number;
  /** Auralist serendipity (binary relevance). */
  readonly auralist: number;
  /** Catalogue coverage of all users' lists over the item space. */
  readonly coverage: number;
  /** Gini index of exposure over the item space. */
  readonly gini: number;
  /** Median `rerank()` latency per request, milliseconds. */
  readonly latencyMedianMs: number;
  /** 99th-percentile `rerank()` latency per request, milliseconds. */
  readonly latencyP99Ms: number;
}

/** What {@link evaluateStrategy} returns. */
export interface StrategyEvaluation {
  /** Per-user outcomes (for paired bootstrap CIs). */
  readonly outcomes: UserOutcomes;
  /** Averages; only nDCG and the hit metrics when `full` was false. */
  readonly metrics: StrategyMetrics;
}

/** The `q`-quantile of `values` (nearest rank on the sorted values). */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Item `id`'s vector in the fixed metric catalogue (ILD and unexpectedness never depend on the strategies' representation). */
function rowOf(context: EvalContext, id: string): Float64Array {
  const table = context.metricCatalog;
  const row = table.indexOf(id);
  return (table.embeddings as Float64Array).subarray(row * table.dim, row * table.dim + table.dim);
}

const historyCache = new WeakMap<EvalUser, readonly Float64Array[]>();
const requestCache = new WeakMap<EvalUser, { readonly candidates: readonly Candidate[]; readonly user: UserContext }>();

/** The user's candidates (id and relevance only) and user context, built once and reused by every strategy. */
function requestParts(user: EvalUser): { readonly candidates: readonly Candidate[]; readonly user: UserContext } {
  let parts = requestCache.get(user);
  if (parts === undefined) {
    parts = {
      candidates: user.candidateIds.map((id, i) => ({ id, relevance: user.relevance[i] as number })),
      user: { id: user.id, history: user.historyIds.map((id) => ({ id })) },
    };
    requestCache.set(user, parts);
  }
  return parts;
}

const memos = new WeakMap<ItemTable, WeakMap<EvalUser, RequestMemo>>();

/** The feature memo of one user's requests against one catalogue (every grid point of every family shares it). */
function requestMemo(catalog: ItemTable, user: EvalUser): RequestMemo {
  let byUser = memos.get(catalog);
  if (byUser === undefined) memos.set(catalog, (byUser = new WeakMap()));
  let memo = byUser.get(user);
  if (memo === undefined) byUser.set(user, (memo = createRequestMemo()));
  return memo;
}

/** Per user and list item: its terms of the unexpectedness and Auralist sums (fixed metric vectors). */
const listTermCache = new WeakMap<EvalUser, Map<string, { readonly unexpectedness: number; readonly auralist: number }>>();

/**
 * The item's terms `1 − max_h cos` and `(1 − mean_h cos)·rel` as the library's `unexpectedness` and
 * `serendipityAuralist` compute them (each on a one-item list, so the term is exactly the one their
 * sums add), memoised per user: lists of different grid points share most items.
 */
function listTerms(context: EvalContext, user: EvalUser, id: string): { readonly unexpectedness: number; readonly auralist: number } {
  let terms = listTermCache.get(user);
  if (terms === undefined) listTermCache.set(user, (terms = new Map()));
  let term = terms.get(id);
  if (term === undefined) {
    const vector = [rowOf(context, id)];
    const history = historyVectors(context, user);
    term = { unexpectedness: unexpectedness(vector, history), auralist: serendipityAuralist(vector, history, [user.relevant.has(id) ? 1 : 0]) };
    terms.set(id, term);
  }
  return term;
}

/** Mean over the top `k` of `list` of each item's term, summed in list order (as the library's metrics sum). */
function meanTerm(context: EvalContext, user: EvalUser, list: readonly string[], k: number, which: 'unexpectedness' | 'auralist'): number {
  const depth = Math.min(k, list.length);
  if (depth === 0) return 0;
  let sum = 0;
  for (let i = 0; i < depth; i++) sum += listTerms(context, user, list[i] as string)[which];
  return sum / depth;
}

function historyVectors(context: EvalContext, user: EvalUser): readonly Float64Array[] {
  let vectors = historyCache.get(user);
  if (vectors === undefined) {
    vectors = user.historyIds.map((id) => rowOf(context, id));
    historyCache.set(user, vectors);
  }
  return vectors;
}

/**
 * Runs `strategy` through the public `rerank()` for every user of `context` (candidates carry id and
 * relevance; embeddings, genres and popularity come from `context.catalog`; the history is the train
 * positives by id) and scores the lists with the library's metrics (`evaluateList`, `catalogCoverage`,
 * `giniIndex`). Every grid point shares one feature memo per user and catalogue
 * (`withRequestMemo`: e.g. `1 − max_h cos` is computed once, not once per setting), so latency is
 * timed on a repeat of {@link LATENCY_USERS} users' requests outside the memo, around `rerank()`
 * alone. With `full` false only nDCG and the two hit counts are computed (what validation-based
 * selection needs), and no latency.
 */
export function evaluateStrategy(context: EvalContext, strategy: Reranker, full = true): StrategyEvaluation {
  const { users, k } = context;
  const m = users.length;
  const ndcg = new Float64Array(m);
  const recall = new Float64Array(m);
  const serendipityHits = new Float64Array(m);
  const unexpectedHits = new Float64Array(m);
  const stride = Math.max(1, Math.ceil(m / LATENCY_USERS));
  const latencies = new Float64Array(full ? Math.ceil(m / stride) : 0);
  const sums = { ild: 0, novelty: 0, unexpectedness: 0, auralist: 0 };
  const lists: string[][] = [];
  users.forEach((user, u) => {
    const parts = requestParts(user);
    const request = { candidates: parts.candidates, user: parts.user, k, strategy, catalog: context.catalog };
    const { items } = withRequestMemo(requestMemo(context.catalog, user), () => rerank(request));
    if (full && u % stride === 0) {
      const started = performance.now();
      rerank(request);
      latencies[u / stride] = performance.now() - started;
    }
    const list = items.map((item) => item.id);
    let ge = 0;
    let uh = 0;
    for (const item of items) {
      if (!user.relevant.has(item.id)) continue;
      if (!context.primitive.has(item.id)) ge++;
      if ((user.unexpectedness[item.index] as number) > user.medianUnexpectedness) uh++;
    }
    serendipityHits[u] = ge;
    unexpectedHits[u] = uh;
    const metrics = evaluateList({
      list,
      relevant: user.relevant,
      k,
      ...(full
        ? {
            listVectors: list.map((id) => rowOf(context, id)),
            itemUserCounts: list.map((id) => context.catalog.popularity?.[context.catalog.indexOf(id)] as number),
            numUsers: context.numUsers,
          }
        : {}),
    });
    ndcg[u] = metrics.ndcg;
    recall[u] = metrics.recall;
    sums.ild += metrics.ild ?? 0;
    sums.novelty += metrics.novelty ?? 0;
    if (full) {
      sums.unexpectedness += meanTerm(context, user, list, k, 'unexpectedness');
      sums.auralist += meanTerm(context, user, list, k, 'auralist');
    }
    lists.push(list);
  });
  const mean = (values: Float64Array): number => values.reduce((a, b) => a + b, 0) / m;
  const total = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);
  const metrics: StrategyMetrics = {
    ndcg: mean(ndcg),
    recall: mean(recall),
    serendipityHits: total(serendipityHits) / (m * k),
    unexpectedHits: total(unexpectedHits) / (m * k),
    serendipityHitCount: total(serendipityHits),
    unexpectedHitCount: total(unexpectedHits),
    ild: sums.ild / m,
    novelty: sums.novelty / m,
    unexpectedness: sums.unexpectedness / m,
    auralist: sums.auralist / m,
    coverage: full ? catalogCoverage(lists, context.catalog.ids) : Number.NaN,
    gini: full ? giniIndex(lists, context.catalog.ids) : Number.NaN,
    latencyMedianMs: quantile(latencies, 0.5),
    latencyP99Ms: quantile(latencies, 0.99),
  };
  return { outcomes: { ndcg, serendipityHits, unexpectedHits }, metrics };
}
