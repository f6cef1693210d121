// Shared helpers for the end-to-end tests and benchmarks: Debian's Chromium, launched the way
// this machine needs it (no sandbox as root, no background traffic), never a downloaded browser.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Defence in depth: Chromium resolves no name at all except loopback.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function launch(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The URL of the served release build (set by `cargo xtask test`). */
export function appUrl() {
  const url = process.env.PORTOLAN_URL;
  if (!url) throw new Error('PORTOLAN_URL is not set: run the e2e tests through `cargo xtask test e2e`');
  return url;
}

/** The test DoH resolver (dnsdist + unbound on loopback), set by `cargo xtask test`. */
export function dohUrl() {
  const url = process.env.PORTOLAN_DOH;
  if (!url) throw new Error('PORTOLAN_DOH is not set: run the e2e tests through `cargo xtask test e2e`');
  return url;
}

/** A second test DoH resolver whose answers differ from the first's for srvmail.test's MX. */
export function secondDohUrl() {
  const url = process.env.PORTOLAN_DOH_SECOND;
  if (!url) throw new Error('PORTOLAN_DOH_SECOND is not set: run the e2e tests through `cargo xtask test e2e`');
  return url;
}

/**
 * Answers a public DoH resolver's requests (`pattern`, like `https://dns.quad9.net/**`) from a
 * test resolver on loopback, with the CORS header the real one sends: the app believes it
 * talks to the public resolver, and nothing leaves the machine.
 */
export async function standInResolver(context, pattern, testUrl) {
  await context.route(pattern, async (route) => {
    const asked = new URL(route.request().url());
    const response = await route.fetch({ url: testUrl + asked.search });
    await route.fulfill({
      status: response.status(),
      body: await response.body(),
      headers: { 'content-type': 'application/dns-message', 'access-control-allow-origin': '*' },
    });
  });
}

/** target/e2e/, where screenshots go for people to look at. */
export function artifactDir() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The path of axe-core's browser bundle. */
export function axePath() {
  return createRequire(import.meta.url).resolve('axe-core/axe.min.js');
}

function isLoopback(url) {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * Opens the app in a fresh context. `resolver` is what the user chose before ('off', or
 * 'custom:<url>'); it is put into local storage, since no URL parameter may set it.
 * Every request to a non-loopback address is aborted before it leaves the browser and
 * recorded in `external`, so a test can prove what the app tried. Requests for the app's own
 * files whose path contains one of `missing` fail, as on a host that lost them.
 */
export async function openApp(browser, { viewport = { width: 1280, height: 800 }, resolver, query = '', missing = [], initScript, locale } = {}) {
  // No service worker: its install would fetch every file in the background, through the
  // route below, while a test runs. hosting.test.mjs and embedding.test.mjs test it.
  const context = await browser.newContext({ viewport, acceptDownloads: true, serviceWorkers: 'block', ...(locale ? { locale } : {}) });
  const external = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (!isLoopback(url)) {
      external.push(url);
      return route.abort('blockedbyclient');
    }
    if (missing.some((part) => new URL(url).pathname.includes(part))) return route.abort('failed');
    return route.continue();
  });
  if (resolver) {
    await context.addInitScript((value) => localStorage.setItem('portolan.resolver', value), resolver);
  }
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  await page.goto(appUrl() + query);
  await page.waitForSelector('[data-ready]');
  return { page, context, external };
}

/** Runs axe-core on the page and returns its violations (ids and targets, for messages). */
export async function axeViolations(page) {
  // Evaluated through the debugging protocol, not added as a script tag: the page's
  // Content-Security-Policy rightly refuses inline scripts it does not know.
  await page.evaluate(readFileSync(axePath(), 'utf8'));
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** The built app's directory. */
export function distDir() {
  return fileURLToPath(new URL('../../dist/', import.meta.url));
}

/**
 * Serves `dist/` (or `dir`) as a plain static host would (not the relay: no `/healthz`, no
 * live checks) under `prefix` on a free loopback port. Resolves with its base URL and a
 * `close` function that also drops open connections, as a host that went away.
 */
export async function serveDistStatically(prefix = '/', dir = distDir()) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const dist = dir;
  const types = {
    '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
    '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.json': 'application/json',
  };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    if (!path.startsWith(prefix)) { response.writeHead(404); response.end(); return; }
    const name = path.slice(prefix.length) || 'index.html';
    try {
      const body = await readFile(join(dist, name));
      const ext = name.slice(name.lastIndexOf('.'));
      response.writeHead(200, { 'content-type': types[ext] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404); response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    close: () => { server.close(); server.closeAllConnections(); },
  };
}

/** Clicks the download link `selector` and returns the downloaded file's text. */
export async function downloadText(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const { readFile } = await import('node:fs/promises');
  return readFile(await download.path(), 'utf8');
}
