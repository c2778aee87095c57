import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const read = (file: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(file, ROOT)), 'utf8'));

// The API reference covers exactly the package's code entry points: adding a subpath to
// package.json `exports` / `tsup.entry` without listing it in typedoc.json fails here.
describe('typedoc.json', () => {
  it('documents every built entry point of the package, and only those', () => {
    const pkg = read('package.json') as { exports: Record<string, unknown>; tsup: { entry: Record<string, string> } };
    const typedoc = read('typedoc.json') as { entryPoints: string[]; treatWarningsAsErrors: boolean };
    const exported = Object.entries(pkg.exports)
      .map(([, target]) => (typeof target === 'object' && target !== null ? (target as { import?: { default?: string } }).import?.default : undefined))
      .map((built) => /^\.\/dist\/(.+)\.js$/.exec(built ?? '')?.[1])
      .filter((entry): entry is string => entry !== undefined);
    expect(exported.length).toBeGreaterThanOrEqual(4);
    const sources = exported.map((entry) => pkg.tsup.entry[entry]);
    expect(sources).not.toContain(undefined);
    expect([...typedoc.entryPoints].sort()).toEqual([...(sources as string[])].sort());
    expect(typedoc.treatWarningsAsErrors).toBe(true);
  });
});
