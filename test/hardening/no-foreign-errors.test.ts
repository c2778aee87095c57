/**
 * Issue 12, acceptance: over every strategy factory and every `rerank()` input, including
 * null-prototype values, Proxies, throwing getters and huge lengths, nothing but `RerankError`
 * ever escapes, and every result is a duplicate-free subset of the candidates of length min(k, n).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createScoreCache } from '../../src/cache/score-cache.js';
import { RerankError } from '../../src/errors/rerank-error.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { rerank } from '../../src/rerank.js';
import { resolveFeatureSpec } from '../../src/strategies/in/features.js';
import { learned } from '../../src/strategies/in/learned.js';
import { MODEL_FORMAT, MODEL_VERSION, type SerendipityModel } from '../../src/strategies/in/model.js';
import { pipeline } from '../../src/strategies/pipeline.js';
import { calibrated } from '../../src/strategies/post/calibrated.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { llmBlend } from '../../src/strategies/post/llm-blend.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import { serendipitySlots } from '../../src/strategies/post/serendipity-slots.js';
import { xquad } from '../../src/strategies/post/xquad.js';
import { categoryNoveltyBlend } from '../../src/strategies/pre/category-novelty.js';
import { haesBlend } from '../../src/strategies/pre/haes.js';
import { popularityNoveltyBlend } from '../../src/strategies/pre/popularity-novelty.js';
import { pursBlend } from '../../src/strategies/pre/purs.js';
import { unexpectednessBlend } from '../../src/strategies/pre/unexpectedness.js';
import type { PackedRequest, Reranker, RerankRequest, RerankResult } from '../../src/types.js';
import { FakeTime, heldScorer } from '../cache/fake-time.js';
import { type Hostile, hostileArb, throwingOn, withThrowingGetters } from './hostile-values.js';

const RUNS = 150;

// --- a valid request, as plain data the mutations below can damage -------------------------------

interface RequestModel {
  readonly n: number;
  readonly k: number;
  readonly relevance: readonly number[];
  readonly vectors: readonly (readonly number[])[];
  readonly categories: readonly (readonly string[])[];
  readonly popularity: readonly number[];
  readonly historyLength: number;
}

const modelArb: fc.Arbitrary<RequestModel> = fc.integer({ min: 0, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    k: fc.integer({ min: 1, max: 8 }),
    relevance: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
    vectors: fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
    categories: fc.array(fc.subarray(['x', 'y', 'z'], { minLength: 1 }), { minLength: n, maxLength: n }),
    popularity: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n }),
    historyLength: fc.integer({ min: 1, max: 3 }),
  }),
);

/** Plain mutable request data (a fresh copy every call). */
type Data = Record<string, unknown> & {
  candidates: Record<string, unknown>[];
  user: Record<string, unknown> & { history: Record<string, unknown>[] };
};

function requestData(model: RequestModel): Data {
  const candidates = Array.from({ length: model.n }, (_, i) => ({
    id: `c${i}`,
    relevance: model.relevance[i] as number,
    embedding: [...(model.vectors[i] as number[])],
    categories: [...(model.categories[i] as string[])],
    popularity: model.popularity[i] as number,
  }));
  const history = Array.from({ length: model.historyLength }, (_, j) => ({
    id: `h${j}`,
    embedding: [j + 1, 1, 2],
    categories: [j % 2 === 0 ? 'x' : 'w'],
  }));
  return { candidates, k: model.k, user: { id: 'user-1', history, profile: { likes: ['x'] } } };
}

// --- strategies -----------------------------------------------------------------------------------

const time = new FakeTime();
const cache = createScoreCache({ scorer: heldScorer().scorer, clock: time.clock, scheduler: time.scheduler });
for (let i = 0; i < 6; i += 2) cache.put({ key: 'user-1' }, `c${i}`, i / 10);
afterAll(async () => {
  await cache.close();
});

const handModel: SerendipityModel = {
  format: MODEL_FORMAT,
  version: MODEL_VERSION,
  spec: resolveFeatureSpec({ features: ['popularityNovelty', 'unexpectedness'], numUsers: 16 }, 'test'),
  weights: [1, 0.5, 0.25],
  intercept: -1,
  training: { samples: 0, positives: 0, l2: 1, iterations: 0, converged: true },
};

