import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvaluateArgs, UsageError } from '../../src/cli/evaluate-args.js';
import { runEvaluate as run } from './cli-harness.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'serendipity-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, 'utf8');
  return dir;
}

describe('parseEvaluateArgs', () => {
  it('reads both modes, column flags and --flag=value', () => {
    expect(parseEvaluateArgs(['--interactions', 'r.csv', '--user-col=uid', '--quiet'])).toMatchObject({ interactions: 'r.csv', columns: { 'user-col': 'uid' }, quiet: true, out: 'serendipity-report' });
    expect(parseEvaluateArgs(['--candidates', 'c.csv', '--positives', 'p.csv', '--out', 'o'])).toMatchObject({ candidates: 'c.csv', positives: 'p.csv', out: 'o' });
  });
  it('refuses mixed modes, a half mode (b), unknown flags and flags of the other mode', () => {
    expect(() => parseEvaluateArgs(['--interactions', 'a', '--candidates', 'b'])).toThrow(UsageError);
    expect(() => parseEvaluateArgs(['--candidates', 'b'])).toThrow(/--positives is missing/);
    expect(() => parseEvaluateArgs(['--interactions', 'a', '--bogus'])).toThrow(/unknown option "--bogus"/);
    expect(() => parseEvaluateArgs(['--interactions', 'a', '--score-col', 's'])).toThrow(/does not apply to mode \(a\)/);
    expect(() => parseEvaluateArgs([])).toThrow(/nothing to evaluate/);
  });
});

describe('serendipity-rerank evaluate: usage', () => {
  it('--help prints both modes and examples, exit 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--interactions FILE/);
    expect(stdout).toMatch(/--candidates FILE --positives FILE/);
    expect(stdout).toMatch(/Examples:/);
  });
});

