/**
 * `serendipity-rerank/evaluate` and the CLI are built as ES modules only (Node ≥ 20.19 loads them
 * from `require` too). Checks the BUILT package by its own name in child processes: `import` and
 * `require` give the same module, no CommonJS copy is built, and the root entry keeps its CommonJS
 * build. Run `npm run build` first; under CI a missing build fails loudly instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(new URL('../../dist/index.js', import.meta.url));
const runs = built || process.env.CI !== undefined;

function runNode(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }));
}

const probe = `console.log(JSON.stringify({ evaluateInteractions: typeof api.evaluateInteractions, families: api.STRATEGY_FAMILIES.map((f) => f.family).slice(0, 2) }));`;
const expected = { evaluateInteractions: 'function', families: ['mmr', 'dpp'] };

describe.runIf(runs)('the ESM-only evaluate entry and CLI', () => {
  it('loads through import and through require (require(esm), Node ≥ 20.19), with the same exports', () => {
    expect(built, 'dist/ is missing: run `npm run build` before the tests').toBe(true);
    const viaImport = runNode(['--input-type=module', '-e', `import * as api from 'serendipity-rerank/evaluate';\n${probe}`]);
    const viaRequire = runNode(['--input-type=commonjs', '-e', `const api = require('serendipity-rerank/evaluate');\n${probe}`]);
    expect(viaImport).toEqual(expected);
    expect(viaRequire).toEqual(expected);
  });

  it('ships no CommonJS copy of evaluate or the CLI, while the library entries keep theirs', () => {
    for (const file of ['evaluate.cjs', 'evaluate.d.cts', 'cli.cjs']) expect(existsSync(new URL(`../../dist/${file}`, import.meta.url)), file).toBe(false);
    for (const file of ['index.cjs', 'redis.cjs', 'llm.cjs', 'train.cjs']) expect(existsSync(new URL(`../../dist/${file}`, import.meta.url)), file).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(JSON.stringify(pkg.exports['./evaluate'])).not.toContain('.cjs');
    expect(pkg.bin).toEqual({ 'serendipity-rerank': './dist/cli.js' });
  });
});
