import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import pkg from './package.json' with { type: 'json' };

/**
 * Two builds from the entries in package.json's `tsup.entry`:
 * - ESM for every entry, one build so the entries share their chunks;
 * - CommonJS for the library entries only. `./evaluate` and the CLI need Node ≥ 20.19, where
 *   `require()` loads ES modules, so a CommonJS copy of them would only duplicate the engine
 *   (each bundled all of it: about 0.7 MB of the unpacked package).
 */
const ESM_ONLY = new Set(['evaluate', 'cli']);
const entry: Record<string, string> = pkg.tsup.entry;

const common: Options = {
  sourcemap: false,
  target: 'node20',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  // The two builds run in parallel, so neither may `clean` (it would delete the other's output).
  clean: false,
};

// Emptied once, before both builds start.
rmSync('dist', { recursive: true, force: true });

export default defineConfig([
  { ...common, entry, format: ['esm'] },
  { ...common, entry: Object.fromEntries(Object.entries(entry).filter(([name]) => !ESM_ONLY.has(name))), format: ['cjs'] },
]);
