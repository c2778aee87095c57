import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configuredFamilies, type EvaluationConfig } from './config.js';
import { loadInteractions, type InteractionColumns } from './io/interactions.js';
import type { ItemColumns } from './io/items.js';
import { renderHtmlReport, renderMarkdownReport, type ReportInput } from './report-html.js';
import { type EvaluationResult, runEvaluation } from './run.js';
import { STRATEGY_FAMILIES, type StrategyFamily } from './strategies.js';
import { requireGivenEmbeddings } from './given-vectors.js';
import { sampleUsers } from './sample-users.js';
import { DEFAULT_MAX_ITEMS, restrictToTopItems } from './top-items.js';

/** Progress of a long evaluation: `done` of `total` steps, and what ran last. */
export type ProgressListener = (done: number, total: number, label: string) => void;

/** Options of {@link evaluateInteractions}. */
export interface EvaluateInteractionsOptions {
  /** Interactions file (CSV with a header, or `.jsonl`). */
  readonly interactions: string;
  /** Optional items file. */
  readonly items?: string;
  /** Column names of the interactions file. @defaultValue ml-latest-small's `userId,movieId,rating,timestamp` */
  readonly columns?: Partial<InteractionColumns>;
  /** Column names of the items file. @defaultValue ml-latest-small's `movieId,title,genres` (+ `embedding`) */
  readonly itemColumns?: Partial<ItemColumns>;
  /** Settings (see the README's config schema). @defaultValue the demo's */
  readonly config?: EvaluationConfig;
  /** Extra strategy families (custom `Reranker`s over their grids), run after the configured ones. @defaultValue none */
  readonly extraFamilies?: readonly StrategyFamily<unknown>[];
  /** Progress of the strategy comparison. @defaultValue none */
  readonly progress?: ProgressListener;
  /** One line per finished stage. @defaultValue none */
  readonly log?: (line: string) => void;
}

/** What {@link evaluateInteractions} returns: the evaluation result, which is also `report.json`. */
export type EvaluationReport = EvaluationResult & {
  readonly mode: 'interactions' | 'candidates';
  readonly baseName: string;
  /** What the run did to the input that a reader should know (a user sample, the item cap, an unused column). */
  readonly notes: readonly string[];
};

/**
 * Mode (a) of `serendipity-rerank evaluate`, as a function: streams the interactions (and items),
 * samples `maxUsers` users when set, keeps the `maxItems` most popular items, and runs the evaluation protocol shared with the demo
 * (`runEvaluation`) with the config's settings plus any custom families. When the items file has an
 * `embedding` column, the embeddings are one more item representation (`given`) for the families
 * that try representations (MMR, DPP), chosen on validation; every item the base can rank must then
 * have one.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (one-line `file:line:column:` message) on bad input,
 *   including an item the base can rank without an embedding when the items file has embeddings.
 */
export async function evaluateInteractions(options: EvaluateInteractionsOptions): Promise<EvaluationReport> {
  const config = options.config ?? {};
  const seed = config.seed ?? 42;
  const loaded = await loadInteractions({
    interactions: options.interactions,
    ...(options.items === undefined ? {} : { items: options.items }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.itemColumns === undefined ? {} : { itemColumns: options.itemColumns }),
    seed,
  });
  const notes: string[] = [];
  if (config.maxUsers !== undefined && loaded.timelines.length > config.maxUsers) notes.push(`evaluated a seeded sample of ${config.maxUsers} of ${loaded.timelines.length} users (maxUsers)`);
  for (const note of notes) options.log?.(`note: ${note}`);
  const maxItems = config.maxItems ?? DEFAULT_MAX_ITEMS;
  const sampled = config.maxUsers === undefined ? loaded : sampleUsers(loaded, config.maxUsers, seed);
  const data = restrictToTopItems(sampled, maxItems);
  if (data !== sampled) {
    const note = `EASE sees only the ${maxItems} items with the most users who liked them (maxItems); positives of the other items count as non-positives`;
    notes.push(note);
    options.log?.(`note: ${note}`);
  }
  if (data.embeddings !== undefined) {
    requireGivenEmbeddings(data, { interactions: options.interactions, items: options.items as string, firstSeen: loaded.firstSeen });
    const dim = data.embeddings.find((e) => e !== undefined)?.length ?? 0;
    const note = `the embeddings of ${options.items as string} (d=${dim}) are offered as the "given" item representation, chosen on validation beside the vectors built from the interactions; u and UH keep the fixed metric vectors`;
    notes.push(note);
    options.log?.(`note: ${note}`);
  }
  const families = [...configuredFamilies(config, STRATEGY_FAMILIES), ...(options.extraFamilies ?? [])];
  const result = await runEvaluation({
    dataDir: options.interactions,
    data,
    seed,
    families,
    maxItems,
    ...(config.k === undefined ? {} : { k: config.k }),
    ...(config.floors === undefined ? {} : { floors: config.floors }),
    ...(config.bootstrapSamples === undefined ? {} : { bootstrapSamples: config.bootstrapSamples }),
    ...(config.predictionWidening === undefined ? {} : { predictionWidening: config.predictionWidening }),
    ...(config.easeLambdas === undefined ? {} : { lambdas: config.easeLambdas }),
    ...(config.splits === undefined ? {} : { splits: config.splits }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { ...result, mode: 'interactions', baseName: 'EASE', notes: [...notes, ...result.notes] };
}

/** Writes `report.json`, `report.md` and `report.html` into `outDir` (created when missing). Returns their paths. */
export function writeReports(report: ReportInput, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.md', renderMarkdownReport(report)],
    ['report.html', renderHtmlReport(report)],
  ];
  return files.map(([name, text]) => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    return path;
  });
}
