// German end to end: the language follows the browser, a link's `lang` and the reader's
// choice, and covers every word on every screen, the core's reasons and steps included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openApp, dohUrl, artifactDir, axeViolations as axe } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const useTestResolver = () => `custom:${dohUrl()}`;

/** English words that no German sentence contains: one of them means English was left. */
const ENGLISH = /\b(the|your|with|this|is|are|not|and|for|from|you|use|when|which|only|high|low|medium)\b/i;

/** The English left in `text`, sentence by sentence, for the failure message. */
function english(text) {
  return text.split(/(?<=[.!?:])\s+|\n/).map((part) => part.trim()).filter((part) => ENGLISH.test(part));
}

/** axe-core's violations, each with its elements, so a failure names them. */
async function axeViolations(page) {
  return (await axe(page)).map((violation) => JSON.stringify(violation));
}

async function textOf(page, selector) {
  const found = page.locator(selector);
  return (await found.count()) ? (await found.allTextContents()).join('\n') : '';
}

/** Opens every folded part of the result, so its text is there to read. */
async function unfold(page) {
  for (const summary of await page.locator('details summary').all()) {
    await summary.click();
  }
}

async function germanResult(page, address) {
  await page.getByLabel('Ihre E-Mail-Adresse oder Domain').fill(address);
  await page.getByRole('button', { name: 'Einstellungen finden' }).click();
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
}

test('the browser\'s language: German from the first screen to the core\'s reasons and steps', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver(), locale: 'de-DE' });
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.equal(await page.locator('#language').inputValue(), 'de');
  assert.deepEqual(english(await page.locator('#main').innerText()), [], 'the first screen is German');
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German start screen');
  await page.screenshot({ path: join(artifactDir(), 'de-start-1280.png'), fullPage: true });

  await germanResult(page, 'alice@srvmail.test');
  await unfold(page);
  const heading = await page.locator('#result-heading').textContent();
  assert.match(heading, /Einstellungen für alice@srvmail\.test/);
  // What the core wrote: the SRV "." target, the reasons with their RFCs, the steps.
  const notes = await textOf(page, '#notes');
  assert.match(notes, /POP3/);
  assert.deepEqual(english(notes), [], `notes: ${notes}`);
  const why = await textOf(page, '#why');
  assert.match(why, /RFC 8314/);
  assert.deepEqual(english(why), [], 'the reasons are German');
  const steps = await textOf(page, '#steps');
  assert.match(steps, /mail\.srvmail\.test/);
  assert.deepEqual(english(steps), [], 'the steps are German');
  assert.deepEqual(english(await textOf(page, '#instructions-text')), [], 'the plain-text steps are German');
  assert.deepEqual(english(await textOf(page, '#services')), [], 'the offered services are German');
  assert.deepEqual(english(await textOf(page, '#lookups')), [], 'the lookups table is German');
  assert.deepEqual(english(await page.locator('#main').innerText()), [], 'the whole result is German');
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German result');
  await page.screenshot({ path: join(artifactDir(), 'de-result-1280.png'), fullPage: true });
  await context.close();
});

test('a known provider offline in German: what to do first, in German, on a phone', async () => {
  const { page, context } = await openApp(browser, {
    resolver: 'off', query: '?lang=de', viewport: { width: 375, height: 800 },
  });
  await germanResult(page, 'bob@gmail.com');
  const warnings = await textOf(page, '.warnings');
  assert.ok(warnings.length > 0, 'Gmail has something to act on');
  assert.deepEqual(english(warnings), [], `before you start: ${warnings}`);
  await unfold(page);
  assert.deepEqual(english(await page.locator('#main').innerText()), [], 'the whole result is German');
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German result on a phone');
  await page.screenshot({ path: join(artifactDir(), 'de-result-375.png'), fullPage: true });
  await context.close();
});

