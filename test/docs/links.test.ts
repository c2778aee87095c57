/**
 * The repository stands alone and its pointers into docs/ resolve:
 * - every `docs/<page>.md#<anchor>` cited in sources, tests, benchmarks, examples, scripts, the
 *   README and the CHANGELOG, and every relative `<page>.md#<anchor>` link between docs pages, names
 *   an existing page and heading (GitHub's heading slugs);
 * - nothing cites the maintainers' private notes or reads a folder beside the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'test', 'benchmarks', 'examples', 'scripts', 'docs', '.ci', 'README.md', 'CHANGELOG.md', 'package.json', 'typedoc.json'];
// Data and generated output, not prose: the vendored dataset, demo results, the generated API
// reference, the numeric fixtures and the README snippet test's scratch files.
const SKIP = new Set(['benchmarks/data', 'benchmarks/results', 'docs/api', 'test/fixtures', 'test/readme/.snippets']);
const TEXT = /\.(ts|js|mjs|cjs|md|json|py|wat|sh)$|(^|\/)run$/;

function files(path: string): string[] {
  const full = resolve(ROOT, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => (SKIP.has(join(path, name)) || name === 'node_modules' ? [] : files(join(path, name))));
}

/** GitHub's anchor for a Markdown heading. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(page: string): Set<string> {
  const text = readFileSync(resolve(ROOT, 'docs', page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1] as string)));
}

const sources = SCANNED.flatMap(files).filter((file) => TEXT.test(file));

describe('docs links and self-containment', () => {
  it('finds the docs pages and sources to check', () => {
    expect(readdirSync(resolve(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort()).toEqual(
      expect.arrayContaining(['design.md', 'evaluation.md', 'formulas.md']),
    );
    expect(sources.length).toBeGreaterThan(100);
  });

  it('every docs/<page>.md#<anchor> pointer resolves', () => {
    const broken: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      const inDocs = relative(ROOT, file).startsWith('docs/');
      const pattern = inDocs ? /\]\(([\w-]+\.md)(?:#([\w-]+))?\)/g : /\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g;
      for (const match of text.matchAll(pattern)) {
        const [, page, anchor] = match as unknown as [string, string, string | undefined];
        let ok = false;
        try {
          ok = anchor === undefined ? statSync(resolve(ROOT, 'docs', page)).isFile() : anchors(page).has(anchor);
        } catch {
          ok = false;
        }
        if (!ok) broken.push(`${relative(ROOT, file)}: docs/${page}${anchor ? `#${anchor}` : ''}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('nothing cites notes users do not have, or reads a folder beside the repository', () => {
    const notes = new RegExp(['DESIGN', 'NOTES'].join('-'));
    const sibling = new RegExp(['\\.\\.', '\\.\\.', 'shared'].join('/') + '|' + ['\\.\\.', 'shared', ''].join('/'));
    const offenders = sources
      .filter((file) => file !== fileURLToPath(import.meta.url))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return notes.test(text) || sibling.test(text);
      })
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
