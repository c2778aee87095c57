import { describeValue, quoteText } from '../errors/describe-value.js';
import { isRerankError, RerankError } from '../errors/rerank-error.js';
import type { Need, Requirements } from '../types.js';

/**
 * Rejects keys of `options` that are not in `known`, so a typo such as `{ lamda: 0.5 }` fails loudly
 * instead of silently using the default, and reads every known option once.
 *
 * Returns a plain snapshot of the known options (absent ones omitted). Reading options from the
 * snapshot rather than from `options` means a getter or Proxy is consulted exactly once, here,
 * where a throw becomes a {@link RerankError}.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` naming the key and the accepted keys;
 *   `INVALID_OPTION` when `options` is not an object or reading it throws (the error is the `cause`).
 */
export function assertKnownOptions<T extends object>(owner: string, options: T | undefined, known: readonly string[]): Partial<T> {
  const snapshot = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return snapshot as Partial<T>;
  if (options === null || typeof options !== 'object') {
    throw new RerankError('INVALID_OPTION', `${owner}: options must be an object, got ${describeValue(options)}.`, {
      field: 'options',
      value: options,
    });
  }
  let keys: string[];
  try {
    keys = Object.keys(options);
  } catch (cause) {
    throw unreadable(owner, 'options', options, cause);
  }
  for (const key of keys) {
    if (!known.includes(key)) {
      throw new RerankError(
        'UNKNOWN_OPTION',
        `${owner}: unknown option ${quoteText(key)}. Accepted options: ${known.join(', ') || '(none)'}.`,
        { field: `options.${key}`, value: key },
      );
    }
  }
  for (const key of known) {
    let value: unknown;
    try {
      value = Reflect.get(options, key);
    } catch (cause) {
      throw unreadable(owner, `options.${key}`, options, cause);
    }
    if (value !== undefined) snapshot[key] = value;
  }
  return snapshot as Partial<T>;
}

function unreadable(owner: string, field: string, value: unknown, cause: unknown): RerankError {
  return new RerankError('INVALID_OPTION', `${owner}: reading ${field} threw (a getter or Proxy); pass plain values. See the error's cause.`, {
    field,
    value,
    cause,
  });
}

/**
 * Runs a strategy factory's option handling, turning an error that is not a {@link RerankError}
 * (a throwing getter or Proxy trap inside an option object such as a `base` strategy) into
 * `INVALID_OPTION` with that error as the `cause`.
 */
export function guardOptions<T>(owner: string, build: () => T, field = 'options'): T {
  try {
    return build();
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw new RerankError('INVALID_OPTION', `${owner}: reading the ${field} threw (a getter or Proxy); pass plain values. See the error's cause.`, {
      field,
      cause: error,
    });
  }
}

/** Bounds for {@link numberOption}. */
export interface NumberBounds {
  /** Smallest accepted value. */
  readonly min?: number;
  /** Largest accepted value. */
  readonly max?: number;
  /** When true, `min` itself is rejected. */
  readonly minExclusive?: boolean;
  /** When true, `max` itself is rejected. */
  readonly maxExclusive?: boolean;
  /** When true, only integers are accepted. */
  readonly integer?: boolean;
}

function describeRange(bounds: NumberBounds): string {
  const low = bounds.min === undefined ? '(-∞' : `${bounds.minExclusive ? '(' : '['}${bounds.min}`;
  const high = bounds.max === undefined ? '∞)' : `${bounds.max}${bounds.maxExclusive ? ')' : ']'}`;
  return `${bounds.integer ? 'an integer in ' : ''}${low}, ${high}`;
}

/**
 * Returns `value` when it is a finite number inside `bounds`, `fallback` when `value` is undefined.
 *
 * @throws {@link RerankError} `INVALID_OPTION` naming the option, the value and the accepted range.
 */
export function numberOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  bounds: NumberBounds = {},
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.min === undefined || (bounds.minExclusive ? value > bounds.min : value >= bounds.min)) &&
    (bounds.max === undefined || (bounds.maxExclusive ? value < bounds.max : value <= bounds.max));
  if (!ok) {
    throw new RerankError(
      'INVALID_OPTION',
      `${owner}: option "${name}" must be ${describeRange(bounds)}, got ${describeValue(value)}.`,
      { field: `options.${name}`, value },
    );
  }
  return value;
}

/** The fields a strategy may ask `rerank()` to pack (see `Requirements`). */
const REQUIREMENT_KEYS = ['embeddings', 'categories', 'popularity', 'historyEmbeddings', 'historyCategories'] as const;

/**
 * Checks a strategy's `requires` and copies it: an object whose keys are among
 * `embeddings`, `categories`, `popularity`, `historyEmbeddings`, `historyCategories`, each
 * `'required'` or `'optional'`. A custom strategy that reads nothing beyond ids and relevance
 * declares `requires: {}`.
 *
 * @throws {@link RerankError} `code` (default `INVALID_REQUEST`) at `field` (e.g. `strategy.requires`)
 *   when it is missing, not an object, names an unknown field, has another need, or reading it throws.
 */
export function checkedRequirements(
  owner: string,
  requires: unknown,
  field: string,
  code: 'INVALID_REQUEST' | 'INVALID_ARGUMENT' = 'INVALID_REQUEST',
): Requirements {
  const invalid = (what: string, at = field, cause?: unknown): RerankError =>
    new RerankError(code, `${owner}: ${at} ${what}`, { field: at, ...(cause === undefined ? {} : { cause }) });
  if (requires === null || typeof requires !== 'object') {
    throw invalid(
      `must be an object naming the fields the strategy reads, e.g. { embeddings: 'required' } (or {} for none), got ${describeValue(requires)}.`,
    );
  }
  const copy: { -readonly [K in keyof Requirements]: Need } = {};
  try {
    for (const key of Object.keys(requires)) {
      if (!(REQUIREMENT_KEYS as readonly string[]).includes(key)) {
        throw invalid(`names the unknown field ${quoteText(key)}; known fields: ${REQUIREMENT_KEYS.join(', ')}.`);
      }
    }
    for (const key of REQUIREMENT_KEYS) {
      const need: unknown = Reflect.get(requires, key);
      if (need === undefined) continue;
      if (need !== 'required' && need !== 'optional') throw invalid(`must be 'required' or 'optional', got ${describeValue(need)}.`, `${field}.${key}`);
      copy[key] = need;
    }
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw invalid("threw while being read (a getter or Proxy); see the error's cause.", field, error);
  }
  return copy;
}
