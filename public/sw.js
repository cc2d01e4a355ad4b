// Linli's service worker: lets the portal open with no network, so a report can still be written
// (and kept as a draft by offline.js). Pages: network first, the last copy when offline.
// Built assets: their names carry content hashes, so a cached copy is always right.
const CACHE = 'linli-v1';
const PAGES = ['/', '/report'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PAGES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const cacheable = (url) =>
  url.origin === self.location.origin &&
  (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/vendor/') || url.pathname === '/offline.js' ||
    url.pathname === '/favicon.svg' || PAGES.includes(url.pathname));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || !cacheable(url)) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
