// Embedding, end to end: a provider hosts dist/ with a preset (portolan.json) and puts the
// example page of examples/embed.html on its help site, on another origin. The frame is
// branded and compact, lookups are off, the provider's servers win, and the parent page gets
// the events (ready, height, result shown, file downloaded), and only when it is the origin the
// preset names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, distDir, serveDistStatically, artifactDir, axeViolations } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const EXAMPLE = fileURLToPath(new URL('../../examples/embed.html', import.meta.url));

/** dist/ with `preset` as its portolan.json, served on a loopback port of its own. */
async function hostWithPreset(t, preset) {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-embed-'));
  cpSync(distDir(), dir, { recursive: true });
  writeFileSync(join(dir, 'portolan.json'), typeof preset === 'string' ? preset : JSON.stringify(preset, null, 2));
  const host = await serveDistStatically('/', dir);
  t.after(() => host.close());
  return host;
}

/** The example help page, pointed at `appUrl`, on a loopback port of its own. */
async function helpPage(t, appUrl) {
  const page = readFileSync(EXAMPLE, 'utf8')
    .replace("new URL('https://mail-help.example/portolan/')", `new URL('${appUrl}')`);
  assert.notEqual(page, readFileSync(EXAMPLE, 'utf8'), 'the example names Portolan\'s URL in one place');
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(page);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.close(); server.closeAllConnections(); });
  return `http://127.0.0.1:${server.address().port}/`;
}

/** A port nobody listens on yet, for the help page's origin to be known before it starts. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function presetFor(parentOrigin) {
  return {
    version: 1,
    provider: {
      name: 'Example Mail',
      logo: 'icon.svg',
      help: [{ label: 'Example Mail help centre', url: 'https://help.example.com/mail' }],
    },
    theme: { accent: '#7a1fa2', 'accent-text': '#ffffff' },
    domains: ['embedded.test'],
    servers: {
      incoming: [{ protocol: 'imap', host: 'imap.embedded.test', port: 993, security: 'tls' }],
      outgoing: [{ protocol: 'smtp', host: 'smtp.embedded.test', port: 465, security: 'tls' }],
    },
    lookups: false,
    embed: { 'parent-origin': parentOrigin },
  };
}

/** Opens the help page and records every message its window receives. */
async function openHelpPage(url, external) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname !== '127.0.0.1') { external.push(route.request().url()); return route.abort('blockedbyclient'); }
    return route.continue();
  });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
    if (window.parent !== window) return;
    window.__messages = [];
    addEventListener('message', (event) => window.__messages.push({ origin: event.origin, data: event.data }));
  });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

const messages = (page) => page.evaluate(() => window.__messages);
const types = async (page) => (await messages(page)).map((message) => message.data.type);

