/**
 * Imports the BUILT package (dist/) by its own name through Node's real resolution, once with
 * `import` and once with `require`, in child processes. Run `npm run build` first; under CI a
 * missing build fails loudly instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dpp, mmr, type Reranker, rerank } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(new URL('../../dist/index.js', import.meta.url));
const runs = built || process.env.CI !== undefined;

const probe = `
  const { items } = api.rerank({
    candidates: [{ id: 'a', relevance: 0.2 }, { id: '__proto__', relevance: 0.9 }],
    k: 2,
    strategy: api.relevance(),
  });
  let code = null;
  try { api.rerank({ candidates: [], k: 0, strategy: api.relevance() }); } catch (e) { code = e instanceof api.RerankError ? e.code : 'wrong-class'; }
  console.log(JSON.stringify({ ids: items.map((i) => i.id), code }));
`;

function runNode(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }));
}

describe.runIf(runs)('dist smoke test', () => {
  it('has been built', () => {
    expect(built, 'dist/ is missing: run `npm run build` before the tests').toBe(true);
  });

  it('loads through ESM import', () => {
    const result = runNode(['--input-type=module', '-e', `import * as api from 'serendipity-rerank';\n${probe}`]);
    expect(result).toEqual({ ids: ['__proto__', 'a'], code: 'INVALID_K' });
  });

  it('loads through CommonJS require', () => {
    const result = runNode(['--input-type=commonjs', '-e', `const api = require('serendipity-rerank');\n${probe}`]);
    expect(result).toEqual({ ids: ['__proto__', 'a'], code: 'INVALID_K' });
  });

  // Deterministic vectors with a shared direction, so the greedy loops take both their lazy and
  // their sweeping paths; the built kernels must select exactly what the sources select.
  const candidates = Array.from({ length: 301 }, (_, i) => ({
    id: `c${i}`,
    relevance: ((i * 7919) % 1000) / 1000,
    embedding: Array.from({ length: 13 }, (_, x) => 1 + Math.sin(i * 12.9898 + x * 78.233)),
  }));
  const greedyProbe = `
    const candidates = ${JSON.stringify(candidates)};
    const pick = (strategy) => api.rerank({ candidates, k: 40, strategy }).items.map((item) => [item.id, item.score]);
    console.log(JSON.stringify({ kernels: api.kernelBackend(), dpp: pick(api.dpp({ theta: 0.7 })), mmr: pick(api.mmr({ lambda: 0.5 })) }));
  `;

  it('loads its WebAssembly kernels and selects with DPP and MMR exactly as the sources do, through import and require', () => {
    const pick = (strategy: Reranker) => rerank({ candidates, k: 40, strategy }).items.map((item) => [item.id, item.score]);
    const expected = { kernels: 'wasm', dpp: pick(dpp({ theta: 0.7 })), mmr: pick(mmr({ lambda: 0.5 })) };
    expect(runNode(['--input-type=module', '-e', `import * as api from 'serendipity-rerank';\n${greedyProbe}`])).toEqual(expected);
    expect(runNode(['--input-type=commonjs', '-e', `const api = require('serendipity-rerank');\n${greedyProbe}`])).toEqual(expected);
  });

  it('ships the kernel module as serendipity-rerank/greedy-kernels.wasm, usable where compiling bytes is blocked', () => {
    const probe = `
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const compiled = new WebAssembly.Module(readFileSync(require.resolve('serendipity-rerank/greedy-kernels.wasm')));
      const blocked = function Module() { throw new Error('compiling bytes is blocked here'); };
      globalThis.WebAssembly = { Module: blocked, Instance: WebAssembly.Instance, Memory: WebAssembly.Memory };
      const api = await import('serendipity-rerank');
      const before = api.kernelBackend();
      const after = api.useKernelModule(compiled);
      console.log(JSON.stringify({ before, after, now: api.kernelBackend() }));
    `;
    expect(runNode(['--input-type=module', '-e', probe])).toEqual({ before: 'js', after: 'wasm', now: 'wasm' });
  });

  const subpathProbe = `console.log(JSON.stringify({ parsed: llm.parseSerendipityScore('{"score": 0.25}'), redis: typeof redis.createRedisScoreStore }));`;
  const subpathExpected = { parsed: { ok: true, score: 0.25 }, redis: 'function' };

  it('loads the llm and redis subpaths through import and require', () => {
    const esm = `import * as llm from 'serendipity-rerank/llm'; import * as redis from 'serendipity-rerank/redis';\n${subpathProbe}`;
    const cjs = `const llm = require('serendipity-rerank/llm'); const redis = require('serendipity-rerank/redis');\n${subpathProbe}`;
    expect(runNode(['--input-type=module', '-e', esm])).toEqual(subpathExpected);
    expect(runNode(['--input-type=commonjs', '-e', cjs])).toEqual(subpathExpected);
  });

  it('an error thrown by one CommonJS entry is instanceof the RerankError of every other entry (each bundles its own copy)', () => {
    const probe = `
      const root = require('serendipity-rerank');
      const entries = { llm: require('serendipity-rerank/llm'), train: require('serendipity-rerank/train') };
      const thrown = {};
      try { entries.llm.calibrate([{ score: 2, label: 5 }]); } catch (e) { thrown.llm = e; }
      try { entries.train.fitSerendipityModel([], {}); } catch (e) { thrown.train = e; }
      const report = {};
      for (const [from, error] of Object.entries(thrown)) {
        report[from] = { code: error.code, root: error instanceof root.RerankError, isRerankError: root.isRerankError(error), llm: error instanceof entries.llm.RerankError };
      }
      report.plain = new Error('x') instanceof root.RerankError;
      console.log(JSON.stringify(report));
    `;
    const caught = { code: 'INVALID_OPTION', root: true, isRerankError: true, llm: true };
    expect(runNode(['--input-type=commonjs', '-e', probe])).toEqual({ llm: caught, train: caught, plain: false });
  });
});
