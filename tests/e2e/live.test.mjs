// Live checks, end to end: the release build served by the relay (with `--allow-private` on
// loopback, only in tests), a real DoH test zone whose mail hosts point at real dovecot and
// postfix (well configured and flawed), the probe worker in real Chromium, TLS inside it.
// The servers and records are started by `cargo xtask test` (xtask/src/live_world.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openApp, dohUrl, artifactDir, axeViolations, serveDistStatically, downloadText } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const resolver = () => `custom:${dohUrl()}`;
const password = () => {
  const secret = process.env.PORTOLAN_LIVE_PASSWORD;
  if (!secret) throw new Error('PORTOLAN_LIVE_PASSWORD is not set: run through `cargo xtask test e2e`');
  return secret;
};
const recording = () => {
  const base = process.env.PORTOLAN_LIVE_RECORD;
  if (!base) throw new Error('PORTOLAN_LIVE_RECORD is not set: run through `cargo xtask test e2e`');
  return { up: `${base}.up`, down: `${base}.down` };
};

/** Address → result (Thunderbird), waiting until the relay is known. */
async function resultFor(page, address) {
  await page.getByLabel('Your email address or domain').fill(address);
  await page.getByRole('button', { name: 'Find settings' }).click();
  // Thunderbird, suggested for this browser: straight to its result.
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  await page.waitForSelector('#live-check #relay-in-use, #live-check #no-relay');
}

/** Clicks "Check these servers" and waits until no check runs. */
async function checkServers(page) {
  await page.locator('#check-servers').click();
  await page.waitForSelector('#live-runs .live-run');
  await page.waitForFunction(() => document.querySelectorAll('#live-runs [data-run-state="running"]').length === 0
    && document.querySelector('#check-servers') !== null, null, { timeout: 30000 });
}

async function cell(page, role, name) {
  return (await page.locator(`#${role} tr`, { hasText: name }).locator('code').textContent()).trim();
}

const findings = (page) => page.locator('#live-runs [data-finding]').evaluateAll((items) => items.map((item) => item.dataset.finding));

test('a good domain: both servers check out, with TLS and certificate shown', async () => {
  for (const viewport of [{ width: 1280, height: 1000 }, { width: 375, height: 900 }]) {
    const { page, context, external } = await openApp(browser, { viewport, resolver: resolver() });
    const requested = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await resultFor(page, 'alice@good.live.test');
    assert.deepEqual(requested.filter((path) => path.includes('portolan-probe-worker')), [],
      'the probe worker is not fetched before the user asks for a check');
    await checkServers(page);
    assert.ok(requested.some((path) => /\/portolan-probe-worker-[0-9a-f]{16}_bg\.wasm$/.test(path)),
      `the probe worker was fetched for the check: ${requested}`);
    const runs = page.locator('#live-runs .live-run');
    assert.equal(await runs.count(), 2, 'one line per recommended server');
    const text = await page.locator('#live-runs').textContent();
    assert.match(text, /Grade [AB]/);
    assert.match(text, /TLS: TLSv1\.3, TLS13_/);
    assert.match(text, /Certificate: CN=localhost \(names localhost, 127\.0\.0\.1[^)]*\), issued by CN=Portolan Test CA, expires in \d+ days/);
    assert.equal(await cell(page, 'incoming', 'Server'), 'localhost');
    await page.locator('#why summary').click();
    assert.match(await page.locator('#why').textContent(), /live check connected, completed TLS/);
    // Only the domain's published autoconfig and the ISP database service for the domain were
    // tried outside loopback (and blocked by the test); no check went anywhere but the relay.
    for (const url of external) {
      assert.match(url, /^https:\/\/((autoconfig\.|ua-auto-config\.)?good\.live\.test\/|autoconfig\.thunderbird\.net\/v1\.1\/good\.live\.test$)/, url);
    }
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing with the live check shown');
    await page.locator('#live-check').screenshot({ path: join(artifactDir(), `live-check-${viewport.width}.png`) });
    if (viewport.width === 375) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
    }
    await context.close();
  }
});

