/** `serendipity-rerank --help`. */
export const MAIN_USAGE = `Usage: serendipity-rerank <command> [options]

Commands:
  evaluate   offline serendipity evaluation of every re-ranking strategy on your own data

Run "serendipity-rerank evaluate --help" for its options.`;

/** `serendipity-rerank evaluate --help`. */
export const EVALUATE_USAGE = `Usage:
  serendipity-rerank evaluate --interactions FILE [--items FILE] [--config FILE] [--out DIR]
  serendipity-rerank evaluate --candidates FILE --positives FILE [--items FILE] [--config FILE] [--out DIR]

Which strategy, at which setting, gives your users more serendipity for at most X% of accuracy?
Every strategy is run over its grid; settings are chosen on a validation split and reported on test,
with paired-bootstrap 95% confidence intervals.

Mode (a), interactions: a log of who consumed what. The engine splits it (per user by time when there
is a timestamp column, seeded random otherwise), fits the EASE base model, builds 200 candidates per
user and item vectors from the interactions, then re-ranks.
  --interactions FILE   CSV (header line) or .jsonl; columns userId,movieId[,rating][,timestamp]
                        (ml-latest-small's ratings.csv). Ratings >= 3.5 are positives; without a
                        rating column every interaction is a positive.
  --user-col NAME --item-col NAME --rating-col NAME --time-col NAME   rename those columns
  --max-items N         EASE sees at most N items, those liked by the most users (default 2500;
                        its solve costs N³); positives of the others count as non-positives

Mode (b), bring your own candidates: your model already scored them.
  --candidates FILE     CSV or .jsonl of userId,itemId,score (higher is better)
  --positives FILE      CSV or .jsonl of userId,itemId: each user's held-out positives
  --history FILE        optional CSV or .jsonl of userId,itemId: what each user consumed before,
                        oldest first. It gives the history that unexpectedness (and so unexpected
                        hits) needs, and popularity; without it popularity counts candidate lists.
  --user-col NAME --item-col NAME --score-col NAME   rename those columns (all three files)
  Users are split at random (seeded) into a validation half, where settings are chosen, and a test
  half, where they are reported.

Both modes:
  --items FILE          CSV or .jsonl of movieId (itemId in mode b)[,title][,genres][,embedding]:
                        categories "|"-separated; embedding numbers separated by spaces
  --items-item-col NAME --title-col NAME --categories-col NAME --embedding-col NAME
  --config FILE         JSON config: k, seed, floors, strategies and grids, bootstrap samples
                        (schema in the README, "evaluate" section); defaults reproduce the demo
  --out DIR             where report.json, report.md and report.html are written
                        (default ./serendipity-report)
  --quiet               no progress output
  --json                print report.json to stdout instead of the table
  --help                show this text

Exit codes: 0 success, 2 bad input or usage (one line on stderr naming file:line:column),
1 internal error.

Examples:
  serendipity-rerank evaluate --interactions ml-latest-small/ratings.csv --items ml-latest-small/movies.csv
  serendipity-rerank evaluate --interactions events.jsonl --user-col uid --item-col sku --time-col ts --out reports/
  serendipity-rerank evaluate --candidates scored.csv --positives heldout.csv --items items.csv --config eval.json`;
