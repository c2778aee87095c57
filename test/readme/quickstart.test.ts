import { describe, expect, it, vi } from 'vitest';

// `npm run example` (examples/quickstart.ts), the first thing the README tells a newcomer to run.
describe('examples/quickstart.ts', () => {
  it('prints five re-ranked lists with their score parts and no negative zero', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    try {
      await import('../../examples/quickstart.js');
    } finally {
      log.mockRestore();
    }
    const text = printed.join('\n');
    for (const name of ['relevance', 'mmr(lambda=0.6)', 'dpp(theta=0.7)', 'xquad', 'unexpectedness']) expect(text).toContain(name);
    expect(text.match(/^ {2}\d\. /gm)).toHaveLength(25);
    expect(text).not.toMatch(/(?:^|[^\w.])-0(?:\.0+)?(?![\d.])/m);
  });
});