test('an expired certificate and a wrong name are findings, and the server is not recommended', async () => {
  for (const [address, finding] of [
    ['alice@expired.live.test', 'certificate-expired'],
    ['alice@wrongname.live.test', 'certificate-name-mismatch'],
  ]) {
    const { page, context } = await openApp(browser, { resolver: resolver() });
    await resultFor(page, address);
    await checkServers(page);
    const found = await findings(page);
    assert.ok(found.includes(finding), `${address}: ${found}`);
    assert.match(await page.locator('#live-runs').textContent(), /Grade F/);
    await page.waitForFunction(() => /No usable server/.test(document.querySelector('#incoming')?.textContent ?? ''));
    await page.locator('#alternatives summary').click();
    assert.match(await page.locator('#alternatives').textContent(), /localhost/, 'the server is listed as not usable');
    await context.close();
  }
});

test('a pasted certificate error is explained in the user\'s own settings, and its live check confirms it', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@expired.live.test');
  const host = await cell(page, 'incoming', 'Server');
  await page.locator('#trouble summary').click();
  await page.getByLabel('Paste what your mail app said: the error message, a code or a log line.')
    .fill(`${host}:993 uses an invalid security certificate. Error code: SEC_ERROR_EXPIRED_CERTIFICATE`);
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForSelector('#trouble-answer .trouble-match');
  const answer = await page.locator('#trouble-answer').textContent();
  assert.match(answer, /Certificate expired/);
  assert.match(answer, new RegExp(`In your settings: .*incoming server is ${host}`), answer);
  assert.match(answer, new RegExp(`Check ${host}:\\d+ live now`), answer);
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the troubleshooter with a result');
  await page.locator('#trouble').screenshot({ path: join(artifactDir(), 'trouble-result.png') });
  // The offered check is the live check, and it finds the expired certificate.
  await page.locator('#trouble-answer').getByRole('button', { name: 'Check these servers' }).first().click();
  await page.waitForSelector('#live-runs .live-run');
  await page.waitForFunction(() => document.querySelectorAll('#live-runs [data-run-state="running"]').length === 0
    && document.querySelector('#check-servers') !== null, null, { timeout: 30000 });
  assert.ok((await findings(page)).includes('certificate-expired'));
  await context.close();
});

test('a port that does not answer stops being recommended; its alternative is checked and takes its place', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@dead.live.test');
  const before = await cell(page, 'incoming', 'Port');
  await checkServers(page);
  await page.waitForFunction((port) => {
    const cells = [...document.querySelectorAll('#incoming tr')].find((row) => /Port/.test(row.textContent));
    return cells && !cells.textContent.includes(port);
  }, before, { timeout: 30000 });
  const after = await cell(page, 'incoming', 'Port');
  assert.notEqual(after, before);
  await page.waitForFunction(() => document.querySelectorAll('#live-runs .live-run').length === 3
    && document.querySelectorAll('#live-runs [data-run-state="running"]').length === 0, null, { timeout: 30000 });
  const text = await page.locator('#live-runs').textContent();
  assert.match(text, new RegExp(`localhost:${before} .*Not reachable`));
  assert.match(text, new RegExp(`localhost:${after} .*Grade`));
  await context.close();
});

test('a STARTTLS-only domain: checked, a login that succeeds, and the relay never saw plaintext', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@example.test');
  await checkServers(page);
  const text = await page.locator('#live-runs').textContent();
  assert.match(text, /IMAP localhost:\d+ \(STARTTLS\)/);
  assert.match(text, /TLS: TLSv1\.3/);
  // From here on, only the login test's session crosses the recording proxy.
  const record = recording();
  writeFileSync(record.up, '');
  writeFileSync(record.down, '');
  const field = page.locator('#login-password');
  await field.fill(password());
  const button = page.getByRole('button', { name: 'Test login' });
  assert.ok(await button.isDisabled(), 'no password to a server outside the domain before the user confirms it');
  await page.locator('#login-confirm').check();
  await button.click();
  assert.equal(await field.inputValue(), '', 'the field is emptied at once');
  await page.locator('.login-result', { hasText: 'Login succeeded' }).waitFor({ timeout: 20000 });
  assertBlind(readFileSync(record.up), password());
  await context.close();
});

/**
 * What the relay forwarded towards the server during the login test: a plaintext IMAP
 * STARTTLS and nothing else readable. After the STARTTLS line every byte must be TLS records
 * (and the password must appear nowhere).
 */
