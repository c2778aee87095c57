/**
 * The packed package as a user gets it: `npm pack` the BUILT checkout, install the tarball into an
 * empty scratch project (its two dependencies from the registry or npm's cache), then run the CLI
 * through `npx` and load the root entry both ways from there. Run `npm run build` first; under CI a
 * missing build fails loudly instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(ROOT, 'dist', 'index.js'));
const runs = built || process.env.CI !== undefined;

describe.runIf(runs)('the packed tarball, installed in a scratch project', () => {
  let scratch = '';
  const run = (command: string, args: string[]): string => execFileSync(command, args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    expect(built, 'dist/ is missing: run `npm run build` before the tests').toBe(true);
    scratch = mkdtempSync(join(tmpdir(), 'serendipity-rerank-install-'));
    // --ignore-scripts: the build above is what ships (no `prepack` rebuild inside the test).
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], { cwd: ROOT, stdio: 'ignore' });
    const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
    expect(tarball, 'npm pack wrote no tarball').toBeDefined();
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball as string}`]);
  }, 180_000);

  afterAll(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  it('runs `npx serendipity-rerank evaluate --help` and the installed `serendipity-rerank` command (exit 0, the usage of both modes)', () => {
    // npx also runs a package's only bin under another name, so the command's own link is run too.
    for (const help of [run('npx', ['--no-install', 'serendipity-rerank', 'evaluate', '--help']), run(join(scratch, 'node_modules', '.bin', 'serendipity-rerank'), ['evaluate', '--help'])]) {
      expect(help).toContain('serendipity-rerank evaluate --interactions FILE');
      expect(help).toContain('serendipity-rerank evaluate --candidates FILE --positives FILE');
    }
  });

  it('exits 2 with one line on stderr for a missing input file', () => {
    let status = 0;
    let stderr = '';
    try {
      run(join(scratch, 'node_modules', '.bin', 'serendipity-rerank'), ['evaluate', '--interactions', 'no-such-file.csv']);
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('no-such-file.csv');
  });

  it('loads the root entry through import and require, and re-ranks', () => {
    const probe = `const out = m.rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [1, 0] }, { id: 'b', relevance: 0.9, embedding: [1, 0.01] }, { id: 'c', relevance: 0.5, embedding: [0, 1] }], k: 2, strategy: m.mmr({ lambda: 0.5 }) }); console.log(out.items.map((item) => item.id).join(','));`;
    const viaImport = run(process.execPath, ['--input-type=module', '-e', `import * as m from 'serendipity-rerank';\n${probe}`]);
    const viaRequire = run(process.execPath, ['--input-type=commonjs', '-e', `const m = require('serendipity-rerank');\n${probe}`]);
    // λ = 0.5: after 'a', 'c' (0.5·0.5 − 0.5·0 = 0.25) beats 'b' (0.5·0.9 − 0.5·cos ≈ 0.45 − 0.5 = −0.05).
    expect(viaImport.trim()).toBe('a,c');
    expect(viaRequire.trim()).toBe('a,c');
  });
});
