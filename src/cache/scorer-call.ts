import { RerankError } from '../errors/rerank-error.js';
import type { BreakerPermit, CircuitBreaker } from './circuit-breaker.js';
import type { ResolvedScoreCacheOptions } from './options.js';
import type { Counters, Job } from './refresh-job.js';
import type { ScoreRequestItem, SerendipityScorer } from './scorer.js';
import { isScore } from './subject.js';
import { TIMED_OUT, withTimeout } from './with-timeout.js';

/** The judged and the failed jobs of one scorer call. */
export interface ScorerCallResult {
  readonly scored: readonly { readonly job: Job; readonly score: number }[];
  readonly failed: readonly Job[];
}

/**
 * Copies the scorer's answer into a plain array, or undefined when it is not an array of the batch's
 * length, or reading it throws (a hostile `length` getter or Proxy).
 */
function readAnswer(results: unknown, n: number): unknown[] | undefined {
  try {
    if (!Array.isArray(results) || results.length !== n) return undefined;
    const values: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = (results as unknown[])[i];
    return values;
  } catch {
    return undefined;
  }
}

/**
 * One scorer call under the cache's policies: `timeoutMs` (the call's signal is aborted when it
 * passes), validation of every entry (`null`, or a number in [0, 1]; anything else is a failure, never
 * a score), and the breaker outcome. Every path records exactly one outcome for `permit`, so a
 * half-open probe can never be left in flight. A call in which no pair got a score (every entry
 * `null` or invalid, a malformed answer, a throw or a timeout) counts as a failure for the breaker.
 */
export async function callScorer(
  o: ResolvedScoreCacheOptions,
  scorer: SerendipityScorer,
  breaker: CircuitBreaker,
  counters: Counters,
  jobs: readonly Job[],
  permit: BreakerPermit,
  controller: AbortController,
): Promise<ScorerCallResult> {
  let recorded = false;
  let now = o.clock();
  try {
    counters.scorerCalls++;
    const items: ScoreRequestItem[] = jobs.map(({ profileKey, profile, itemId }) => ({ profileKey, profile, itemId }));
    for (const job of jobs) job.attempts++;
    let results: unknown;
    let answered = true;
    try {
      results = await withTimeout(o.scheduler, () => scorer(items, controller.signal), o.timeoutMs, controller.signal, () =>
        controller.abort(new RerankError('SCORER_TIMEOUT', `the scorer did not answer within timeoutMs=${o.timeoutMs}`)),
      );
    } catch (error) {
      answered = false;
      if (error === TIMED_OUT) counters.timeouts++;
    }
    const values = answered ? readAnswer(results, jobs.length) : undefined;
    const scored: { job: Job; score: number }[] = [];
    const failed: Job[] = [];
    if (values === undefined) {
      counters.failures += jobs.length;
      failed.push(...jobs);
    } else {
      jobs.forEach((job, i) => {
        const value = values[i];
        if (isScore(value)) {
          scored.push({ job, score: value });
        } else {
          if (value !== null) counters.invalidScores++;
          counters.failures++;
          failed.push(job);
        }
      });
    }
    now = o.clock();
    breaker.record(permit, scored.length > 0, now);
    recorded = true;
    return { scored, failed };
  } finally {
    if (!recorded) breaker.record(permit, false, now);
  }
}
