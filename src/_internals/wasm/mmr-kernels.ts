import { dotUnrolled } from '../dot.js';
import { type GreedyKernelExports, type KernelBackend, reserve, rowPlacement, wasmKernelsFor } from './kernel-instance.js';

/**
 * One MMR request's similarity kernels (greedy-kernels.wat, or the same arithmetic in JS): every
 * similarity is {@link dotUnrolled} of two unit embeddings, so both backends agree bit for bit.
 */
export interface MmrWorkspace {
  /** The backend that runs the kernels. */
  readonly backend: KernelBackend;
  /** Picks in order (k): the caller writes `picks[slot]` before asking about that slot. */
  readonly picks: Int32Array;
  /** Output of {@link MmrWorkspace.similaritiesTo}: one similarity per candidate (n). */
  readonly similarities: Float64Array;
  /** Writes `⟨e_i, e_j⟩` for every candidate i into {@link MmrWorkspace.similarities}. */
  similaritiesTo(j: number): void;
  /** `max` raised to every `⟨e_{picks[s]}, e_i⟩` above it, for `s = from .. to−1` in order. */
  maxSimilarity(i: number, from: number, to: number, max: number): number;
}

/**
 * Rows of a catalogue kept at byte 0 of a kernel instance of its own, with room after them for one
 * MMR workspace (16 bytes per row; see `createItemTable`): candidate i is catalogue row `rows[i]`.
 */
export interface CatalogueRows {
  readonly kernels: GreedyKernelExports;
  /** Bytes of the catalogue's rows (the workspace starts here). */
  readonly rowsBytes: number;
  /** Row of candidate i in the catalogue. */
  readonly rows: Int32Array;
}

/** Where one MMR request's embeddings are: `embeddings` (read only when needed), or catalogue rows read in place. */
export interface MmrRows {
  /** Unit embeddings, row-major n × dim. */
  readonly embeddings: Float64Array;
  /** The candidates' rows in a catalogue whose kernels read them in place, when they are such rows. */
  readonly catalogueRows?: CatalogueRows | undefined;
}

/**
 * Opens the kernels of one MMR request over the unit embeddings (row-major n × dim) with room
 * for `k` picks. The `'wasm'` backend reads the embeddings either in place in a catalogue's own
 * kernel memory (`catalogueRows`, candidate i being catalogue row `rows[i]`), or at byte 0 of the
 * shared WebAssembly memory (shared with the DPP kernels; one request at a time): where `rerank()`
 * packed them (see `lendKernelRows`), or copied there; it falls back to `'js'` when that memory
 * cannot grow or holds another request's rows.
 */
export function openMmrWorkspace(n: number, dim: number, k: number, input: MmrRows, backend: KernelBackend): MmrWorkspace {
  const { catalogueRows } = input;
  if (backend === 'wasm' && catalogueRows !== undefined) return catalogueWorkspace(n, dim, k, catalogueRows);
  const embeddings = input.embeddings;
  const simsByte = n * dim * Float64Array.BYTES_PER_ELEMENT;
  const picksByte = simsByte + n * Float64Array.BYTES_PER_ELEMENT;
  const bytes = picksByte + k * Int32Array.BYTES_PER_ELEMENT;
  const kernels = backend === 'wasm' ? wasmKernelsFor(bytes) : null;
  const placement = kernels === null ? 'busy' : rowPlacement(kernels, embeddings, n * dim);
  if (kernels !== null && placement !== 'busy' && reserve(kernels.memory, bytes)) {
    if (placement === 'copy') new Float64Array(kernels.memory.buffer, 0, n * dim).set(embeddings.subarray(0, n * dim));
    kernels.mmrConfigure(n, dim, 0, picksByte);
    const { similarities, maxSimilarity } = kernels;
    return {
      backend: 'wasm',
      picks: new Int32Array(kernels.memory.buffer, picksByte, k),
      similarities: new Float64Array(kernels.memory.buffer, simsByte, n),
      similaritiesTo: (j) => similarities(j, simsByte),
      maxSimilarity,
    };
  }
  return new JsMmrWorkspace(n, dim, k, embeddings);
}

/**
 * The kernels over catalogue rows read in place: the workspace (similarities, the candidates' rows,
 * picks) sits right after the catalogue's rows, in the room the catalogue keeps for it (n and k are
 * at most its size, as candidates are distinct rows).
 */
function catalogueWorkspace(n: number, dim: number, k: number, catalogue: CatalogueRows): MmrWorkspace {
  const { kernels, rowsBytes, rows } = catalogue;
  const simsByte = rowsBytes;
  const rowsByte = simsByte + n * Float64Array.BYTES_PER_ELEMENT;
  const picksByte = rowsByte + n * Int32Array.BYTES_PER_ELEMENT;
  const { buffer } = kernels.memory;
  new Int32Array(buffer, rowsByte, n).set(rows);
  kernels.mmrConfigure(n, dim, 0, picksByte);
  const { similaritiesOfRows, maxSimilarityOfRows } = kernels;
  return {
    backend: 'wasm',
    picks: new Int32Array(buffer, picksByte, k),
    similarities: new Float64Array(buffer, simsByte, n),
    similaritiesTo: (j) => similaritiesOfRows(j, simsByte, rowsByte),
    maxSimilarity: (i, from, to, max) => maxSimilarityOfRows(i, from, to, max, rowsByte),
  };
}

/** The same kernels in plain JS. */
class JsMmrWorkspace implements MmrWorkspace {
  readonly backend = 'js';
  readonly picks: Int32Array;
  readonly similarities: Float64Array;

  constructor(
    private readonly n: number,
    private readonly dim: number,
    k: number,
    private readonly embeddings: Float64Array,
  ) {
    this.picks = new Int32Array(k);
    this.similarities = new Float64Array(n);
  }

  similaritiesTo(j: number): void {
    const { n, dim, embeddings, similarities } = this;
    for (let i = 0; i < n; i++) similarities[i] = dotUnrolled(embeddings, i * dim, embeddings, j * dim, dim);
  }

  maxSimilarity(i: number, from: number, to: number, max: number): number {
    const { dim, embeddings, picks } = this;
    let m = max;
    for (let s = from; s < to; s++) {
      const sim = dotUnrolled(embeddings, i * dim, embeddings, (picks[s] as number) * dim, dim);
      if (sim > m) m = sim;
    }
    return m;
  }
}
