/**
 * Cold import of the built root entry (run: `npx tsx benchmarks/cold-import.ts [--dist <dir>]`;
 * `npm run build` first).
 *
 * Each sample is a fresh Node process that imports `dist/index.js` and then runs one MMR rerank
 * (n = 1000, k = 50, d = 64). It reports, as the median of 15 processes:
 * - import: from just before `import()` to the module being ready;
 * - import → first rerank: the same start to the end of the first `rerank()`, which includes
 *   compiling the WebAssembly kernels;
 * - process: the wall time of the whole child process, Node's own start-up included.
 * Also lists the packages the root entry loads, so a heavy dependency that creeps back in shows up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const SAMPLES = 15;
const distArg = process.argv.indexOf('--dist');
const dist = resolve(distArg >= 0 ? (process.argv[distArg + 1] ?? 'dist') : 'dist');
const entry = resolve(dist, 'index.js');
if (!existsSync(entry)) {
  console.error(`cold-import: ${entry} is missing; run \`npm run build\` first.`);
  process.exit(2);
}

// The child builds its input with plain arithmetic before the clock starts, so only the import and
// the rerank are timed. Candidates: seeded pseudo-random relevance and vectors (no library code).
const child = `
const n = 1000, d = 64;
let s = 42;
const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
const candidates = Array.from({ length: n }, (_, i) => ({ id: 'c' + i, relevance: next(), embedding: Array.from({ length: d }, () => next() - 0.5) }));
const t0 = performance.now();
const api = await import(${JSON.stringify(pathToFileURL(entry).href)});
const t1 = performance.now();
const { items } = api.rerank({ candidates, k: 50, strategy: api.mmr({ lambda: 0.5 }) });
const t2 = performance.now();
if (items.length !== 50) throw new Error('rerank returned ' + items.length + ' items');
console.log(JSON.stringify({ importMs: t1 - t0, firstRerankMs: t2 - t0, backend: api.kernelBackend() }));
`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const imports: number[] = [];
const firstReranks: number[] = [];
const processes: number[] = [];
let backend = '';
for (let i = 0; i < SAMPLES; i++) {
  const start = performance.now();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' });
  processes.push(performance.now() - start);
  const sample = JSON.parse(out) as { importMs: number; firstRerankMs: number; backend: string };
  imports.push(sample.importMs);
  firstReranks.push(sample.firstRerankMs);
  backend = sample.backend;
}

// Which bare packages the root entry's import graph reaches (static imports of every chunk it loads).
const graph = execFileSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `import { readFileSync } from 'node:fs';
     import { dirname, resolve } from 'node:path';
     const seen = new Set(); const packages = new Set();
     const visit = (file) => {
       if (seen.has(file)) return; seen.add(file);
       const text = readFileSync(file, 'utf8');
       for (const m of text.matchAll(/(?:^|[;\\n])\\s*(?:import|export)\\b[^'"]*?from\\s*['"]([^'"]+)['"]|import\\s*\\(\\s*['"]([^'"]+)['"]\\s*\\)|^\\s*import\\s*['"]([^'"]+)['"]/gm)) {
         const spec = m[1] ?? m[2] ?? m[3];
         if (spec.startsWith('.')) visit(resolve(dirname(file), spec)); else packages.add(spec);
       }
     };
     visit(${JSON.stringify(entry)});
     console.log(JSON.stringify([...packages].sort()));`,
  ],
  { encoding: 'utf8' },
);

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
console.log(`Cold import of ${entry} (median of ${SAMPLES} fresh processes; kernels: ${backend})`);
console.log(`  import                          ${fmt(median(imports))}`);
console.log(`  import → first rerank (MMR)     ${fmt(median(firstReranks))}   n = 1000, k = 50, d = 64`);
console.log(`  whole process (Node start-up)   ${fmt(median(processes))}`);
console.log(`  packages the root entry loads:  ${(JSON.parse(graph) as string[]).join(', ') || '(none)'}`);
