// A repeat visit with the network cut: five times, a fresh browser context visits the app once
// (the service worker installs and keeps the files), then the host goes away, the browser goes
// offline, and the app is opened again. Prints `sample-ms N` (the repeat visit's first render,
// the `portolan-first-render` mark) and, once, `cached-bytes N` and `cached-files N`: what the
// service worker keeps.
import { launch, serveDistStatically } from '../browser.mjs';

const browser = await launch();
try {
  for (let i = 0; i < 5; i += 1) {
    const host = await serveDistStatically('/');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await page.waitForSelector('[data-ready]');
    const kept = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      let bytes = 0;
      let files = 0;
      for (const name of (await caches.keys()).filter((key) => key.startsWith('portolan-'))) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
          files += 1;
        }
      }
      return { bytes, files };
    });
    host.close();
    await context.setOffline(true);
    const repeat = await context.newPage();
    await repeat.goto(host.url);
    await repeat.waitForSelector('[data-ready]');
    const ms = await repeat.evaluate(() => performance.getEntriesByName('portolan-first-render')[0]?.startTime ?? NaN);
    console.log(`sample-ms ${ms.toFixed(1)}`);
    if (i === 0) {
      console.log(`cached-bytes ${kept.bytes}`);
      console.log(`cached-files ${kept.files}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
