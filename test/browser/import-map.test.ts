/**
 * The built package in a real browser with no bundler: headless Chromium loads `dist/index.js`
 * through an import map (lru-cache too, straight from node_modules), runs MMR and DPP on 1,000
 * seeded candidates (d = 64, k = 50) and must select exactly what Node selects. Three
 * Content-Security-Policies decide whether the WebAssembly kernels may be compiled:
 * - none, and `script-src 'self' 'wasm-unsafe-eval'`: `kernelBackend()` is `'wasm'`;
 * - `script-src 'self'`: compiling is refused, so `kernelBackend()` is `'js'` (same selections).
 *
 * Needs `/usr/bin/chromium` and a build (`npm run build`). Without CI it skips when either is
 * missing; with CI set it fails loudly instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/_internals/random.js';
import { dpp, mmr, rerank } from '../../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = resolve(ROOT, 'dist');
const LRU = resolve(ROOT, 'node_modules/lru-cache');
const haveChromium = existsSync(CHROMIUM);
const haveBuild = existsSync(resolve(DIST, 'index.js'));
const underCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runs = underCi || (haveChromium && haveBuild);

const N = 1000;
const DIM = 64;
const K = 50;

/** Seeded candidates: uniform relevance, Gaussian-ish vectors with a shared direction. */
function makeCandidates(): { id: string; relevance: number; embedding: number[] }[] {
  const random = mulberry32(20_260_101);
  const shared = Array.from({ length: DIM }, () => random() - 0.5);
  return Array.from({ length: N }, (_, i) => ({
    id: `item-${i}`,
    relevance: random(),
    embedding: shared.map((s) => s + (random() + random() + random() - 1.5)),
  }));
}

// The import map the page uses: the package by its own name, and its one runtime dependency at the
// path a browser (the "browser" export condition of lru-cache) would resolve.
const IMPORT_MAP = JSON.stringify({
  imports: {
    'serendipity-rerank': '/dist/index.js',
    'lru-cache': '/node_modules/lru-cache/dist/esm/browser/index.min.js',
  },
});
// Import maps are inline scripts, so a strict CSP must allow this exact one by its hash (what a
// real site does); the hash grants nothing else, in particular not WebAssembly compilation.
const IMPORT_MAP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

const POLICIES = [
  { name: 'no CSP', csp: undefined, backend: 'wasm' },
  { name: "script-src 'self' 'wasm-unsafe-eval'", csp: `script-src 'self' 'wasm-unsafe-eval' ${IMPORT_MAP_HASH}`, backend: 'wasm' },
  { name: "script-src 'self'", csp: `script-src 'self' ${IMPORT_MAP_HASH}`, backend: 'js' },
] as const;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>import map</title>
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/page.js"></script>
</head><body></body></html>`;

// The page's module: plain ESM, no bundler, the package imported by its bare name.
const PAGE_SCRIPT = `
import { dpp, kernelBackend, mmr, rerank } from 'serendipity-rerank';
try {
  const candidates = await (await fetch('/input.json')).json();
  const ids = (strategy) => rerank({ candidates, k: ${K}, strategy }).items.map((item) => item.id);
  window.__result = { backend: kernelBackend(), mmr: ids(mmr({ lambda: 0.5 })), dpp: ids(dpp({ theta: 0.7 })) };
} catch (error) {
  window.__result = { error: String(error && error.stack || error) };
}
`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

/** Serves the page, its script, the input, dist/ and lru-cache; refuses anything else. */
function serve(input: string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(body);
    };
    if (url.pathname === '/') {
      const csp = url.searchParams.get('csp');
      send(200, 'text/html; charset=utf-8', PAGE, csp ? { 'content-security-policy': csp } : {});
      return;
    }
    if (url.pathname === '/page.js') return send(200, 'text/javascript', PAGE_SCRIPT);
    if (url.pathname === '/input.json') return send(200, 'application/json', input);
    for (const [prefix, dir] of [['/dist/', DIST], ['/node_modules/lru-cache/', LRU]] as const) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = normalize(resolve(dir, `.${url.pathname.slice(prefix.length - 1)}`));
      if (!file.startsWith(dir + sep) || !existsSync(file)) break;
      return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

describe.runIf(runs)('browser: dist/index.js through an import map, no bundler (headless Chromium)', () => {
  const candidates = makeCandidates();
  const expected = {
    mmr: rerank({ candidates, k: K, strategy: mmr({ lambda: 0.5 }) }).items.map((item) => item.id),
    dpp: rerank({ candidates, k: K, strategy: dpp({ theta: 0.7 }) }).items.map((item) => item.id),
  };
  let server: Server | undefined;
  let browser: Browser | undefined;
  let base = '';

  beforeAll(async () => {
    if (!haveChromium || !haveBuild) return;
    server = await serve(JSON.stringify(candidates));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it('has chromium and a build (run `npm run build`; CI installs chromium in .ci/run)', () => {
    expect(haveChromium, `${CHROMIUM} is missing`).toBe(true);
    expect(haveBuild, 'dist/index.js is missing: run `npm run build` before the tests').toBe(true);
  });

  it('the root entry imports only relative chunks and lru-cache (no ml-matrix, no node: modules)', () => {
    if (!haveBuild) return;
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s*['"]([^'"]+)['"]/g)) {
        const spec = (match[1] ?? match[2] ?? match[3]) as string;
        if (spec.startsWith('.')) visit(resolve(file, '..', spec));
        else bare.add(spec);
      }
    };
    visit(resolve(DIST, 'index.js'));
    expect([...bare].sort()).toEqual(['lru-cache']);
  });

  for (const policy of POLICIES) {
    it(`${policy.name}: kernels are '${policy.backend}' and MMR/DPP select exactly Node's ids`, async () => {
      if (browser === undefined) throw new Error('chromium did not start');
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      try {
        const query = policy.csp === undefined ? '' : `?csp=${encodeURIComponent(policy.csp)}`;
        await page.goto(`${base}/${query}`);
        await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
        const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
          error?: string;
          backend?: string;
          mmr?: string[];
          dpp?: string[];
        };
        expect(result.error, problems.join('\n')).toBeUndefined();
        expect(problems).toEqual([]);
        expect(result.backend).toBe(policy.backend);
        expect(result.mmr).toHaveLength(K);
        expect(result.mmr).toEqual(expected.mmr);
        expect(result.dpp).toEqual(expected.dpp);
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});
