import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/** Elements of one embedding read at most while looking for the one whose read throws. */
const MAX_PROBED_ENTRIES = 1 << 20;

/** Runs `read`; true when it throws. */
function throws(read: () => unknown): boolean {
  try {
    read();
    return false;
  } catch {
    return true;
  }
}

/** The first entry of `embedding` (an array-like whose length reads fine) whose read throws, as `[j]`. */
function throwingEntry(embedding: ArrayLike<unknown>): string | undefined {
  const length = Math.min(Number(embedding.length) || 0, MAX_PROBED_ENTRIES);
  for (let j = 0; j < length; j++) if (throws(() => embedding[j])) return `[${j}]`;
  return undefined;
}

/** The first field of `item` whose read throws (`.id`, `.embedding[3]`, …), or undefined. */
function throwingItemField(item: object, fields: readonly string[]): string | undefined {
  for (const name of fields) {
    let value: unknown;
    try {
      value = Reflect.get(item, name);
    } catch {
      return `.${name}`;
    }
    if (value !== null && typeof value === 'object') {
      if (throws(() => (value as ArrayLike<unknown>).length)) return `.${name}.length`;
      const entry = throwingEntry(value as ArrayLike<unknown>);
      if (entry !== undefined) return `.${name}${entry}`;
    }
  }
  return undefined;
}

/** The first element of `items` (or field of one) whose read throws, as a path under `path`. */
function throwingInList(items: unknown, path: string, fields: readonly string[]): string | undefined {
  let length: unknown;
  try {
    if (!Array.isArray(items)) return undefined;
    length = items.length;
  } catch {
    return path;
  }
  for (let i = 0; i < (length as number); i++) {
    let item: unknown;
    try {
      item = (items as unknown[])[i];
    } catch {
      return `${path}[${i}]`;
    }
    if (item === null || typeof item !== 'object') continue;
    const field = throwingItemField(item, fields);
    if (field !== undefined) return `${path}[${i}]${field}`;
  }
  return undefined;
}

/**
 * Where in `request` reading a value throws (a getter or Proxy), found by reading again field by
 * field: `candidates[3].embedding`, `user.history[0].id`, … Only runs after packing failed that way.
 */
function throwingField(request: object): string | undefined {
  const read = (name: string): { value?: unknown; threw: boolean } => {
    try {
      return { value: Reflect.get(request, name), threw: false };
    } catch {
      return { threw: true };
    }
  };
  for (const name of ['candidates', 'user', 'catalog', 'strategy']) if (read(name).threw) return name;
  const candidates = throwingInList(read('candidates').value, 'candidates', ['id', 'relevance', 'embedding', 'categories', 'popularity']);
  if (candidates !== undefined) return candidates;
  const user = read('user').value;
  if (user === null || typeof user !== 'object') return undefined;
  let history: unknown;
  try {
    if (throws(() => Reflect.get(user, 'id'))) return 'user.id';
    history = Reflect.get(user, 'history');
  } catch {
    return 'user.history';
  }
  return throwingInList(history, 'user.history', ['id', 'embedding', 'categories']);
}

/**
 * The error for a request whose packing threw something other than a {@link RerankError} (a
 * throwing getter or Proxy, a revoked Proxy): `INVALID_REQUEST` naming the field when it can be
 * found, with the original error as `cause`.
 */
export function unreadableRequestError(request: object, cause: unknown): RerankError {
  const field = throwingField(request);
  const where = field === undefined ? 'the request' : field;
  return new RerankError(
    'INVALID_REQUEST',
    `reading ${where} threw (${describeValue(cause)}, e.g. a getter or Proxy); pass plain values. See the error's cause.`,
    { ...(field === undefined ? {} : { field }), cause },
  );
}

/**
 * The error for `createItemTable(items)` when reading an item threw something other than a
 * {@link RerankError}: `INVALID_ARGUMENT` naming the field when it can be found, with the original
 * error as `cause`.
 */
export function unreadableItemsError(items: unknown, cause: unknown): RerankError {
  const field = throwingInList(items, 'items', ['id', 'embedding', 'categories', 'popularity']);
  return new RerankError(
    'INVALID_ARGUMENT',
    `createItemTable: reading ${field ?? 'items'} threw (${describeValue(cause)}, e.g. a getter or Proxy); pass plain values. See the error's cause.`,
    { field: field ?? 'items', cause },
  );
}
