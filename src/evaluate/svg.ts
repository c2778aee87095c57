/** One plotted grid point. */
export interface PlotPoint {
  /** Strategy family (one curve each). */
  readonly family: string;
  /** Grid value. */
  readonly param: number | string;
  /** nDCG ratio vs the base. */
  readonly x: number;
  /** Serendipity-hits ratio vs the base. */
  readonly y: number;
}

/** Options of {@link renderTradeoffSvg}. */
export interface PlotOptions {
  /** Title line. */
  readonly title: string;
  /** x-axis label. @defaultValue 'nDCG@k / base' */
  readonly xLabel?: string;
  /** y-axis label. @defaultValue 'serendipity hits@k (Ge) / base' */
  readonly yLabel?: string;
}

const WIDTH = 760;
const HEIGHT = 480;
const MARGIN = { left: 70, right: 230, top: 48, bottom: 56 };
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML character data and attribute values, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function niceStep(span: number): number {
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
}

function fixed(value: number): string {
  return value.toFixed(2);
}

/**
 * A self-contained SVG (no scripts, no external references) of the nDCG ratio (x) against the
 * serendipity-hits ratio (y): one polyline per family over its grid, in grid order, and the base at
 * (1, 1) marked with a cross. Every point is a `<circle>` carrying `data-family`, `data-param`,
 * `data-x` and `data-y` with the exact values, so the plot can be checked against the JSON. Points
 * with a non-finite coordinate (a ratio over a base of zero hits) are left out.
 */
export function renderTradeoffSvg(allPoints: readonly PlotPoint[], options: PlotOptions): string {
  const points = allPoints.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = [1, ...points.map((p) => p.x)];
  const ys = [1, ...points.map((p) => p.y)];
  const pad = (low: number, high: number): [number, number] => {
    const span = Math.max(high - low, 0.05);
    return [low - span * 0.05, high + span * 0.05];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="24" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`);
  const xStep = niceStep(x1 - x0);
  for (let t = Math.ceil(x0 / xStep) * xStep; t <= x1; t += xStep) {
    out.push(`<line x1="${fixed(sx(t))}" y1="${MARGIN.top}" x2="${fixed(sx(t))}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${fixed(sx(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${t.toFixed(2)}</text>`);
  }
  const yStep = niceStep(y1 - y0);
  for (let t = Math.ceil(y0 / yStep) * yStep; t <= y1; t += yStep) {
    out.push(`<line x1="${MARGIN.left}" y1="${fixed(sy(t))}" x2="${MARGIN.left + plotW}" y2="${fixed(sy(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${fixed(sy(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(options.xLabel ?? 'nDCG@k / base')}</text>`);
  out.push(
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel ?? 'serendipity hits@k (Ge) / base')}</text>`,
  );
  const families = [...new Set(points.map((p) => p.family))];
  families.forEach((family, f) => {
    const color = PALETTE[f % PALETTE.length] as string;
    const curve = points.filter((p) => p.family === family);
    out.push(`<g data-family="${escapeXml(family)}" stroke="${color}" fill="${color}">`);
    out.push(`<polyline fill="none" stroke-width="1.5" points="${curve.map((p) => `${fixed(sx(p.x))},${fixed(sy(p.y))}`).join(' ')}"/>`);
    for (const p of curve) {
      out.push(
        `<circle cx="${fixed(sx(p.x))}" cy="${fixed(sy(p.y))}" r="3.5" data-family="${escapeXml(family)}" data-param="${escapeXml(String(p.param))}" data-x="${p.x}" data-y="${p.y}"><title>${escapeXml(`${family} ${p.param}: nDCG ×${p.x.toFixed(3)}, serendipity ×${p.y.toFixed(3)}`)}</title></circle>`,
      );
    }
    out.push('</g>');
    const ly = MARGIN.top + 10 + f * 20;
    const lx = MARGIN.left + plotW + 16;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<circle cx="${lx + 11}" cy="${ly}" r="3.5" fill="${color}"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escapeXml(family)}</text>`);
  });
  out.push(
    `<g data-base="true" stroke="#000000" stroke-width="2"><line x1="${fixed(sx(1) - 6)}" y1="${fixed(sy(1) - 6)}" x2="${fixed(sx(1) + 6)}" y2="${fixed(sy(1) + 6)}"/><line x1="${fixed(sx(1) - 6)}" y1="${fixed(sy(1) + 6)}" x2="${fixed(sx(1) + 6)}" y2="${fixed(sy(1) - 6)}"/></g>`,
  );
  out.push(`<text x="${fixed(sx(1))}" y="${fixed(sy(1) + 20)}" text-anchor="middle">base</text>`);
  const legendBaseY = MARGIN.top + 10 + families.length * 20;
  out.push(`<text x="${MARGIN.left + plotW + 16}" y="${legendBaseY + 4}">× base = (1, 1)</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
