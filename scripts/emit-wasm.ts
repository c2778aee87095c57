/**
 * Part of `npm run build`: writes each kernel module's bytes, exactly as the bundle embeds them, to
 * `dist/<asset>`, for runtimes that import `.wasm` files as compiled modules instead of compiling
 * bytes (see `useKernelModule`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WASM_KERNELS } from './wasm-binary.js';

mkdirSync('dist', { recursive: true });
for (const source of WASM_KERNELS) {
  const embedded = (await import(pathToFileURL(source.module).href)) as Record<string, Uint8Array>;
  const bytes = embedded[source.constant];
  if (bytes === undefined) throw new Error(`${source.module} does not export ${source.constant}`);
  writeFileSync(`dist/${source.asset}`, bytes);
  console.log(`dist/${source.asset} (${bytes.length} bytes)`);
}
