import { RerankError } from '../errors/rerank-error.js';
import type { PackedCategories } from '../types.js';

/**
 * Interns category names to dense integer codes. A request's interner starts from the catalogue's
 * vocabulary (without copying it) and adds the names only the request uses.
 */
export class CategoryInterner {
  private readonly base: ReadonlyMap<string, number>;
  private readonly baseNames: readonly string[];
  private readonly added = new Map<string, number>();
  private readonly addedNames: string[] = [];

  constructor(base: ReadonlyMap<string, number> = new Map(), baseNames: readonly string[] = []) {
    this.base = base;
    this.baseNames = baseNames;
  }

  /** The code of `name`, interning it when new. */
  codeOf(name: string): number {
    const known = this.base.get(name) ?? this.added.get(name);
    if (known !== undefined) return known;
    const code = this.baseNames.length + this.addedNames.length;
    this.added.set(name, code);
    this.addedNames.push(name);
    return code;
  }

  /** All names by code. Reuses the base array when nothing was added. */
  vocabulary(): readonly string[] {
    return this.addedNames.length === 0 ? this.baseNames : [...this.baseNames, ...this.addedNames];
  }

  /** The lookup map for a table built on this interner. */
  toMap(): ReadonlyMap<string, number> {
    if (this.addedNames.length === 0) return this.base;
    return new Map([...this.base, ...this.added]);
  }
}

/**
 * Rows shorter than this are de-duplicated by scanning the row (fast for the usual handful of
 * labels); longer rows switch to a set of codes, so a row of m labels costs O(m), not O(m²).
 */
const SCANNED_ROW_LENGTH = 32;

/**
 * Accumulates category rows into CSR form ({@link PackedCategories}), removing duplicate labels
 * within a row (the first occurrence stays), in time linear in the number of labels.
 */
export class CategoryRowsBuilder {
  private readonly offsets: Uint32Array;
  private codes: Uint32Array;
  private length = 0;
  private rows = 0;
  /** The codes of the current row once it is {@link SCANNED_ROW_LENGTH} long (then a scan would make rows O(m²)). */
  private longRow: Set<number> | undefined;

  constructor(rowCount: number, expectedPerRow = 4) {
    this.offsets = new Uint32Array(rowCount + 1);
    this.codes = new Uint32Array(Math.max(16, rowCount * expectedPerRow));
  }

  /** Appends one row of already-interned codes (a catalogue row). */
  pushCodes(source: ArrayLike<number>, start: number, end: number): void {
    const rowStart = this.length;
    for (let j = start; j < end; j++) this.append(source[j] as number, rowStart);
    this.endRow();
  }

  private endRow(): void {
    this.offsets[++this.rows] = this.length;
    this.longRow = undefined;
  }

  /** Appends one row of names, interning them and validating that each is a string. */
  pushNames(names: readonly string[], interner: CategoryInterner, field: string): void {
    if (!Array.isArray(names)) {
      throw new RerankError('MISSING_CATEGORIES', `${field} must be an array of strings.`, { field, value: names });
    }
    const rowStart = this.length;
    for (let j = 0; j < names.length; j++) {
      const name: unknown = names[j];
      if (typeof name !== 'string') {
        throw new RerankError('MISSING_CATEGORIES', `${field}[${j}] must be a string, got ${typeof name}.`, {
          field: `${field}[${j}]`,
          value: name,
        });
      }
      this.append(interner.codeOf(name), rowStart);
    }
    this.endRow();
  }

  private append(code: number, rowStart: number): void {
    const rowLength = this.length - rowStart;
    if (rowLength < SCANNED_ROW_LENGTH) {
      for (let p = rowStart; p < this.length; p++) if (this.codes[p] === code) return;
    } else {
      if (rowLength === SCANNED_ROW_LENGTH) this.longRow = new Set(this.codes.subarray(rowStart, this.length));
      const before = (this.longRow as Set<number>).size;
      if ((this.longRow as Set<number>).add(code).size === before) return;
    }
    if (this.length === this.codes.length) {
      const grown = new Uint32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = code;
  }

  /** The finished CSR rows. */
  build(): PackedCategories {
    return { offsets: this.offsets, codes: this.codes.slice(0, this.length) };
  }
}