const firstCoordinate = (request: PackedRequest): Float64Array =>
  Float64Array.from({ length: request.candidates.n }, (_, i) => (request.candidates.relevance[i] as number) % 2);

/** Every built-in strategy, in a valid configuration that reads every kind of input. */
const STRATEGIES: Readonly<Record<string, () => Reranker>> = {
  relevance: () => relevance(),
  mmr: () => mmr({ lambda: 0.5 }),
  mmrDense: () => mmr({ lambda: 0.3, algorithm: 'dense' }),
  dpp: () => dpp({ theta: 0.5 }),
  dppWindow: () => dpp({ theta: 0.7, window: 2 }),
  xquad: () => xquad({ lambda: 0.5 }),
  calibrated: () => calibrated({ lambda: 0.5 }),
  unexpectednessBlend: () => unexpectednessBlend({ weight: 0.5 }),
  pursBlend: () => pursBlend({ weight: 0.5 }),
  popularityNoveltyBlend: () => popularityNoveltyBlend({ weight: 0.5 }),
  categoryNoveltyBlend: () => categoryNoveltyBlend({ weight: 0.5 }),
  haesBlend: () => haesBlend({ weight: 0.5 }),
  learned: () => learned({ model: handModel, weight: 0.5 }),
  slotsFeature: () => serendipitySlots({ source: firstCoordinate, positions: [1, 3], base: mmr({ lambda: 0.5 }) }),
  slotsCache: () => serendipitySlots({ source: cache, share: 0.5 }),
  llmBlend: () => llmBlend({ cache, weight: 0.5 }),
  llmBlendThrowingFallback: () =>
    llmBlend({
      cache,
      fallback: () => {
        throw new Error('feature store down');
      },
    }),
  pipeline: () => pipeline(unexpectednessBlend({ weight: 0.3 }), mmr({ lambda: 0.5 })),
};
const strategyNameArb = fc.constantFrom(...Object.keys(STRATEGIES));

// --- the invariant ----------------------------------------------------------------------------------

