import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITY_MISS, PRIORITY_PREFETCH, PRIORITY_STALE, WorkQueue } from '../../src/cache/work-queue.js';

interface Work {
  id: number;
  priority: number;
  queued: boolean;
}

describe('WorkQueue', () => {
  it('dispatches highest priority first, oldest first within a level; drops from the lowest level', () => {
    const queue = new WorkQueue<Work>();
    const work = (id: number, priority: number): Work => ({ id, priority, queued: false });
    const items = [work(1, PRIORITY_STALE), work(2, PRIORITY_MISS), work(3, PRIORITY_PREFETCH), work(4, PRIORITY_MISS), work(5, PRIORITY_STALE)];
    for (const item of items) queue.push(item);
    expect(queue.peekVictim()?.id).toBe(1);
    queue.raise(items[0] as Work, PRIORITY_MISS); // 1 moves up behind 2 and 4
    expect(queue.peekVictim()?.id).toBe(5);
    expect(queue.size).toBe(5);
    expect(queue.drain().map((item) => item.id)).toEqual([2, 4, 1, 3, 5]);
    expect(queue.size).toBe(0);
  });

  it('matches a sorted-list model under random push, raise, remove and shift (property)', () => {
    type Op = { op: 'push'; priority: number } | { op: 'raise'; pick: number; priority: number } | { op: 'remove'; pick: number } | { op: 'shift' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('push' as const), priority: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ op: fc.constant('raise' as const), pick: fc.nat(), priority: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('shift' as const) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const queue = new WorkQueue<Work>();
        // Model: live items with (priority, order at which they entered their current level).
        let model: { work: Work; order: number }[] = [];
        let clock = 0;
        let nextId = 0;
        for (const step of ops) {
          if (step.op === 'push') {
            const work = { id: nextId++, priority: step.priority, queued: false };
            queue.push(work);
            model.push({ work, order: clock++ });
          } else if (step.op === 'raise' && model.length > 0) {
            const entry = model[step.pick % model.length] as { work: Work; order: number };
            if (step.priority > entry.work.priority) entry.order = clock++;
            queue.raise(entry.work, step.priority);
          } else if (step.op === 'remove' && model.length > 0) {
            const entry = model[step.pick % model.length] as { work: Work; order: number };
            queue.remove(entry.work);
            model = model.filter((e) => e !== entry);
          } else if (step.op === 'shift') {
            const best = [...model].sort((a, b) => b.work.priority - a.work.priority || a.order - b.order)[0];
            expect(queue.shift()).toBe(best?.work);
            model = model.filter((e) => e !== best);
          }
          expect(queue.size).toBe(model.length);
          const victim = [...model].sort((a, b) => a.work.priority - b.work.priority || a.order - b.order)[0];
          expect(queue.peekVictim()).toBe(victim?.work);
        }
      }),
      { numRuns: 200 },
    );
  });
});
