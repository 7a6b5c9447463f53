// Service worker: after one visit the whole site is cached, so the page works with the network
// off. The build stamps BUILD with a hash of the site (scripts/stamp_sw.mjs): a new build
// installs a new cache and drops the old one.
'use strict';
const BUILD = '__BUILD__';
const CACHE = 'terrane-' + BUILD;
const FILES = ['./', 'index.html', 'style.css', 'terrane-page.js', 'terrane.js', 'terrane.wasm', 'favicon.svg', 'manifest.webmanifest',
  'counties.bin', 'geo.tsv'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('terrane-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Cache first for this site's files; anything else goes to the network untouched.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) cache.put(req, res.clone());
        return res;
      }))),
  );
});
