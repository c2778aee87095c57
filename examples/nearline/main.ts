/**
 * Worker then server in one process, sharing the L2 store (in-memory by default, Redis with REDIS_URL).
 * Run: `npx tsx examples/nearline/main.ts`
 */
import { openStore } from './shared.js';
import { serve } from './server.js';
import { runWorker } from './worker.js';

const { store, kind, close } = await openStore();
console.log(`L2 = ${kind}\n`);
await runWorker(store);
console.log('');
await serve(store);
await close();