function assertBlind(up, secret) {
  assert.ok(up.length > 0, 'the recording proxy saw the session');
  assert.equal(up.indexOf(Buffer.from(secret)), -1, 'the password never crossed the relay readable');
  const marker = Buffer.from(' STARTTLS\r\n');
  const at = up.indexOf(marker);
  assert.ok(at > 0, `the session started with a plaintext STARTTLS: ${up.subarray(0, 64)}`);
  const plaintext = up.subarray(0, at + marker.length).toString('latin1');
  assert.match(plaintext, /^p\d+ STARTTLS\r\n$/, `only STARTTLS was said in plaintext: ${JSON.stringify(plaintext)}`);
  let offset = at + marker.length;
  let records = 0;
  while (offset < up.length) {
    const [type, major] = [up[offset], up[offset + 1]];
    assert.ok(type >= 20 && type <= 23 && major === 3, `a TLS record at byte ${offset}, not ${JSON.stringify(up.subarray(offset, offset + 16).toString('latin1'))}`);
    const length = up.readUInt16BE(offset + 3);
    offset += 5 + length;
    records += 1;
  }
  assert.equal(offset, up.length, 'the stream ends on a record boundary');
  assert.ok(records >= 3, `the login went through TLS records (${records})`);
}

test('a login that fails says so in the server\'s words', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'nobody@good.live.test');
  await page.locator('#login-password').fill('not-the-password');
  await page.locator('#login-confirm').check();
  await page.getByRole('button', { name: 'Test login' }).click();
  const result = page.locator('.login-result');
  await result.waitFor({ timeout: 20000 });
  assert.match(await result.textContent(), /Login failed: NO \[AUTHENTICATIONFAILED\]/);
  await context.close();
});

test('a guess-only domain: the guesses are probed and the ones that answer are kept', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@guess.live.test');
  await page.waitForSelector('#probed-guesses li', { timeout: 30000 });
  const probed = await page.locator('#probed-guesses li').evaluateAll((items) => items.map((item) => [item.textContent, item.dataset.confirmed]));
  const confirmed = probed.filter(([, ok]) => ok === 'true').map(([text]) => text.split(' ')[0]);
  assert.deepEqual(confirmed.sort(), ['imap.guess.live.test:993', 'smtp.guess.live.test:465'], JSON.stringify(probed));
  assert.ok(probed.length > confirmed.length, 'the guesses that did not answer are listed too');
  assert.equal(await cell(page, 'incoming', 'Server'), 'imap.guess.live.test');
  assert.equal(await cell(page, 'outgoing', 'Server'), 'smtp.guess.live.test');
  const warnings = (await page.locator('.warnings').count()) ? await page.locator('.warnings').textContent() : '';
  assert.doesNotMatch(warnings, /guesses from common server names and are unverified/, 'confirmed guesses are not called unverified');
  await context.close();
});

test('the relay refusing a port is reported, and the rest of the page carries on', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@refused.live.test');
  await checkServers(page);
  const text = await page.locator('#live-runs').textContent();
  assert.match(text, /Not reachable/);
  assert.match(text, /relay refused the session or could not be reached/);
  assert.match(text, /SMTP localhost:\d+ \(SSL\/TLS \(implicit TLS\)\) Grade [AB]/, 'the other server still checks out');
  await context.close();
});

test('with no relay the panel says what it would need, and nothing else is held back', async () => {
  const server = await serveDistStatically();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await context.addInitScript(() => localStorage.setItem('portolan.resolver', 'off'));
    const page = await context.newPage();
    await page.goto(`${server.url}?email=gina%40fastmail.com&client=thunderbird&relay=ws%3A%2F%2F127.0.0.1%3A9%2F`);
    await page.waitForSelector('#no-relay');
    assert.match(await page.locator('#no-relay').textContent(), /portolan-relay --static dist\//);
    assert.equal(await page.locator('#check-servers').count(), 0, 'no check without a relay; a URL parameter sets none');
    assert.equal(await cell(page, 'incoming', 'Server'), 'imap.fastmail.com', 'the result is all there');
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the panel without a relay');
    await page.locator('#live-check').screenshot({ path: join(artifactDir(), 'live-no-relay-1280.png') });
    await context.close();
  } finally {
    server.close();
  }
});

