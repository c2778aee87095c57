import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('close() leaves nothing that keeps the process alive', () => {
  it('a process with a hung scorer and a hung store exits on its own after close()', () => {
    const script = fileURLToPath(new URL('./fixtures/close-exits.ts', import.meta.url));
    // Every timer in the script is 60 s long; a surviving one would hold the process far past 20 s.
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as { result: { dropped: number }; stats: { activeBatches: number; queueDepth: number } };
    expect(output.result.dropped).toBe(1);
    expect(output.stats).toMatchObject({ activeBatches: 0, queueDepth: 0 });
  }, 30_000);
});
