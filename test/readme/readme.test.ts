/**
 * Every ```ts block of README.md runs here, so a snippet that rots (a renamed export, a changed
 * option, a wrong call) fails the suite.
 *
 * How a snippet is run:
 * - Imports of the package by its own name (`'serendipity-rerank'`, `'serendipity-rerank/llm'`, …)
 *   are pointed at the sources each subpath is built from (package.json `exports` → `tsup.entry`),
 *   so the test needs no build; the dist smoke and browser tests cover the built files.
 *   `'serendipity-rerank/greedy-kernels.wasm'` becomes the compiled kernel module (kernel-module.ts).
 * - Names a snippet uses but does not define (`candidates`, `allItems`, `scorer`, `user`, …, what a
 *   host already has) come from prelude.ts.
 * - `fetch` is stubbed (every request gets a 503), so no snippet reaches the network.
 * - Blocks run in README order, each as its own module, with top-level await.
 * To show code that must not run, use a ```text block.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as prelude from './prelude.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = fileURLToPath(new URL('./.snippets/', import.meta.url));

interface Snippet {
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a Markdown text, with their indentation (inside list items) removed. */
export function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(?:ts|typescript)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j] as string)) body.push((lines[j] as string).slice(indent)), j++;
    if (j === lines.length) throw new Error(`README.md:${i + 1}: unclosed \`\`\`ts block`);
    blocks.push({ line: i + 1, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Package specifier → file the snippet should import instead. */
function packageTargets(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: { default?: string } }>;
    tsup: { entry: Record<string, string> };
  };
  const targets = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    if (subpath === './greedy-kernels.wasm') {
      targets.set(specifier, resolve(ROOT, 'test/readme/kernel-module.ts'));
      continue;
    }
    const built = typeof target === 'string' ? target : target.import?.default;
    const entry = /^\.\/dist\/(.+)\.js$/.exec(built ?? '')?.[1];
    const source = entry === undefined ? undefined : pkg.tsup.entry[entry];
    if (source !== undefined) targets.set(specifier, resolve(ROOT, source));
  }
  return targets;
}

/** The snippet as a module: package imports redirected, missing host names taken from the prelude. */
export function toModule(code: string, targets: Map<string, string>, preludeFile: string): string {
  const rewritten = code.replace(/(\bfrom\s*|\bimport\s*)(['"])(serendipity-rerank(?:\/[^'"]*)?)\2/g, (whole, keyword: string, _quote, specifier: string) => {
    const target = targets.get(specifier);
    if (target === undefined) throw new Error(`the snippet imports '${specifier}', which package.json does not export`);
    return `${keyword}${JSON.stringify(pathToFileURL(target).href)}`;
  });
  const declared = (name: string): boolean =>
    new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`).test(code) ||
    new RegExp(`\\bimport\\s*(?:${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\})`).test(code) ||
    new RegExp(`\\b(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=`).test(code);
  const provided = Object.keys(prelude).filter((name) => new RegExp(`\\b${name}\\b`).test(code) && !declared(name));
  const header =
    provided.length === 0 ? '' : `import { ${provided.join(', ')} } from ${JSON.stringify(pathToFileURL(preludeFile).href)};\n`;
  return `${header}${rewritten}\nexport {};\n`;
}

const snippets = tsBlocks(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));

describe('README.md TypeScript snippets', () => {
  const targets = packageTargets();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  afterAll(() => {
    vi.unstubAllGlobals();
    rmSync(OUT, { recursive: true, force: true });
  });

  it('has snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  for (const snippet of snippets) {
    it(`README.md:${snippet.line} runs and prints no negative zero`, async () => {
      vi.stubGlobal('fetch', async () => new Response('{"error":"README snippet test: no network"}', { status: 503 }));
      const file = resolve(OUT, `readme-${snippet.line}.ts`);
      writeFileSync(file, toModule(snippet.code, targets, resolve(ROOT, 'test/readme/prelude.ts')));
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg, (_key, value: unknown) => (Object.is(value, -0) ? '-0' : value)))).join(' '));
      });
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
      }
      expect(printed.join('\n')).not.toMatch(/(?:^|[^\w.])-0(?![\d.])/);
    }, 30_000);
  }
});
