// Time to first render: five cold loads, each in a fresh browser context; prints one
// `sample-ms N` line per load (the app marks `portolan-first-render` after its first render).
// For the first load it also prints `first-screen-file NAME` for every file the browser had
// finished loading by that mark (the document and its resources, from Resource Timing), so
// `cargo xtask bench` can size exactly what the first screen needed.
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
    const { ms, files } = await page.evaluate(() => {
      const mark = performance.getEntriesByName('portolan-first-render')[0];
      const at = mark ? mark.startTime : performance.now();
      const files = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.responseEnd <= at)
        .map((entry) => new URL(entry.name).pathname.split('/').pop());
      return { ms: at, files };
    });
    console.log(`sample-ms ${ms.toFixed(1)}`);
    if (i === 0) {
      console.log('first-screen-file index.html');
      for (const file of files) console.log(`first-screen-file ${file}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
