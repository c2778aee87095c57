/**
 * What `npm pack` (and so `npm publish`) ships, checked on the real file list npm computes from
 * package.json `files`. Needs a build (`npm run build`; `prepack` builds for a real pack); under CI
 * a missing build fails loudly instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(resolve(ROOT, 'dist/index.js'));
const runs = built || process.env.CI !== undefined;

interface PackEntry {
  readonly path: string;
  readonly size: number;
}

describe.runIf(runs)('npm pack contents', () => {
  it('has been built', () => {
    expect(built, 'dist/ is missing: run `npm run build` before the tests').toBe(true);
  });

  let packed: { files: PackEntry[] } | undefined;
  const pack = (): { files: PackEntry[] } => {
    // --ignore-scripts: list what the existing build would ship, without rebuilding it.
    packed ??= (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as { files: PackEntry[] }[])[0];
    if (packed === undefined) throw new Error('npm pack --json listed no package');
    return packed;
  };

  it('ships every file the exports map and bin point to (ESM, CJS, .d.ts, .d.cts, the wasm asset), and the CHANGELOG', () => {
    const files = new Set(pack().files.map((file) => file.path));
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; bin?: Record<string, string> };
    // Every file the exports map and the bin entries point to.
    const targets = new Set<string>();
    const collect = (target: unknown): void => {
      if (typeof target === 'string') targets.add(target.replace(/^\.\//, ''));
      else if (typeof target === 'object' && target !== null) Object.values(target).forEach(collect);
    };
    collect(pkg.exports);
    collect(pkg.bin ?? {});
    expect([...targets].filter((path) => path.endsWith('.d.cts')).length).toBeGreaterThanOrEqual(4);
    for (const path of targets) expect(files, path).toContain(path);
    for (const file of ['dist/greedy-kernels.wasm', 'CHANGELOG.md', 'README.md', 'LICENSE', 'package.json']) expect(files).toContain(file);
  });

  it('ships no sources, tests or sourcemaps', () => {
    const paths = pack().files.map((file) => file.path);
    expect(paths.filter((path) => path.endsWith('.map') || /^(src|test|benchmarks|docs|examples|scripts)\//.test(path))).toEqual([]);
  });

  it('no shipped file points to notes outside the repository', () => {
    // Built from parts so that this file does not contain what it looks for.
    const pointer = new RegExp([['DESIGN', 'NOTES'].join('-'), ['\\.\\.', 'shared'].join('/'), ['\\bshared', ''].join('/')].join('|'));
    const offenders = pack()
      .files.map((file) => file.path)
      .filter((path) => /\.(c?js|d\.c?ts|md)$/.test(path))
      .filter((path) => pointer.test(readFileSync(resolve(ROOT, path), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
