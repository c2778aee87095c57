import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/cache/circuit-breaker.js';
import { retryDelay } from '../../src/cache/backoff.js';

describe('CircuitBreaker', () => {
  it('opens after `threshold` consecutive failures; a success in between resets the count', () => {
    const breaker = new CircuitBreaker(3, 100);
    for (const ok of [false, false, true, false, false]) breaker.record(breaker.tryAcquire(0), ok, 0);
    expect(breaker.state(0)).toBe('closed');
    breaker.record(breaker.tryAcquire(0), false, 5);
    expect(breaker.state(5)).toBe('open');
    expect(breaker.tryAcquire(104)).toBeUndefined();
    expect(breaker.reopensAt()).toBe(105);
  });

  it('admits exactly one probe when half-open; its result decides', () => {
    const breaker = new CircuitBreaker(1, 100);
    breaker.record(breaker.tryAcquire(0), false, 0);
    expect(breaker.state(100)).toBe('half-open');
    const probe = breaker.tryAcquire(100);
    expect(probe).toBe('probe');
    expect(breaker.tryAcquire(100)).toBeUndefined(); // one probe at a time
    breaker.record(probe, false, 150);
    expect(breaker.state(249)).toBe('open');
    const second = breaker.tryAcquire(250);
    breaker.release(second); // unused (served from L2): another probe may go
    const third = breaker.tryAcquire(250);
    expect(third).toBe('probe');
    breaker.record(third, true, 260);
    expect(breaker.state(260)).toBe('closed');
    expect(breaker.tryAcquire(260)).toBe('normal');
  });

  it('ignores results of calls started before it opened', () => {
    const breaker = new CircuitBreaker(1, 100);
    const early = breaker.tryAcquire(0);
    const late = breaker.tryAcquire(0);
    breaker.record(early, false, 1);
    breaker.record(late, true, 2); // a success of a normal call does not close an open breaker
    expect(breaker.state(2)).toBe('open');
  });
});

describe('retryDelay', () => {
  it('is d/2 + u·d/2 with d = min(max, base·2^(attempt−1))', () => {
    expect(retryDelay(1, 100, 1000, () => 0)).toBe(50);
    expect(retryDelay(1, 100, 1000, () => 0.5)).toBe(50 + 25);
    expect(retryDelay(3, 100, 1000, () => 0.5)).toBe(200 + 100);
    expect(retryDelay(10, 100, 1000, () => 0.999)).toBeCloseTo(500 + 0.999 * 500, 12);
    expect(retryDelay(2, 100, 1000, () => Number.NaN)).toBe(100); // a broken random source adds no jitter
  });
});
