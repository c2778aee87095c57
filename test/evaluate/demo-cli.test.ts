import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDemoArgs, UsageError } from '../../src/evaluate/cli.js';
import type { EvaluationResult } from '../../src/evaluate/run.js';
import { allElements, parseXml, type XmlElement } from './xml-check.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function demo(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [TSX, join(ROOT, 'benchmarks', 'demo.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('parseDemoArgs', () => {
  it('reads --data, --k, --seed, --out (also as --flag=value) and defaults the rest', () => {
    expect(parseDemoArgs([])).toEqual({ k: 10, seed: 42, snapshot: false, help: false });
    expect(parseDemoArgs(['--data', 'd', '--k=5', '--seed', '0', '--out', 'o'])).toEqual({ data: 'd', out: 'o', k: 5, seed: 0, snapshot: false, help: false });
    expect(parseDemoArgs(['--snapshot']).snapshot).toBe(true);
    expect(parseDemoArgs(['--help']).help).toBe(true);
  });

  it('rejects bad values and unknown options with a UsageError naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['--k', '0'], /--k must be an integer ≥ 1, got "0"/],
      [['--k', '2.5'], /--k must be an integer/],
      [['--k'], /--k must be an integer ≥ 1, got nothing/],
      [['--seed', '-1'], /--seed must be an integer ≥ 0/],
      [['--data'], /--data needs a folder path/],
      [['--data', '--k'], /--data needs a folder path/],
      [['--frobnicate'], /unknown option "--frobnicate"/],
      [['--snapshot', '--out', 'o'], /--snapshot writes into benchmarks\/results; do not combine it with --out/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseDemoArgs(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseDemoArgs(argv), argv.join(' ')).toThrow(message);
    }
  });
});

describe('npm run demo (benchmarks/demo.ts) as a process', () => {
  it('prints usage for --help and exits 0', () => {
    const run = demo(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run demo/);
  }, 30_000);

  it('exits 2 with one line and no stack trace for a bad option or a missing data folder', () => {
    for (const [args, message] of [
      [['--k', 'abc'], /^demo: --k must be an integer ≥ 1, got "abc" \(see --help\)\.\n$/],
      [['--data', join(tmpdir(), 'no-such-movielens-folder')], /^demo: ratings\.csv not found in .*no-such-movielens-folder: --data must be a MovieLens CSV folder/],
    ] as const) {
      const run = demo([...args]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n').length).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('runs end to end on another MovieLens-format folder and writes JSON and an SVG whose points match it', () => {
    const data = writeSyntheticMovieLens({ users: 60, items: 240, ratingsPerUser: 40, seed: 11 });
    const out = mkdtempSync(join(tmpdir(), 'serendipity-demo-out-'));
    cleanup.push(data, out);
    const run = demo(['--data', data, '--out', out, '--k', '5', '--seed', '3']);
    expect(run.stderr.split('\n').filter((line) => line !== '' && !/^progress \d+\/\d+ \(\d+%\), ETA \S+: /.test(line))).toEqual([]);
    expect(run.status).toBe(0);
    for (const stage of ['load:', 'standard:split:', 'standard:base:', 'standard:strategy:mmr:', 'shifted:base:']) expect(run.stdout).toContain(stage);
    expect(run.stderr).toMatch(/^progress 1\/\d+ \(\d+%\), ETA \S+: base \(validation\)$/m);
    const result = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8')) as EvaluationResult;
    expect(result.k).toBe(5);
    expect(result.seed).toBe(3);
    expect(typeof result.base.ndcg).toBe('number');
    expect(result.selected.length).toBeGreaterThan(0);
    for (const s of result.selected) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['strategy', 'floor', 'param', 'ndcgRatio', 'serendipityRatio', 'ci', 'unexpectedHitsRatio', 'ciUnexpected', 'split', 'metFloorOnTest']));
    }
    expect(readdirSync(out).sort()).toEqual(['demo-shifted.svg', 'demo.html', 'demo.json', 'demo.md', 'demo.svg']);
    // Both panels of the standard split's plot carry exactly the JSON's test ratios, in row order.
    const svg = parseXml(readFileSync(join(out, 'demo.svg'), 'utf8'));
    const rows = result.strategies.filter((s) => s.split === 'standard' && Number.isFinite(s.ndcgRatio));
    expect(rows.length).toBeGreaterThan(0);
    for (const [panel, key] of [['ge', 'serendipityRatio'], ['uh', 'unexpectedHitsRatio']] as const) {
      const group = allElements(svg).find((e) => e.name === 'g' && e.attributes['data-panel'] === panel);
      const markers = allElements(group as XmlElement).filter((e) => e.attributes.class === 'point');
      expect(markers.map((m) => [m.attributes['data-family'], m.attributes['data-param'], Number(m.attributes['data-x']), Number(m.attributes['data-y'])])).toEqual(
        rows.filter((s) => Number.isFinite(s[key])).map((s) => [s.name, String(s.param), s.ndcgRatio, s[key]]),
      );
    }
    const table = readFileSync(join(out, 'demo.md'), 'utf8');
    expect(table).toContain('## standard split (test)');
    expect(table).toContain('## shifted split (test)');
    for (const s of result.selected) expect(table).toContain(`| ${s.strategy.replace(/\|/g, '\\|')} | ${Math.round(s.floor * 100)}% |`);
  }, 120_000);
});
