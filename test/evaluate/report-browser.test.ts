/**
 * The HTML report in a real headless Chromium (Debian `chromium` + playwright-core): a mode (a) run on
 * the repository's fixture, written with `writeReports`, opened from disk. Checks no console errors
 * or page errors, no network request, the number of series in each plot panel, and writes a
 * screenshot of the page to `test-artifacts/report.png` (ignored by git), or to `$ARTIFACTS_DIR/report.png`
 * when that is set (CI keeps it as an artifact).
 * Without CI it skips when /usr/bin/chromium is missing; with CI set it fails loudly instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateInteractions, writeReports, type EvaluationReport } from '../../src/evaluate/api.js';
import { readConfig } from '../../src/evaluate/config.js';
import { STRATEGY_FAMILIES } from '../../src/evaluate/strategies.js';

const CHROMIUM = '/usr/bin/chromium';
const underCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runs = underCi || existsSync(CHROMIUM);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'evaluate', 'fixtures');
/** Where the screenshot goes: `$ARTIFACTS_DIR` when set (CI copies it out of its temporary clone), else `test-artifacts/`. */
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(ROOT, 'test-artifacts');

let out: string;
let report: EvaluationReport;
beforeAll(async () => {
  if (!runs) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium.`);
  out = mkdtempSync(join(tmpdir(), 'serendipity-report-'));
  report = await evaluateInteractions({
    interactions: join(FIXTURES, 'interactions', 'ratings.csv'),
    items: join(FIXTURES, 'interactions', 'movies.csv'),
    config: readConfig(join(FIXTURES, 'small-config.json'), STRATEGY_FAMILIES),
  });
  writeReports(report, out);
}, 240_000);
afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

describe.runIf(runs)('report.html in headless Chromium', () => {
  it('renders without console errors or requests, one series per family in both panels of every split, and leaves a screenshot', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      const html = join(out, 'report.html');
      expect(readFileSync(html, 'utf8')).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      await page.goto(pathToFileURL(html).href);
      const families = new Set(report.strategies.map((row) => row.name));
      expect(families.size).toBe(5);
      const splits = page.locator('section.split');
      expect(await splits.count()).toBe(report.splits.length);
      for (let s = 0; s < report.splits.length; s++) {
        const panels = splits.nth(s).locator('g.panel');
        expect(await panels.count()).toBe(2);
        for (let p = 0; p < 2; p++) {
          const series = panels.nth(p).locator('g.series');
          expect(await series.count()).toBe(families.size);
          expect(new Set(await series.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-family'))))).toEqual(families);
          expect(await panels.nth(p).locator('line.floor').count()).toBe(2);
        }
      }
      // Every legend label fits inside the SVG (nothing clipped).
      const overflow = await page.locator('svg').first().evaluate((svg) => {
        const box = (svg as SVGSVGElement).getBBox();
        const width = Number(svg.getAttribute('width'));
        const labels = [...svg.querySelectorAll('g.legend text')].map((t) => (t as SVGTextElement).getBBox());
        return { right: Math.max(...labels.map((b) => b.x + b.width)), width, boxWidth: box.width };
      });
      expect(overflow.right).toBeLessThanOrEqual(overflow.width);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
