import { escapeXml } from './svg.js';

/** One grid point of the trade-off plot. */
export interface TradeoffPoint {
  /** Strategy family: one series (curve) each. */
  readonly family: string;
  /** Grid value. */
  readonly param: number | string;
  /** nDCG ratio vs the base (x of both panels). */
  readonly ndcg: number;
  /** Ge serendipity-hits ratio vs the base (y of the left panel). */
  readonly ge: number;
  /** Unexpected-hits ratio vs the base (y of the right panel). */
  readonly uh: number;
  /** Item representation the strategy saw: one line per representation (the first solid, then dashed, dotted, …). @defaultValue one line */
  readonly representation?: string;
}

/** A point chosen by the protocol, drawn with a ring and labelled with its floor. */
export interface SelectedPoint {
  /** Family. */
  readonly family: string;
  /** Chosen grid value. */
  readonly param: number | string;
  /** The floor it was chosen under. */
  readonly floor: number;
  /** Its item representation, when the points carry one. @defaultValue any */
  readonly representation?: string;
}

/** Options of {@link renderTradeoffPlot}. */
export interface TradeoffPlotOptions {
  /** Title line. */
  readonly title: string;
  /** Vertical floor lines (fractions of the base nDCG). @defaultValue [0.95, 0.9] */
  readonly floors?: readonly number[];
  /** Points to highlight. @defaultValue none */
  readonly selected?: readonly SelectedPoint[];
  /** List length, for axis labels. @defaultValue 10 */
  readonly k?: number;
}

/** 20 colours that stay apart for readers with common colour-vision deficiencies as far as 20 can (Tableau 20 order). */
const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22',
  '#393b79', '#ad494a', '#637939', '#e7969c', '#3182bd', '#b5cf6b', '#843c39', '#6b6ecf', '#d6616b', '#000000',
];
/** Marker shapes; series `i` gets shape `i` (hollow variants after the filled ones), so no two series share one. */
const SHAPES = ['circle', 'square', 'diamond', 'triangle-up', 'triangle-down', 'triangle-left', 'triangle-right', 'pentagon', 'hexagon', 'star', 'plus', 'cross'] as const;

/** The marker of series `index`: a shape and whether it is hollow. */
export function seriesStyle(index: number): { color: string; shape: (typeof SHAPES)[number]; hollow: boolean } {
  return {
    color: PALETTE[index % PALETTE.length] as string,
    shape: SHAPES[index % SHAPES.length] as (typeof SHAPES)[number],
    hollow: Math.floor(index / SHAPES.length) % 2 === 1,
  };
}

function polygon(cx: number, cy: number, r: number, sides: number, rotation: number): string {
  const pts: string[] = [];
  for (let i = 0; i < sides; i++) {
    const a = rotation + (2 * Math.PI * i) / sides;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`);
  }
  return `<polygon points="${pts.join(' ')}"`;
}

function star(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (Math.PI * i) / 5;
    const rr = i % 2 === 0 ? r * 1.2 : r * 0.5;
    pts.push(`${(cx + rr * Math.cos(a)).toFixed(2)},${(cy + rr * Math.sin(a)).toFixed(2)}`);
  }
  return `<polygon points="${pts.join(' ')}"`;
}

/** One marker element (self-closing) with the given extra attributes. */
function marker(index: number, cx: number, cy: number, extra: string): string {
  const { color, shape, hollow } = seriesStyle(index);
  const r = 4.5;
  const paint = hollow ? `fill="#ffffff" stroke="${color}" stroke-width="1.6"` : `fill="${color}" stroke="${color}"`;
  let open: string;
  switch (shape) {
    case 'circle':
      open = `<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r}"`;
      break;
    case 'square':
      open = `<rect x="${(cx - r).toFixed(2)}" y="${(cy - r).toFixed(2)}" width="${2 * r}" height="${2 * r}"`;
      break;
    case 'diamond':
      open = polygon(cx, cy, r * 1.3, 4, 0);
      break;
    case 'triangle-up':
      open = polygon(cx, cy, r * 1.3, 3, -Math.PI / 2);
      break;
    case 'triangle-down':
      open = polygon(cx, cy, r * 1.3, 3, Math.PI / 2);
      break;
    case 'triangle-left':
      open = polygon(cx, cy, r * 1.3, 3, Math.PI);
      break;
    case 'triangle-right':
      open = polygon(cx, cy, r * 1.3, 3, 0);
      break;
    case 'pentagon':
      open = polygon(cx, cy, r * 1.2, 5, -Math.PI / 2);
      break;
    case 'hexagon':
      open = polygon(cx, cy, r * 1.15, 6, 0);
      break;
    case 'star':
      open = star(cx, cy, r);
      break;
    case 'plus':
      return `<path d="M${(cx - r * 1.2).toFixed(2)},${cy.toFixed(2)}h${(2.4 * r).toFixed(2)}M${cx.toFixed(2)},${(cy - r * 1.2).toFixed(2)}v${(2.4 * r).toFixed(2)}" fill="none" stroke="${color}" stroke-width="2.4" ${extra}/>`;
    case 'cross':
      return `<path d="M${(cx - r).toFixed(2)},${(cy - r).toFixed(2)}l${(2 * r).toFixed(2)},${(2 * r).toFixed(2)}M${(cx - r).toFixed(2)},${(cy + r).toFixed(2)}l${(2 * r).toFixed(2)},${(-2 * r).toFixed(2)}" fill="none" stroke="${color}" stroke-width="2.4" ${extra}/>`;
  }
  return `${open} ${paint} ${extra}/>`;
}

