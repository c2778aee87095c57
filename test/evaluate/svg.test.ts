import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTradeoffPlot, seriesStyle } from '../../src/evaluate/plot.js';
import { escapeXml } from '../../src/evaluate/svg.js';
import { allElements, parseXml, type XmlElement } from './xml-check.js';

describe('the test XML checker itself', () => {
  it('accepts well-formed documents and rejects broken ones', () => {
    expect(parseXml('<?xml version="1.0"?><a x="1"><b/>t &amp; u</a>').children.length).toBe(1);
    for (const bad of ['<a>\u0001</a>', '<a x="\ud800"/>', '<a><b></a></b>', '<a x=1/>', '<a>1 < 2</a>', '<a>&nbsp;</a>', '<a/><b/>', '<a x="1" x="2"/>', '<a>', 'text']) {
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
    }
  });
});

describe('renderTradeoffPlot', () => {
  const points = [
    { family: 'mmr', param: 0.9, ndcg: 0.99, ge: 1.05, uh: 1.2 },
    { family: 'mmr', param: 0.7, ndcg: 0.95, ge: 1.12, uh: 1.4 },
    { family: 'rule: r − c·1[u ≤ median] & <x>', param: 0.2, ndcg: 0.93, ge: 1.6, uh: Number.NaN },
  ];

  it('is well-formed XML with two panels whose markers carry exactly the plotted values', () => {
    const svg = renderTradeoffPlot(points, { title: 'A & B <test>', selected: [{ family: 'mmr', param: 0.7, floor: 0.95 }] });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const panels = allElements(root).filter((e) => e.name === 'g' && e.attributes.class === 'panel');
    expect(panels.map((p) => p.attributes['data-panel'])).toEqual(['ge', 'uh']);
    const markers = (panel: XmlElement) => allElements(panel).filter((e) => e.attributes.class === 'point').map((m) => [m.attributes['data-family'], m.attributes['data-param'], Number(m.attributes['data-x']), Number(m.attributes['data-y'])]);
    expect(markers(panels[0] as XmlElement)).toEqual(points.map((p) => [p.family, String(p.param), p.ndcg, p.ge]));
    // A non-finite ratio (UH over a base of zero hits) is left out of its panel only.
    expect(markers(panels[1] as XmlElement)).toEqual(points.slice(0, 2).map((p) => [p.family, String(p.param), p.ndcg, p.uh]));
    for (const panel of panels) {
      expect(allElements(panel).filter((e) => e.attributes.class === 'floor').map((e) => Number(e.attributes['data-floor']))).toEqual([0.95, 0.9]);
      expect(allElements(panel).filter((e) => e.attributes.class === 'selected').map((e) => e.attributes['data-family'])).toEqual(['mmr']);
      expect(allElements(panel).some((e) => e.attributes['data-base'] === 'true')).toBe(true);
    }
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('gives every one of 30 series its own colour and its own marker', () => {
    const styles = Array.from({ length: 30 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.slice(0, 20).map((s) => s.color)).size).toBe(20);
    expect(new Set(styles.map((s) => `${s.shape}/${s.hollow}`)).size).toBe(24);
    expect(new Set(styles.map((s) => `${s.color}/${s.shape}/${s.hollow}`)).size).toBe(30);
  });

  it('stays well-formed for any family names and values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            family: fc.string({ unit: 'binary' }),
            param: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'binary' })),
            ndcg: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
            ge: fc.double({ min: 0, max: 4, noNaN: true }),
            uh: fc.double({ min: 0, max: 4 }),
          }),
          { maxLength: 8 },
        ),
        fc.string({ unit: 'binary' }),
        (pts, title) => {
          const root = parseXml(renderTradeoffPlot(pts, { title }));
          // Well-formed, and every point is drawn: all in the Ge panel, the finite-UH ones in the UH panel.
          const panels = allElements(root).filter((e) => e.name === 'g' && e.attributes.class === 'panel');
          const pointCount = (panel: XmlElement) => allElements(panel).filter((e) => e.attributes.class === 'point').length;
          expect(panels.map(pointCount)).toEqual([pts.length, pts.filter((p) => Number.isFinite(p.uh)).length]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0001b\ud800c\ud83d\ude00')).toBe('abc\ud83d\ude00');
  });
});