test('switching language keeps everything typed and shown, and is remembered', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver() });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByLabel('Your email address or domain').fill('alice@srvmail.test');
  await page.getByRole('button', { name: 'Find settings' }).click();
  await page.waitForSelector('[data-result-ready="true"] #result-heading');
  assert.match(await textOf(page, '#notes'), /does not offer POP3/);
  await page.getByLabel('Language').selectOption('de');
  await page.waitForFunction(() => /Einstellungen für/.test(document.querySelector('#result-heading')?.textContent ?? ''));
  await page.waitForFunction(() => !/does not offer/.test(document.querySelector('#notes')?.textContent ?? 'x'));
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.deepEqual(english(await textOf(page, '#notes')), []);
  await page.getByRole('button', { name: 'Adresse ändern' }).click();
  assert.equal(await page.getByLabel('Ihre E-Mail-Adresse oder Domain').inputValue(), 'alice@srvmail.test');
  // Remembered in this browser; a link's `lang` still wins.
  await page.reload();
  await page.waitForSelector('[data-ready]');
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.goto(page.url().split('?')[0] + '?lang=en');
  await page.waitForSelector('[data-ready]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.ok(await page.getByLabel('Your email address or domain').count());
  await context.close();
});

test('German errors, troubleshooter and audit screen', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver(), query: '?lang=de' });
  const field = page.getByLabel('Ihre E-Mail-Adresse oder Domain');
  await field.fill('alice@');
  await field.blur();
  await page.waitForSelector('#address-error');
  const error = await page.locator('#address-error').textContent();
  assert.deepEqual(english(error), [], `address error: ${error}`);

  await page.locator('#trouble summary').click();
  await page.locator('#trouble-text').fill('535 5.7.8 Authentication failed');
  await page.getByRole('button', { name: 'Erklären' }).click();
  await page.waitForSelector('#trouble-answer article');
  const answer = await page.locator('#trouble-answer').innerText();
  // The pasted message itself stays as the app said it; everything Portolan says is German.
  assert.deepEqual(english(answer.replace(/535 5\.7\.8/g, '')), [], `troubleshooter: ${answer}`);
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German start screen with an answer');

  await page.locator('#to-audit').click();
  await page.getByLabel('Domain', { exact: true }).fill('srvmail.test');
  await page.getByRole('button', { name: 'Prüfung starten' }).click();
  await page.waitForSelector('#audit-report');
  const report = await page.locator('#audit-body').innerText();
  assert.deepEqual(english(report), [], 'the audit is German');
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German audit');
  await page.screenshot({ path: join(artifactDir(), 'de-audit-1280.png'), fullPage: true });
  // Switching back turns the audit on screen English again, without running it again.
  await page.getByLabel('Sprache').selectOption('en');
  await page.waitForFunction(() => /\b(the|is)\b/.test(document.querySelector('#audit-body')?.innerText ?? ''));
  await context.close();
});

test('a live check and the app list in German', async () => {
  const { page, context } = await openApp(browser, { resolver: useTestResolver(), query: '?lang=de' });
  await germanResult(page, 'alice@expired.live.test');
  await page.waitForSelector('#live-check #relay-in-use');
  await page.locator('#check-servers').click();
  await page.waitForSelector('#live-runs .live-run');
  await page.waitForFunction(() => document.querySelectorAll('#live-runs [data-run-state="running"]').length === 0
    && document.querySelector('#check-servers') !== null, null, { timeout: 30000 });
  const live = await page.locator('#live-check').innerText();
  assert.ok(await page.locator('#live-runs [data-finding]').count() > 0, 'the expired certificate is a finding');
  assert.deepEqual(english(live), [], `the live check is German: ${live}`);
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German live check');
  await page.locator('#live-check').screenshot({ path: join(artifactDir(), 'de-live-check-1280.png') });
  // A switch words the finished checks again, without checking again.
  await page.getByLabel('Sprache').selectOption('en');
  await page.waitForFunction(() => /high: /.test(document.querySelector('#live-runs')?.textContent ?? ''));
  await page.getByLabel('Language').selectOption('de');
  await page.waitForFunction(() => /hoch: /.test(document.querySelector('#live-runs')?.textContent ?? ''));
  assert.deepEqual(english(await page.locator('#live-check').innerText()), []);

  await page.getByRole('button', { name: 'Mail-App ändern' }).click();
  await page.waitForSelector('#client-search');
  const list = await page.locator('#main').innerText();
  assert.match(list, /Smartphone und Tablet/);
  assert.deepEqual(english(list), [], 'the app list is German');
  assert.deepEqual(await axeViolations(page), [], 'axe-core: German app list');
  await page.screenshot({ path: join(artifactDir(), 'de-clients-1280.png'), fullPage: true });
  await context.close();
});
