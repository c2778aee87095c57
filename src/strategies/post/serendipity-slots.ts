import { describeValue } from '../../errors/describe-value.js';
import { RerankError } from '../../errors/rerank-error.js';
import { assertKnownOptions, guardOptions, numberOption } from '../../_internals/options.js';
import { topIndices } from '../../_internals/top-k.js';
import { SCORE_FRESH, type ScoreCache } from '../../cache/score-cache.js';
import { isScoreCache, normalisedRelevance, peekCandidates, SOURCE_LLM, SOURCE_STALE } from '../../cache/signal.js';
import type { Need, PackedRequest, Requirements, Reranker, ScoringReranker, Selection } from '../../types.js';
import { relevance } from './relevance.js';

/** Default share of the list reserved for serendipity slots: two in a list of ten. */
export const DEFAULT_SLOT_SHARE = 0.2;
/** Default floor on normalised relevance for a slot candidate: the upper half of the request's range. */
export const DEFAULT_SLOT_MIN_RELEVANCE = 0.5;
/** `Selection.sources` label of a slot filled from a feature or scoring strategy. */
export const SOURCE_FEATURE = 'feature';
/** `Selection.sources` label of a position filled by the base strategy that reports no source. */
export const SOURCE_BASE = 'base';

/**
 * Where serendipity scores come from: a score cache (LLM judgements, missing ones never fill a
 * slot), a scoring strategy (its `score()`), or a function returning one number per candidate
 * (NaN = no score).
 */
export type SerendipitySource = ScoreCache | ScoringReranker | ((request: PackedRequest) => ArrayLike<number>);

/** Options of {@link serendipitySlots}. Give `positions` or `share`, not both. */
export interface SerendipitySlotsOptions {
  /** The serendipity signal. Required. */
  readonly source: SerendipitySource;
  /** 1-based ranks reserved for serendipity (ranks beyond `k` are ignored). Excludes `share`. */
  readonly positions?: readonly number[];
  /**
   * Fraction of the `k` positions reserved, in [0, 1]: `round(share·k)` slots spread evenly, the
   * j-th (from 0) at rank `⌊(j + ½)·k/m⌋ + 1`.
   * @defaultValue {@link DEFAULT_SLOT_SHARE} (when `positions` is absent)
   */
  readonly share?: number;
  /**
   * Floor on min-max normalised relevance `r̂ ∈ [0, 1]` a candidate must clear to fill a slot.
   * @defaultValue {@link DEFAULT_SLOT_MIN_RELEVANCE}
   */
  readonly minRelevance?: number;
  /**
   * Strategy ranking the other positions.
   * @defaultValue `relevance()`
   */
  readonly base?: Reranker;
}

interface SourceReading {
  /** Serendipity per candidate, NaN where unknown. */
  readonly scores: ArrayLike<number>;
  /** Source label of candidate i. */
  label(index: number): string;
}

/**
 * Reserves positions for the most serendipitous candidates that clear a relevance floor: SERAL's
 * exposure quota for serendipitous items (arXiv 2502.13539, online deployment), composed with any
 * `base` strategy for the other positions. Walking the ranks 1..k: a slot rank takes the candidate
 * with the highest serendipity score among those not yet placed with `r̂ ≥ minRelevance` and a known
 * score (ties by the lower input index); every other rank, and a slot with no eligible candidate
 * left, takes the base strategy's next item not yet placed. O(base + n log k).
 *
 * Scores: slot items carry their serendipity score, base items their base score. Parts: the base's
 * parts (0 on slot items) plus `slot` (the serendipity score on slot items, 0 elsewhere). Sources:
 * `'llm'` / `'stale'` (cache) or `'feature'` on slot items; the base's source or `'base'` elsewhere.
 *
 * @throws {@link RerankError} `INVALID_OPTION` / `UNKNOWN_OPTION` for bad options or a source
 * returning the wrong length or infinite scores. Never because of a cache's scorer or store.
 */
