import type { Clock, Scheduler } from './clock.js';

/**
 * The single dispatch timer of the cache: keeps the earliest requested dispatch time and one
 * scheduler timer for it (a later request never postpones an earlier one).
 */
export class PumpTimer {
  private handle: unknown = undefined;
  private at = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly pump: () => void,
  ) {}

  /** Arranges a dispatch at clock time `at`, unless one is already due no later. */
  schedule(at: number): void {
    if (this.handle !== undefined && this.at <= at) return;
    this.clear();
    this.at = at;
    this.handle = this.scheduler.setTimeout(() => {
      this.handle = undefined;
      this.at = Infinity;
      this.pump();
    }, Math.max(0, Math.ceil(at - this.clock())));
  }

  /** Cancels the pending dispatch, if any. */
  clear(): void {
    if (this.handle === undefined) return;
    this.scheduler.clearTimeout(this.handle);
    this.handle = undefined;
    this.at = Infinity;
  }
}
