/**
 * Ids kept between requests at most; past this many the marks are dropped after the request, so
 * what stays between requests is bounded (about 100 bytes per id: a map entry and the id string).
 */
export const RETAINED_ID_MARKS = 65_536;

/** Largest request number a `Uint32Array` stamp holds; the marks are dropped before it wraps. */
const LAST_REQUEST = 0xffff_ffff;

/**
 * Duplicate-id detection for ids that are not rows of a catalogue, without a new hash set per
 * request: one map from id to a slot, kept between requests, and per slot the number of the last
 * request that used the id. A request stamps each id's slot with its own number, so a slot already
 * stamped with it is a repeat, and nothing needs clearing between requests. An id seen before costs
 * one map look-up and an array write (hosts re-rank the same items again and again); a new one a
 * look-up and an insert.
 */
export class IdMarks {
  private readonly slots = new Map<string, number>();
  private stamps = new Uint32Array(1024);
  private request = 0;
  private lent = false;

  /** Starts a request's marking; false while another request holds the marks (a nested `rerank()`). */
  borrow(): boolean {
    if (this.lent) return false;
    this.lent = true;
    this.request++;
    return true;
  }

  /** Marks `id` for the current request; false when it already was. */
  mark(id: string): boolean {
    const { slots, request } = this;
    let slot = slots.get(id);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(id, slot);
      if (slot === this.stamps.length) this.grow();
    } else if (this.stamps[slot] === request) {
      return false;
    }
    this.stamps[slot] = request;
    return true;
  }

  /**
   * Ends the request's marking, dropping the marks when more than {@link RETAINED_ID_MARKS} ids are
   * kept, or when the request numbers are about to wrap around the stamps' 32 bits.
   */
  release(): void {
    if (this.slots.size > RETAINED_ID_MARKS || this.request === LAST_REQUEST) {
      this.slots.clear();
      this.stamps = new Uint32Array(1024);
      this.request = 0;
    }
    this.lent = false;
  }

  /** Ids currently kept (for tests of the retention bound). */
  get retained(): number {
    return this.slots.size;
  }

  private grow(): void {
    const stamps = new Uint32Array(2 * this.stamps.length);
    stamps.set(this.stamps);
    this.stamps = stamps;
  }
}

/** Single-use marks: a fresh set, for a request nested inside another one's packing. */
export class FreshIdMarks {
  private readonly seen = new Set<string>();

  mark(id: string): boolean {
    const before = this.seen.size;
    return this.seen.add(id).size !== before;
  }
}

const shared = new IdMarks();

/** The process-wide id marks, borrowed for one request (release them when done), or undefined when in use. */
export function borrowIdMarks(): IdMarks | undefined {
  return shared.borrow() ? shared : undefined;
}

/** Number of ids the process-wide marks keep between requests (for tests of the retention bound). */
export function retainedIdMarks(): number {
  return shared.retained;
}
