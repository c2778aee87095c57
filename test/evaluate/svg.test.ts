import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml, renderTradeoffSvg } from '../../src/evaluate/svg.js';
import { allElements, parseXml } from './xml-check.js';

describe('the test XML checker itself', () => {
  it('accepts well-formed documents and rejects broken ones', () => {
    expect(parseXml('<?xml version="1.0"?><a x="1"><b/>t &amp; u</a>').children.length).toBe(1);
    for (const bad of ['<a>\u0001</a>', '<a x="\ud800"/>', '<a><b></a></b>', '<a x=1/>', '<a>1 < 2</a>', '<a>&nbsp;</a>', '<a/><b/>', '<a x="1" x="2"/>', '<a>', 'text']) {
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
    }
  });
});

describe('renderTradeoffSvg', () => {
  const points = [
    { family: 'mmr', param: 0.9, x: 0.99, y: 1.05 },
    { family: 'mmr', param: 0.7, x: 0.95, y: 1.12 },
    { family: 'rule: r − c·1[u ≤ median] & <x>', param: 0.2, x: 0.93, y: 1.6 },
  ];

  it('is well-formed XML whose circles carry exactly the plotted values', () => {
    const svg = renderTradeoffSvg(points, { title: 'A & B <test>' });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const circles = allElements(root).filter((e) => e.name === 'circle' && e.attributes['data-x'] !== undefined);
    expect(circles.map((c) => [c.attributes['data-family'], c.attributes['data-param'], Number(c.attributes['data-x']), Number(c.attributes['data-y'])])).toEqual(
      points.map((p) => [p.family, String(p.param), p.x, p.y]),
    );
    expect(allElements(root).filter((e) => e.name === 'polyline').length).toBe(2);
    expect(allElements(root).some((e) => e.attributes['data-base'] === 'true')).toBe(true);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('stays well-formed for any family names and values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ family: fc.string({ unit: 'binary' }), param: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'binary' })), x: fc.double({ min: 0.5, max: 1.5, noNaN: true }), y: fc.double({ min: 0, max: 4, noNaN: true }) }), { maxLength: 8 }),
        fc.string({ unit: 'binary' }),
        (pts, title) => {
          parseXml(renderTradeoffSvg(pts, { title }));
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
