/**
 * `npm run build:wasm`: re-assembles every `.wat` kernel and rewrites the TS module embedding its
 * bytes (scripts/wasm-binary.ts). Run it after editing a `.wat` file and commit both.
 */
import { writeFileSync } from 'node:fs';
import { assembleWat, renderBinaryModule, WASM_KERNELS } from './wasm-binary.js';

for (const source of WASM_KERNELS) {
  const bytes = await assembleWat(source.wat);
  writeFileSync(source.module, renderBinaryModule(source, bytes));
  console.log(`${source.wat} → ${source.module} (${bytes.length} bytes)`);
}
