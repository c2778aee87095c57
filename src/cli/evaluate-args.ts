/** A command-line mistake: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed `serendipity-rerank evaluate` arguments. */
export interface EvaluateArgs {
  /** Mode (a) interactions file. */
  readonly interactions?: string;
  /** Mode (b) candidates file. */
  readonly candidates?: string;
  /** Mode (b) positives file. */
  readonly positives?: string;
  /** Mode (b) optional history file. */
  readonly history?: string;
  /** Items file. */
  readonly items?: string;
  /** JSON config file. */
  readonly config?: string;
  /** Output folder. */
  readonly out: string;
  /** Column renames, by flag name without dashes (e.g. `user-col`). */
  readonly columns: Readonly<Record<string, string>>;
  /** EASE item cap, when given. */
  readonly maxItems?: number;
  /** No progress output. */
  readonly quiet: boolean;
  /** report.json on stdout. */
  readonly json: boolean;
  /** `--help`. */
  readonly help: boolean;
}

/** Default output folder. */
export const DEFAULT_OUT = 'serendipity-report';

const FILE_FLAGS = ['interactions', 'candidates', 'positives', 'history', 'items', 'config', 'out'] as const;
const COLUMN_FLAGS = ['user-col', 'item-col', 'rating-col', 'time-col', 'score-col', 'items-item-col', 'title-col', 'categories-col', 'embedding-col'] as const;

/** Parses the arguments after `evaluate`. @throws {@link UsageError} */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  const files: Record<string, string> = {};
  const columns: Record<string, string> = {};
  let maxItems: number | undefined;
  let quiet = false;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = flag.replace(/^--/, '');
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw new UsageError(`${flag} needs a value (see --help).`);
      return v;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--quiet' || flag === '-q') quiet = true;
    else if (flag === '--json') json = true;
    else if ((FILE_FLAGS as readonly string[]).includes(name) && flag.startsWith('--')) {
      if (files[name] !== undefined) throw new UsageError(`${flag} given twice (see --help).`);
      files[name] = value();
    } else if ((COLUMN_FLAGS as readonly string[]).includes(name) && flag.startsWith('--')) columns[name] = value();
    else if (flag === '--max-items') {
      const raw = value();
      if (!/^\d+$/.test(raw) || Number(raw) < 2) throw new UsageError(`--max-items must be an integer >= 2, got "${raw}" (see --help).`);
      maxItems = Number(raw);
    } else throw new UsageError(`unknown option "${arg}" (see --help).`);
  }
  const args: EvaluateArgs = { ...files, out: files.out ?? DEFAULT_OUT, columns, ...(maxItems === undefined ? {} : { maxItems }), quiet, json, help };
  if (help) return args;
  const modeA = args.interactions !== undefined;
  const modeB = args.candidates !== undefined || args.positives !== undefined;
  if (modeA && args.history !== undefined) throw new UsageError('--history belongs to mode (b); mode (a) takes the history from --interactions (see --help).');
  if (modeA && modeB) throw new UsageError('give either --interactions (mode a) or --candidates with --positives (mode b), not both (see --help).');
  if (!modeA && !modeB) throw new UsageError('nothing to evaluate: give --interactions FILE, or --candidates FILE with --positives FILE (see --help).');
  if (modeB && (args.candidates === undefined || args.positives === undefined)) {
    throw new UsageError(`mode (b) needs both --candidates and --positives; ${args.candidates === undefined ? '--candidates' : '--positives'} is missing (see --help).`);
  }
  for (const name of modeA ? ['score-col'] : ['rating-col', 'time-col']) {
    if (columns[name] !== undefined) throw new UsageError(`--${name} does not apply to mode (${modeA ? 'a' : 'b'}) (see --help).`);
  }
  return args;
}
