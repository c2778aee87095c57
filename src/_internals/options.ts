import { RerankError } from '../errors/rerank-error.js';

/**
 * Rejects keys of `options` that are not in `known`, so a typo such as `{ lamda: 0.5 }` fails loudly
 * instead of silently using the default.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` naming the key and the accepted keys.
 */
export function assertKnownOptions(
  owner: string,
  options: object | undefined,
  known: readonly string[],
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new RerankError('INVALID_OPTION', `${owner}: options must be an object, got ${String(options)}.`, {
      field: 'options',
      value: options,
    });
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RerankError(
        'UNKNOWN_OPTION',
        `${owner}: unknown option "${key}". Accepted options: ${known.join(', ') || '(none)'}.`,
        { field: `options.${key}`, value: key },
      );
    }
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
      `${owner}: option "${name}" must be ${describeRange(bounds)}, got ${String(value)}.`,
      { field: `options.${name}`, value },
    );
  }
  return value;
}
