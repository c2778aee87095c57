import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { progressSink } from '../../src/cli/progress.js';
import { Capture } from './cli-harness.js';
import { loadInteractions } from '../../src/evaluate/io/interactions.js';
import { jsonErrorOffset } from '../../src/evaluate/json-position.js';
import { sampleUsers } from '../../src/evaluate/sample-users.js';
import { writeSyntheticLog } from '../../src/evaluate/synthetic.js';
import { restrictToTopItems } from '../../src/evaluate/top-items.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'serendipity-io-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, 'utf8');
  return dir;
}

describe('loadInteractions', () => {
  it('reads JSONL with renamed columns, orders each user by timestamp (ties in file order) and joins the items file', async () => {
    const dir = tempDir({
      'events.jsonl': ['{"uid":"u1","sku":"b","stars":4,"ts":20}', '{"uid":"u2","sku":"a","stars":2,"ts":5}', '{"uid":"u1","sku":"a","stars":5,"ts":10}', '{"uid":"u1","sku":"c","stars":3,"ts":20}'].join('\n'),
      'items.csv': 'movieId,title,genres\nc,"Gamma, The",Drama|Comedy\na,Alpha,(no genres listed)\n',
    });
    const data = await loadInteractions({ interactions: join(dir, 'events.jsonl'), items: join(dir, 'items.csv'), columns: { user: 'uid', item: 'sku', rating: 'stars', timestamp: 'ts' } });
    expect(data.numRatings).toBe(4);
    expect(data.hasRatings && data.hasTimestamps).toBe(true);
    const u1 = data.timelines.find((t) => t.user === 'u1');
    expect(u1?.items ? Array.from(u1.items, (i) => data.items[i]) : []).toEqual(['a', 'b', 'c']);
    expect(Array.from(u1?.ratings ?? [])).toEqual([5, 4, 3]);
    const c = data.items.indexOf('c');
    expect(data.titles[c]).toBe('Gamma, The');
    expect(data.genres[c]).toEqual(['Drama', 'Comedy']);
    expect(data.genres[data.items.indexOf('a')]).toEqual([]);
  });

  it('without a rating column every interaction is a positive; without timestamps the order is a seeded shuffle', async () => {
    const rows = ['userId,movieId', ...Array.from({ length: 30 }, (_, i) => `u,${i}`)].join('\n');
    const dir = tempDir({ 'r.csv': rows });
    const a = await loadInteractions({ interactions: join(dir, 'r.csv'), seed: 1 });
    const b = await loadInteractions({ interactions: join(dir, 'r.csv'), seed: 1 });
    const c = await loadInteractions({ interactions: join(dir, 'r.csv'), seed: 2 });
    expect(a.hasRatings || a.hasTimestamps).toBe(false);
    expect(Array.from(a.timelines[0]?.ratings ?? [])).toEqual(Array(30).fill(Number.POSITIVE_INFINITY));
    const order = (d: typeof a) => Array.from(d.timelines[0]?.items ?? []);
    expect(order(a)).toEqual(order(b));
    expect(order(a)).not.toEqual(order(c));
    expect([...order(a)].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

describe('restrictToTopItems and sampleUsers', () => {
  const data = {
    items: ['a', 'b', 'c', 'd'],
    titles: ['', '', '', ''],
    genres: [[], [], [], []],
    numRatings: 7,
    timelines: [
      { user: 'x', items: Int32Array.from([0, 1, 3]), ratings: Float64Array.from([5, 4, 3]) },
      { user: 'y', items: Int32Array.from([1, 2]), ratings: Float64Array.from([2, 1]) },
      { user: 'z', items: Int32Array.from([1, 0]), ratings: Float64Array.from([1, 5]) },
    ],
  };
  it('leaves data alone when EASE cannot see more than N items, else demotes the positives of all but the N most liked', () => {
    // Users with a positive (≥ 3.5): a 2 (x, z), b 1 (x), c 0, d 0 → with minSupport 1: a, b eligible.
    expect(restrictToTopItems(data, 2, { minSupport: 1 })).toBe(data);
    const top = restrictToTopItems(data, 1, { minSupport: 1 });
    expect(top.timelines.map((t) => Array.from(t.items))).toEqual(data.timelines.map((t) => Array.from(t.items)));
    expect(top.timelines.map((t) => Array.from(t.ratings))).toEqual([[5, -Infinity, -Infinity], [-Infinity, -Infinity], [-Infinity, 5]]);
    expect(top.numRatings).toBe(7);
  });
  it('samples users with all their interactions, seeded, in original order', () => {
    const sample = sampleUsers(data, 2, 3);
    expect(sample.timelines).toHaveLength(2);
    expect(sampleUsers(data, 2, 3)).toEqual(sample);
    const users = sample.timelines.map((t) => t.user);
    expect([...users].sort()).toEqual(users);
    expect(sample.numRatings).toBe(sample.timelines.reduce((n, t) => n + t.items.length, 0));
    expect(sampleUsers(data, 3, 3)).toBe(data);
  });
});

describe('jsonErrorOffset', () => {
  it('is -1 exactly when JSON.parse accepts the text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((j) => j.slice(0, -1)), fc.json().map((j) => `${j},`)), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(text) === -1).toBe(valid);
      }),
      { numRuns: 300 },
    );
  });
  it('points at the offending character', () => {
    expect(jsonErrorOffset('{"a": [1,]}')).toBe(9);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1')).toBe(7);
  });
});

describe('writeSyntheticLog', () => {
  it('is deterministic for a seed, power-law popular, and clustered by genre', () => {
    const a = writeSyntheticLog(tempDir(), { interactions: 20_000, users: 200, items: 600, seed: 5 });
    const b = writeSyntheticLog(tempDir(), { interactions: 20_000, users: 200, items: 600, seed: 5 });
    const text = readFileSync(a.ratings, 'utf8');
    expect(text).toBe(readFileSync(b.ratings, 'utf8'));
    const rows = text.trim().split('\n').slice(1).map((line) => line.split(','));
    expect(rows.length).toBeGreaterThan(18_000);
    const counts = new Map<string, number>();
    for (const [, item] of rows) counts.set(item as string, (counts.get(item as string) ?? 0) + 1);
    const sorted = [...counts.values()].sort((x, y) => y - x);
    // Power law: the top 10% of items take more than twice their uniform share, and the most
    // popular item is far above the median one (each user rates an item once, which caps the head).
    const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((x, y) => x + y, 0);
    expect(top / rows.length).toBeGreaterThan(0.2);
    expect((sorted[0] as number) / (sorted[sorted.length >> 1] as number)).toBeGreaterThan(4);
    // Genre clusters: a user's most frequent genre holds well over 1/12 of their interactions.
    const genreOf = new Map(readFileSync(a.movies, 'utf8').trim().split('\n').slice(1).map((line) => [line.split(',')[0] as string, line.split(',').at(-1) as string]));
    const firstUser = rows.filter((r) => r[0] === '1').map((r) => genreOf.get(r[1] as string));
    const byGenre = new Map<string | undefined, number>();
    for (const g of firstUser) byGenre.set(g, (byGenre.get(g) ?? 0) + 1);
    expect(Math.max(...byGenre.values()) / firstUser.length).toBeGreaterThan(0.25);
  });
});

describe('progressSink', () => {
  it('redraws one bar with the ETA on a TTY', () => {
    let t = 0;
    const out = new Capture();
    const sink = progressSink(out, { tty: true, quiet: false, now: () => t });
    t = 5_000;
    sink.update(1, 5, 'base');
    t = 15_000;
    sink.update(2, 5, 'mmr 0.9');
    sink.end();
    // Unknown after one update; then 10 s per step since the first update, 3 steps left → 30 s.
    expect(out.text).toBe(
      `\r[${'#'.repeat(6)}${'-'.repeat(24)}] 1/5  ETA ?  ${'base'.padEnd(40)}\r[${'#'.repeat(12)}${'-'.repeat(18)}] 2/5  ETA 30s  ${'mmr 0.9'.padEnd(40)}\n`,
    );
  });
  it('prints plain lines at most every interval (and the last one) elsewhere, nothing when quiet', () => {
    let t = 0;
    const out = new Capture();
    const sink = progressSink(out, { tty: false, quiet: false, intervalMs: 1000, now: () => t });
    t = 100;
    sink.update(1, 3, 'a');
    t = 200;
    sink.update(2, 3, 'b');
    t = 300;
    sink.update(3, 3, 'c');
    expect(out.text).toBe('progress 1/3 (33%), ETA ?: a\nprogress 3/3 (100%), ETA 0s: c\n');
    const quiet = new Capture();
    const silent = progressSink(quiet, { tty: false, quiet: true });
    silent.update(1, 1, 'x');
    silent.line('y');
    expect(quiet.text).toBe('');
  });
});