test('a silent server: the check can be cancelled, and otherwise times out with a clear message', async () => {
  const { page, context } = await openApp(browser, { resolver: resolver() });
  await resultFor(page, 'alice@slow.live.test');
  await page.locator('#check-servers').click();
  await page.locator('#live-runs [data-run-state="running"]').first().waitFor();
  await page.locator('#cancel-checks').click();
  await page.waitForSelector('#check-servers');
  const states = await page.locator('#live-runs .live-run').evaluateAll((items) => items.map((item) => item.dataset.runState));
  assert.ok(states.includes('cancelled') && !states.includes('running'), `${states}`);
  await page.locator('#check-servers').click();
  await page.waitForFunction(() => document.querySelectorAll('#live-runs [data-run-state="running"]').length === 0
    && document.querySelector('#check-servers') !== null, null, { timeout: 30000 });
  const found = await findings(page);
  assert.ok(found.includes('no-greeting'), `${found}`);
  assert.match(await page.locator('#live-runs').textContent(), /no answer within 8000 ms while waiting for the greeting/);
  await context.close();
});

test('for providers: a domain audit, its live column, the JSON and the printed report', async () => {
  const { page, context, external } = await openApp(browser, { resolver: resolver() });
  await page.locator('#to-audit').click();
  await page.getByLabel('Domain', { exact: true }).fill('audit.live.test');
  await page.getByRole('button', { name: 'Run the audit' }).click();
  await page.waitForSelector('#audit-report');
  const status = (id) => page.locator(`#audit-body [data-item="${id}"]`).first().getAttribute('data-status');
  assert.equal(await status('spf-ok'), 'pass');
  assert.equal(await status('srv-published'), 'pass');
  assert.equal(await status('dmarc-policy-none'), 'warn');
  assert.equal(await status('mta-sts-missing'), 'warn');
  assert.equal(await status('ports-not-checked'), 'info');
  assert.match(await page.locator('#audit-summary').textContent(), /of 100 points/);
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the audit');
  await page.screenshot({ path: join(artifactDir(), 'audit-1280.png'), fullPage: true });

  // The live column: every port of the two named hosts, through the relay.
  await page.locator('#audit-check-ports').click();
  try {
    await page.waitForFunction(() => document.querySelector('#audit-body [data-item="ports-not-checked"]') === null
      && document.querySelector('#audit-body .audit-ports') !== null, null, { timeout: 60000 });
  } finally {
    await page.screenshot({ path: join(artifactDir(), 'audit-ports-1280.png'), fullPage: true });
  }
  const ports = await page.locator('#audit-body .audit-ports').textContent();
  assert.match(ports, /imap\.guess\.live\.test993IMAPGrade [ABC]/, ports);
  assert.match(ports, /smtp\.guess\.live\.test465SMTPGrade [ABC]/, ports);
  assert.match(ports, /imap\.guess\.live\.test143IMAPclosed/, ports);

  // The JSON is the report, item by item.
  const report = JSON.parse(await downloadText(page, '#audit-json'));
  assert.equal(report.domain, 'audit.live.test');
  assert.ok(report.items.length > 5);
  for (const item of report.items) {
    for (const field of ['id', 'status', 'severity', 'subject', 'message', 'fix']) {
      assert.equal(typeof item[field], 'string', `${field} in ${JSON.stringify(item)}`);
    }
  }
  assert.ok(report.ports.some((port) => port.open && port.host === 'imap.guess.live.test' && port.port === 993));
  assert.ok(report.publish.some((file) => file.name === 'security-zone'));

  // Printed, only the report remains.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.audit-form').isVisible(), false, 'the form is not printed');
  assert.equal(await page.locator('#audit-check-ports').isVisible(), false, 'buttons are not printed');
  assert.equal(await page.locator('#audit-body').isVisible(), true);
  await page.pdf({ path: join(artifactDir(), 'audit-print.pdf') });
  await page.emulateMedia({ media: 'screen' });

  // Outside loopback, only the domain's own files and Thunderbird's ISP database were tried.
  for (const url of external) {
    assert.match(url, /^https:\/\/((autoconfig\.|mta-sts\.|ua-auto-config\.)?audit\.live\.test\/|autoconfig\.thunderbird\.net\/v1\.1\/audit\.live\.test$)/, url);
  }
  await context.close();
});