/** Reads `value[key]` without letting a throw out; undefined when it throws. */
function safeGet(value: unknown, key: string | number): unknown {
  try {
    return (value as Record<string | number, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * Runs `attempt`; anything thrown must be a RerankError (and a built-in strategy never fails with
 * STRATEGY_FAILED or INVALID_STRATEGY_OUTPUT). A result must hold min(k, n) distinct candidates.
 */
function expectOnlyRerankErrors(attempt: () => RerankResult, request: unknown, builtIn: boolean): void {
  let result: RerankResult;
  try {
    result = attempt();
  } catch (error) {
    if (!(error instanceof RerankError)) {
      throw new Error(`a foreign error escaped: ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`, { cause: error });
    }
    if (builtIn) expect(['STRATEGY_FAILED', 'INVALID_STRATEGY_OUTPUT']).not.toContain(error.code);
    expect(error.message.length).toBeLessThan(2000);
    return;
  }
  const candidates = safeGet(request, 'candidates') as readonly unknown[];
  const k = safeGet(request, 'k') as number;
  const n = candidates.length;
  expect(result.items.length).toBe(Math.min(k, n));
  expect(new Set(result.items.map((item) => item.index)).size).toBe(result.items.length);
  expect(new Set(result.items.map((item) => item.id)).size).toBe(result.items.length);
  result.items.forEach((item, slot) => {
    expect(item.rank).toBe(slot + 1);
    expect(item.index).toBeGreaterThanOrEqual(0);
    expect(item.index).toBeLessThan(n);
    expect(item.id).toBe(safeGet(candidates[item.index], 'id'));
  });
}

// --- mutations ---------------------------------------------------------------------------------------

const CANDIDATE_FIELDS = ['id', 'relevance', 'embedding', 'categories', 'popularity'] as const;
const USER_FIELDS = ['id', 'history', 'profile', 'profileKey'] as const;
const HISTORY_FIELDS = ['id', 'embedding', 'categories'] as const;

interface Mutation {
  readonly kind: string;
  readonly at: number;
  readonly field: string;
  readonly value: Hostile;
}

const mutationArb = (kinds: readonly string[], fields: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.record({ kind: fc.constantFrom(...kinds), at: fc.nat(), field: fc.constantFrom(...fields), value: hostileArb });

/** Damages `data` in place as `mutation` says; returns the (possibly wrapped) request. */
function mutate(data: Data, mutation: Mutation): Data {
  const { kind, at, field, value } = mutation;
  const n = data.candidates.length;
  const i = n === 0 ? 0 : at % n;
  const history = data.user.history;
  const j = at % history.length;
  switch (kind) {
    case 'k':
      data.k = value.make();
      break;
    case 'extraKey':
      data.kk = 3;
      break;
    case 'requestProxy':
      return throwingOn(data, ['k', 'candidates', 'user', 'catalog', 'strategy'][at % 5] as string);
    case 'candidates':
      data.candidates = value.make() as Data['candidates'];
      break;
    case 'catalog':
      data.catalog = value.make();
      break;
    case 'candidate':
      if (n > 0) data.candidates[i] = value.make() as Record<string, unknown>;
      break;
    case 'candidateField':
      if (n > 0) (data.candidates[i] as Record<string, unknown>)[field] = value.make();
      break;
    case 'candidateGetter':
      if (n > 0) data.candidates[i] = withThrowingGetters(data.candidates[i] as Record<string, unknown>, [field]);
      break;
    case 'candidateProxy':
      if (n > 0) data.candidates[i] = throwingOn(data.candidates[i] as Record<string, unknown>, field);
      break;
    case 'candidatesProxy':
      data.candidates = throwingOn(data.candidates, at % 2 === 0 ? 'length' : String(i));
      break;
    case 'user':
      data.user = value.make() as Data['user'];
      break;
    case 'userField':
      data.user[field] = value.make();
      break;
    case 'userGetter':
      data.user = withThrowingGetters(data.user, [field]);
      break;
    case 'historyItem':
      history[j] = value.make() as Record<string, unknown>;
      break;
    case 'historyField':
      (history[j] as Record<string, unknown>)[field] = value.make();
      break;
    case 'historyGetter':
      history[j] = withThrowingGetters(history[j] as Record<string, unknown>, [field]);
      break;
    default:
      throw new Error(`unknown mutation ${kind}`);
  }
  return data;
}

/** {@link mutate}, or `data` unchanged when an earlier mutation made the path unreachable. */
function mutateIfReachable(data: Data, mutation: Mutation): Data {
  try {
    return mutate(data, mutation);
  } catch {
    return data;
  }
}

function runMutated(kinds: readonly string[], fields: readonly string[]): void {
  fc.assert(
    fc.property(modelArb, strategyNameArb, fc.array(mutationArb(kinds, fields), { minLength: 1, maxLength: 2 }), (model, strategyName, mutations) => {
      let data = requestData(model);
      for (const mutation of mutations) data = mutateIfReachable(data, mutation);
      const strategy = (STRATEGIES[strategyName] as () => Reranker)();
      // Set the strategy last, through the proxy when there is one (a proxied key may throw on read only).
      Reflect.set(data, 'strategy', strategy);
      expectOnlyRerankErrors(() => rerank(data as unknown as RerankRequest), data, true);
    }),
    { numRuns: RUNS },
  );
}

describe('nothing but RerankError escapes rerank() (property, issue 12 acceptance)', () => {
  it('valid requests succeed for every built-in strategy, with min(k, n) distinct items', () => {
    fc.assert(
      fc.property(modelArb, strategyNameArb, (model, strategyName) => {
        const data = requestData(model);
        const request = { ...data, strategy: (STRATEGIES[strategyName] as () => Reranker)() } as unknown as RerankRequest;
        expect(() => rerank(request)).not.toThrow();
        expectOnlyRerankErrors(() => rerank(request), request, true);
      }),
      { numRuns: RUNS },
    );
  });

  it('hostile k, extra keys, a proxied request and hostile candidates lists', () => {
    runMutated(['k', 'extraKey', 'requestProxy', 'candidates'], ['id']);
  });

  it('hostile catalogues (null, {}, Proxies, huge lengths)', () => {
    runMutated(['catalog'], ['id']);
  });

  it('hostile candidates and candidate fields, throwing getters and Proxies', () => {
    runMutated(['candidate', 'candidateField', 'candidateGetter', 'candidateProxy', 'candidatesProxy'], CANDIDATE_FIELDS);
  });

  it('hostile users, profiles and history items', () => {
    runMutated(['user', 'userField', 'userGetter'], USER_FIELDS);
    runMutated(['historyItem', 'historyField', 'historyGetter'], HISTORY_FIELDS);
  });

  it('a valid catalogue with hostile candidates', () => {
    fc.assert(
      fc.property(modelArb, strategyNameArb, mutationArb(['candidateField', 'candidateGetter'], CANDIDATE_FIELDS), (model, strategyName, mutation) => {
        const data = requestData(model);
        data.catalog = createItemTable(data.candidates.map((c) => ({ id: c.id as string, embedding: c.embedding as number[], categories: c.categories as string[] })));
        for (const candidate of data.candidates) delete candidate.embedding;
        const request = mutateIfReachable(data, mutation);
        request.strategy = (STRATEGIES[strategyName] as () => Reranker)();
        expectOnlyRerankErrors(() => rerank(request as unknown as RerankRequest), request, true);
      }),
      { numRuns: RUNS },
    );
  });
});

// --- custom strategies ----------------------------------------------------------------------------

const MEMBERS = ['name', 'stage', 'requires', 'select'] as const;

describe('nothing but RerankError escapes rerank() with a hostile custom strategy (property)', () => {
  it('hostile members, getters, Proxies, selections and throws', () => {
    const kinds = ['strategy', 'member', 'memberGetter', 'memberProxy', 'noRequires', 'selectReturns', 'selectThrows', 'selectionField'];
    fc.assert(
      fc.property(modelArb, fc.constantFrom(...kinds), fc.constantFrom(...MEMBERS), hostileArb, fc.constantFrom('indices', 'scores', 'parts', 'sources'), (model, kind, member, value, selectionField) => {
        const base = relevance();
        let strategy: unknown = { ...base, name: 'custom' };
        const custom = strategy as Record<string, unknown>;
        switch (kind) {
          case 'strategy':
            strategy = value.make();
            break;
          case 'member':
            custom[member] = value.make();
            break;
          case 'memberGetter':
            strategy = withThrowingGetters(custom, [member]);
            break;
          case 'memberProxy':
            strategy = throwingOn(custom, member);
            break;
          case 'noRequires':
            delete custom.requires;
            break;
          case 'selectReturns':
            custom.select = () => value.make();
            break;
          case 'selectThrows':
            custom.select = () => {
              throw value.make();
            };
            break;
          case 'selectionField':
            custom.select = (request: PackedRequest, k: number) => ({ ...base.select(request, k), [selectionField]: value.make() });
            break;
        }
        const request = { ...requestData(model), strategy };
        expectOnlyRerankErrors(() => rerank(request as unknown as RerankRequest), request, false);
      }),
      { numRuns: 4 * RUNS },
    );
  });
});

// --- strategy factories ---------------------------------------------------------------------------

interface FactorySpec {
  readonly make: (options: unknown) => Reranker;
  /** Option keys, each with a few valid values. */
  readonly keys: Readonly<Record<string, readonly unknown[]>>;
}

const unit = [0, 0.5, 1];
const blendKeys = { weight: unit, normalise: ['minmax', 'rank'] };
const FACTORIES: Readonly<Record<string, FactorySpec>> = {
  relevance: { make: (o) => relevance(o as never), keys: {} },
  mmr: { make: (o) => mmr(o as never), keys: { lambda: unit, algorithm: ['lazy', 'dense'] } },
  dpp: { make: (o) => dpp(o as never), keys: { theta: [0, 0.5], window: [1, 3], algorithm: ['lazy', 'dense'] } },
  xquad: { make: (o) => xquad(o as never), keys: { lambda: unit } },
  calibrated: { make: (o) => calibrated(o as never), keys: { lambda: unit } },
  unexpectednessBlend: { make: (o) => unexpectednessBlend(o as never), keys: { ...blendKeys, variant: ['min', 'mean'] } },
  pursBlend: { make: (o) => pursBlend(o as never), keys: { ...blendKeys, bandwidth: [0.5], recent: [1, 2] } },
  popularityNoveltyBlend: { make: (o) => popularityNoveltyBlend(o as never), keys: { ...blendKeys, numUsers: [10] } },
  categoryNoveltyBlend: { make: (o) => categoryNoveltyBlend(o as never), keys: { ...blendKeys, rareShare: [0, 0.5] } },
  haesBlend: { make: (o) => haesBlend(o as never), keys: { ...blendKeys, numCategories: [1, 3], variant: ['min', 'mean'] } },
  learned: { make: (o) => learned(o as never), keys: { model: [handModel], ...blendKeys } },
  serendipitySlots: {
    make: (o) => serendipitySlots(o as never),
    keys: { source: [firstCoordinate, cache], positions: [[1, 2]], share: unit, minRelevance: unit, base: [mmr(), relevance()] },
  },
  llmBlend: { make: (o) => llmBlend(o as never), keys: { cache: [cache], weight: unit, fallback: ['relevance', () => 0.5] } },
  pipeline: {
    make: (o) => pipeline(...((Array.isArray(o) ? o : [o]) as [Reranker])),
    keys: {},
  },
};

const optionValueArb = (valid: readonly unknown[]): fc.Arbitrary<{ valid: boolean; make: () => unknown }> =>
  fc.oneof(
    fc.constantFrom(...(valid.length > 0 ? valid : [undefined])).map((v) => ({ valid: true, make: () => v })),
    hostileArb.map((h) => ({ valid: false, make: h.make })),
  );

function optionsArb(spec: FactorySpec): fc.Arbitrary<() => unknown> {
  const keys = Object.keys(spec.keys);
  const record = fc.record(Object.fromEntries(keys.map((key) => [key, optionValueArb(spec.keys[key] as readonly unknown[])])), { requiredKeys: [] });
  return fc
    .tuple(record, fc.constantFrom('plain', 'extraKey', 'getter', 'proxy', 'hostile'), fc.constantFrom(...(keys.length > 0 ? keys : ['x'])), hostileArb)
    .map(([values, wrap, key, hostile]) => () => {
      const options: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(values)) options[name] = (value as { make: () => unknown }).make();
      switch (wrap) {
        case 'extraKey':
          return { ...options, lamda: 0.5 };
        case 'getter':
          return withThrowingGetters(options, [key]);
        case 'proxy':
          return throwingOn(options, key);
        case 'hostile':
          return hostile.make();
        default:
          return options;
      }
    });
}

const pipelineStagesArb: fc.Arbitrary<() => unknown> = fc
  .array(fc.oneof(strategyNameArb.map((name) => () => (STRATEGIES[name] as () => Reranker)()), hostileArb.map((h) => h.make)), { minLength: 0, maxLength: 3 })
  .map((makers) => () => makers.map((make) => make()));

describe('nothing but RerankError escapes the strategy factories (property)', () => {
  it.each(Object.keys(FACTORIES))('%s with hostile options, then rerank() with what it returns', (name) => {
    const spec = FACTORIES[name] as FactorySpec;
    fc.assert(
      fc.property(name === 'pipeline' ? pipelineStagesArb : optionsArb(spec), modelArb, (makeOptions, model) => {
        let strategy: Reranker;
        try {
          strategy = spec.make(makeOptions());
        } catch (error) {
          if (!(error instanceof RerankError)) {
            throw new Error(`${name}: a foreign error escaped the factory: ${error instanceof Error ? error.message : typeof error}`, { cause: error });
          }
          return;
        }
        const request = { ...requestData(model), strategy };
        expectOnlyRerankErrors(() => rerank(request as unknown as RerankRequest), request, false);
      }),
      { numRuns: RUNS },
    );
  });
});
