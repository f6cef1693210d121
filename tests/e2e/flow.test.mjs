// The whole assistant, end to end: address → client → explained result, in real Chromium,
// against the release build and a real DoH server (dnsdist + unbound) on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { launch, openApp, appUrl, dohUrl, secondDohUrl, standInResolver, artifactDir, axeViolations, serveDistStatically, downloadText } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const useTestResolver = () => `custom:${dohUrl()}`;

/**
 * Types the address and waits for the result. Thunderbird is the app suggested for this
 * (Linux) browser, so the address leads straight to its result; another app is then picked
 * from the full list, one click away, by searching for it.
 */
async function runFlow(page, address, clientSearch, clientId) {
  const field = page.getByLabel('Your email address or domain');
  await field.fill(address);
  await page.getByRole('button', { name: 'Find settings' }).click();
  await page.waitForSelector('#result-client');
  if (clientId !== 'thunderbird') {
    await page.getByRole('button', { name: 'Change mail app' }).click();
    await page.getByLabel('Search mail apps').fill(clientSearch);
    await page.locator(`#client-${clientId}`).check();
    await page.getByRole('button', { name: 'Show my settings' }).click();
  }
  await page.waitForFunction((id) => document.querySelector('#result-client')?.value === id
    && document.querySelector('[data-result-ready="true"] #result-heading'), clientId);
}