export function serendipitySlots(options: SerendipitySlotsOptions): Reranker {
  return guardOptions('serendipitySlots', () => buildSerendipitySlots(options));
}

function buildSerendipitySlots(options: SerendipitySlotsOptions): Reranker {
  const owner = 'serendipitySlots';
  const known = assertKnownOptions(owner, options, ['source', 'positions', 'share', 'minRelevance', 'base']);
  if (options === undefined) throw new RerankError('INVALID_OPTION', `${owner}: pass { source }.`, { field: 'options.source' });
  if (known.positions !== undefined && known.share !== undefined) {
    throw new RerankError('INVALID_OPTION', `${owner}: give either "positions" or "share", not both.`, { field: 'options.positions' });
  }
  const positions = known.positions === undefined ? undefined : checkedPositions(known.positions);
  const share = numberOption(owner, 'share', known.share, DEFAULT_SLOT_SHARE, { min: 0, max: 1 });
  const minRelevance = numberOption(owner, 'minRelevance', known.minRelevance, DEFAULT_SLOT_MIN_RELEVANCE, { min: 0, max: 1 });
  const base = known.base ?? relevance();
  if (base === null || typeof base !== 'object' || typeof base.select !== 'function') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "base" must be a Reranker, e.g. mmr({ lambda: 0.6 }).`, { field: 'options.base' });
  }
  const read = sourceReader(known.source as SerendipitySource);
  const scoring = !isScoreCache(known.source) && typeof known.source === 'object' ? known.source : undefined;
  const slotsName = positions === undefined ? `share=${share}` : `positions=${positions.join('|')}`;
  return {
    name: `serendipitySlots(${slotsName}, minRelevance=${minRelevance}, base=${base.name})`,
    stage: 'post',
    requires: scoring === undefined ? base.requires : mergeRequirements(base.requires, scoring.requires),
    select(request: PackedRequest, k: number): Selection {
      const n = request.candidates.n;
      const isSlot = slotMask(k, positions, share);
      const reading = read(request);
      const r = normalisedRelevance(request.candidates.relevance);
      const ineligible = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const s = reading.scores[i] as number;
        if (Number.isNaN(s) || (r[i] as number) < minRelevance) ineligible[i] = 1;
      }
      const serendipity = Float64Array.from(reading.scores);
      const ranked = topIndices(serendipity, Math.min(n, 2 * k), ineligible);
      const baseSelection = base.select(request, k);
      const partNames = Object.keys(baseSelection.parts);
      const indices = new Int32Array(k);
      const scores = new Float64Array(k);
      const parts: Record<string, Float64Array> = { slot: new Float64Array(k) };
      for (const name of partNames) parts[name] = new Float64Array(k);
      const sources: string[] = new Array(k);
      const placed = new Uint8Array(n);
      let nextRanked = 0;
      let nextBase = 0;
      for (let slot = 0; slot < k; slot++) {
        if (isSlot[slot] === 1) {
          while (nextRanked < ranked.length && placed[ranked[nextRanked] as number] === 1) nextRanked++;
          if (nextRanked < ranked.length) {
            const i = ranked[nextRanked++] as number;
            placed[i] = 1;
            indices[slot] = i;
            scores[slot] = serendipity[i] as number;
            (parts.slot as Float64Array)[slot] = serendipity[i] as number;
            sources[slot] = reading.label(i);
            continue;
          }
        }
        while (placed[baseSelection.indices[nextBase] as number] === 1) nextBase++;
        const i = baseSelection.indices[nextBase] as number;
        placed[i] = 1;
        indices[slot] = i;
        scores[slot] = baseSelection.scores[nextBase] as number;
        for (const name of partNames) (parts[name] as Float64Array)[slot] = (baseSelection.parts[name] as Float64Array)[nextBase] as number;
        sources[slot] = baseSelection.sources?.[nextBase] ?? SOURCE_BASE;
        nextBase++;
      }
      return { indices, scores, parts, sources };
    },
  };
}

/** `isSlot[rank − 1] === 1` for every reserved rank within `k`. */
function slotMask(k: number, positions: readonly number[] | undefined, share: number): Uint8Array {
  const isSlot = new Uint8Array(k);
  if (positions !== undefined) {
    for (const rank of positions) if (rank <= k) isSlot[rank - 1] = 1;
    return isSlot;
  }
  const m = Math.round(share * k);
  const block = k / Math.max(m, 1);
  for (let j = 0; j < m; j++) isSlot[Math.floor((j + 0.5) * block)] = 1;
  return isSlot;
}

function checkedPositions(positions: readonly number[]): readonly number[] {
  if (!Array.isArray(positions) || positions.some((p) => !Number.isInteger(p) || p < 1) || new Set(positions).size !== positions.length) {
    throw new RerankError('INVALID_OPTION', 'serendipitySlots: option "positions" must be distinct 1-based ranks (integers ≥ 1), e.g. [3, 8].', {
      field: 'options.positions',
      value: positions,
    });
  }
  return [...positions].sort((a, b) => a - b);
}

function sourceReader(source: SerendipitySource): (request: PackedRequest) => SourceReading {
  if (isScoreCache(source)) {
    return (request) => {
      const view = peekCandidates(source, request, 'serendipitySlots');
      return { scores: view.scores, label: (i) => (view.states[i] === SCORE_FRESH ? SOURCE_LLM : SOURCE_STALE) };
    };
  }
  const label = (): string => SOURCE_FEATURE;
  if (source !== null && typeof source === 'object' && typeof (source as ScoringReranker).score === 'function') {
    return (request) => ({ scores: checkedScores((source as ScoringReranker).score(request), request.candidates.n), label });
  }
  if (typeof source === 'function') {
    return (request) => ({ scores: checkedScores(source(request), request.candidates.n), label });
  }
  throw new RerankError(
    'INVALID_OPTION',
    'serendipitySlots: option "source" must be a score cache, a scoring strategy or a function (request) => number per candidate.',
    { field: 'options.source' },
  );
}

function checkedScores(scores: ArrayLike<number>, n: number): ArrayLike<number> {
  const length: unknown = scores !== null && typeof scores === 'object' ? readLength(scores) : undefined;
  if (length !== n) {
    const got = typeof length === 'number' ? `${length} scores` : describeValue(scores);
    throw new RerankError('INVALID_OPTION', `serendipitySlots: the source returned ${got} for ${n} candidates; return one number per candidate.`, {
      field: 'options.source',
    });
  }
  const copy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s: unknown = readScore(scores, i);
    if (typeof s !== 'number' || s === Infinity || s === -Infinity) {
      throw new RerankError('INVALID_OPTION', `serendipitySlots: the source returned ${describeValue(s)} for candidate ${i}; use a finite number, or NaN for "unknown".`, {
        field: 'options.source',
        value: s,
      });
    }
    copy[i] = s;
  }
  return copy;
}

function sourceUnreadable(cause: unknown): RerankError {
  return new RerankError('INVALID_OPTION', "serendipitySlots: reading the source's scores threw (a getter or Proxy). See the error's cause.", {
    field: 'options.source',
    cause,
  });
}

function readLength(scores: ArrayLike<number>): unknown {
  try {
    return scores.length;
  } catch (cause) {
    throw sourceUnreadable(cause);
  }
}

function readScore(scores: ArrayLike<number>, i: number): unknown {
  try {
    return scores[i];
  } catch (cause) {
    throw sourceUnreadable(cause);
  }
}

function stronger(a: Need | undefined, b: Need | undefined): Need | undefined {
  return a === 'required' || b === 'required' ? 'required' : (a ?? b);
}

/** The union of two strategies' requirements, `required` winning over `optional`. */
function mergeRequirements(a: Requirements, b: Requirements): Requirements {
  const merged: Record<string, Need> = {};
  for (const key of ['embeddings', 'categories', 'popularity', 'historyEmbeddings', 'historyCategories'] as const) {
    const need = stronger(a[key], b[key]);
    if (need !== undefined) merged[key] = need;
  }
  return merged;
}
