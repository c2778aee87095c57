/**
 * The demo's evaluation (`runEvaluation`) restricted to the learned family and the two reference
 * rules, for quicker iterations on the learned scorer: `npx tsx benchmarks/eval/learned-experiment.ts`.
 * Settings can be overridden with the `LEARNED_*` environment variables read by `learned.ts`.
 */
import { runEvaluation } from './run.js';
import { STRATEGY_FAMILIES } from './strategies.js';

const families = STRATEGY_FAMILIES.filter((family) => family.family.startsWith('learned') || family.family.startsWith('rule'));
const result = await runEvaluation({ dataDir: 'benchmarks/data/ml-latest-small', families, log: (line) => console.log(line) });
const ratio = (x: number) => x.toFixed(2);
for (const row of result.strategies) {
  console.log(`  ${row.name} ${row.param}: test nDCG ${ratio(row.ndcgRatio)} Ge ${ratio(row.serendipityRatio)} UH ${ratio(row.unexpectedHitsRatio)} | validation nDCG ${ratio(row.validationNdcgRatio)} Ge ${ratio(row.validationSerendipityRatio)}`);
}
for (const row of result.selected) {
  console.log(
    `${row.strategy} @${row.floor}: param ${row.param} nDCG ${ratio(row.ndcgRatio)} Ge ${ratio(row.serendipityRatio)} [${row.ci.map(ratio).join(', ')}] (${row.serendipityHitCount}) UH ${ratio(row.unexpectedHitsRatio)} [${row.ciUnexpected.map(ratio).join(', ')}] (${row.unexpectedHitCount})`,
  );
}
