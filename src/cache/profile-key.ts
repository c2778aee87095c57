import { RerankError } from '../errors/rerank-error.js';

/**
 * Serialises `value` canonically: object keys sorted, arrays and typed arrays in order, so two
 * structurally equal profiles give the same text whatever their key order. Plain JSON data gives
 * valid JSON; `NaN`, `±Infinity`, `undefined`, dates (`Date(ISO)`), maps and sets (tagged entry
 * lists, in insertion order) appear as non-JSON tokens so they stay distinct.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for cyclic values, functions, symbols and bigints,
 * which have no stable serialisation.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  const path = new Set<object>();
  const write = (item: unknown): void => {
    if (item === null || typeof item === 'boolean' || typeof item === 'string') {
      parts.push(JSON.stringify(item));
      return;
    }
    if (typeof item === 'number' || item === undefined) {
      // JSON would print NaN and ±Infinity as null and drop undefined; emit bare tokens instead, which
      // no JSON value (strings included) can produce.
      parts.push(typeof item === 'number' && Number.isFinite(item) ? JSON.stringify(item) : String(item));
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
    path.add(item);
    if (item instanceof Date) {
      parts.push(`Date(${Number.isNaN(item.getTime()) ? 'NaN' : item.toISOString()})`);
    } else if (item instanceof Map || item instanceof Set) {
      // Entries in insertion order, tagged so a Map never equals an array or a Set of the same data.
      parts.push(item instanceof Map ? 'Map' : 'Set');
      write([...item]);
    } else if (Array.isArray(item) || ArrayBuffer.isView(item)) {
      const list = item as ArrayLike<unknown>;
      parts.push('[');
      for (let i = 0; i < list.length; i++) {
        if (i > 0) parts.push(',');
        write(list[i]);
      }
      parts.push(']');
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      parts.push('{');
      keys.forEach((key, i) => {
        if (i > 0) parts.push(',');
        parts.push(JSON.stringify(key), ':');
        write(record[key]);
      });
      parts.push('}');
    }
    path.delete(item);
  };
  write(value);
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
 * The default profile key: `p:` followed by {@link hash53} of the profile's {@link canonicalJson}.
 * Any change to the profile's data changes the key, so scores judged for an old profile miss.
 */
export function hashProfile(profile: unknown): string {
  return `p:${hash53(canonicalJson(profile))}`;
}
