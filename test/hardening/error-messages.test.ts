import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScoreCache } from '../../src/cache/score-cache.js';
import { describeValue, MAX_QUOTED_CHARS, quoteText } from '../../src/errors/describe-value.js';
import { calibrate } from '../../src/llm/calibrate.js';
import { RerankError } from '../../src/errors/rerank-error.js';
import { rerank } from '../../src/rerank.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import { FakeTime, heldScorer } from '../cache/fake-time.js';
import { serendipitySlots } from '../../src/strategies/post/serendipity-slots.js';

/** Runs `fn`, expecting a RerankError, and returns it. */
function rerankErrorOf(fn: () => unknown): RerankError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RerankError);
    return error as RerankError;
  }
  throw new Error('expected a RerankError, nothing was thrown');
}

const candidates = [
  { id: 'a', relevance: 0.9, embedding: [1, 0] },
  { id: 'b', relevance: 0.5, embedding: [0, 1] },
];

describe('describeValue', () => {
  it('names the type of values that would print like numbers', () => {
    expect(describeValue('0.5')).toBe('string "0.5"');
    expect(describeValue('')).toBe('string ""');
    expect(describeValue(true)).toBe('boolean true');
    expect(describeValue(10n)).toBe('bigint 10n');
    expect(describeValue(Symbol('x'))).toBe('symbol Symbol(x)');
    expect(describeValue(0.5)).toBe('0.5');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(new Map())).toBe('an instance of Map');
    expect(describeValue(() => 1)).toBe('a function');
  });

  it('describes hostile objects without throwing or calling their code', () => {
    let called = 0;
    const toStringGetter = {
      get toString(): never {
        called++;
        throw new Error('boom');
      },
    };
    const { proxy: revoked, revoke } = Proxy.revocable([], {});
    revoke();
    const trapAll = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    expect(describeValue(Object.create(null))).toBe('an object with a null prototype');
    expect(describeValue(toStringGetter)).toBe('an object');
    expect(describeValue(revoked)).toBe('an object');
    expect(describeValue(trapAll)).toBe('an object');
    expect(called).toBe(0);
  });

  it('caps quoted text at MAX_QUOTED_CHARS and notes the full length', () => {
    const huge = 'x'.repeat(1 << 20);
    const quoted = quoteText(huge);
    expect(quoted).toBe(`"${'x'.repeat(MAX_QUOTED_CHARS)}"… (1048576 characters)`);
    expect(quoteText('a"b\n')).toBe('"a\\"b\\n"');
  });

  it('never throws and stays short, whatever the value (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (value) => {
        const text = describeValue(value);
        expect(typeof text).toBe('string');
        expect(text.length).toBeLessThan(2 * MAX_QUOTED_CHARS + 60);
      }),
    );
  });
});

