import type { SerendipityScorer } from '../cache/scorer.js';
import type { Calibrator } from './calibrate.js';

/**
 * Wraps a scorer so that every raw score `s` it returns becomes `calibrator.apply(s)`, a calibrated
 * probability that a person would call the pair serendipitous (see `calibrate`). `null` stays
 * `null`, and so does any entry that is not a finite number (the cache would reject it anyway).
 * Batch, signal and errors pass through unchanged. Put it between the judge and
 * `createScoreCache({ scorer })`, so the cache stores calibrated scores.
 */
export function calibratedScorer(scorer: SerendipityScorer, calibrator: Calibrator): SerendipityScorer {
  return async (batch, signal) => {
    const raw = await scorer(batch, signal);
    return raw.map((score) => (typeof score === 'number' && Number.isFinite(score) ? calibrator.apply(score) : null));
  };
}
