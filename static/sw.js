// Portolan's service worker: after one visit the app works with no network at all.
//
// `cargo xtask` writes this file into dist/ with VERSION (a digest of the build's files) and
// FILES (all of them but the probe worker's, kept once a live check fetched them) filled in, so each build is a new worker that the
// browser installs beside the old one. Every file but index.html has a unique, versioned name,
// so a page never mixes its files with another build's: a page that an old worker served keeps
// being served from the old cache, and the old cache is deleted only when the new worker
// activates, which the browser does once no page of the old build is open.
const VERSION = '__PORTOLAN_VERSION__';
const FILES = '__PORTOLAN_FILES__';
const CACHE = `portolan-${VERSION}`;
// How long a visit waits for the network's copy of the page before it takes the cached one.
const PAGE_TIMEOUT_MS = 3000;

self.addEventListener('install', (event) => {
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
      .filter((name) => name.startsWith('portolan-') && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Lookups, published files and the relay are never cached; nor is anything but a GET.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Whether the site's server is a relay is a live question.
  if (url.pathname.endsWith('/healthz')) return;
  if (request.mode === 'navigate' || url.pathname.endsWith('/portolan.json')) {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

/** The network's answer when it comes in time (and a copy kept), or else the cached one. */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = () => cache.match(request, { ignoreSearch: true })
    .then((hit) => hit ?? (request.mode === 'navigate' ? cache.match('./') : undefined));
  const fromNetwork = fetch(request).then((response) => {
    if (response.ok) cache.put(stripSearch(request), response.clone());
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS));
  try {
    const response = await Promise.race([fromNetwork, timeout]);
    if (response) return response;
  } catch {
    // Offline or refused: the cached copy follows.
  }
  return (await cached()) ?? fromNetwork;
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
