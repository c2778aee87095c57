/**
 * Scale of `serendipity-rerank evaluate` (mode a) on seeded synthetic interaction logs
 * (`writeSyntheticLog`: power-law popularity inside 12 genre clusters): wall time and peak RSS at
 * 100k, 1M and 5M interactions, each in a fresh child process, and the growth per 10×.
 *
 * The config is the scale config below (a subset of strategies, one split), so that the numbers
 * measure the engine (streaming load, split, EASE on the top-N items, item vectors, candidates and
 * the shared comparison) rather than the size of the strategy grid, which multiplies the comparison
 * time linearly. Every user is evaluated (no `maxUsers`) up to {@link UNSAMPLED_UP_TO} interactions;
 * above it the run takes a seeded sample of {@link SAMPLE_USERS} users and the table says so.
 * Run: `npx tsx benchmarks/scale.ts [sizes…]` (default 100000 1000000 5000000).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateInteractions } from '../src/evaluate/api.js';
import { writeSyntheticLog } from '../src/evaluate/synthetic.js';

/** The scale run's config (README, "Config file"). */
export const SCALE_CONFIG = {
  strategies: ['mmr', 'dpp', 'rule: r − c·1[PM]', 'rule: r − c·1[u ≤ median]'],
  easeLambdas: [100, 1000],
  bootstrapSamples: 500,
  splits: ['standard'] as const,
  maxItems: 2000,
};
/** Largest log evaluated on every user. @defaultValue 1,000,000 */
export const UNSAMPLED_UP_TO = 1_000_000;
/** Users sampled (`maxUsers`) above {@link UNSAMPLED_UP_TO}. @defaultValue 10,000 */
export const SAMPLE_USERS = 10_000;

async function child(ratings: string, movies: string, maxUsers: number | undefined): Promise<void> {
  const started = performance.now();
  let loadSeconds = Number.NaN;
  const report = await evaluateInteractions({
    interactions: ratings,
    items: movies,
    config: maxUsers === undefined ? SCALE_CONFIG : { ...SCALE_CONFIG, maxUsers },
    // The first stage line is the streaming load (and the user sample / item cap before it).
    log: (line) => {
      if (Number.isNaN(loadSeconds) && /\] load:/.test(line)) loadSeconds = (performance.now() - started) / 1000;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, loadSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, users: report.users.test, sampled: maxUsers ?? null })}\n`);
}

function parent(sizes: readonly number[]): void {
  const here = fileURLToPath(import.meta.url);
  type Row = { interactions: number; seconds: number; cpuSeconds: number; loadSeconds: number; maxRssMb: number; users: number; sampled: number | null };
  const rows: Row[] = [];
  for (const interactions of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'serendipity-scale-'));
    try {
      const genStarted = performance.now();
      const { ratings, movies } = writeSyntheticLog(dir, { interactions, seed: 7 });
      const genSeconds = (performance.now() - genStarted) / 1000;
      const sample = interactions > UNSAMPLED_UP_TO ? [String(SAMPLE_USERS)] : [];
      const run = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', ratings, movies, ...sample], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (run.status !== 0) throw new Error(`scale child failed at ${interactions}: ${run.stderr}`);
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Omit<Row, 'interactions'>;
      rows.push({ interactions, ...result });
      console.log(`${interactions.toLocaleString('en')} interactions: ${result.seconds.toFixed(1)} s (CPU ${result.cpuSeconds.toFixed(1)} s, load ${result.loadSeconds.toFixed(1)} s), peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.users} test users${result.sampled === null ? '' : ` (a sample of ${result.sampled})`} (log generated in ${genSeconds.toFixed(1)} s)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('\n| interactions | test users evaluated | wall time | CPU time | of which load | peak RSS | growth per 10× (time, load, RSS) |\n| --- | --- | --- | --- | --- | --- | --- |');
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    const growth = previous === undefined ? '—' : (() => {
      const tenfolds = Math.log10(row.interactions / previous.interactions);
      const per10 = (a: number, b: number): string => `${((a / b) ** (1 / tenfolds)).toFixed(1)}×`;
      return `${per10(row.seconds, previous.seconds)}, ${per10(row.loadSeconds, previous.loadSeconds)}, ${per10(row.maxRssMb, previous.maxRssMb)}`;
    })();
    const users = `${row.users.toLocaleString('en')}${row.sampled === null ? ' (all)' : ` (sample of ${row.sampled.toLocaleString('en')})`}`;
    console.log(`| ${row.interactions.toLocaleString('en')} | ${users} | ${row.seconds.toFixed(1)} s | ${row.cpuSeconds.toFixed(1)} s | ${row.loadSeconds.toFixed(1)} s | ${row.maxRssMb.toFixed(0)} MB | ${growth} |`);
  });
  const out = join(fileURLToPath(new URL('.', import.meta.url)), 'results', 'latest');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'scale.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1] as string, argv[2] as string, argv[3] === undefined ? undefined : Number(argv[3]));
else parent(argv.length > 0 ? argv.map(Number) : [100_000, 1_000_000, 5_000_000]);
