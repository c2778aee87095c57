import type { ItemTable } from './item-table.js';

/** Largest value a `Uint32Array` mark holds; the generation wraps (and the marks are cleared) after it. */
const LAST_GENERATION = 0xffff_ffff;

/**
 * Scratch marks over a catalogue's rows, reused across requests: a request marks the row of each
 * candidate it finds in the catalogue, so a repeated id shows up as a row marked twice, an array
 * read instead of a hash-set insert. Each request uses a new generation number, so the marks never
 * need clearing between requests.
 */
export class RowMarks {
  private marks: Uint32Array | undefined;
  private generation = 0;
  private lent = false;

  /** @param size - Number of rows of the table; the marks are allocated on the first borrow. */
  constructor(private readonly size: number) {}

  /** Starts a request's marking; false while another request holds the marks (a nested `rerank()`). */
  borrow(): boolean {
    if (this.lent) return false;
    this.lent = true;
    this.marks ??= new Uint32Array(this.size);
    if (this.generation === LAST_GENERATION) {
      this.marks.fill(0);
      this.generation = 0;
    }
    this.generation++;
    return true;
  }

  /** Marks `row` (a valid row of the table) for the current request; false when it already was. */
  mark(row: number): boolean {
    const marks = this.marks as Uint32Array;
    if (marks[row] === this.generation) return false;
    marks[row] = this.generation;
    return true;
  }

  /** Ends the request's marking. */
  release(): void {
    this.lent = false;
  }
}

const marksByTable = new WeakMap<ItemTable, RowMarks>();

/**
 * Gives `table` row marks. Only {@link createItemTable} does, so the marks are used only with an
 * `indexOf` known to return each id's own row.
 */
export function attachRowMarks(table: ItemTable): ItemTable {
  marksByTable.set(table, new RowMarks(table.size));
  return table;
}

/**
 * The table's row marks, borrowed for one request (release them when done), or undefined when it
 * has none or they are in use.
 */
export function borrowRowMarks(table: ItemTable): RowMarks | undefined {
  const marks = marksByTable.get(table);
  return marks?.borrow() === true ? marks : undefined;
}
