/** Where progress goes: a bar redrawn in place on a TTY, plain lines otherwise, or nothing. */
export interface ProgressSink {
  /** Reports `done` of `total` steps; `label` names the last step. */
  update(done: number, total: number, label: string): void;
  /** A stage finished (one line). */
  line(text: string): void;
  /** Ends the bar (newline on a TTY). */
  end(): void;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A progress sink on `stream`: with `tty`, one bar redrawn in place (`[#####-----] 42/120  ETA 1m05s
 * label`); otherwise a plain line at most every `intervalMs` and at the end, each with the ETA
 * (time per step since the first update × steps left; `?` until two updates). With `quiet`, nothing.
 */
export function progressSink(stream: NodeJS.WritableStream, options: { readonly tty: boolean; readonly quiet: boolean; readonly intervalMs?: number; readonly now?: () => number }): ProgressSink {
  const now = options.now ?? (() => performance.now());
  // The ETA is measured from the first update, so a slow start (loading, fitting) does not inflate it.
  let first: { readonly at: number; readonly done: number } | undefined;
  let lastPrinted = -Infinity;
  let open = false;
  if (options.quiet) return { update: () => {}, line: () => {}, end: () => {} };
  return {
    update(done, total, label) {
      const t0 = now();
      first ??= { at: t0, done };
      const eta = done === first.done ? Number.NaN : ((t0 - first.at) / 1000 / (done - first.done)) * (total - done);
      if (options.tty) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  ETA ${formatSeconds(eta)}  ${label.slice(0, 40).padEnd(40)}`);
        open = true;
        return;
      }
      const t = now();
      if (done === total || t - lastPrinted >= (options.intervalMs ?? 5000)) {
        lastPrinted = t;
        stream.write(`progress ${done}/${total} (${Math.round((100 * done) / total)}%), ETA ${formatSeconds(eta)}: ${label}\n`);
      }
    },
    line(text) {
      if (open) {
        stream.write('\n');
        open = false;
      }
      stream.write(`${text}\n`);
    },
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