/** The text of the result's QR code, read back from its pixels with jsQR. */
async function decodeQr(page) {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8'));
  return page.evaluate(async () => {
    const svg = document.querySelector('#qr svg').outerHTML;
    const image = new Image();
    image.src = `data:image/svg+xml,${encodeURIComponent(svg)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 400;
    canvas.height = 400;
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, 400, 400);
    context.drawImage(image, 0, 0, 400, 400);
    const pixels = context.getImageData(0, 0, 400, 400);
    return window.jsQR(pixels.data, 400, 400)?.data ?? null;
  });
}

/** The value of one row of a settings table. */
async function cell(page, role, name) {
  return (await page.locator(`#${role} tr`, { hasText: name }).locator('code').textContent()).trim();
}

const clients = [
  { id: 'thunderbird', search: 'thunder', name: 'Thunderbird', screenshot: 'result-desktop' },
  { id: 'ios-mail', search: 'iphone', name: 'iPhone', screenshot: 'result-mobile' },
  { id: 'neomutt', search: 'neomutt', name: 'neomutt', screenshot: 'result-terminal' },
];

for (const client of clients) {
  test(`custom domain found through SRV, set up for ${client.id}`, async () => {
    const viewport = client.id === 'ios-mail' ? { width: 375, height: 800 } : { width: 1280, height: 900 };
    const { page, context, external } = await openApp(browser, { viewport, resolver: useTestResolver() });
    await runFlow(page, 'alice@srvmail.test', client.search, client.id);
    assert.equal(await cell(page, 'incoming', 'Server'), 'mail.srvmail.test');
    assert.equal(await cell(page, 'incoming', 'Port'), '993');
    assert.match(await cell(page, 'incoming', 'Security'), /SSL\/TLS/);
    assert.equal(await cell(page, 'incoming', 'Username'), 'alice@srvmail.test');
    assert.equal(await cell(page, 'outgoing', 'Server'), 'mail.srvmail.test');
    assert.equal(await cell(page, 'outgoing', 'Port'), '465');
    // Nothing to act on: "Before you start" stays away, and what is good to know is under Why.
    assert.equal(await page.locator('.warnings').count(), 0, 'no "Before you start" without something to do');
    assert.match(await page.locator('#notes').textContent(), /does not offer POP3/, 'the "." SRV target is shown as a hard no');
    await page.locator('#why summary').click();
    assert.match(await page.locator('#why').textContent(), /SRV/);
    const whyIncoming = await page.locator('#why .why-role').first().locator('li').allTextContents();
    assert.equal(whyIncoming.filter((text) => /RFC 8314/.test(text)).length, 1, `implicit TLS is explained once: ${whyIncoming}`);
    assert.equal(whyIncoming.filter((text) => /^Found/.test(text.trim())).length, 1, `the source is named once: ${whyIncoming}`);
    const instructions = await page.locator('#instructions-text').textContent();
    assert.match(instructions, /mail\.srvmail\.test/);
    assert.ok(await page.locator('#download-mobileconfig').count() === 1, 'a .mobileconfig is offered');
    await page.locator('#lookups summary').click();
    const lookups = await page.locator('#lookups').textContent();
    assert.match(lookups, /_imaps\._tcp\.srvmail\.test/, 'each DNS lookup is listed');
    assert.match(lookups, /CORS/, 'a published file the browser may not read is reported honestly');
    if (client.id === 'neomutt') {
      assert.ok(await page.locator('#download-neomutt').count() === 1, 'the neomutt snippet is offered');
    }
    // Only the domain's autoconfig and PACC document and Thunderbird's ISP database service for the domain were
    // tried outside loopback (and blocked by the test), never with the address in them.
    for (const url of external) {
      assert.match(url, /^https:\/\/((autoconfig\.|ua-auto-config\.)?srvmail\.test\/|autoconfig\.thunderbird\.net\/v1\.1\/srvmail\.test$)/, url);
      assert.doesNotMatch(url, /alice/, 'the address never leaves the browser');
    }
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the result screen');
    await page.screenshot({ path: join(artifactDir(), `${client.screenshot}-${viewport.width}.png`), fullPage: true });
    await context.close();
  });
}

test('known provider with the resolver off (offline)', async () => {
  const { page, context, external } = await openApp(browser, { resolver: 'off' });
  await runFlow(page, 'someone@fastmail.com', 'thunder', 'thunderbird');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
  assert.equal(await cell(page, 'incoming', 'Port'), '993');
  assert.equal(await cell(page, 'outgoing', 'Server'), 'smtp.fastmail.com');
  assert.match(await page.locator('#notes').textContent(), /Lookups are off/);
  // Fastmail's own note on app passwords is the only word on signing in.
  const before = await page.locator('.warnings').textContent();
  assert.match(before, /Fastmail needs an app password/);
  assert.doesNotMatch(before, /needs OAuth2 sign-in .* or an app password; your normal password may not work/);
  assert.deepEqual(external, [], 'offline means no request at all');
  await context.close();
});

test('a provider without IMAP says so instead of guessing', async () => {
  const { page, context } = await openApp(browser, { resolver: 'off' });
  await runFlow(page, 'someone@tuta.com', 'thunder', 'thunderbird');
  assert.match(await page.locator('#incoming').textContent(), /No usable server/);
  assert.match(await page.locator('.warnings').textContent(), /Tuta offers no IMAP/);
  await context.close();
});

test('a domain that publishes JMAP, CalDAV and CardDAV shows them and puts them in the profile', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver() });
  await runFlow(page, 'ann@services.test', 'iphone', 'ios-mail');
  assert.equal(await cell(page, 'incoming', 'Server'), 'mail.services.test');
  const services = page.locator('#services');
  await services.waitFor();
  const text = await services.textContent();
  assert.match(text, /JMAP/);
  assert.match(text, /https:\/\/jmap\.services\.test\/\.well-known\/jmap/);
  assert.match(text, /https:\/\/dav\.services\.test\/dav\/calendars\//);
  assert.match(text, /CardDAV/);
  // The profile the iPhone installs carries the calendar and the contacts.
  const body = await downloadText(page, '#download-mobileconfig');
  assert.match(body, /com\.apple\.caldav\.account/);
  assert.match(body, /com\.apple\.carddav\.account/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifactDir(), 'result-services.png'), fullPage: true });
  await context.close();
});

test('with a second opinion, resolvers that disagree are shown with both answers', async () => {
  // "Cloudflare, compared with Quad9": both public resolvers are stood in for by test
  // resolvers on loopback, the second told of another mail server for the domain.
  const { page, context, external } = await openApp(browser, { resolver: 'compared' });
  await standInResolver(context, 'https://cloudflare-dns.com/**', dohUrl());
  await standInResolver(context, 'https://dns.quad9.net/**', secondDohUrl());
  await runFlow(page, 'alice@srvmail.test', 'thunder', 'thunderbird');
  assert.equal(await cell(page, 'incoming', 'Server'), 'mail.srvmail.test');
  const warnings = await page.locator('.warnings').textContent();
  assert.match(warnings, /Two resolvers answer MX srvmail\.test differently/);
  assert.match(warnings, /https:\/\/cloudflare-dns\.com\/dns-query says MX 10 mail\.srvmail\.test/);
  assert.match(warnings, /https:\/\/dns\.quad9\.net\/dns-query says MX 10 mail\.srvmail\.test, MX 5 mx\.attacker\.example/);
  // The choice is in Settings, and nothing went to a real resolver.
  await page.locator('#settings summary').click();
  assert.ok(await page.locator('#resolver-compared').isChecked());
  assert.ok(external.every((url) => !/cloudflare-dns|quad9|dns\.google/.test(url)), external.join(' '));
  await context.close();
});