describe('wrong-typed values are named in messages (issue 10)', () => {
  it('mmr({ lambda: "0.5" }) says it got a string', () => {
    const error = rerankErrorOf(() => mmr({ lambda: '0.5' as unknown as number }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('got string "0.5"');
  });

  it('k: "10" says it got a string', () => {
    const error = rerankErrorOf(() => rerank({ candidates, k: '10' as unknown as number, strategy: relevance() }));
    expect(error.code).toBe('INVALID_K');
    expect(error.message).toContain('got string "10"');
  });

  it('relevance: "0.5" says it got a string', () => {
    const bad = [{ id: 'a', relevance: '0.5' as unknown as number }];
    const error = rerankErrorOf(() => rerank({ candidates: bad, k: 1, strategy: relevance() }));
    expect(error.code).toBe('NON_FINITE_RELEVANCE');
    expect(error.message).toContain('is string "0.5"');
  });
});

describe('null-prototype values do not crash message building (issue 12 item 10)', () => {
  const bare = (): never => Object.create(null) as never;

  it('k', () => {
    expect(rerankErrorOf(() => rerank({ candidates, k: bare(), strategy: relevance() })).code).toBe('INVALID_K');
  });
  it('id', () => {
    const error = rerankErrorOf(() => rerank({ candidates: [{ id: bare(), relevance: 1 }], k: 1, strategy: relevance() }));
    expect(error.code).toBe('INVALID_ID');
    expect(error.message).toContain('an object with a null prototype');
  });
  it('relevance', () => {
    expect(rerankErrorOf(() => rerank({ candidates: [{ id: 'a', relevance: bare() }], k: 1, strategy: relevance() })).code).toBe(
      'NON_FINITE_RELEVANCE',
    );
  });
  it('an option value', () => {
    expect(rerankErrorOf(() => mmr({ lambda: bare() })).code).toBe('INVALID_OPTION');
  });
  it('a catalogue popularity', () => {
    expect(rerankErrorOf(() => createItemTable([{ id: 'a', popularity: bare() }])).code).toBe('INVALID_POPULARITY');
  });
});

describe('huge values are quoted capped (issue 12 item 14)', () => {
  it('a 1 MB duplicate id gives a short DUPLICATE_ID message', () => {
    const id = 'i'.repeat(1 << 20);
    const error = rerankErrorOf(() =>
      rerank({ candidates: [{ id, relevance: 1 }, { id, relevance: 0 }], k: 1, strategy: relevance() }),
    );
    expect(error.code).toBe('DUPLICATE_ID');
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toContain('(1048576 characters)');
  });

  it('a 1 MB string option value gives a short message', () => {
    const error = rerankErrorOf(() => mmr({ lambda: 'x'.repeat(1 << 20) as unknown as number }));
    expect(error.message.length).toBeLessThan(600);
  });
});

describe('serendipitySlots source output that cannot be printed or read (issue 12 item 10)', () => {
  const many = [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 0 }];
  const slots = (source: () => unknown) => serendipitySlots({ source: source as never, positions: [1] });

  it('a length that is a null-prototype object gives INVALID_OPTION, not a TypeError', () => {
    const error = rerankErrorOf(() => rerank({ candidates: many, k: 2, strategy: slots(() => ({ length: Object.create(null) })) }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.field).toBe('options.source');
  });

  it('scores behind a throwing Proxy give INVALID_OPTION with the error as cause', () => {
    const boom = new Error('trap');
    const scores = new Proxy([0.1, 0.2], { get: (target, key) => (key === '1' ? (() => { throw boom; })() : Reflect.get(target, key)) });
    const error = rerankErrorOf(() => rerank({ candidates: many, k: 2, strategy: slots(() => scores) }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.cause).toBe(boom);
  });
});

describe('null-prototype values in the cache and LLM helpers (issue 12 item 10)', () => {
  const bare = (): never => Object.create(null) as never;

  it('ScoreCache.put with a null-prototype score or profile key', async () => {
    const time = new FakeTime();
    const cache = createScoreCache({ scorer: heldScorer().scorer, clock: time.clock, scheduler: time.scheduler });
    try {
      expect(rerankErrorOf(() => cache.put({ key: 'u' }, 'a', bare())).message).toContain('an object with a null prototype');
      expect(rerankErrorOf(() => cache.put({ key: 'u', profileKey: bare() }, 'a', 0.5)).code).toBe('INVALID_ARGUMENT');
    } finally {
      await cache.close();
    }
  });

  it('Calibrator.apply and calibrate with null-prototype values', () => {
    const calibrator = calibrate([0.1, 0.9, 0.2, 0.8], [false, true, false, true], { method: 'platt' });
    expect(rerankErrorOf(() => calibrator.apply(bare())).code).toBe('INVALID_ARGUMENT');
    expect(rerankErrorOf(() => calibrate([0.1, bare()], [false, true], { method: 'platt' })).code).toBe('INVALID_ARGUMENT');
    expect(rerankErrorOf(() => calibrate([0.1, 0.9], [false, true], { method: bare() })).code).toBe('INVALID_OPTION');
  });
});
