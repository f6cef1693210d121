// Time to first render: five cold loads, each in a fresh browser context; prints one
// `sample-ms N` line per load (the app marks `portolan-first-render` after its first render).
import { launch } from '../browser.mjs';

const url = process.argv[2];
if (!url) throw new Error('usage: node first-render.mjs URL');
const browser = await launch();
try {
  for (let i = 0; i < 5; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-ready]');
    const ms = await page.evaluate(() => {
      const mark = performance.getEntriesByName('portolan-first-render')[0];
      return mark ? mark.startTime : performance.now();
    });
    console.log(`sample-ms ${ms.toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
