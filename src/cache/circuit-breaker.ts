/** States of the score cache's circuit breaker (Nygard, "Release It!", 2007). */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What {@link CircuitBreaker.tryAcquire} granted: a normal call, the single half-open probe, or nothing. */
export type BreakerPermit = 'normal' | 'probe' | undefined;

/**
 * A consecutive-failure circuit breaker around the scorer.
 * - `closed`: calls flow; `threshold` consecutive call failures open it.
 * - `open`: no calls for `cooldownMs`; then the next call becomes a probe (`half-open`).
 * - `half-open`: exactly one probe in flight; success closes the breaker, failure re-opens it.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {}

  /** The state as of `now` (an open breaker whose cool-down elapsed reports `half-open`). */
  state(now: number): BreakerState {
    if (this.current === 'open' && now >= this.reopensAt()) return 'half-open';
    return this.current;
  }

  /** When an open breaker will admit a probe. */
  reopensAt(): number {
    return this.openedAt + this.cooldownMs;
  }

  /** Asks to start one scorer call at `now`. */
  tryAcquire(now: number): BreakerPermit {
    if (this.current === 'closed') return 'normal';
    if (this.current === 'open') {
      if (now < this.reopensAt()) return undefined;
      this.current = 'half-open';
    }
    if (this.probing) return undefined;
    this.probing = true;
    return 'probe';
  }

  /** Returns a permit that was not used for a scorer call (the batch was served from L2). */
  release(permit: BreakerPermit): void {
    if (permit === 'probe') this.probing = false;
  }

  /** Records the outcome of a call started with `permit`. Results of calls started before a trip are ignored. */
  record(permit: BreakerPermit, ok: boolean, now: number): void {
    if (permit === 'probe') {
      this.probing = false;
      if (ok) {
        this.current = 'closed';
        this.consecutiveFailures = 0;
      } else {
        this.trip(now);
      }
      return;
    }
    if (permit !== 'normal' || this.current !== 'closed') return;
    if (ok) {
      this.consecutiveFailures = 0;
    } else if (++this.consecutiveFailures >= this.threshold) {
      this.trip(now);
    }
  }

  private trip(now: number): void {
    this.current = 'open';
    this.openedAt = now;
    this.consecutiveFailures = 0;
  }
}
