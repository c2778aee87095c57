/**
 * Issue 12 item 10, for the metrics: whatever the arguments (null-prototype values, Proxies,
 * throwing getters, huge lengths), a metric returns a number or throws a RerankError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../src/errors/rerank-error.js';
import {
  catalogCoverage,
  evaluateList,
  giniIndex,
  intraListDiversity,
  meanOverUsers,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  serendipityAuralist,
  serendipityGe,
  unexpectedness,
} from '../../src/metrics/index.js';
import { hostileArb } from './hostile-values.js';

type Metric = (...args: never[]) => unknown;

/** Each metric with one valid argument list. */
const METRICS: Readonly<Record<string, { fn: Metric; args: () => unknown[] }>> = {
  precisionAtK: { fn: precisionAtK as Metric, args: () => [['a', 'b'], ['a'], 2] },
  recallAtK: { fn: recallAtK as Metric, args: () => [['a', 'b'], ['a'], 2] },
  ndcgAtK: { fn: ndcgAtK as Metric, args: () => [['a', 'b'], ['a'], 2] },
  serendipityGe: { fn: serendipityGe as Metric, args: () => [['a', 'b'], ['a'], ['b'], 2] },
  intraListDiversity: { fn: intraListDiversity as Metric, args: () => [[[1, 0], [0, 1]]] },
  unexpectedness: { fn: unexpectedness as Metric, args: () => [[[1, 0]], [[0, 1]]] },
  novelty: { fn: novelty as Metric, args: () => [[1, 2], 4] },
  catalogCoverage: { fn: catalogCoverage as Metric, args: () => [[['a']], ['a', 'b']] },
  giniIndex: { fn: giniIndex as Metric, args: () => [[['a']], ['a', 'b']] },
  serendipityAuralist: { fn: serendipityAuralist as Metric, args: () => [[[1, 0]], [[0, 1]], [1]] },
  meanOverUsers: { fn: meanOverUsers as Metric, args: () => [[{ x: 1 }, { x: 2 }]] },
  evaluateList: {
    fn: evaluateList as Metric,
    args: () => [{ list: ['a', 'b'], relevant: ['a'], k: 2 }],
  },
};

describe('nothing but RerankError escapes the metrics (property)', () => {
  it.each(Object.keys(METRICS))('%s with one argument (or an element of one) replaced by a hostile value', (name) => {
    const metric = METRICS[name] as { fn: Metric; args: () => unknown[] };
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.boolean(), hostileArb, (which, element, deep, hostile) => {
        const args = metric.args();
        const at = which % args.length;
        const arg = args[at];
        if (deep && Array.isArray(arg) && arg.length > 0) arg[element % arg.length] = hostile.make();
        else args[at] = hostile.make();
        try {
          metric.fn(...(args as never[]));
        } catch (error) {
          if (!(error instanceof RerankError)) {
            throw new Error(`${name}: a foreign error escaped: ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`, { cause: error });
          }
          expect(error.message.length).toBeLessThan(2000);
        }
      }),
      { numRuns: 200 },
    );
  });
});
