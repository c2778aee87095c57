/**
 * Fitting the learned serendipity model (`fitSerendipityModel`) for `learned()`. The only entry
 * that loads ml-matrix; scoring with a fitted model needs only the root entry.
 *
 * @module serendipity-rerank/train
 */
// Public API of serendipity-rerank/train: fitting the learned serendipity model.
// Kept apart from the root entry because fitting is the only code that needs ml-matrix (a Cholesky
// solve per Newton step); scoring with a fitted model (`learned`, `predictSerendipity`,
// `loadSerendipityModel`) stays in the root entry and loads no ml-matrix.
export { fitSerendipityModel, DEFAULT_L2, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE } from './fit-model.js';
export type { FitOptions } from './fit-model.js';
export { fitLogisticRegression } from './logistic.js';
export type { LogisticSettings, LogisticFit } from './logistic.js';
// The error class this entry throws, re-exported so CommonJS users catch the same class it throws.
export { RerankError, isRerankError } from '../errors/rerank-error.js';
