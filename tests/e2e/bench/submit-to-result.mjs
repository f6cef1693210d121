// Time from submit to result: five runs, each in a fresh context, with the test resolver
// (dnsdist + unbound with 100 ms added per answer, DoH over TLS so HTTP/2 multiplexes) chosen
// as a custom resolver.
//
// Per run, two numbers, both measured from inside the page:
// - `sample-ms`: a user's submit. The page is open (the engine worker has started), the
//   address is typed and understood, the client is pre-selected by `?client=thunderbird`; the
//   time runs from the click on Continue on the address screen to the result heading, with
//   Continue on the client screen clicked the moment it appears (lookups in parallel, merge,
//   engine, generators, render).
// - `link-ms`: a link with `email` and `client` opened cold: from the first render to the
//   result heading, which also includes starting the engine worker (fetch and compile).
// Also prints `lookup-ms N` (the lookups alone, as the result screen states them).
import { launch } from '../browser.mjs';

const [url, doh] = process.argv.slice(2);
if (!url || !doh) throw new Error('usage: node submit-to-result.mjs APP_URL DOH_URL');
// The test resolver speaks HTTP/2 over TLS with a throwaway certificate for 127.0.0.1.
const browser = await launch(['--ignore-certificate-errors']);

/** A fresh context whose pages use the test resolver and record when the result appears. */
async function freshContext() {
  // No request interception here (it would route every request through this process and
  // slow it down); the browser's --host-resolver-rules already keep it on loopback.
  const context = await browser.newContext();
  await context.addInitScript((value) => {
    localStorage.setItem('portolan.resolver', value);
    new MutationObserver((_, observer) => {
      const picker = document.querySelector('form.client-picker button[type=submit]');
      if (picker && !window.__continued) {
        window.__continued = true;
        picker.click();
      }
      if (document.querySelector('#result-heading')) {
        window.__resultAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, `custom:${doh}`);
  return context;
}

async function lookupMs(page) {
  const lookup = (await page.locator('#lookup-time').textContent()).match(/(\d+) ms/);
  return lookup ? lookup[1] : null;
}

try {
  for (let i = 0; i < 5; i += 1) {
    let context = await freshContext();
    let page = await context.newPage();
    await page.goto(`${url}?client=thunderbird`);
    await page.getByLabel('Your email address or domain').fill('alice@srvmail.test');
    await page.locator('#domain-found').waitFor();
    // Nobody submits within milliseconds of opening the page: let it settle as it would
    // while a person types (the browser finishes compiling in the background meanwhile).
    await page.waitForTimeout(1000);
    const ms = await page.evaluate(async () => {
      const started = performance.now();
      document.querySelector('form.address-form button[type=submit]').click();
      while (window.__resultAt === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
      return window.__resultAt - started;
    });
    console.log(`sample-ms ${ms.toFixed(1)}`);
    const lookup = await lookupMs(page);
    if (lookup) console.log(`lookup-ms ${lookup}`);
    await context.close();

    context = await freshContext();
    page = await context.newPage();
    await page.goto(`${url}?email=alice%40srvmail.test&client=thunderbird`);
    await page.waitForSelector('#result-heading', { timeout: 20000 });
    const linkMs = await page.evaluate(() => {
      const mark = performance.getEntriesByName('portolan-first-render')[0];
      return window.__resultAt - (mark ? mark.startTime : 0);
    });
    console.log(`link-ms ${linkMs.toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