/** Every bad input: exit 2, exactly one line on stderr naming the file and line, and nothing written. */
describe('serendipity-rerank evaluate: bad input exits 2 with one line and writes nothing', () => {
  const ratings = 'userId,movieId,rating,timestamp\n1,10,4,100\n1,11,5,101\n';
  const cases: { name: string; files: Record<string, string>; args: (dir: string) => string[]; message: RegExp }[] = [
    {
      name: 'missing column',
      files: { 'r.csv': 'user,movieId,rating,timestamp\n1,10,4,100\n' },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:1: missing column "userId"; the file has "user", "movieId", "rating", "timestamp"\. Name the right one with --user-col\.$/,
    },
    {
      name: 'unknown column (named by a flag)',
      files: { 'r.csv': ratings },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--rating-col', 'stars'],
      message: /r\.csv:1: unknown column "stars" \(named by --rating-col\)/,
    },
    {
      name: 'non-numeric rating',
      files: { 'r.csv': 'userId,movieId,rating,timestamp\n1,10,4,100\n1,11,five,101\n' },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:3:3: "rating" must be a finite number, got "five"\.$/,
    },
    {
      name: 'non-numeric score (mode b, JSONL)',
      files: { 'c.jsonl': '{"userId":"u","itemId":"a","score":1}\n{"userId":"u","itemId":"b","score":"high"}\n', 'p.csv': 'userId,itemId\nu,a\n' },
      args: (d) => ['--candidates', join(d, 'c.jsonl'), '--positives', join(d, 'p.csv')],
      message: /c\.jsonl:2:score: "score" must be a finite number, got "high"\.$/,
    },
    {
      name: 'empty file',
      files: { 'r.csv': '' },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:1: empty file\.$/,
    },
    {
      name: 'header but no rows',
      files: { 'r.csv': 'userId,movieId,rating,timestamp\n' },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:1: empty file: a header but no rows\.$/,
    },
    {
      name: 'duplicate row (interactions)',
      files: { 'r.csv': `${ratings}1,10,3,102\n` },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:4: duplicate row: user "1" and item "10" already appear on line 2; keep one row per user and item\.$/,
    },
    {
      name: 'duplicate row (candidates)',
      files: { 'c.csv': 'userId,itemId,score\nu,a,1\nu,a,2\n', 'p.csv': 'userId,itemId\nu,a\n' },
      args: (d) => ['--candidates', join(d, 'c.csv'), '--positives', join(d, 'p.csv')],
      message: /c\.csv:3: duplicate row: user "u" and item "a" already appear on line 2\.$/,
    },
    {
      name: 'candidate user with no positives',
      files: { 'c.csv': 'userId,itemId,score\nu,a,1\nv,a,2\n', 'p.csv': 'userId,itemId\nu,a\n' },
      args: (d) => ['--candidates', join(d, 'c.csv'), '--positives', join(d, 'p.csv')],
      message: /c\.csv:3:1: user "v" has candidates but no row in .*p\.csv; every candidate user needs at least one held-out positive\.$/,
    },
    {
      name: 'malformed config (not JSON)',
      files: { 'r.csv': ratings, 'c.json': '{\n  "k": 10,\n  "floors": [0.95,]\n}\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--config', join(d, 'c.json')],
      message: /c\.json:3:19: not valid JSON: unexpected "]"\.$/,
    },
    {
      name: 'malformed config (unknown key)',
      files: { 'r.csv': ratings, 'c.json': '{\n  "k": 10,\n  "kk": 5\n}\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--config', join(d, 'c.json')],
      message: /c\.json:3:3: unknown key "kk"; known keys: /,
    },
    {
      name: 'malformed config (bad value)',
      files: { 'r.csv': ratings, 'c.json': '{ "floors": [1.5] }' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--config', join(d, 'c.json')],
      message: /c\.json:1:3: "floors" must be a non-empty array of numbers in \(0, 1\], got \[1\.5\]\.$/,
    },
    {
      name: 'malformed config (prediction widening below 1)',
      files: { 'r.csv': ratings, 'c.json': '{\n  "predictionWidening": 0.5\n}\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--config', join(d, 'c.json')],
      message: /c\.json:2:3: "predictionWidening" must be a number >= 1, got 0\.5\.$/,
    },
    {
      name: 'malformed config (unknown strategy)',
      files: { 'r.csv': ratings, 'c.json': '{ "strategies": ["mmr", "mrr"] }' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--config', join(d, 'c.json')],
      message: /c\.json:1:\d+: unknown strategy "mrr" in "strategies"; known: mmr, dpp/,
    },
    {
      name: 'duplicate row (items file)',
      files: { 'r.csv': ratings, 'm.csv': 'movieId,title,genres\n10,A,Drama\n11,B,Drama\n10,C,Comedy\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--items', join(d, 'm.csv')],
      message: /m\.csv:4:1: duplicate row: item "10" already appears on line 2\.$/,
    },
    {
      name: 'embeddings of different lengths (items file)',
      files: { 'c.csv': 'userId,itemId,score\nu,a,1\n', 'p.csv': 'userId,itemId\nu,a\n', 'i.csv': 'itemId,embedding\na,1 0 0\nb,0 1\n' },
      args: (d) => ['--candidates', join(d, 'c.csv'), '--positives', join(d, 'p.csv'), '--items', join(d, 'i.csv')],
      message: /i\.csv:3:2: embedding has 2 numbers; line 2 has 3\.$/,
    },
    {
      name: 'embeddings of different lengths (mode a, items file)',
      files: { 'r.csv': ratings, 'm.csv': 'movieId,title,embedding\n10,A,1 0 0\n11,B,0 1\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--items', join(d, 'm.csv')],
      message: /m\.csv:3:3: embedding has 2 numbers; line 2 has 3\.$/,
    },
    {
      name: 'an all-zero embedding (mode a, JSONL items file)',
      files: { 'r.csv': ratings, 'm.jsonl': '{"movieId":"10","embedding":[1,0]}\n{"movieId":"11","embedding":[0,0]}\n' },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--items', join(d, 'm.jsonl')],
      message: /m\.jsonl:2:embedding: embedding is all zeros, so its cosine similarity is undefined; give the item a non-zero embedding or leave it out of the file\.$/,
    },
    {
      // Five users like items 10 and 11 (enough for the base to rank them); 11 has no embedding.
      name: 'an item the base can rank has no embedding (mode a)',
      files: {
        'r.csv': `userId,movieId,rating,timestamp\n${[1, 2, 3, 4, 5].map((u) => `${u},10,4,${u}00\n${u},11,5,${u}01\n${u},12,1,${u}02\n`).join('')}`,
        'm.csv': 'movieId,embedding\n10,1 0\n',
      },
      args: (d) => ['--interactions', join(d, 'r.csv'), '--items', join(d, 'm.csv')],
      message: /r\.csv:3:2: item "11" has no embedding in .*m\.csv, but 5 users liked it, so the base can recommend it; give every such item an embedding, or drop the embedding column to use the vectors built from the interactions only\.$/,
    },
    {
      name: 'wrong number of fields',
      files: { 'r.csv': 'userId,movieId,rating,timestamp\n1,10,4,100\n1,11,5\n' },
      args: (d) => ['--interactions', join(d, 'r.csv')],
      message: /r\.csv:3: 3 fields where the header has 4\.$/,
    },
    {
      name: 'a JSONL line that is not an object',
      files: { 'r.jsonl': '{"userId":"1","movieId":"2"}\n[1, 2]\n' },
      args: (d) => ['--interactions', join(d, 'r.jsonl')],
      message: /r\.jsonl:2:1: not a JSON object \(JSON Lines: one object per line\)\.$/,
    },
    {
      name: 'missing input file',
      files: {},
      args: (d) => ['--interactions', join(d, 'nope.csv')],
      message: /--interactions: no such file ".*nope\.csv"\.$/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir(c.files);
      const out = join(dir, 'out');
      const { code, stderr, stdout } = await run([...c.args(dir), '--out', out]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const lines = stderr.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^serendipity-rerank evaluate: /);
      expect(lines[0]).toMatch(c.message);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('serendipity-rerank evaluate: mode (b) against a hand-computed case', () => {
  // 4 identical users; candidates by score a (1.0), b (0.9), c (0.5), d (0.0) → relevance 1, 0.9,
  // 0.5, 0 after min-max; embeddings a = b = (1, 0), c = d = (0, 1); positives {c, d}; k = 3.
  // Base top 3 = [a, b, c]: DCG = 1/log2(4) = 0.5, IDCG = 1 + 1/log2(3), nDCG = 0.5 / 1.63093 = 0.306574.
  // MMR λ = 0.5: step 1 a (0.5·1); step 2 b: 0.45 − 0.5·1 = −0.05, c: 0.25 − 0 = 0.25, d: 0 → c;
  // step 3 b: 0.45 − 0.5·max(1, 0) = −0.05, d: 0 − 0.5·max(0, 1) = −0.5 → b. List [a, c, b]:
  // DCG = 1/log2(3) = 0.630930, nDCG = 0.386853, ratio = 0.630930 / 0.5 = 1.261860.
  // PM (primitiveSize 1) = {a}: all four items are candidates of 4 users, ties go to the first item
  // seen (the items file lists a first). Ge hits per user: base c (d is not in the top 3) = 1; MMR c = 1.
  it('reports the base and MMR λ = 0.5 figures worked out by hand', async () => {
    const out = join(tempDir(), 'report');
    const { code, stderr } = await run([
      '--candidates', join(FIXTURES, 'candidates', 'candidates.csv'),
      '--positives', join(FIXTURES, 'candidates', 'positives.csv'),
      '--items', join(FIXTURES, 'candidates', 'items.csv'),
      '--config', join(FIXTURES, 'hand-config.json'),
      '--out', out, '--quiet',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const idcg = 1 + 1 / Math.log2(3);
    expect(report.base.ndcg).toBeCloseTo(0.5 / idcg, 12);
    const mmr = report.strategies.find((s: { name: string; param: number }) => s.name === 'mmr' && s.param === 0.5);
    expect(mmr.ndcg).toBeCloseTo(1 / Math.log2(3) / idcg, 12);
    expect(mmr.ndcgRatio).toBeCloseTo(1 / Math.log2(3) / 0.5, 12);
    expect(report.users.validation + report.users.test).toBe(4);
    expect(report.base.serendipityHitCount).toBe(report.users.test);
    expect(mmr.serendipityHitCount).toBe(report.users.test);
    expect(report.base.unexpectedHitCount).toBe(0); // no history in mode (b): u = 1 everywhere, never above the median
    for (const name of ['report.json', 'report.md', 'report.html']) expect(existsSync(join(out, name))).toBe(true);
    const chosen = report.selected.find((s: { floor: number }) => s.floor === 0.95);
    expect(chosen).toMatchObject({ strategy: 'mmr', split: 'user halves', metFloorOnTest: true });
    for (const key of ['strategy', 'floor', 'param', 'ndcgRatio', 'serendipityRatio', 'ci', 'unexpectedHitsRatio', 'ciUnexpected', 'split', 'metFloorOnTest']) expect(chosen).toHaveProperty(key);
  });
});

describe('serendipity-rerank evaluate: mode (b) with a history file, hand-computed', () => {
  // Same four users as above, each with history {a}: u = 1 − max cos(·, a) is 0 for a and b
  // (both (1, 0)) and 1 for c and d, so the median u of the candidates is 0.5 and a held-out
  // positive counts as unexpected when it is c or d. Base top 3 [a, b, c]: one unexpected hit (c)
  // per user; MMR λ = 0.5 [a, c, b]: one (c). PM (size 1) is now the most popular history item, a.
  it('counts unexpected hits against the history and takes popularity from it', async () => {
    const out = join(tempDir(), 'report');
    const { code, stderr } = await run([
      '--candidates', join(FIXTURES, 'candidates', 'candidates.csv'),
      '--positives', join(FIXTURES, 'candidates', 'positives.csv'),
      '--items', join(FIXTURES, 'candidates', 'items.csv'),
      '--history', join(FIXTURES, 'candidates', 'history.csv'),
      '--config', join(FIXTURES, 'hand-config.json'),
      '--out', out, '--quiet',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.base.unexpectedHitCount).toBe(report.users.test);
    expect(report.base.serendipityHitCount).toBe(report.users.test);
    const mmr = report.strategies.find((s: { name: string; param: number }) => s.name === 'mmr' && s.param === 0.5);
    expect(mmr.unexpectedHitCount).toBe(report.users.test);
    expect(mmr.unexpectedHitsRatio).toBe(1);
    expect(report.protocol.popularity).toBe('distinct users of an item in the history file');
  });

  it('refuses --history in mode (a) and a duplicate history row', async () => {
    const dir = tempDir({ 'h.csv': 'userId,itemId\nu1,a\nu1,a\n' });
    const a = await run(['--interactions', join(FIXTURES, 'interactions', 'ratings.csv'), '--history', join(dir, 'h.csv'), '--out', join(dir, 'o')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('serendipity-rerank evaluate: --history belongs to mode (b); mode (a) takes the history from --interactions (see --help).\n');
    const b = await run([
      '--candidates', join(FIXTURES, 'candidates', 'candidates.csv'),
      '--positives', join(FIXTURES, 'candidates', 'positives.csv'),
      '--history', join(dir, 'h.csv'), '--out', join(dir, 'o'),
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^serendipity-rerank evaluate: .*h\.csv:3: duplicate row: user "u1" and item "a" already appear on line 2\.\n$/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });
});

describe('serendipity-rerank evaluate: mode (b) without an items file', () => {
  it('builds item vectors from the candidate lists and runs', async () => {
    const out = join(tempDir(), 'report');
    const { code, stderr } = await run([
      '--candidates', join(FIXTURES, 'candidates', 'candidates.csv'),
      '--positives', join(FIXTURES, 'candidates', 'positives.csv'),
      '--config', join(FIXTURES, 'hand-config.json'),
      '--out', out, '--quiet',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.protocol.itemVectors).toMatch(/^itemVectors\(cosine, d=\d+\) of the candidate lists/);
    expect(new Set(report.strategies.map((s: { representation: string }) => s.representation))).toEqual(new Set(['candidates']));
    // The base does not depend on the vectors: the hand-computed nDCG of the other test holds.
    expect(report.base.ndcg).toBeCloseTo(0.5 / (1 + 1 / Math.log2(3)), 12);
  });
});

describe('serendipity-rerank evaluate: mode (a) end to end on the repository fixture', () => {
  it('writes the three reports, prints report.json with --json, and reports every selected row with the demo fields', async () => {
    const out = join(tempDir(), 'report');
    const config = join(tempDir({ 'c.json': JSON.stringify({ strategies: ['mmr', 'rule: r − c·1[PM]'], grids: { mmr: [0.9, 0.6] }, splits: ['standard'], bootstrapSamples: 200, predictionWidening: 1.25, easeLambdas: [100] }) }), 'c.json');
    const { code, stdout, stderr } = await run([
      '--interactions', join(FIXTURES, 'interactions', 'ratings.csv'),
      '--items', join(FIXTURES, 'interactions', 'movies.csv'),
      '--config', config, '--out', out, '--json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^progress 1\/\d+ \(\d+%\), ETA \S+: base \(validation\)$/m);
    const printed = JSON.parse(stdout);
    const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(printed).toEqual(written);
    expect(written.mode).toBe('interactions');
    expect(written.splits.map((s: { split: string }) => s.split)).toEqual(['standard']);
    expect(new Set(written.strategies.map((s: { name: string }) => s.name))).toEqual(new Set(['mmr', 'rule: r − c·1[PM]']));
    expect(written.selected).toHaveLength(4);
    for (const row of written.selected) {
      for (const key of ['strategy', 'floor', 'param', 'ndcgRatio', 'serendipityRatio', 'ci', 'unexpectedHitsRatio', 'ciUnexpected', 'split', 'metFloorOnTest']) expect(row).toHaveProperty(key);
    }
    for (const key of ['ndcg', 'serendipityHitCount', 'unexpectedHitCount']) expect(written.base).toHaveProperty(key);
    // The config's margin reaches selection: every row's bound is r − 1.25·(r − lo).
    expect(written.protocol.predictionWidening).toBe(1.25);
    for (const row of written.strategies) {
      expect(row.predictedTestNdcgLower).toBeCloseTo(row.validationNdcgRatio - 1.25 * (row.validationNdcgRatio - row.validationNdcgLower), 12);
    }
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## standard split (test)');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('widened by 1.25 around the ratio');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  }, 180_000);
});

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const underCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
describe.runIf(underCi || existsSync(BIN))('the built bin (dist/cli.js, package.json "bin")', () => {
  it('is declared in package.json and runs `evaluate --help` and a usage error as a process', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    expect(pkg.bin).toEqual({ 'serendipity-rerank': './dist/cli.js' });
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = spawnSync(process.execPath, [BIN, 'evaluate', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}serendipity-rerank evaluate --interactions FILE/);
    const bad = spawnSync(process.execPath, [BIN, 'evaluate', '--interactions'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('serendipity-rerank evaluate: --interactions needs a value (see --help).\n');
    const unknown = spawnSync(process.execPath, [BIN, 'frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
  });
});