/** Dash patterns of the lines of one family, one per item representation (solid, dashed, dotted, dash-dot). */
const LINE_DASHES = ['', '6 4', '1.5 3', '6 3 1.5 3'] as const;

/** The SVG `stroke-dasharray` of representation `r` ('' = solid); cycles past the last pattern. */
function lineDash(r: number): string {
  return LINE_DASHES[r % LINE_DASHES.length] as string;
}

function niceStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
}

const PANEL_W = 430;
const PANEL_H = 330;
const LEFT = 64;
const GAP = 90;
const TOP = 56;
const CHAR_W = 7.2;

/**
 * The trade-off plot shared by the demo and the reports: a self-contained SVG (no scripts, no
 * external references) with two panels, Ge serendipity-hits ratio (left) and unexpected-hits ratio
 * (right), each against the nDCG ratio; one series per family in a colour and marker of its own, in
 * grid order; dashed vertical lines at the nDCG floors; the base at (1, 1) as a black cross; each
 * selected point ringed. The legend sits below both panels, sized to its longest label, so nothing
 * is clipped. Every marker carries `data-family`, `data-param`, `data-x`, `data-y`; every series is a
 * `<g class="series">`. Points with a non-finite coordinate are left out.
 */
export function renderTradeoffPlot(points: readonly TradeoffPoint[], options: TradeoffPlotOptions): string {
  const k = options.k ?? 10;
  const floors = options.floors ?? [0.95, 0.9];
  const families = [...new Set(points.map((p) => p.family))];
  const longest = Math.max(20, ...families.map((f) => f.length));
  const entryW = 34 + longest * CHAR_W;
  const width = LEFT + 2 * PANEL_W + GAP + 30;
  const perRow = Math.max(1, Math.floor((width - LEFT) / entryW));
  const legendRows = Math.ceil((families.length + 3) / perRow);
  const legendTop = TOP + PANEL_H + 62;
  const height = legendTop + legendRows * 22 + 16;
  const finite = points.filter((p) => Number.isFinite(p.ndcg));
  const xs = [1, ...floors, ...finite.map((p) => p.ndcg)];
  const pad = (low: number, high: number): [number, number] => {
    const span = Math.max(high - low, 0.05);
    return [low - span * 0.06, high + span * 0.06];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" data-series="${families.length}">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${LEFT}" y="24" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  const panels = [
    { key: 'ge' as const, label: `Ge serendipity hits@${k} / base`, title: 'Ge serendipity (test positives outside the popular list PM)' },
    { key: 'uh' as const, label: `unexpected hits@${k} / base`, title: 'Unexpected hits (test positives far from the history)' },
  ];
  panels.forEach((panel, p) => {
    const left = LEFT + p * (PANEL_W + GAP);
    const usable = finite.filter((pt) => Number.isFinite(pt[panel.key]));
    const ys = [1, ...usable.map((pt) => pt[panel.key])];
    const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
    const sx = (x: number): number => left + ((x - x0) / (x1 - x0)) * PANEL_W;
    const sy = (y: number): number => TOP + PANEL_H - ((y - y0) / (y1 - y0)) * PANEL_H;
    out.push(`<g class="panel" data-panel="${panel.key}">`);
    out.push(`<text x="${left}" y="${TOP - 10}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    const xStep = niceStep(x1 - x0);
    for (let t = Math.ceil(x0 / xStep) * xStep; t <= x1 + 1e-12; t += xStep) {
      out.push(`<line x1="${sx(t).toFixed(2)}" y1="${TOP}" x2="${sx(t).toFixed(2)}" y2="${TOP + PANEL_H}" stroke="#ececec"/>`);
      out.push(`<text x="${sx(t).toFixed(2)}" y="${TOP + PANEL_H + 16}" text-anchor="middle">${t.toFixed(2)}</text>`);
    }
    const yStep = niceStep(y1 - y0);
    for (let t = Math.ceil(y0 / yStep) * yStep; t <= y1 + 1e-12; t += yStep) {
      out.push(`<line x1="${left}" y1="${sy(t).toFixed(2)}" x2="${left + PANEL_W}" y2="${sy(t).toFixed(2)}" stroke="#ececec"/>`);
      out.push(`<text x="${left - 6}" y="${(sy(t) + 4).toFixed(2)}" text-anchor="end">${t.toFixed(2)}</text>`);
    }
    out.push(`<rect x="${left}" y="${TOP}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#333333"/>`);
    out.push(`<text x="${left + PANEL_W / 2}" y="${TOP + PANEL_H + 36}" text-anchor="middle">nDCG@${k} / base (test)</text>`);
    out.push(`<text transform="translate(${left - 46} ${TOP + PANEL_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.label)}</text>`);
    floors.forEach((floor, i) => {
      const x = sx(floor);
      out.push(`<line class="floor" data-floor="${floor}" x1="${x.toFixed(2)}" y1="${TOP}" x2="${x.toFixed(2)}" y2="${TOP + PANEL_H}" stroke="#555555" stroke-dasharray="5 4"/>`);
      out.push(`<text x="${(x - 3).toFixed(2)}" y="${TOP + 12 + 13 * i}" text-anchor="end" fill="#555555" font-size="11">${Math.round(floor * 100)}% floor</text>`);
    });
    families.forEach((family, f) => {
      const { color } = seriesStyle(f);
      const curve = usable.filter((pt) => pt.family === family);
      out.push(`<g class="series" data-family="${escapeXml(family)}">`);
      const lines = [...new Set(curve.map((pt) => pt.representation ?? ''))];
      lines.forEach((representation, r) => {
        const line = curve.filter((pt) => (pt.representation ?? '') === representation).sort((a, b) => a.ndcg - b.ndcg);
        if (line.length < 2) return;
        const dash = lineDash(r) === '' ? '' : ` stroke-dasharray="${lineDash(r)}"`;
        out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" stroke-opacity="0.8"${dash} data-representation="${escapeXml(representation)}" points="${line.map((pt) => `${sx(pt.ndcg).toFixed(2)},${sy(pt[panel.key]).toFixed(2)}`).join(' ')}"/>`);
      });
      for (const pt of curve) {
        const attrs = `class="point" data-family="${escapeXml(family)}" data-param="${escapeXml(String(pt.param))}" data-x="${pt.ndcg}" data-y="${pt[panel.key]}"`;
        out.push(marker(f, sx(pt.ndcg), sy(pt[panel.key]), attrs));
      }
      out.push('</g>');
    });
    for (const chosen of options.selected ?? []) {
      const pt = usable.find((q) => q.family === chosen.family && q.param === chosen.param && (chosen.representation === undefined || q.representation === chosen.representation));
      if (pt === undefined) continue;
      out.push(
        `<circle class="selected" data-family="${escapeXml(chosen.family)}" data-floor="${chosen.floor}" cx="${sx(pt.ndcg).toFixed(2)}" cy="${sy(pt[panel.key]).toFixed(2)}" r="9" fill="none" stroke="#000000" stroke-width="1.5"><title>${escapeXml(`${chosen.family} ${chosen.param}: selected at the ${Math.round(chosen.floor * 100)}% floor`)}</title></circle>`,
      );
    }
    out.push(`<path d="M${(sx(1) - 6).toFixed(2)},${(sy(1) - 6).toFixed(2)}l12,12M${(sx(1) - 6).toFixed(2)},${(sy(1) + 6).toFixed(2)}l12,-12" stroke="#000000" stroke-width="2.5" data-base="true"/>`);
    out.push('</g>');
  });
  out.push(`<g class="legend">`);
  const representations = [...new Set(points.map((p) => p.representation ?? ''))].filter((r) => r !== '');
  const entries = [...families.map((family, f) => ({ family, f })), { family: 'base = (1, 1)', f: -1 }, { family: 'selected (ringed)', f: -2 }];
  if (representations.length > 1) representations.forEach((representation, r) => entries.push({ family: `${representation} vectors`, f: -3 - r }));
  entries.forEach((entry, e) => {
    const x = LEFT + (e % perRow) * entryW;
    const y = legendTop + Math.floor(e / perRow) * 22;
    if (entry.f >= 0) {
      out.push(`<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${seriesStyle(entry.f).color}" stroke-width="1.5"/>`);
      out.push(marker(entry.f, x + 12, y, 'class="legend-marker"'));
    } else if (entry.f === -1) {
      out.push(`<path d="M${x + 6},${y - 6}l12,12M${x + 6},${y + 6}l12,-12" stroke="#000000" stroke-width="2.5"/>`);
    } else if (entry.f === -2) {
      out.push(`<circle cx="${x + 12}" cy="${y}" r="8" fill="none" stroke="#000000" stroke-width="1.5"/>`);
    } else {
      const dash = lineDash(-3 - entry.f);
      out.push(`<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="#555555" stroke-width="1.5"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`);
    }
    out.push(`<text x="${x + 32}" y="${y + 4}">${escapeXml(entry.family)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
