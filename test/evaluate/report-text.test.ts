import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../../src/evaluate/report-html.js';
import { formatPlainTable } from '../../src/evaluate/report-text.js';

const base = { ndcg: 0.1, serendipityHitCount: 3, unexpectedHitCount: 2, ild: 0.5, novelty: 9, coverage: 0.2, latencyMedianMs: 0.1, latencyP99Ms: 0.2 };
const report = (extra: Partial<ReportInput>): ReportInput =>
  ({
    dataset: 'fixture',
    k: 10,
    seed: 1,
    protocol: {},
    strategies: [],
    selected: [],
    splits: [{ split: 'standard', base, floorsMet: { met: 0, rows: 0 } }],
    ...extra,
  }) as unknown as ReportInput;

describe('formatPlainTable', () => {
  it('ends with the floors line when the run has no notes', () => {
    const text = formatPlainTable(report({}));
    expect(text.startsWith('standard split (test):\nstrategy')).toBe(true);
    expect(text.endsWith('0 of 0 selected rows met their floor on test.')).toBe(true);
  });

  it('prints the notes and skipped families after the tables, as report.md does', () => {
    const text = formatPlainTable(
      report({ notes: ['the standard split has 29 validation and 29 test users'], skipped: [{ family: 'dpp', reason: 'no item vectors.' }] }),
    );
    const lines = text.split('\n');
    expect(lines.slice(-3)).toEqual(['', 'Note: the standard split has 29 validation and 29 test users.', 'Skipped dpp: no item vectors.']);
    expect(text.indexOf('met their floor on test.')).toBeLessThan(text.indexOf('Note: '));
  });
});