test('custom domain found through MX', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver() });
  await runFlow(page, 'bob@mxhosted.test', 'thunder', 'thunderbird');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
  await page.locator('#why summary').click();
  assert.match(await page.locator('#why').textContent(), /MX/);
  const warnings = await page.locator('.warnings').textContent();
  assert.match(warnings, /confirm that messagingengine\.com is your mail provider/);
  await context.close();
});

test('a provider only the imported ISPDB knows, found through MX, asks for confirmation first', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver() });
  await runFlow(page, 'dana@mxispdb.test', 'thunder', 'thunderbird');
  assert.equal(await cell(page, 'incoming', 'Server'), 'securemail.a1.net');
  const first = await page.locator('.warnings li').first().textContent();
  assert.match(first, /MX record \(mx\.relay\.a1\.net\)/, 'the confirmation comes first');
  assert.match(first, /confirm that a1\.net is your mail provider/);
  await page.locator('#lookups summary').click();
  const lookups = await page.locator('#lookups').textContent();
  assert.match(lookups, /ISPDB/, 'the live ISPDB question is listed');
  assert.match(lookups, /Thunderbird's ISP database/, 'and why the browser could not read it');
  await context.close();
});

test('an unreachable resolver degrades to the knowledge base and guesses', async () => {
  const { page, context } = await openApp(browser, { resolver: 'custom:http://127.0.0.1:9/dns-query' });
  await runFlow(page, 'carol@fastmail.com', 'thunder', 'thunderbird');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
  assert.match(await page.locator('.warnings').textContent(), /resolver could not be reached/);
  await context.close();
});

test('a resolver that hangs is reported as slow, then the app carries on without it', async () => {
  const { createServer } = await import('node:net');
  const sockets = [];
  const hanging = createServer((socket) => sockets.push(socket)); // accepts, never answers
  await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  try {
    const resolver = `custom:http://127.0.0.1:${hanging.address().port}/dns-query`;
    const { page, context } = await openApp(browser, { resolver });
    const field = page.getByLabel('Your email address or domain');
    await field.fill('henry@fastmail.com');
    await page.getByRole('button', { name: 'Find settings' }).click();
    await page.locator('#progress', { hasText: 'slow to answer' }).waitFor();
    await page.waitForSelector('#result-heading', { timeout: 15000 });
    assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
    assert.match(await page.locator('.warnings').textContent(), /did not answer in time/);
    await context.close();
  } finally {
    sockets.forEach((socket) => socket.destroy());
    hanging.close();
  }
});

test('a link prefills address and client, but never the resolver or servers', async () => {
  const query = '?email=dave%40fastmail.com&client=thunderbird&doh=http%3A%2F%2F127.0.0.1%3A9%2F&imap=evil.example';
  const { page, context, external } = await openApp(browser, { resolver: 'off', query });
  await page.waitForSelector('#result-heading');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
  assert.deepEqual(external, []);
  await context.close();
});

