import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports (static, dynamic and type-only) of a source file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((match) => match[1] as string);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

describe('layout', () => {
  it('src/_internals depends on nothing in src/pack, directly or through other modules (issue 10, item 7)', () => {
    const seen = new Set<string>();
    const queue = sourceFiles(join(SRC, '_internals'));
    const reachedPack: string[] = [];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      if (relative(SRC, file).startsWith('pack')) reachedPack.push(relative(SRC, file));
      else queue.push(...importsOf(file));
    }
    expect(seen.size).toBeGreaterThan(10); // the walk did find the modules
    expect(reachedPack).toEqual([]);
  });
});
