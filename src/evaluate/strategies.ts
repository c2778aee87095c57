import {
  calibrated,
  categoryNoveltyBlend,
  dpp,
  haesBlend,
  mmr,
  popularityNoveltyBlend,
  pursBlend,
  type Reranker,
  serendipitySlots,
  unexpectednessBlend,
  xquad,
} from '../index.js';
import type { EvalContext } from './context.js';
import type { KnobRange } from './grids.js';
import { LEARNED_WEIGHTS, type LearnedModels, makeLearned, prepareLearned } from './learned.js';
import { primitivePenalty, unexpectednessPenalty } from './rules.js';

/** A grid value: a number, or a label for families whose settings are not one number. */
export type Param = number | string;

/**
 * One strategy family and its parameter grid: the evaluation runs `make(param, context, prepared)`
 * for every `param` on each split (validation, then test). `prepare` runs once per split before any
 * `make`, e.g. to train a scorer on `context.train` (train interactions only, never held-out data);
 * its result is passed to `make`. To add a family, append one entry to {@link STRATEGY_FAMILIES}.
 */
export interface StrategyFamily<Prepared = undefined> {
  /** Family name, shown in tables, JSON and the plot (e.g. `mmr`). */
  readonly family: string;
  /** Name of the grid parameter (e.g. `lambda`). */
  readonly paramName: string;
  /** The grid, in the order the plot draws the curve (closest to the base first). */
  readonly params: readonly Param[];
  /**
   * The knob's no-op and most aggressive settings, for numeric grids: when the choice lands on a
   * grid edge the protocol extends the grid in that direction (see `grids.ts`). @defaultValue the grid never moves
   */
  readonly range?: KnobRange;
  /**
   * Item representations tried for this family, chosen on validation like the parameter (see
   * {@link ITEM_REPRESENTATIONS}). @defaultValue the context's own representation only
   */
  readonly representations?: readonly ItemRepresentation[];
  /** An anti-gaming reference rule: other families count as serendipity wins only where they beat every reference. @defaultValue false */
  readonly reference?: boolean;
  /** The family must see the fixed metric vectors (the u-rule, which games exactly the metric's `u`). @defaultValue false */
  readonly metricVectors?: boolean;
  /**
   * Per-window setup; its result is `make`'s third argument. `previous` is the window strictly
   * before `context` (fit before validation, validation before test): a family that learns from
   * labels trains on `previous`'s held-out positives only. `progress` (when the engine reports
   * progress) takes a short description of each step, so a long fit is not a silent gap.
   */
  prepare?(context: EvalContext, previous?: EvalContext, progress?: (step: string) => void): Prepared;
  /** Builds the strategy for one grid value on one split. */
  make(param: Param, context: EvalContext, prepared: Prepared): Reranker;
}

/**
 * The item representations the protocol can give strategies: built by `itemVectors` from the
 * split's train positives, `cosine` (the cosine-normalised co-occurrence `D^-½·XᵀX·D^-½`) and
 * `cooccurrence` (the raw `XᵀX`, the demo's vectors before issue 11); and `given`, the embeddings
 * that came with the data (an items file's `embedding` column), added only when there are some
 * ({@link withGivenRepresentation}).
 */
export type ItemRepresentation = 'cosine' | 'cooccurrence' | 'given';

/** The representations built from the interactions, tried on every dataset; the first is the default. */
export const ITEM_REPRESENTATIONS: readonly ItemRepresentation[] = ['cosine', 'cooccurrence'];

/**
 * The family as it runs on data with given embeddings: a family that tries item representations
 * also tries `given`, chosen on validation like the others. Other families are returned unchanged.
 */
export function withGivenRepresentation<P>(family: StrategyFamily<P>): StrategyFamily<P> {
  const representations = family.representations;
  if (representations === undefined || representations.includes('given')) return family;
  return { ...family, representations: [...representations, 'given'] };
}

/** Narrows a grid value to a number, for families whose grid is numeric. */
export function numeric(param: Param): number {
  if (typeof param !== 'number') throw new TypeError(`expected a numeric grid value, got "${param}"`);
  return param;
}

/** Weights `w` of the pre-processing blends `(1 − w)·N(rel) + w·N(feature)`. */
export const BLEND_WEIGHTS: readonly number[] = [0.1, 0.2, 0.3, 0.5];

