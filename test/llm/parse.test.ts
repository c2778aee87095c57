import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ANSWER_CHARS, parseSerendipityScore, type ScoreRejectReason } from '../../src/llm/parse.js';

const REASONS: readonly ScoreRejectReason[] = ['empty', 'too_long', 'invalid_json', 'schema_mismatch', 'out_of_range', 'unrecognized'];

function score(text: string): number {
  const result = parseSerendipityScore(text);
  if (!result.ok) throw new Error(`expected a score for ${JSON.stringify(text)}, got ${result.reason}`);
  return result.score;
}

function reason(text: string): ScoreRejectReason {
  const result = parseSerendipityScore(text);
  if (result.ok) throw new Error(`expected a rejection for ${JSON.stringify(text)}, got ${result.score}`);
  return result.reason;
}

describe('parseSerendipityScore: JSON answers', () => {
  it('reads {"score": s} as s', () => {
    expect(score('{"score": 0.7}')).toBe(0.7);
    expect(score('  {"score":0,"reason":"far from taste"}\n')).toBe(0);
    expect(score('{"score": 1}')).toBe(1);
  });

  it('reads the last fenced code block, with or without a json tag', () => {
    expect(score('Here you go:\n```json\n{"score": 0.25}\n```')).toBe(0.25);
    expect(score('```\n{"score": 0.4}\n```')).toBe(0.4);
    expect(score('draft ```{"score": 0.9}``` final ```json\n{"score": 0.1}\n```')).toBe(0.1);
  });

  it('reads the JSON after the last ANSWER: marker (chain of thought)', () => {
    const text = 'The title says ANSWER: {"score": 1.0} but that is item text.\nIt is a bit off.\nANSWER: {"score": 0.35}';
    expect(score(text)).toBe(0.35);
  });

  it('combines the indirect triple as relevance × (unexpectedness + novelty) / 2', () => {
    expect(score('{"relevance": 0.8, "unexpectedness": 0.5, "novelty": 0.25}')).toBeCloseTo((0.8 * (0.5 + 0.25)) / 2, 15);
    expect(score('{"relevance": 0, "unexpectedness": 1, "novelty": 1}')).toBe(0);
  });

  it('rejects JSON outside the schema with a typed reason', () => {
    expect(reason('{"score": 1.2}')).toBe('out_of_range');
    expect(reason('{"score": -0.1}')).toBe('out_of_range');
    expect(reason('{"score": "0.5"}')).toBe('schema_mismatch');
    expect(reason('{"rating": 0.5}')).toBe('schema_mismatch');
    expect(reason('{"relevance": 0.5, "unexpectedness": 2, "novelty": 0}')).toBe('out_of_range');
    expect(reason('{"relevance": 0.5}')).toBe('schema_mismatch');
    expect(reason('{"score": 0.5')).toBe('invalid_json');
    expect(reason('```json\n[0.5]\n```')).toBe('unrecognized');
    expect(reason('```json\n{"score": null}\n```')).toBe('schema_mismatch');
  });
});

