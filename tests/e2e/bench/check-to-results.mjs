// Time from the click on "Check these servers" to every result, for a domain with two servers
// (IMAP and submission, implicit TLS) 50 ms away from the relay (cargo xtask bench-app adds the
// delay between the relay and the mail servers). Five runs, each in a fresh context:
// - `sample-ms`: cold: the probe worker is fetched, compiled and started by the click;
// - `warm-ms`: "Check again" in the same page, the worker already running.
import { launch } from '../browser.mjs';

const [url, doh] = process.argv.slice(2);
if (!url || !doh) throw new Error('usage: node check-to-results.mjs APP_URL DOH_URL');
const browser = await launch();

/** Clicks the check button and resolves with the milliseconds until no check runs. */
async function timedCheck(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const started = performance.now();
    document.querySelector('#check-servers').click();
    const deadline = setTimeout(() => reject(new Error('no results within 30 s')), 30000);
    new MutationObserver((_, observer) => {
      const runs = document.querySelectorAll('#live-runs .live-run');
      const running = document.querySelectorAll('#live-runs [data-run-state="running"]');
      if (runs.length >= 2 && running.length === 0 && document.querySelector('#check-servers')) {
        observer.disconnect();
        clearTimeout(deadline);
        resolve(performance.now() - started);
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  }));
}

try {
  for (let i = 0; i < 5; i += 1) {
    const context = await browser.newContext();
    await context.addInitScript((value) => localStorage.setItem('portolan.resolver', value), `custom:${doh}`);
    const page = await context.newPage();
    await page.goto(`${url}?email=alice%40good.live.test&client=thunderbird`);
    await page.waitForSelector('#check-servers');
    console.log(`sample-ms ${(await timedCheck(page)).toFixed(1)}`);
    console.log(`warm-ms ${(await timedCheck(page)).toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