test('keyboard only: from the address to the result without a mouse', async () => {
  const { page, context } = await openApp(browser, { resolver: 'off' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'address', 'the field is the first stop');
  await page.keyboard.type('erin@fastmail.com');
  await page.keyboard.press('Enter');
  // The suggested app's result comes first; the app is changed from the keyboard too.
  await page.waitForSelector('#result-client');
  await page.getByRole('button', { name: 'Change mail app' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'result-client', 'the selector follows the steps');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#result-client').value !== 'thunderbird');
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
  const focusVisible = await page.evaluate(() => {
    const button = document.querySelector('button.copy');
    button.focus();
    return getComputedStyle(button).outlineStyle !== 'none';
  });
  assert.ok(focusVisible, 'focus is visible');
  await context.close();
});

test('two steps: address, then the result with the app as a selector; the full list one click away', async () => {
  const { page, context } = await openApp(browser, { resolver: 'off' });
  const seen = [];
  await page.exposeFunction('noteScreen', (id) => seen.push(id));
  await page.evaluate(() => new MutationObserver(() => {
    if (document.querySelector('#client-heading')) window.noteScreen('client');
  }).observe(document.body, { childList: true, subtree: true }));
  await page.getByLabel('Your email address or domain').fill('grace@fastmail.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  assert.deepEqual(seen, [], 'the client screen was never shown');
  assert.equal(await page.locator('#result-client').inputValue(), 'thunderbird', 'the app suggested for this device');
  assert.match(await page.locator('#result-heading').textContent(), /Thunderbird/);
  // The steps are an ordered list; each value to type is a token that copies itself.
  assert.ok(await page.locator('#steps > li').count() >= 4, 'a real ordered list');
  const token = page.locator('#steps button.token', { hasText: 'imap.fastmail.com' }).first();
  assert.equal(await token.getAttribute('aria-label'), 'Copy imap.fastmail.com');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await token.click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'imap.fastmail.com');
  assert.match(await token.textContent(), /✓/, 'and says it did');
  assert.match(await page.locator('#instructions-text').textContent(), /imap\.fastmail\.com/, 'the plain text stays');
  // The QR code, decoded back: the same result, with the phone choosing its own app.
  assert.equal(await decodeQr(page), `${appUrl()}?email=grace%40fastmail.com`);
  await page.selectOption('#result-client', 'ios-mail');
  await page.waitForFunction(() => /iPhone/.test(document.querySelector('[data-result-ready="true"] #result-heading')?.textContent ?? ''));
  assert.ok(await page.locator('#download-mobileconfig').count() === 1, 'the result follows the new app');
  assert.equal(await decodeQr(page), `${appUrl()}?email=grace%40fastmail.com&client=ios-mail`, 'a phone\'s app goes along');
  assert.deepEqual(await axeViolations(page), []);
  await page.getByRole('button', { name: 'Change mail app' }).click();
  await page.waitForSelector('#client-heading');
  assert.ok(await page.locator('#client-ios-mail').isChecked(), 'the full list knows the choice');
  await context.close();
});

test('client screen passes axe-core and is screenshotted', async () => {
  const { page, context } = await openApp(browser, { resolver: 'off', viewport: { width: 375, height: 800 } });
  await page.getByLabel('Your email address or domain').fill('frank@fastmail.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#result-client');
  await page.getByRole('button', { name: 'Change mail app' }).click();
  await page.waitForSelector('#client-heading');
  assert.deepEqual(await axeViolations(page), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
  await page.screenshot({ path: join(artifactDir(), 'client-375.png'), fullPage: true });
  await context.close();
});

test('a downloaded file equals the CLI output byte for byte', async () => {
  const cli = process.env.PORTOLAN_CLI;
  assert.ok(cli, 'PORTOLAN_CLI is set by cargo xtask test');
  const { page, context } = await openApp(browser, { resolver: useTestResolver() });
  await runFlow(page, 'alice@srvmail.test', 'thunder', 'thunderbird');
  const dir = mkdtempSync(join(tmpdir(), 'portolan-e2e-'));
  // One discovery by the CLI; every format is generated from it.
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, execFileSync(cli, ['discover', 'alice@srvmail.test', '--doh', dohUrl(), '--no-fetch', '--json']));
  for (const format of ['mobileconfig', 'autoconfig', 'autodiscover']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`#download-${format}`).click(),
    ]);
    const saved = join(dir, `${format}.browser`);
    await download.saveAs(saved);
    const fromCli = execFileSync(cli, ['generate', 'alice@srvmail.test', '--settings', settings, '--client', 'thunderbird', '--format', format]);
    assert.equal(readFileSync(saved).toString('utf8'), fromCli.toString('utf8'), `${format} differs`);
  }
  await context.close();
});

test('dist/ works from a sub-path of any static host, in the dark theme too', async () => {
  // A plain static server (not the relay) that serves dist/ under /help/mail/.
  const server = await serveDistStatically('/help/mail/');
  try {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 375, height: 800 } });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await context.addInitScript(() => localStorage.setItem('portolan.resolver', 'off'));
    const page = await context.newPage();
    await page.goto(`${server.url}?email=gina%40fastmail.com&client=ios-mail`);
    await page.waitForSelector('#result-heading');
    assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling on the result at 375 px');
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing in the dark theme');
    await page.screenshot({ path: join(artifactDir(), 'result-dark-375.png'), fullPage: true });
    await context.close();
  } finally {
    server.close();
  }
});
