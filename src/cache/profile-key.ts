import { RerankError } from '../errors/rerank-error.js';

/**
 * Default cap on the canonical JSON of a profile hashed by {@link hashProfile}: 1 MiB of characters
 * (about 20 ms of hashing). Larger profiles need a precomputed key (`user.profileKey`, or the
 * `profileKey` option of `createScoreCache`).
 */
export const MAX_PROFILE_HASH_CHARS = 1_048_576;

/** One open array, typed array, map/set entry list, or object being written. */
interface Frame {
  /** The value on the current path (for cycle detection); removed when the frame closes. */
  readonly owner: object;
  /** Elements, or the record whose `keys` are written. */
  readonly list: ArrayLike<unknown> | Record<string, unknown>;
  /** Sorted keys for an object, undefined for a list. */
  readonly keys: readonly string[] | undefined;
  readonly size: number;
  readonly close: string;
  next: number;
}

function tooLarge(maxChars: number): RerankError {
  return new RerankError(
    'INVALID_ARGUMENT',
    `profile is larger than ${maxChars} characters of canonical JSON, too large to hash on every rerank. Pass a precomputed key: user.profileKey (e.g. a CognitionProfile's key) or createScoreCache({ profileKey }).`,
    { field: 'profile' },
  );
}

/**
 * Serialises `value` canonically: object keys sorted, arrays and typed arrays in order, so two
 * structurally equal profiles give the same text whatever their key order. Plain JSON data gives
 * valid JSON; `NaN`, `±Infinity`, `undefined`, dates (`Date(ISO)`), maps and sets (tagged entry
 * lists, in insertion order) appear as non-JSON tokens so they stay distinct.
 *
 * Iterative (an explicit stack), so any nesting depth works without a stack overflow. Stops as soon as
 * the text would pass `maxChars`; a list or object with more entries than the characters left is
 * refused before it is walked (each entry takes at least one character).
 *
 * @param maxChars - Longest text produced. @defaultValue `Infinity`
 * @throws {@link RerankError} `INVALID_ARGUMENT` for cyclic values, functions, symbols and bigints,
 * which have no stable serialisation, and for text longer than `maxChars`.
 */
export function canonicalJson(value: unknown, maxChars: number = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): void => {
    length += text.length;
    if (length > maxChars) throw tooLarge(maxChars);
    parts.push(text);
  };
  const path = new Set<object>();
  const stack: Frame[] = [];
  const enter = (owner: object, list: Frame['list'], keys: readonly string[] | undefined, size: number, open: string, close: string): void => {
    if (length + open.length + size + close.length > maxChars) throw tooLarge(maxChars);
    emit(open);
    path.add(owner);
    stack.push({ owner, list, keys, size, close, next: 0 });
  };
  const write = (item: unknown): void => {
    if (typeof item === 'string' && length + item.length + 2 > maxChars) throw tooLarge(maxChars);
    if (item === null || typeof item === 'boolean' || typeof item === 'string') {
      emit(JSON.stringify(item));
      return;
    }
    if (typeof item === 'number' || item === undefined) {
      // JSON would print NaN and ±Infinity as null and drop undefined; emit bare tokens instead, which
      // no JSON value (strings included) can produce.
      emit(typeof item === 'number' && Number.isFinite(item) ? JSON.stringify(item) : String(item));
      return;
    }
    if (typeof item !== 'object') {
      throw new RerankError(
        'INVALID_ARGUMENT',
        `profile holds a ${typeof item}, which has no stable key. Pass a plain-data profile or a profileKey function (createScoreCache({ profileKey })).`,
        { field: 'profile' },
      );
    }
    if (path.has(item)) {
      throw new RerankError('INVALID_ARGUMENT', 'profile is cyclic, so it has no stable key. Pass a profileKey function or user.profileKey.', {
        field: 'profile',
      });
    }
    if (item instanceof Date) {
      emit(`Date(${Number.isNaN(item.getTime()) ? 'NaN' : item.toISOString()})`);
    } else if (item instanceof Map || item instanceof Set) {
      // Entries in insertion order, tagged so a Map never equals an array or a Set of the same data.
      if (length + item.size > maxChars) throw tooLarge(maxChars);
      const entries = [...item] as unknown[];
      enter(item, entries, undefined, entries.length, item instanceof Map ? 'Map[' : 'Set[', ']');
    } else if (Array.isArray(item) || ArrayBuffer.isView(item)) {
      const list = item as ArrayLike<unknown>;
      enter(item, list, undefined, list.length, '[', ']');
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record);
      if (length + keys.length > maxChars) throw tooLarge(maxChars);
      enter(item, record, keys.sort(), keys.length, '{', '}');
    }
  };
  write(value);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next === frame.size) {
      stack.pop();
      path.delete(frame.owner);
      emit(frame.close);
      continue;
    }
    const index = frame.next++;
    if (index > 0) emit(',');
    if (frame.keys === undefined) {
      write((frame.list as ArrayLike<unknown>)[index]);
    } else {
      const key = frame.keys[index] as string;
      emit(JSON.stringify(key));
      emit(':');
      write((frame.list as Record<string, unknown>)[key]);
    }
  }
  return parts.join('');
}

/**
 * A stable 53-bit hash of a string (cyrb53, a public-domain MurmurHash3-style mix), as 14 hex digits.
 * Not cryptographic; collisions are negligible for cache keys (about 2⁻⁵³ per pair of profiles).
 */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}

/**
 * The default profile key: `p:` followed by a 53-bit hash (`hash53`) of the profile's canonical JSON.
 * Any change to the profile's data changes the key, so scores judged for an old profile miss.
 *
 * Cost: the profile is serialised and hashed on every `rerank` and every cache call that passes a
 * profile without a key, O(size) (about 20 ms per MiB). For large or hot profiles pass a precomputed
 * key instead: `user.profileKey` (a `CognitionProfile` carries one in `.key`) or the `profileKey`
 * option of `createScoreCache`. Any nesting depth works (iterative); profiles whose canonical JSON
 * exceeds `maxChars` are refused rather than hashed slowly.
 *
 * @param maxChars - Largest canonical JSON hashed. @defaultValue {@link MAX_PROFILE_HASH_CHARS} (1 MiB)
 * @throws {@link RerankError} `INVALID_ARGUMENT` for a profile with no stable key (cyclic, functions,
 * symbols, bigints), one larger than `maxChars`, or one whose getters or proxy traps throw.
 */
export function hashProfile(profile: unknown, maxChars: number = MAX_PROFILE_HASH_CHARS): string {
  let text: string;
  try {
    text = canonicalJson(profile, maxChars);
  } catch (error) {
    if (error instanceof RerankError) throw error;
    throw new RerankError('INVALID_ARGUMENT', 'profile could not be read (a getter or proxy trap threw), so it has no stable key. Pass a plain-data profile or user.profileKey.', {
      field: 'profile',
      cause: error,
    });
  }
  return `p:${hash53(text)}`;
}
