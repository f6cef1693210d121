// Portolan's service worker: after one visit the app works with no network at all.
//
// `cargo xtask` writes this file into dist/ with VERSION (a digest of the build's files) and
// FILES (all of them but the probe worker's, kept once a live check fetched them) filled in,
// so each build is a new worker that the browser installs beside the old one. Every file a
// page loads after index.html has a unique, versioned name, so a page never mixes its files
// with another build's: a page of the old build keeps getting its files from the old cache,
// and the old cache is deleted only when the new worker activates, which the browser does once
// no page of the old build is open.
const VERSION = '__PORTOLAN_VERSION__';
const FILES = '__PORTOLAN_FILES__';
// One origin may host several copies (`/a/`, `/b/`); each keeps its own caches.
const SCOPE = self.registration.scope;
const CACHE = `portolan-${VERSION}@${SCOPE}`;
// This build's files, by URL: only these (and the probe worker's, kept once fetched) are
// served from the cache. Everything else the site serves (a same-origin resolver, the
// domain's published files when Portolan runs on the mail domain itself) goes to the network.
const KEPT = new Set(Array.isArray(FILES) ? FILES.map((file) => new URL(file, SCOPE).href) : []);
const ON_DEMAND = new URL('./portolan-probe-worker', SCOPE).href;
// How long a visit waits for the network's copy of the page before it takes the cached one.
const PAGE_TIMEOUT_MS = 3000;

self.addEventListener('install', (event) => {
  // Unfilled (a build without `cargo xtask`, such as `trunk serve`): keep nothing.
  if (!Array.isArray(FILES)) return;
  // `reload`: the browser's HTTP cache must not hand an older index.html to the new cache.
  const requests = FILES.map((file) => new Request(file, { cache: 'reload' }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener('activate', (event) => {
  // The first worker also takes the page that installed it, so that page's later files (the
  // engine worker it starts after its first render) come from this build's cache even if the
  // site is updated meanwhile. A later worker activates only once no page of the build before
  // is open, so the pages it takes are of its own build.
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith('portolan-') && name.endsWith(`@${SCOPE}`) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Lookups, published files and the relay are never cached; nor is anything but a GET.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' || url.pathname.endsWith('/portolan.json')) {
    event.respondWith(networkFirst(request));
    return;
  }
  const plain = new URL(url);
  plain.search = '';
  if (KEPT.has(plain.href) || plain.href.startsWith(ON_DEMAND)) event.respondWith(cacheFirst(request));
  // Anything else (`/healthz`, whether the site's server is a relay, among it) is the
  // network's.
});

/**
 * The network's answer when it comes in time and is good, or else the cached copy. The page
 * itself is never written into this build's cache: a newer page belongs with the newer
 * worker that comes with it. The preset (not part of any build) is kept fresh.
 */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = () => cache.match(request, { ignoreSearch: true })
    .then((hit) => hit ?? (request.mode === 'navigate' ? cache.match('./') : undefined));
  const fromNetwork = fetch(request).then((response) => {
    if (response.ok && request.mode !== 'navigate') cache.put(stripSearch(request), response.clone());
    return response;
  });
  fromNetwork.catch(() => {});
  const timeout = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS));
  let response;
  try {
    response = await Promise.race([fromNetwork, timeout]);
    if (response?.ok) return response;
  } catch {
    // Offline or refused: the cached copy follows.
  }
  return (await cached()) ?? response ?? fromNetwork;
}

/** A file of this build (versioned name): the cache's copy, or the network's, then kept. */
async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    cache.put(stripSearch(request), response.clone());
  }
  return response;
}

/** The request without its query (`?email=…` must not be stored with the page). */
function stripSearch(request) {
  const url = new URL(request.url);
  url.search = '';
  return url.href;
}
