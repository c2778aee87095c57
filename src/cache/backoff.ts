/**
 * Delay before retry number `attempt` (1 for the first retry): capped exponential backoff with
 * "equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015):
 * `d = min(maxMs, baseMs · 2^(attempt−1))`, delay = `d/2 + u·d/2` with `u = random() ∈ [0, 1)`.
 * Half the delay is kept so retries never bunch at zero; the other half spreads clients apart.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const capped = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const u = random();
  const jitter = u >= 0 && u < 1 ? u : 0;
  return capped / 2 + (jitter * capped) / 2;
}
