// Hosting, end to end: the strict Content-Security-Policy the page carries (and satisfies on
// every screen), Subresource Integrity on every file index.html loads, the service worker that
// keeps the app working offline after one visit, and an update to a new build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp, appUrl, dohUrl, distDir, serveDistStatically, artifactDir } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Collects every CSP violation the page reports into `window.__violations` (an init script). */
function collectViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
}

function sri(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

test('the page carries a strict CSP, and integrity on every file it loads', async () => {
  const html = await (await fetch(appUrl())).text();
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1];
  assert.ok(policy, 'the policy is a meta tag');
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'before any script');
  const directives = Object.fromEntries(policy.split(';').map((part) => {
    const [name, ...values] = part.trim().split(/\s+/);
    return [name, values];
  }));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'].slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
  const hashes = directives['script-src'].slice(2);
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.ok(inline.length >= 2, 'the bootstrap and the service worker registration');
  assert.deepEqual(hashes.sort(),
    inline.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`).sort(),
    'each inline script is allowed by its own hash, and nothing else inline');
  assert.doesNotMatch(policy, /unsafe-inline|nonce-/);
  assert.deepEqual(directives['worker-src'], ["'self'"]);
  assert.deepEqual(directives['connect-src'], ["'self'"]);

  const loads = [...html.matchAll(/<(link|script)\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => /\b(src|href)="\.\/[^"]+"/.test(tag))
    .filter((tag) => tag.startsWith('<script') || /rel="(stylesheet|preload|modulepreload)"/.test(tag));
  assert.ok(loads.length >= 3, `the stylesheet, the script and the wasm: ${loads}`);
  for (const tag of loads) {
    const file = tag.match(/\b(?:src|href)="\.\/([^"]+)"/)[1];
    const integrity = tag.match(/\bintegrity="([^"]+)"/)?.[1];
    const bytes = Buffer.from(await (await fetch(new URL(file, appUrl()))).arrayBuffer());
    assert.equal(integrity, sri(bytes), `${file} carries the digest of what the server sends`);
  }
  const wasm = html.match(/fetch\('\.\/(portolan-app-[0-9a-f]+_bg\.wasm)',\{integrity:'([^']+)'\}\)/);
  assert.ok(wasm, 'the page\'s wasm is instantiated from a fetch that carries its digest');
  const wasmBytes = Buffer.from(await (await fetch(new URL(wasm[1], appUrl()))).arrayBuffer());
  assert.equal(wasm[2], sri(wasmBytes));
  // Trunk's workers are versioned: the page learns their loaders' names from index.html.
  for (const worker of ['portolan-engine', 'portolan-probe-worker']) {
    assert.match(html, new RegExp(`<meta name="portolan-worker" data-for="\\./${worker}_loader\\.js" content="\\./${worker}_loader-[0-9a-f]{16}\\.js">`));
  }
});

test('no screen breaks the policy', async () => {
  const { page, context } = await openApp(browser, { resolver: `custom:${dohUrl()}`, initScript: collectViolations });
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  await page.getByLabel('Your email address or domain').fill('alice@srvmail.test');
  await page.locator('#trouble summary').click();
  await page.getByLabel('Paste what your mail app said: the error message, a code or a log line.').fill('535 5.7.8 Authentication failed');
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForSelector('#trouble-answer .trouble-match');
  await page.getByRole('button', { name: 'Find settings' }).click();
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  await page.getByRole('button', { name: 'Change mail app' }).click();
  await page.getByLabel('Search mail apps').fill('thunder');
  await page.locator('#client-thunderbird').check();
  await page.getByRole('button', { name: 'Show my settings' }).click();
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  // The engine worker's lookups reached the test resolver: the page's policy does not bind it.
  assert.match(await page.locator('#incoming').textContent(), /mail\.srvmail\.test/);
  await page.locator('#settings summary').click();
  await page.getByRole('button', { name: 'Change address' }).click();
  await page.locator('#to-audit').click();
  await page.getByLabel('Domain', { exact: true }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no violation reported');
  assert.deepEqual(console.filter((text) => /Content.Security.Policy/i.test(text)), []);
  await context.close();
});

test('a wasm that is not the one index.html names is refused', async () => {
  // The same page with the wasm untouched runs (the control)…
  const control = await browser.newContext();
  const runs = await control.newPage();
  await runs.goto(appUrl());
  await runs.waitForSelector('[data-ready]');
  await control.close();
  // …and with one byte of it changed on the way, it does not. (No service worker here: its
  // install would fetch the wasm through the route too.)
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route(/portolan-app-[0-9a-f]+_bg\.wasm$/, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 1] ^= 0xff;
    await route.fulfill({ response, body });
  });
  const page = await context.newPage();
  const messages = [];
  page.on('console', (message) => messages.push(message.text()));
  const refused = new Promise((resolve) => page.on('pageerror', (error) => resolve(error.message)));
  await page.goto(appUrl());
  // The fetch that carries the digest fails, so the page's bootstrap throws.
  assert.match(await refused, /fetch|integrity/i, 'the bootstrap\'s fetch of the wasm fails');
  assert.ok(messages.some((text) => /integrity/i.test(text)), `the browser names the integrity check: ${messages}`);
  assert.equal(await page.locator('[data-ready]').count(), 0, 'the page does not run');
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.close();
});

/** Resolves once the service worker is active; returns what its cache holds. */
async function offlineReady(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const names = (await caches.keys()).filter((name) => name.startsWith('portolan-'));
    const cache = await caches.open(names[0]);
    return { caches: names, files: (await cache.keys()).map((request) => new URL(request.url).pathname) };
  });
}

function copyOfDist() {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-dist-'));
  cpSync(distDir(), dir, { recursive: true });
  return dir;
}

/**
 * A copy of dist/ on a static host of its own, visited once in a fresh context until the
 * service worker is active; everything is closed when test `t` ends.
 */
async function firstVisit(t) {
  const dir = copyOfDist();
  const host = await serveDistStatically('/', dir);
  t.after(() => host.close());
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(host.url);
  await page.waitForSelector('[data-ready]');
  const kept = await offlineReady(page);
  return { dir, host, context, page, kept };
}

test('after one visit the app works with the network cut', async (t) => {
  const { host, context, kept } = await firstVisit(t);
  assert.ok(kept.files.some((path) => /portolan-engine-[0-9a-f]{16}_bg\.wasm$/.test(path)), `the engine is kept: ${kept.files}`);
  assert.ok(kept.files.includes('/index.html'));
  // The host goes away and the browser goes offline.
  host.close();
  await context.setOffline(true);
  const offline = await context.newPage();
  await offline.goto(`${host.url}?email=someone%40fastmail.com&client=thunderbird`);
  await offline.waitForSelector('#result-heading');
  const server = await offline.locator('#incoming tr', { hasText: 'Server' }).locator('code').textContent();
  assert.equal(server.trim(), 'imap.fastmail.com', 'the knowledge base answers offline');
  await offline.screenshot({ path: join(artifactDir(), 'offline-result-1280.png'), fullPage: true });
  await context.close();
});

/**
 * Turns the copy in `dir` into what the next build would be: the engine worker's files under a
 * new version, index.html and the service worker naming them. Returns both loaders' names.
 */
function deployNextBuild(dir) {
  const files = readdirSync(dir);
  const loader = files.find((name) => /^portolan-engine_loader-[0-9a-f]{16}\.js$/.test(name));
  const version = loader.match(/-([0-9a-f]{16})\.js$/)[1];
  const next = [...version].reverse().join('') === version ? 'f'.repeat(16) : [...version].reverse().join('');
  for (const name of files.filter((name) => name.startsWith('portolan-engine') && name.includes(version))) {
    renameSync(join(dir, name), join(dir, name.replace(version, next)));
  }
  const nextLoader = loader.replace(version, next);
  for (const name of [nextLoader, 'index.html', 'sw.js']) {
    const text = readFileSync(join(dir, name), 'utf8').replaceAll(version, next);
    writeFileSync(join(dir, name), name === 'sw.js' ? text.replace(/const VERSION = '([0-9a-f]+)'/, "const VERSION = 'next$1'") : text);
  }
  return { loader, nextLoader };
}

test('a new build is picked up on the next visit, never mixed with the old one', async (t) => {
  const { dir, host, context, page } = await firstVisit(t);
  // The worker took the page that installed it: whatever that page loads from now on comes
  // from its own build's cache, even across the deploy below.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const { loader, nextLoader } = deployNextBuild(dir);
  const requested = [];
  const failed = [];
  // The page's own requests, not the new service worker's install fetching every file.
  context.on('request', (request) => {
    if (!request.serviceWorker()) requested.push(new URL(request.url()).pathname);
  });
  // (A static host is no relay, and this one has no preset: its 404 for /healthz and for
  // portolan.json are the expected answers.)
  context.on('response', (response) => {
    const expected = /\/(healthz|portolan\.json)$/.test(new URL(response.url()).pathname);
    if (!response.ok() && !expected) failed.push(response.url());
  });
  await page.reload();
  await page.waitForSelector('[data-ready]');
  assert.equal(await page.locator('meta[name="portolan-worker"][data-for="./portolan-engine_loader.js"]').getAttribute('content'),
    `./${nextLoader}`, 'the visit after the update gets the new page');
  await page.getByLabel('Your email address or domain').fill('alice@example.com');
  await page.locator('#domain-found').waitFor();
  assert.ok(requested.includes(`/${nextLoader}`), 'the new page starts the new engine worker');
  assert.ok(!requested.includes(`/${loader}`), 'and never the old one');
  assert.deepEqual(failed, [], 'no file is missing');
  // The new service worker installs beside the old one; once no old page is open, it takes
  // over and the old build's files are gone.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update().catch(() => {});
    const worker = registration.installing ?? registration.waiting;
    if (worker && worker.state !== 'installed' && worker.state !== 'activated') {
      await new Promise((resolve) => worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' || worker.state === 'activated') resolve();
      }));
    }
  });
  await page.close();
  const later = await context.newPage();
  await later.goto(host.url);
  await later.waitForSelector('[data-ready]');
  const left = await later.evaluate(async () => {
    for (let tries = 0; tries < 100; tries += 1) {
      const names = (await caches.keys()).filter((name) => name.startsWith('portolan-'));
      if (names.length === 1 && names[0].startsWith('portolan-next')) return names;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return caches.keys();
  });
  assert.equal(left.length, 1, `only the new build's cache is left: ${left}`);
  assert.match(left[0], /^portolan-next/);
  host.close();
  await context.setOffline(true);
  const offline = await context.newPage();
  const offlineRequests = [];
  offline.on('request', (request) => offlineRequests.push(new URL(request.url()).pathname));
  await offline.goto(host.url);
  await offline.getByLabel('Your email address or domain').fill('alice@example.com');
  await offline.locator('#domain-found').waitFor();
  assert.ok(offlineRequests.includes(`/${nextLoader}`), 'offline, the new build runs from the new cache');
  await context.close();
});
