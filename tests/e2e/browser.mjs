// Shared helpers for the end-to-end tests and benchmarks: Debian's Chromium, launched the way
// this machine needs it (no sandbox as root, no background traffic), never a downloaded browser.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The URL of the served release build (set by `cargo xtask test`). */
export function appUrl() {
  const url = process.env.PORTOLAN_URL;
  if (!url) throw new Error('PORTOLAN_URL is not set: run the e2e tests through `cargo xtask test e2e`');
  return url;
}

/** target/e2e/, where screenshots go for people to look at. */
export function artifactDir() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  return dir;
}
