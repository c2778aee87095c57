import { describeValue, quoteText } from './errors/describe-value.js';
import { RerankError } from './errors/rerank-error.js';
import { checkedRequirements } from './_internals/options.js';
import type { Reranker, RerankRequest } from './types.js';

/** The keys a {@link RerankRequest} may have; any other key is a typo (`UNKNOWN_OPTION`). */
export const REQUEST_KEYS = ['candidates', 'user', 'k', 'strategy', 'catalog'] as const;

function unreadable(field: string, cause: unknown): RerankError {
  return new RerankError('INVALID_REQUEST', `reading ${field} threw (a getter or Proxy); pass plain values. See the error's cause.`, {
    field,
    cause,
  });
}

/**
 * Reads a request's fields (and the user's `id`, `history`, `profile`, `profileKey`) once into plain
 * objects, so that getters and Proxies are consulted here (where a throw becomes a
 * {@link RerankError}) and never again while packing or ranking.
 *
 * @throws {@link RerankError} `INVALID_REQUEST` when `request` is not an object or reading it
 *   throws; `UNKNOWN_OPTION` for a key other than {@link REQUEST_KEYS} (e.g. `kk`).
 */
export function snapshotRequest(request: RerankRequest): RerankRequest {
  if (request === null || typeof request !== 'object') {
    throw new RerankError(
      'INVALID_REQUEST',
      `rerank expects a request object { candidates, k, strategy, user?, catalog? }, got ${describeValue(request)}.`,
    );
  }
  let keys: string[];
  try {
    keys = Object.keys(request);
  } catch (cause) {
    throw unreadable('the request', cause);
  }
  for (const key of keys) {
    if (!(REQUEST_KEYS as readonly string[]).includes(key)) {
      throw new RerankError('UNKNOWN_OPTION', `rerank: unknown request key ${quoteText(key)}. Accepted keys: ${REQUEST_KEYS.join(', ')}.`, {
        field: key,
        value: key,
      });
    }
  }
  const copy: Record<string, unknown> = {};
  for (const key of REQUEST_KEYS) {
    let value: unknown;
    try {
      value = Reflect.get(request, key);
    } catch (cause) {
      throw unreadable(key, cause);
    }
    if (value !== undefined) copy[key] = key === 'user' ? snapshotUser(value) : value;
  }
  return copy as unknown as RerankRequest;
}

/** The members of a `UserContext` that the library reads. */
const USER_KEYS = ['id', 'history', 'profile', 'profileKey'] as const;

/**
 * Reads a user's members once into a plain object (other values pass through, for packing to
 * reject), so a strategy or score cache never meets the host's getters.
 */
function snapshotUser(user: unknown): unknown {
  if (user === null || typeof user !== 'object') return user;
  const copy: Record<string, unknown> = {};
  for (const key of USER_KEYS) {
    let value: unknown;
    try {
      value = Reflect.get(user, key);
    } catch (cause) {
      throw unreadable(`user.${key}`, cause);
    }
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

/**
 * Reads a strategy's members once. A custom strategy needs a `select` function, a string `name`
 * and `requires` (`{}` when it reads nothing beyond ids and relevance).
 *
 * @throws {@link RerankError} `INVALID_REQUEST` naming the missing or malformed member.
 */
export function snapshotStrategy(strategy: unknown): Reranker {
  if (strategy === null || typeof strategy !== 'object') {
    throw new RerankError('INVALID_REQUEST', `strategy must be a Reranker, e.g. mmr({ lambda: 0.6 }), got ${describeValue(strategy)}.`, {
      field: 'strategy',
    });
  }
  let name: unknown;
  let stage: unknown;
  let select: unknown;
  let requires: unknown;
  try {
    ({ name, stage, select, requires } = strategy as Reranker);
  } catch (cause) {
    throw unreadable('the strategy', cause);
  }
  if (typeof select !== 'function') {
    throw new RerankError('INVALID_REQUEST', `strategy must be a Reranker, e.g. mmr({ lambda: 0.6 }); its select is ${describeValue(select)}.`, {
      field: 'strategy',
    });
  }
  if (typeof name !== 'string') {
    throw new RerankError('INVALID_REQUEST', `strategy.name must be a string, got ${describeValue(name)}.`, { field: 'strategy.name' });
  }
  return {
    name,
    stage: stage as Reranker['stage'],
    requires: checkedRequirements(`strategy ${quoteText(name)}`, requires, 'strategy.requires'),
    select: (request, k) => (select as Reranker['select']).call(strategy, request, k),
  };
}