/** Penalties `c` of the two reference rules. */
export const RULE_PENALTIES: readonly number[] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4];

/**
 * The strategies the demo compares with the base ranking (EASE relevance order), each over its
 * grid. The two reference rules come last in every table.
 */
export const STRATEGY_FAMILIES: readonly StrategyFamily<unknown>[] = [
  {
    family: 'mmr',
    paramName: 'lambda',
    params: [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4],
    range: { noop: 1, extreme: 0 },
    representations: ITEM_REPRESENTATIONS,
    make: (lambda) => mmr({ lambda: numeric(lambda) }),
  },
  {
    family: 'dpp',
    paramName: 'theta',
    params: [0.99, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5],
    range: { noop: 1, extreme: 0 },
    representations: ITEM_REPRESENTATIONS,
    make: (theta) => dpp({ theta: numeric(theta) }),
  },
  {
    family: 'xquad',
    paramName: 'lambda',
    params: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
    range: { noop: 0, extreme: 1 },
    make: (lambda) => xquad({ lambda: numeric(lambda) }),
  },
  {
    family: 'calibrated',
    paramName: 'lambda',
    params: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
    range: { noop: 0, extreme: 1 },
    make: (lambda) => calibrated({ lambda: numeric(lambda) }),
  },
  {
    family: 'unexpectednessBlend',
    paramName: 'weight',
    params: BLEND_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    make: (weight) => unexpectednessBlend({ weight: numeric(weight) }),
  },
  {
    family: 'pursBlend',
    paramName: 'weight',
    params: BLEND_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    make: (weight) => pursBlend({ weight: numeric(weight) }),
  },
  {
    family: 'popularityNoveltyBlend',
    paramName: 'weight',
    params: BLEND_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    make: (weight, context) => popularityNoveltyBlend({ weight: numeric(weight), numUsers: context.numUsers }),
  },
  {
    family: 'categoryNoveltyBlend',
    paramName: 'weight',
    params: BLEND_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    make: (weight) => categoryNoveltyBlend({ weight: numeric(weight) }),
  },
  {
    family: 'haesBlend',
    paramName: 'weight',
    params: BLEND_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    make: (weight) => haesBlend({ weight: numeric(weight) }),
  },
  {
    // SERAL's exposure quota, with distance-to-history unexpectedness (a blend at weight 1, i.e.
    // the feature alone) standing in for the LLM judgement, since the demo runs offline: reserved
    // ranks go to the most unexpected candidates with normalised relevance ≥ 0.3, the other ranks
    // keep relevance order.
    family: 'serendipitySlots (unexpectedness)',
    paramName: 'share',
    params: [0.1, 0.2, 0.3, 0.4],
    range: { noop: 0, extreme: 1 },
    make: (share) => serendipitySlots({ share: numeric(share), minRelevance: 0.3, source: unexpectednessBlend({ weight: 1 }) }),
  },
  {
    // learned({ model, weight }) alone: the serendipity model learns on, and blends into, the base
    // relevance, so weight 0 is the base ranking (the pipeline's weight 0 is its relevance model).
    family: 'learned (single stage)',
    paramName: 'weight',
    params: LEARNED_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    prepare: (context, previous, progress) => prepareLearned(context, previous, progress, { relevanceModel: false }),
    make: (weight, _context, models) => makeLearned(numeric(weight), models as LearnedModels),
  },
  {
    family: 'learned (pipeline)',
    paramName: 'weight',
    params: LEARNED_WEIGHTS,
    range: { noop: 0, extreme: 1 },
    prepare: prepareLearned,
    make: (weight, _context, models) => makeLearned(numeric(weight), models as LearnedModels),
  },
  {
    family: 'rule: r − c·1[PM]',
    paramName: 'c',
    params: RULE_PENALTIES,
    range: { noop: 0, extreme: 1 },
    reference: true,
    make: (c, context) => primitivePenalty({ penalty: numeric(c), primitive: context.primitive }),
  },
  {
    family: 'rule: r − c·1[u ≤ median]',
    paramName: 'c',
    params: RULE_PENALTIES,
    range: { noop: 0, extreme: 1 },
    reference: true,
    metricVectors: true,
    make: (c) => unexpectednessPenalty({ penalty: numeric(c) }),
  },
];
