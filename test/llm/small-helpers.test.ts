import { describe, expect, it } from 'vitest';
import { parseSerendipityScore } from '../../src/llm/parse.js';
import { parseRetryAfter } from '../../src/llm/retry-after.js';
import { estimateTokens } from '../../src/llm/tokens.js';

describe('estimateTokens', () => {
  it('is ceil(characters / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('x'.repeat(1001))).toBe(251);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP dates (RFC 9110)', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores missing or unparsable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('parseSerendipityScore on non-strings', () => {
  it('rejects instead of throwing', () => {
    for (const value of [undefined, null, 0.5, { score: 0.5 }]) {
      expect(parseSerendipityScore(value as never)).toEqual({ ok: false, reason: 'unrecognized' });
    }
  });
});
