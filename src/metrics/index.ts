// Offline evaluation metrics: one concept per file, conventions in docs/formulas.md#metrics.
export { precisionAtK } from './precision.js';
export { recallAtK } from './recall.js';
export { ndcgAtK } from './ndcg.js';
export { intraListDiversity } from './intra-list-diversity.js';
export { novelty } from './novelty.js';
export { unexpectedness } from './unexpectedness.js';
export { serendipityGe } from './serendipity-ge.js';
export { serendipityAuralist } from './serendipity-auralist.js';
export { catalogCoverage } from './catalog-coverage.js';
export { giniIndex } from './gini-index.js';
export { evaluateList } from './evaluate-list.js';
export { meanOverUsers } from './mean-over-users.js';
export type { ListEvaluationInput, ListMetrics } from './evaluate-list.js';
