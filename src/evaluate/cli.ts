import { DEFAULT_K, DEFAULT_SEED } from './run.js';

/** Usage text of `npm run demo`. */
export const USAGE = `Usage: npm run demo -- [--data <dir>] [--k <n>] [--seed <n>] [--out <dir>] [--snapshot]

Offline serendipity evaluation on MovieLens (docs/evaluation.md in the repository): EASE base, SVD item vectors,
every strategy over its grid, parameters chosen on validation and reported on test.

  --data <dir>  MovieLens CSV folder with ratings.csv and movies.csv
                (default: the bundled benchmarks/data/ml-latest-small)
  --k <n>       list length, a positive integer (default ${DEFAULT_K})
  --seed <n>    seed of the SVD start and the bootstrap, an integer ≥ 0 (default ${DEFAULT_SEED})
  --out <dir>   where demo.json, demo.md, demo.html, demo.svg and demo-shifted.svg are written
                (default benchmarks/results/latest, ignored by git)
  --snapshot    write into benchmarks/results instead: the committed snapshot the README quotes
  --help        show this text

Progress goes to stderr (a bar with ETA on a terminal, a line every 10 s otherwise).`;

/** Parsed command line of the demo. */
export interface DemoArgs {
  /** Data folder, when given. */
  readonly data?: string;
  /** List length. */
  readonly k: number;
  /** Seed. */
  readonly seed: number;
  /** Output folder, when given. */
  readonly out?: string;
  /** `--snapshot`: refresh the committed snapshot in benchmarks/results. */
  readonly snapshot: boolean;
  /** `--help` was given. */
  readonly help: boolean;
}

/** A command-line mistake; the demo prints its message on one line and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(flag: string, raw: string | undefined, min: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got ${raw === undefined ? 'nothing' : `"${raw}"`} (see --help).`);
  }
  return Number(raw);
}

/** Parses `argv` (without the node and script paths). */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let data: string | undefined;
  let out: string | undefined;
  let k = DEFAULT_K;
  let seed = DEFAULT_SEED;
  let help = false;
  let snapshot = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--data':
      case '--out': {
        const dir = value();
        if (dir === undefined || dir === '' || dir.startsWith('--')) throw new UsageError(`${flag} needs a folder path (see --help).`);
        if (flag === '--data') data = dir;
        else out = dir;
        break;
      }
      case '--snapshot':
        snapshot = true;
        break;
      case '--k':
        k = integer('--k', value(), 1);
        break;
      case '--seed':
        seed = integer('--seed', value(), 0);
        break;
      default:
        throw new UsageError(`unknown option "${arg}" (see --help).`);
    }
  }
  if (snapshot && out !== undefined) throw new UsageError('--snapshot writes into benchmarks/results; do not combine it with --out (see --help).');
  return { ...(data === undefined ? {} : { data }), ...(out === undefined ? {} : { out }), k, seed, snapshot, help };
}
