/**
 * Memory floor of the growth per 10× n (run: `npx tsx benchmarks/memory-floor.ts`; part of
 * `npm run bench`).
 *
 * From n = 10⁴ to 10⁵ at d = 64 the packed rows grow from 5.1 MB to 51 MB and leave the last-level
 * cache, so every pass over them streams from DRAM and costs more per element. This measures, at
 * n = 10³, 10⁴ and 10⁵ (flat relevance, the speed grid's hardest shape):
 * - **copy**: a streaming copy of the packed rows (`Float64Array.prototype.set`), ns per element;
 * - **pass**: one sweep of the WebAssembly similarity kernel, every row against one row, ns per
 *   element: the unit of data movement both greedy loops are made of;
 * - **MMR / DPP select()** at k = 10 and 50, in milliseconds and in passes (select time / pass time).
 * Then, per algorithm and k, the growth of `select()` from 10⁴ to 10⁵ against the floor
 * `10 × pass(10⁵) / pass(10⁴)`: what any algorithm making the same number of passes would grow.
 * Every figure is the median over rounds that each visit every size, so the sizes share the
 * machine's spells of load; the machine is shared, so read the ratios, not the absolute times.
 */
import { openMmrWorkspace } from '../src/_internals/wasm/mmr-kernels.js';
import { dpp, mmr } from '../src/index.js';
import type { PackedRequest } from '../src/types.js';
import { makeInput } from './speed/inputs.js';
import { prepareRequests } from './speed/requests.js';
import { LAMBDA, medianOf, SEED, table, THETA } from './speed/settings.js';
import { medianMillis, type TimingBudget } from './speed/timing.js';

const DIM = 64;
const SIZES = [1_000, 10_000, 100_000] as const;
const KS = [10, 50] as const;

/** Enough runs for a stable median at n = 10⁵ without minutes of waiting. */
const budgetFor = (n: number): TimingBudget => (n >= 100_000 ? { warmup: 2, minRuns: 7, maxMillis: 400, maxRuns: 15 } : { warmup: 10, minRuns: 15, maxMillis: 300, maxRuns: 200 });

interface FloorRow {
  readonly n: number;
  readonly copyNs: number;
  readonly passNs: number;
  readonly selectMs: Record<string, number>;
}

/** Rounds over every size; each figure is the median over the rounds, so all sizes see the same spells of machine load. */
const ROUNDS = 5;

/**
 * Milliseconds of one pass: the WebAssembly similarity kernel over every row against one row (the
 * sweep both greedy loops are made of), nothing else. The workspace is the shared kernel memory, so
 * it is used up before any select() runs.
 */
function onePass(packed: PackedRequest, budget: TimingBudget): number {
  const { n } = packed.candidates;
  const workspace = openMmrWorkspace(n, DIM, 1, { embeddings: packed.candidates.embeddings as Float64Array }, 'wasm');
  if (workspace.backend !== 'wasm') throw new Error('memory-floor: the WebAssembly kernels are unavailable here.');
  let pick = 0;
  return medianMillis(() => workspace.similaritiesTo((pick = (pick + 7919) % n)), budget);
}

/** One round's milliseconds at one size: the copy, one pass, and every select(). */
function measureRound(packed: PackedRequest, n: number): Record<string, number> {
  const rows = packed.candidates.embeddings as Float64Array;
  const target = new Float64Array(rows.length);
  const budget = budgetFor(n);
  const mmrStrategy = mmr({ lambda: LAMBDA });
  const dppStrategy = dpp({ theta: THETA });
  const times: Record<string, number> = {
    copy: medianMillis(() => target.set(rows), budget),
    pass: onePass(packed, budget),
  };
  for (const k of KS) {
    times[`mmr${k}`] = medianMillis(() => mmrStrategy.select(packed, k), budget);
    times[`dpp${k}`] = medianMillis(() => dppStrategy.select(packed, k), budget);
  }
  return times;
}

function measure(): FloorRow[] {
  const packedBySize = SIZES.map((n) => prepareRequests(makeInput(n, DIM, 'flat', SEED + n), false).packed);
  const rounds = Array.from({ length: ROUNDS }, () => SIZES.map((n, s) => measureRound(packedBySize[s] as PackedRequest, n)));
  return SIZES.map((n, s) => {
    const median = (key: string): number => medianOf(rounds.map((round) => (round[s] as Record<string, number>)[key] as number));
    const elements = n * DIM;
    const selectMs = Object.fromEntries(KS.flatMap((k) => [`mmr${k}`, `dpp${k}`]).map((key) => [key, median(key)]));
    return { n, copyNs: (median('copy') * 1e6) / elements, passNs: (median('pass') * 1e6) / elements, selectMs };
  });
}

function main(): void {
  const rows = measure();
  console.log(`## Memory floor, d = ${DIM}, flat relevance (ns per element of the packed rows; select() in ms and in passes)\n`);
  console.log(
    table(
      ['n', 'rows (MB)', 'copy ns/elem', 'one pass ns/elem', ...KS.flatMap((k) => [`MMR k=${k}`, `DPP k=${k}`])],
      rows.map((row) => {
        const passMs = (row.passNs * row.n * DIM) / 1e6;
        const cell = (key: string): string => `${(row.selectMs[key] as number).toFixed(2)} ms, ${((row.selectMs[key] as number) / passMs).toFixed(1)} passes`;
        return [String(row.n), ((row.n * DIM * 8) / 1e6).toFixed(1), row.copyNs.toFixed(3), row.passNs.toFixed(3), ...KS.flatMap((k) => [cell(`mmr${k}`), cell(`dpp${k}`)])];
      }),
    ),
  );
  const [, small, large] = rows as [FloorRow, FloorRow, FloorRow];
  const floor = (10 * large.passNs) / small.passNs;
  console.log(`\n## Growth of select() from n = 10⁴ to 10⁵ against the floor 10 × pass(10⁵) / pass(10⁴) = ${floor.toFixed(1)}\n`);
  console.log(
    table(
      ['algorithm', 'k', 'select() growth', 'floor', 'over the floor'],
      KS.flatMap((k) =>
        (['mmr', 'dpp'] as const).map((algorithm) => {
          const grew = (large.selectMs[`${algorithm}${k}`] as number) / (small.selectMs[`${algorithm}${k}`] as number);
          return [algorithm.toUpperCase(), String(k), `${grew.toFixed(1)}×`, `${floor.toFixed(1)}×`, `${(grew / floor).toFixed(2)}×`];
        }),
      ),
    ),
  );
}

main();
