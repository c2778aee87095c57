import fc from 'fast-check';

/**
 * Hostile values for the no-foreign-errors properties: what a careless or malicious host could
 * hand the library. Each entry makes a fresh value, so stateful ones (getters counting reads) do
 * not leak between runs.
 */

/** A Proxy whose every trap throws. */
export function throwingProxy(target: object = {}): object {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
    set: boom,
    defineProperty: boom,
    deleteProperty: boom,
    apply: boom,
    construct: boom,
  });
}

/** A revoked Proxy: every operation on it throws a TypeError, even `Array.isArray`. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable([] as unknown[], {});
  revoke();
  return proxy;
}

/** A copy of `target` whose `keys` are enumerable getters that throw. */
export function withThrowingGetters<T extends object>(target: T, keys: readonly string[]): T {
  const copy = { ...target } as Record<string, unknown>;
  for (const key of keys) {
    delete copy[key];
    Object.defineProperty(copy, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key}`);
      },
    });
  }
  return copy as T;
}

/** A Proxy over `target` that throws when `key` is read and passes everything else through. */
export function throwingOn<T extends object>(target: T, key: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === key) throw new Error(`proxy get ${key}`);
      return Reflect.get(object, property, receiver);
    },
  });
}

/** 1 MiB of text, built once. */
export const HUGE_TEXT = 'h'.repeat(1 << 20);

/** An object nested 20,000 deep, built once. */
export const DEEP_OBJECT: unknown = (() => {
  let value: unknown = { leaf: true };
  for (let i = 0; i < 20_000; i++) value = { next: value };
  return value;
})();

/** Makers of hostile values, by name (the name shows in fast-check's counterexamples). */
export const HOSTILE_MAKERS: Readonly<Record<string, () => unknown>> = {
  nullPrototype: () => Object.create(null),
  nullPrototypeWithKeys: () => Object.assign(Object.create(null), { id: 'x', length: 1 }),
  throwingProxy: () => throwingProxy(),
  throwingArrayProxy: () => throwingProxy([1, 2, 3]),
  revokedProxy,
  throwingGetters: () => withThrowingGetters({}, ['id', 'relevance', 'embedding', 'categories', 'popularity', 'length', 'history', '0']),
  throwingToString: () => ({
    toString() {
      throw new Error('toString');
    },
    valueOf() {
      throw new Error('valueOf');
    },
  }),
  hugeLength: () => ({ length: 2 ** 40 }),
  hugeLengthArrayLike: () => ({ length: 2 ** 32 + 1, 0: 1 }),
  negativeLength: () => ({ length: -1 }),
  nanLength: () => ({ length: Number.NaN }),
  stringLength: () => ({ length: '3', 0: 1, 1: 2, 2: 3 }),
  sparseArray: () => new Array(4),
  hugeText: () => HUGE_TEXT,
  deepObject: () => DEEP_OBJECT,
  numericString: () => '0.5',
  emptyString: () => '',
  symbol: () => Symbol('hostile'),
  bigint: () => 10n,
  nan: () => Number.NaN,
  infinity: () => Number.POSITIVE_INFINITY,
  negativeZero: () => -0,
  negative: () => -1,
  huge: () => 1e308,
  fraction: () => 0.5,
  boolean: () => true,
  fn: () => () => 1,
  nullValue: () => null,
  undefinedValue: () => undefined,
  nanArray: () => [Number.NaN, 1],
  subnormalArray: () => [1e-309, 2e-309],
  float64: () => new Float64Array([1, 2]),
  stringArray: () => ['a', 'b'],
  mixedArray: () => ['a', 1, null],
};

/** One hostile value, with its maker's name. */
export interface Hostile {
  readonly name: string;
  make(): unknown;
}

/** Arbitrary over {@link HOSTILE_MAKERS}. */
export const hostileArb: fc.Arbitrary<Hostile> = fc
  .constantFrom(...Object.keys(HOSTILE_MAKERS))
  .map((name) => ({ name, make: HOSTILE_MAKERS[name] as () => unknown, toString: () => name }));
