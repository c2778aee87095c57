import { RerankError, type PackedRequest, type Reranker, type Selection } from '../index.js';
import { maxDotUnrolled as maxDot } from '../_internals/dot.js';
import { memoisedFeature } from '../strategies/pre/request-memo.js';

/**
 * Anti-gaming reference rules (docs/evaluation.md#reference-rules): any "relevant and X" hit metric can be
 * raised by demoting items without X. These two rules know the definition of a metric and do
 * exactly that, so a strategy's gain is only worth claiming where it beats them. They are also the
 * smallest example of a custom {@link Reranker}: a factory returning `{ name, stage, requires, select }`.
 */

/** Default penalty `c` of the rules. @defaultValue 0.25 */
export const DEFAULT_RULE_PENALTY = 0.25;

/** Options of {@link primitivePenalty}. */
export interface PrimitivePenaltyOptions {
  /** Penalty `c` subtracted from items of PM. @defaultValue {@link DEFAULT_RULE_PENALTY} */
  readonly penalty?: number;
  /** The primitive recommender's items (PM of Ge et al., RecSys 2010), by id. */
  readonly primitive: ReadonlySet<string>;
}

/** Options of {@link unexpectednessPenalty}. */
export interface UnexpectednessPenaltyOptions {
  /** Penalty `c` subtracted from items at or below the median unexpectedness. @defaultValue {@link DEFAULT_RULE_PENALTY} */
  readonly penalty?: number;
}

function checkedPenalty(owner: string, value: unknown): number {
  if (value === undefined) return DEFAULT_RULE_PENALTY;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RerankError('INVALID_OPTION', `${owner}: option "penalty" must be a finite number ≥ 0, got ${String(value)}.`, {
      field: 'options.penalty',
      value,
    });
  }
  return value;
}

/** Picks the k best of `score` (ties by lower index) and reports the parts. */
function selectByScore(relevance: Float64Array, score: Float64Array, order: Int32Array, k: number): Selection {
  order.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  const indices = order.slice(0, k);
  const scores = Float64Array.from(indices, (i) => score[i] as number);
  const base = Float64Array.from(indices, (i) => relevance[i] as number);
  const penalty = Float64Array.from(indices, (i) => (relevance[i] as number) - (score[i] as number));
  return { indices, scores, parts: { relevance: base, penalty } };
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/**
 * The Ge-serendipity reference rule: score `r_i − c·1[i ∈ PM]`, where PM is the primitive
 * recommender's list (Ge, Delgado-Battenfeld & Jannach, RecSys 2010). It raises Ge
 * serendipity-hits by construction, knowing nothing about the user.
 *
 * Score parts: `relevance` and `penalty` (score = relevance − penalty).
 */
export function primitivePenalty(options: PrimitivePenaltyOptions): Reranker {
  const owner = 'primitivePenalty';
  if (options === null || typeof options !== 'object' || !(options.primitive instanceof Set)) {
    throw new RerankError('INVALID_OPTION', `${owner}: options.primitive must be a Set of item ids (the primitive recommender's list).`, {
      field: 'options.primitive',
    });
  }
  const c = checkedPenalty(owner, options.penalty);
  const primitive = options.primitive;
  return {
    name: `primitivePenalty(c=${c})`,
    stage: 'post',
    requires: {},
    select(request: PackedRequest, k: number): Selection {
      const { n, ids, relevance } = request.candidates;
      const score = new Float64Array(n);
      for (let i = 0; i < n; i++) score[i] = (relevance[i] as number) - (primitive.has(ids[i] as string) ? c : 0);
      return selectByScore(relevance, score, identityOrder(n), k);
    },
  };
}

/**
 * The unexpected-hits reference rule: score `r_i − c·1[u_i ≤ median_j u_j]` with
 * `u_i = 1 − max_{h ∈ history} cos(e_i, e_h)` (docs/formulas.md#unexpectedness; the max over an empty
 * history is 0, so every `u_i = 1`, all items are penalised alike and relevance order is kept). It
 * raises UH by construction: it demotes the half of the candidates that are closest to the history.
 *
 * Score parts: `relevance` and `penalty` (score = relevance − penalty).
 */
export function unexpectednessPenalty(options: UnexpectednessPenaltyOptions = {}): Reranker {
  const c = checkedPenalty('unexpectednessPenalty', options.penalty);
  return {
    name: `unexpectednessPenalty(c=${c})`,
    stage: 'post',
    requires: { embeddings: 'required', historyEmbeddings: 'required' },
    select(request: PackedRequest, k: number): Selection {
      const { n, relevance } = request.candidates;
      const embeddings = request.candidates.embeddings as Float64Array;
      const history = request.history.embeddings as Float64Array;
      const h = request.history.n;
      const dim = request.dim;
      const surprise = memoisedFeature('unexpectednessPenalty:surprise', request, () => {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = 1 - (h === 0 ? 0 : maxDot(embeddings, i * dim, history, h, dim));
        return values;
      });
      const sorted = Float64Array.from(surprise).sort();
      const mid = n >> 1;
      const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      const score = new Float64Array(n);
      for (let i = 0; i < n; i++) score[i] = (relevance[i] as number) - ((surprise[i] as number) <= median ? c : 0);
      return selectByScore(relevance, score, identityOrder(n), k);
    },
  };
}
