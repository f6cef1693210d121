// Time from submit to result: five runs, each in a fresh context, with the test resolver
// (dnsdist + unbound with 100 ms added per answer, DoH over TLS so HTTP/2 multiplexes) chosen as a custom resolver. A link with
// `email` and `client` submits at the first render, so the time from the app's
// `portolan-first-render` mark to the result heading is the submit-to-result time (lookups in
// parallel, merge, engine, render). Prints `sample-ms N` and `lookup-ms N` lines.
import { launch } from '../browser.mjs';

const [url, doh] = process.argv.slice(2);
if (!url || !doh) throw new Error('usage: node submit-to-result.mjs APP_URL DOH_URL');
// The test resolver speaks HTTP/2 over TLS with a throwaway certificate for 127.0.0.1.
const browser = await launch(['--ignore-certificate-errors']);
try {
  for (let i = 0; i < 5; i += 1) {
    // No request interception here (it would route every request through this process and
    // slow it down); the browser's --host-resolver-rules already keep it on loopback.
    const context = await browser.newContext();
    await context.addInitScript((value) => {
      localStorage.setItem('portolan.resolver', value);
      // Record the moment the result heading enters the page, precisely, from inside it.
      new MutationObserver((_, observer) => {
        if (document.querySelector('#result-heading')) {
          window.__resultAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, `custom:${doh}`);
    const page = await context.newPage();
    await page.goto(`${url}?email=alice%40srvmail.test&client=thunderbird`);
    await page.waitForSelector('#result-heading', { timeout: 20000 });
    const ms = await page.evaluate(() => {
      const mark = performance.getEntriesByName('portolan-first-render')[0];
      return window.__resultAt - (mark ? mark.startTime : 0);
    });
    const lookup = (await page.locator('#lookup-time').textContent()).match(/(\d+) ms/);
    console.log(`sample-ms ${ms.toFixed(1)}`);
    if (lookup) console.log(`lookup-ms ${lookup[1]}`);
    await context.close();
  }
} finally {
  await browser.close();
}
