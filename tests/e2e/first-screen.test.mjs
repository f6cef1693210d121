// The first screen, end to end: the release build served by the relay, in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, appUrl, artifactDir } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openApp(viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const external = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(appUrl())) external.push(request.url());
  });
  await page.goto(appUrl());
  await page.waitForSelector('[data-ready]');
  return { page, external };
}

test('a typed address is understood, submitted and screenshotted', async () => {
  const { page, external } = await openApp();
  await assert.doesNotReject(page.getByRole('heading', { name: 'Portolan' }).waitFor());
  await page.getByLabel('Your email address or domain').fill('jörg@bücher.example');
  await page.getByRole('button', { name: 'Find settings' }).click();
  const found = await page.locator('#domain-found').textContent();
  assert.match(found, /bücher\.example/);
  assert.match(found, /xn--bcher-kva\.example/);
  assert.match(await page.locator('#status').textContent(), /Ready to look up/);
  assert.deepEqual(external, [], 'no request leaves the app\'s own origin');
  await page.screenshot({ path: join(artifactDir(), 'first-screen-1280.png'), fullPage: true });
  await page.close();
});

test('bad input gets a specific error and the text is kept', async () => {
  const { page } = await openApp({ width: 375, height: 740 });
  const field = page.getByLabel('Your email address or domain');
  await field.fill('alice@192.0.2.1');
  await field.press('Enter');
  const error = page.getByRole('alert');
  assert.match(await error.textContent(), /IP address/);
  assert.equal(await field.inputValue(), 'alice@192.0.2.1');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
  await page.screenshot({ path: join(artifactDir(), 'first-screen-error-375.png'), fullPage: true });
  await page.close();
});
