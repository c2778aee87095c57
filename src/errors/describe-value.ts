/**
 * Longest stretch of a caller's text quoted in an error message. Longer text is cut and its length
 * noted, so a 1 MB id makes a message of a few hundred characters, not of a megabyte.
 */
export const MAX_QUOTED_CHARS = 200;

/**
 * Quotes caller-supplied text for an error message: JSON-style quotes and escapes (so control
 * characters and quotes stay visible), cut at {@link MAX_QUOTED_CHARS} characters with the full
 * length noted, e.g. `"aaaa…" (1048576 characters)`.
 */
export function quoteText(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_CHARS))}… (${text.length} characters)`;
}

/** Like {@link quoteText} without the quotes, for text that is not the caller's string (names, digits). */
function capText(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return text;
  return `${text.slice(0, MAX_QUOTED_CHARS)}… (${text.length} characters)`;
}

function describeObject(value: object): string {
  if (Array.isArray(value)) {
    const length: unknown = value.length;
    return typeof length === 'number' ? `an array of length ${length}` : 'an array';
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null) return 'an object with a null prototype';
  if (prototype === Object.prototype) return 'an object';
  const constructor: unknown = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value;
  const name: unknown = typeof constructor === 'function' ? Object.getOwnPropertyDescriptor(constructor, 'name')?.value : undefined;
  return typeof name === 'string' && name !== '' ? `an instance of ${capText(name)}` : 'an object';
}

/**
 * Describes any value for an error message, naming its type when that is not obvious: numbers as
 * themselves (`0.5`, `NaN`, `-Infinity`), `undefined`, `null`, `string "0.5"`, `boolean true`,
 * `bigint 10n`, `symbol Symbol(x)`, `a function`, `an array of length 3`, `an object`,
 * `an object with a null prototype`, `an instance of Map`.
 *
 * Never throws and never calls the caller's code on purpose: objects are not converted with
 * `String()` (which throws on null-prototype objects and runs `toString` getters); a Proxy or
 * getter that throws while being inspected gives the plain `an object`. Text is capped by
 * {@link quoteText}.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${quoteText(value)}`;
    case 'boolean':
      return `boolean ${String(value)}`;
    case 'bigint':
      return `bigint ${capText(`${String(value)}n`)}`;
    case 'symbol':
      return `symbol ${capText(`Symbol(${value.description ?? ''})`)}`;
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      try {
        return describeObject(value as object);
      } catch {
        return 'an object';
      }
  }
}
