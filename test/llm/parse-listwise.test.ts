import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListwiseScores } from '../../src/llm/parse-listwise.js';

const refs = ['i1', 'i2', 'i3'];

describe('parseListwiseScores', () => {
  it('returns scores aligned with the refs, whatever the answer order', () => {
    const text = '{"scores": [{"ref": "i3", "score": 0.3}, {"ref": "i1", "score": 0.1}, {"ref": "i2", "score": 0.2}]}';
    expect(parseListwiseScores(text, refs)).toEqual({ ok: true, scores: [0.1, 0.2, 0.3] });
  });

  it('accepts the indirect triple per entry and a fenced answer', () => {
    const text =
      '```json\n{"scores": [{"ref": "i1", "score": 0.5}, {"ref": "i2", "relevance": 1, "unexpectedness": 0.5, "novelty": 0.5}, {"ref": "i3", "score": 0}]}\n```';
    expect(parseListwiseScores(text, refs)).toEqual({ ok: true, scores: [0.5, (1 * (0.5 + 0.5)) / 2, 0] });
  });

  it('rejects an answer with a missing item, keeping the others as partial scores', () => {
    const text = '{"scores": [{"ref": "i1", "score": 0.1}, {"ref": "i3", "score": 0.3}]}';
    expect(parseListwiseScores(text, refs)).toEqual({ ok: false, reason: 'missing_items', partial: [0.1, null, 0.3], missing: ['i2'] });
  });

  it('rejects duplicates (discarding both), unknown refs and out-of-range entries', () => {
    const duplicate = '{"scores": [{"ref": "i1", "score": 0.1}, {"ref": "i1", "score": 0.9}, {"ref": "i2", "score": 0.2}, {"ref": "i3", "score": 0.3}]}';
    expect(parseListwiseScores(duplicate, refs)).toEqual({ ok: false, reason: 'duplicate_item', partial: [null, 0.2, 0.3], missing: ['i1'] });
    const unknown = '{"scores": [{"ref": "i1", "score": 0.1}, {"ref": "i2", "score": 0.2}, {"ref": "i3", "score": 0.3}, {"ref": "i9", "score": 1}]}';
    expect(parseListwiseScores(unknown, refs)).toMatchObject({ ok: false, reason: 'unknown_item', partial: [0.1, 0.2, 0.3], missing: [] });
    const outOfRange = '{"scores": [{"ref": "i1", "score": 7}, {"ref": "i2", "score": 0.2}, {"ref": "i3", "score": 0.3}]}';
    expect(parseListwiseScores(outOfRange, refs)).toEqual({ ok: false, reason: 'out_of_range', partial: [null, 0.2, 0.3], missing: ['i1'] });
  });

  it('reports the most serious problem first: duplicate, unknown, schema, range, missing', () => {
    const entry = (ref: unknown, score: unknown) => ({ ref, score });
    const answer = (...entries: unknown[]) => JSON.stringify({ scores: entries });
    // three copies of one ref are still a duplicate, and all copies are discarded
    expect(parseListwiseScores(answer(entry('i1', 0.1), entry('i1', 0.2), entry('i1', 0.3), entry('i2', 0.2), entry('i3', 0.3)), refs)).toEqual({
      ok: false,
      reason: 'duplicate_item',
      partial: [null, 0.2, 0.3],
      missing: ['i1'],
    });
    expect(parseListwiseScores(answer(entry('i9', 0.1), entry('i1', 0.1), entry('i1', 0.1)), refs)).toMatchObject({ reason: 'duplicate_item' });
    expect(parseListwiseScores(answer(entry(7, 0.1), entry('i9', 0.1), entry('i1', 5)), refs)).toMatchObject({ reason: 'unknown_item' });
    expect(parseListwiseScores(answer(entry(7, 0.1), entry('i1', 5), entry('i2', 0.2)), refs)).toMatchObject({
      reason: 'schema_mismatch',
      partial: [null, 0.2, null],
    });
    expect(parseListwiseScores(answer(entry('i1', 5), entry('i2', 0.2)), refs)).toMatchObject({ reason: 'out_of_range', missing: ['i1', 'i3'] });
    expect(parseListwiseScores(answer(entry('i2', 0.2)), refs)).toMatchObject({ reason: 'missing_items', missing: ['i1', 'i3'] });
    expect(parseListwiseScores('   ', refs)).toMatchObject({ ok: false, reason: 'empty', partial: [null, null, null] });
    expect(parseListwiseScores('{"scores": {"i1": 0.5}}', refs)).toMatchObject({ ok: false, reason: 'schema_mismatch' });
    expect(parseListwiseScores(answer(null, entry('i1', 0.1), entry('i2', 0.2), entry('i3', 0.3)), refs)).toMatchObject({ reason: 'schema_mismatch' });
  });

  it('rejects non-list answers as a whole', () => {
    expect(parseListwiseScores('{"score": 0.5}', refs)).toEqual({ ok: false, reason: 'schema_mismatch', partial: [null, null, null], missing: refs });
    expect(parseListwiseScores('yes', refs)).toMatchObject({ ok: false, reason: 'unrecognized' });
    expect(parseListwiseScores('{"scores": [', refs)).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('fuzz: never throws; partial scores are null or in [0, 1] and missing is exactly the null refs', () => {
    const answer = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.record({ ref: fc.constantFrom('i1', 'i2', 'i3', 'i4', 7), score: fc.oneof(fc.double(), fc.jsonValue()) }), { maxLength: 6 }).map((scores) =>
        JSON.stringify({ scores }),
      ),
    );
    fc.assert(
      fc.property(answer, (text) => {
        const result = parseListwiseScores(text, refs);
        const scores = result.ok ? result.scores : result.partial;
        expect(scores).toHaveLength(3);
        for (const s of scores) expect(s === null || (s >= 0 && s <= 1)).toBe(true);
        if (!result.ok) expect(result.missing).toEqual(refs.filter((_, i) => scores[i] === null));
      }),
      { numRuns: 1000 },
    );
  });
});