describe('parseSerendipityScore: near-misses', () => {
  it('maps yes/no to 1/0', () => {
    expect(score('Yes')).toBe(1);
    expect(score('yes.')).toBe(1);
    expect(score('**No**')).toBe(0);
    expect(score('"true"')).toBe(1);
    expect(score('ANSWER: no')).toBe(0);
  });

  it('maps p% to p/100', () => {
    expect(score('85%')).toBeCloseTo(0.85, 15);
    expect(score('0 %')).toBe(0);
    expect(score('100%')).toBe(1);
    expect(reason('120%')).toBe('out_of_range');
  });

  it('maps an explicit n/5 rating to (n − 1)/4 on either declared scale', () => {
    expect(score('4/5')).toBe((4 - 1) / 4);
    expect(score('1/5')).toBe(0);
    expect(parseSerendipityScore('4/5', { scale: '1-5' })).toEqual({ ok: true, score: 0.75 });
    expect(reason('0/5')).toBe('out_of_range');
    expect(reason('6')).toBe('out_of_range');
    expect(reason('-1')).toBe('out_of_range');
  });

  it('fault 13: a bare number outside [0, 1] is rejected on the default 0-1 scale, and the rejection names the scale', () => {
    // Before: "1.5" gave 0.125 and "2" gave 0.25 (silently read as a 1-5 rating), while "1" gave 1.0,
    // so a model answering on a 1-5 scale turned its lowest rating into the top score.
    for (const text of ['1.5', '2', '3', '5', '4.0']) {
      const result = parseSerendipityScore(text);
      expect(result).toMatchObject({ ok: false, reason: 'out_of_range' });
      expect(result.ok ? '' : result.detail).toContain('0-1 scale');
    }
    expect(parseSerendipityScore('{"score": 3}')).toMatchObject({ ok: false, reason: 'out_of_range', detail: expect.stringContaining('0-1 scale') });
    expect(score('1')).toBe(1);
  });

  it('fault 13: with { scale: "1-5" } bare numbers and JSON scores are ratings, (n − 1)/4, and 0.5 is off that scale', () => {
    const on15 = (text: string) => parseSerendipityScore(text, { scale: '1-5' });
    expect(on15('1')).toEqual({ ok: true, score: 0 });
    expect(on15('2')).toEqual({ ok: true, score: 0.25 });
    expect(on15('3.0')).toEqual({ ok: true, score: 0.5 });
    expect(on15('5')).toEqual({ ok: true, score: 1 });
    expect(on15('{"score": 4}')).toEqual({ ok: true, score: 0.75 });
    expect(on15('0.5')).toMatchObject({ ok: false, reason: 'out_of_range', detail: expect.stringContaining('1-5 scale') });
    expect(on15('6')).toMatchObject({ ok: false, reason: 'out_of_range', detail: expect.stringContaining('1-5 scale') });
    // Explicit forms keep their own scale; yes/no too.
    expect(on15('85%')).toEqual({ ok: true, score: 0.85 });
    expect(on15('yes')).toEqual({ ok: true, score: 1 });
    expect(() => parseSerendipityScore('1', { scale: '0-10' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('reads a bare number in [0, 1] as a probability', () => {
    expect(score('0.42')).toBe(0.42);
    expect(score('1')).toBe(1);
    expect(score('.5')).toBe(0.5);
  });

  it('rejects prose, even with a number in it', () => {
    expect(reason('I would say 0.9 because it is great')).toBe('unrecognized');
    expect(reason('maybe')).toBe('unrecognized');
    expect(reason('   ')).toBe('empty');
    expect(reason('')).toBe('empty');
    expect(reason(`{"score": 0.5}${' '.repeat(MAX_ANSWER_CHARS)}`)).toBe('too_long');
  });

  it('does not evaluate anything', () => {
    expect(reason('(() => 0.5)()')).toBe('unrecognized');
    expect(reason('{"score": 1/2}')).toBe('invalid_json');
    expect(reason('0.5 + 0.2')).toBe('unrecognized');
  });
});

describe('parseSerendipityScore: fuzz', () => {
  const valid = (result: ReturnType<typeof parseSerendipityScore>) =>
    result.ok ? Number.isFinite(result.score) && result.score >= 0 && result.score <= 1 : REASONS.includes(result.reason);

  it('always returns a score in [0, 1] or a typed rejection, and never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => valid(parseSerendipityScore(text))), { numRuns: 2000 });
  });

  it('holds on structured near-answers too (JSON with arbitrary values, fences, markers)', () => {
    const answer = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify({ score: value })),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.tuple(fc.string(), fc.double()).map(([prose, x]) => `${prose}\nANSWER: {"score": ${x}}`),
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}\`\`\`json\n${b}\n\`\`\``),
      fc.double().map((x) => `${x}%`),
      fc.double().map((x) => `${x}/5`),
      fc.double().map(String),
    );
    fc.assert(fc.property(answer, (text) => valid(parseSerendipityScore(text))), { numRuns: 2000 });
  });

  it('returns s exactly for every {"score": s} with s in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (s) => {
        const result = parseSerendipityScore(JSON.stringify({ score: s }));
        expect(result).toEqual({ ok: true, score: s === 0 ? 0 : s });
      }),
    );
  });
});
