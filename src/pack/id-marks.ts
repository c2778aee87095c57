/**
 * Ids kept between requests at most; past this many the marks are dropped after the request, so
 * what stays between requests is bounded (about 100 bytes per id: a map entry and the id string).
 */
export const RETAINED_ID_MARKS = 65_536;

/**
 * Duplicate-id detection for ids that are not rows of a catalogue, without a new hash set per
 * request: one map from id to the number of the last request that used it, kept between requests.
 * A request stamps each id with its own number, so an id already stamped with it is a repeat, and
 * nothing needs clearing between requests. Hosts that re-rank the same items again and again then
 * only update entries, which is about three times cheaper than filling a fresh `Set`.
 */
export class IdMarks {
  private readonly stamps = new Map<string, number>();
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
    const { stamps, request } = this;
    if (stamps.get(id) === request) return false;
    stamps.set(id, request);
    return true;
  }

  /** Ends the request's marking, dropping the marks when more than {@link RETAINED_ID_MARKS} ids are kept. */
  release(): void {
    if (this.stamps.size > RETAINED_ID_MARKS) this.stamps.clear();
    this.lent = false;
  }

  /** Ids currently kept (for tests of the retention bound). */
  get retained(): number {
    return this.stamps.size;
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
