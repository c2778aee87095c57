import { describeValue } from '../../errors/describe-value.js';
import { RerankError } from '../../errors/rerank-error.js';

/**
 * Returns `value` when it is one of `allowed`, `allowed[0]` (the default) when it is undefined.
 *
 * @throws {@link RerankError} `INVALID_OPTION` naming the option and the accepted values.
 */
export function choiceOption<T extends string>(owner: string, name: string, value: unknown, allowed: readonly [T, ...T[]]): T {
  if (value === undefined) return allowed[0];
  if (!allowed.includes(value as T)) {
    throw new RerankError(
      'INVALID_OPTION',
      `${owner}: option "${name}" must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}.`,
      { field: `options.${name}`, value },
    );
  }
  return value as T;
}
