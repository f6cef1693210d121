// The first screen, end to end: the release build served by the relay, in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, openApp, artifactDir, axeViolations } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a typed address is understood and shown in both forms', async () => {
  const { page, context, external } = await openApp(browser);
  await assert.doesNotReject(page.getByRole('heading', { name: 'Portolan' }).waitFor());
  await page.getByLabel('Your email address or domain').fill('jörg@bücher.example');
  const found = await page.locator('#domain-found').textContent();
  assert.match(found, /bücher\.example/);
  assert.match(found, /xn--bcher-kva\.example/);
  assert.deepEqual(external, [], 'no request leaves the app\'s own origin before a lookup');
  // The relay answers a missing portolan.json with the app's page: that is no preset, and no
  // error either.
  await page.waitForSelector('[data-preset-known="true"]');
  assert.equal(await page.locator('#preset-error').count(), 0, 'no preset is no error');
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the start screen');
  await page.screenshot({ path: join(artifactDir(), 'start-1280.png'), fullPage: true });
  await context.close();
});

test('bad input gets a specific error and the text is kept', async () => {
  const { page, context } = await openApp(browser, { viewport: { width: 375, height: 740 } });
  const field = page.getByLabel('Your email address or domain');
  await field.fill('alice@192.0.2.1');
  await field.press('Enter');
  const error = page.getByRole('alert');
  assert.match(await error.textContent(), /IP address/);
  assert.equal(await field.inputValue(), 'alice@192.0.2.1');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await field.fill('alice@example..com');
  await field.press('Enter');
  assert.match(await page.getByRole('alert').textContent(), /empty part between two dots/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing with an error shown');
  await page.screenshot({ path: join(artifactDir(), 'start-error-375.png'), fullPage: true });
  await context.close();
});

test('the troubleshooter on the start screen explains a pasted error, and keeps it', async () => {
  const { page, context } = await openApp(browser, { viewport: { width: 375, height: 900 } });
  await page.locator('#trouble summary').click();
  const field = page.getByLabel('Paste what your mail app said: the error message, a code or a log line.');
  const pasted = "Outlook: Receiving reported error (0x800CCC0E): 'Cannot connect to the server.'";
  await field.fill(pasted);
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForSelector('#trouble-answer .trouble-match');
  const answer = await page.locator('#trouble-answer').textContent();
  assert.match(answer, /0x800CCC0E/);
  assert.match(answer, /\(likely\)/);
  assert.match(answer, /Fix:/);
  assert.doesNotMatch(answer, /In your settings/, 'without a result the answer is not tied to settings');
  assert.match(await page.locator('#trouble').textContent(), /Look up your address first/);
  // Something nothing explains gets the honest answer and the checklist.
  await field.fill('my computer makes a funny noise');
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForFunction(() => /does not recognise/.test(document.querySelector('#trouble-answer')?.textContent ?? ''));
  assert.ok(await page.locator('#trouble-answer ol li').count() >= 3, 'the general checklist');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the troubleshooter');
  await page.screenshot({ path: join(artifactDir(), 'trouble-start-375.png'), fullPage: true });
  // What was pasted survives a trip through the address screen's flow.
  await page.getByLabel('Your email address or domain').fill('alice@example.com');
  assert.equal(await field.inputValue(), 'my computer makes a funny noise');
  await context.close();
});

test('the first screen loads only the page; the engine worker follows it', async () => {
  const { page, context } = await openApp(browser);
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.reload();
  await page.getByRole('heading', { name: 'Portolan' }).waitFor();
  const beforeFirstRender = await page.evaluate(() => {
    const mark = performance.getEntriesByName('portolan-first-render')[0];
    return performance.getEntriesByType('resource')
      .filter((entry) => entry.startTime < mark.startTime)
      .map((entry) => new URL(entry.name).pathname);
  });
  assert.ok(beforeFirstRender.some((path) => /portolan-app-[0-9a-f]+_bg\.wasm$/.test(path)),
    `the page's wasm is loaded first: ${beforeFirstRender}`);
  assert.deepEqual(beforeFirstRender.filter((path) => path.includes('portolan-engine')), [],
    'nothing of the engine is asked for before the first render');
  // The engine answers (the domain is understood), so the worker and its wasm did load.
  await page.getByLabel('Your email address or domain').fill('alice@example.com');
  await page.locator('#domain-found').waitFor();
  assert.ok(requested.some((path) => /\/portolan-engine-[0-9a-f]{16}_bg\.wasm$/.test(path)),
    `the worker's wasm was fetched: ${requested}`);
  await context.close();
});

test('without its engine the page says so and keeps what was typed', async () => {
  const { page, context } = await openApp(browser, { missing: ['portolan-engine'] });
  const field = page.getByLabel('Your email address or domain');
  await field.fill('alice@example.com');
  await field.press('Enter');
  await page.locator('#progress').getByText('could not start its lookup engine').waitFor();
  assert.equal(await field.inputValue(), 'alice@example.com', 'the typed text is kept');
  await context.close();
});

test('the page links none of the engine worker\'s or the probe worker\'s code', () => {
  // The page's wasm as rustc linked it (before wasm-bindgen and wasm-opt) still names every
  // function it contains, in Rust's mangled form (`_ZN13hickory_proto2rr…`): a path that
  // appears there is code in the first screen.
  const path = process.env.PORTOLAN_PAGE_WASM;
  assert.ok(path, 'PORTOLAN_PAGE_WASM is set by `cargo xtask test e2e`');
  const names = readFileSync(path).toString('latin1');
  const mangled = (...segments) => segments.map((segment) => `${segment.length}${segment}`).join('');
  assert.ok(names.includes(mangled('yew')) && names.includes(mangled('portolan_app', 'page', 'state', 'AppState')),
    'the function names are there to be read');
  for (const enginePath of [
    ['hickory_proto'], ['idna'], ['icu_normalizer'], ['roxmltree'],
    ['portolan_core', 'address', 'parse_domain'], ['portolan_core', 'dns'],
    ['portolan_core', 'discovery'], ['portolan_core', 'knowledge'], ['portolan_core', 'formats'],
    ['portolan_core', 'setup'], ['portolan_app', 'engine_worker'],
    ['qrcode'], ['portolan_core', 'preset'], ['portolan_core', 'link'], ['portolan_core', 'clients', 'instructions'],
    // The translation catalogue: the page carries its own words only.
    ['portolan_core', 'i18n'],
  ]) {
    assert.ok(!names.includes(mangled(...enginePath)),
      `the page contains ${enginePath.join('::')}: that belongs in the engine worker`);
  }
  for (const probePath of [['rustls'], ['webpki'], ['ring', 'aead'], ['portolan_probe'], ['portolan_app', 'probe_worker']]) {
    assert.ok(!names.includes(mangled(...probePath)),
      `the page contains ${probePath.join('::')}: that belongs in the probe worker`);
  }
});
