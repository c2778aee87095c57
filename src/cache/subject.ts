import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import type { ScoreSubject } from './cache-types.js';
import { hashProfile } from './profile-key.js';

/**
 * The profile key of `subject`: its explicit `profileKey`, else `derive(profile)` when a profile and
 * a `profileKey` option are given, else the profile's hash, else the subject key.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for a malformed subject or derived key.
 */
export function resolveProfileKey(subject: ScoreSubject, derive: ((profile: unknown) => string) | undefined): string {
  if (subject === null || typeof subject !== 'object' || typeof subject.key !== 'string' || subject.key === '') {
    throw new RerankError('INVALID_ARGUMENT', 'subject.key must be a non-empty string (usually the user id), e.g. { key: user.id, profile }.', {
      field: 'subject.key',
    });
  }
  const { profileKey, profile } = subject;
  if (profileKey !== undefined) return checkedKey(profileKey, 'subject.profileKey');
  if (profile === undefined) return subject.key;
  if (derive !== undefined) return checkedKey(derive(profile), 'options.profileKey(profile)');
  return hashProfile(profile);
}

/** `key` when it is a non-empty string. @throws {@link RerankError} `INVALID_ARGUMENT` otherwise. */
export function checkedKey(key: unknown, field: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new RerankError('INVALID_ARGUMENT', `${field} must be a non-empty string, got ${describeValue(key)}.`, { field, value: key });
  }
  return key;
}

/** @throws {@link RerankError} `INVALID_ARGUMENT` unless `itemIds` is an array. */
export function assertIdList(itemIds: unknown): asserts itemIds is readonly string[] {
  if (!Array.isArray(itemIds)) {
    throw new RerankError('INVALID_ARGUMENT', 'itemIds must be an array of item id strings.', { field: 'itemIds' });
  }
}

/** The error for a non-string id at `index`. */
export function invalidId(index: number, value: unknown): RerankError {
  return new RerankError('INVALID_ID', `itemIds[${index}] must be a string, got ${typeof value}.`, { field: `itemIds[${index}]`, value });
}

/** True for a number in [0, 1] (NaN excluded). */
export function isScore(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}