test('a provider embeds Portolan with a preset: branded, compact, its servers, no lookups, and events for its page', async (t) => {
  const parentPort = await freePort();
  const host = await hostWithPreset(t, presetFor(`http://127.0.0.1:${parentPort}`));
  const page = readFileSync(EXAMPLE, 'utf8').replace("new URL('https://mail-help.example/portolan/')", `new URL('${host.url}')`);
  const server = createServer((request, response) => { response.writeHead(200, { 'content-type': 'text/html' }); response.end(page); });
  await new Promise((resolve) => server.listen(parentPort, '127.0.0.1', resolve));
  t.after(() => { server.close(); server.closeAllConnections(); });

  const external = [];
  const { context, page: parent } = await openHelpPage(`http://127.0.0.1:${parentPort}/?email=ann%40embedded.test&client=thunderbird`, external);
  t.after(() => context.close());
  const frame = parent.frameLocator('#portolan');
  await frame.locator('[data-result-ready="true"] #result-heading').waitFor();
  await parent.waitForFunction(() => window.__messages.some((m) => m.data.type === 'portolan:result-shown'));

  // Branded and compact.
  assert.equal((await frame.locator('#brand .brand-name').textContent()).trim(), 'Example Mail');
  assert.equal(await frame.locator('#brand img').getAttribute('src'), 'icon.svg');
  assert.equal(await frame.locator('#brand-help a').getAttribute('href'), 'https://help.example.com/mail');
  const masthead = await frame.locator('.masthead').evaluate((node) => node.getBoundingClientRect().height);
  assert.ok(masthead <= 1, 'no site chrome with embed=1 (its heading kept for screen readers)');
  const accent = await frame.locator('html').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  assert.equal(accent, '#7a1fa2', 'the theme reaches the CSS custom properties');

  // The provider's servers win, and say so; nothing was looked up.
  const incoming = await frame.locator('#incoming').textContent();
  assert.match(incoming, /imap\.embedded\.test/);
  assert.match(await frame.locator('#outgoing').textContent(), /smtp\.embedded\.test/);
  await frame.locator('#why summary').click();
  assert.match(await frame.locator('#why').textContent(), /Example Mail names this server for embedded\.test/);
  await frame.locator('#settings summary').click();
  assert.match(await frame.locator('#lookups-off').textContent(), /turned network lookups off/);
  assert.ok(await frame.locator('#resolver-cloudflare').isDisabled(), 'the resolver cannot be switched back on');
  assert.deepEqual(external, [], 'no request left loopback: lookups are off');
  assert.doesNotMatch(await frame.locator('#main').textContent(), /Lookups are off/,
    'the site named every server: no warning about where they come from');

  // The events, to the preset's origin only, in a documented shape. (Once the frame has the
  // height Portolan last reported: nothing is still on its way.)
  await parent.waitForFunction(() => {
    const heights = window.__messages.filter((m) => m.data.type === 'portolan:height');
    const frame = document.getElementById('portolan').getBoundingClientRect().height;
    return heights.length > 0 && Math.abs(frame - heights.at(-1).data.height) <= 1;
  });
  const seen = await messages(parent);
  for (const message of seen) {
    assert.equal(message.origin, new URL(host.url).origin, 'every event comes from Portolan\'s origin');
    assert.equal(message.data.source, 'portolan');
  }
  const kinds = seen.map((message) => message.data.type);
  assert.ok(kinds.indexOf('portolan:ready') >= 0 && kinds.indexOf('portolan:ready') < kinds.indexOf('portolan:result-shown'), `${kinds}`);
  assert.equal(seen.find((m) => m.data.type === 'portolan:result-shown').data.client, 'thunderbird');
  const heights = seen.filter((m) => m.data.type === 'portolan:height').map((m) => m.data.height);
  assert.ok(heights.length >= 1 && heights.every((h) => Number.isInteger(h) && h > 0), `${heights}`);
  // The example page's snippet sized the frame to the last height.
  const frameHeight = await parent.locator('#portolan').evaluate((node) => node.getBoundingClientRect().height);
  assert.ok(Math.abs(frameHeight - heights.at(-1)) <= 1, `frame ${frameHeight} px, Portolan said ${heights.at(-1)}`);
  assert.equal(await parent.locator('#portolan-status').isVisible(), true, 'the help page reacted to the result');

  // A download is an event too.
  const [download] = await Promise.all([parent.waitForEvent('download'), frame.locator('a.download[download]').first().click()]);
  await parent.waitForFunction(() => window.__messages.some((m) => m.data.type === 'portolan:file-downloaded'));
  const downloaded = (await messages(parent)).find((m) => m.data.type === 'portolan:file-downloaded').data.file;
  assert.equal(downloaded, download.suggestedFilename());

  const framePage = parent.frames().find((candidate) => candidate !== parent.mainFrame());
  assert.deepEqual(await framePage.evaluate(() => window.__violations), [],
    'the branded, embedded app keeps to its Content-Security-Policy');
  assert.deepEqual(await axeViolations(framePage), [], 'axe-core finds nothing in the embedded, branded app');
  await parent.screenshot({ path: join(artifactDir(), 'embedded-1280.png'), fullPage: true });
  await parent.setViewportSize({ width: 375, height: 800 });
  await parent.waitForTimeout(300);
  await parent.screenshot({ path: join(artifactDir(), 'embedded-375.png'), fullPage: true });
});

test('a page on another origin gets no events, however it frames Portolan', async (t) => {
  const host = await hostWithPreset(t, presetFor('https://help.example.com'));
  const url = await helpPage(t, host.url);
  const { context, page } = await openHelpPage(`${url}?email=ann%40embedded.test&client=thunderbird`, []);
  t.after(() => context.close());
  await page.frameLocator('#portolan').locator('[data-result-ready="true"] #result-heading').waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await types(page), [], 'nothing is posted to an origin the preset does not name');
});

test('a preset with a mistake is named on the page, and Portolan runs without it', async (t) => {
  const broken = JSON.stringify({ version: 1, theme: { accent: 'red; background: url(https://evil.example/)' } });
  const host = await hostWithPreset(t, broken);
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${host.url}?email=someone%40fastmail.com&client=thunderbird`);
  await page.locator('#preset-error').waitFor();
  assert.match(await page.locator('#preset-error').textContent(), /theme\.accent/);
  await page.locator('[data-result-ready="true"] #result-heading').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-portolan-brand'), null, 'no branding is handed on');
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  assert.equal(accent, '#0b5cad', 'the stylesheet\'s own colour stays');
});
