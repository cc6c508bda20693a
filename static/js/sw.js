// Casework service worker. It caches only the static assets and the offline page, never a
// page or answer with personal data: every other request goes to the network untouched, and a
// page that cannot be loaded is answered with the offline page. Loaded by the /sw.js view,
// which sets CASEWORK_CACHE, CASEWORK_OFFLINE_URL and CASEWORK_PRECACHE first.
"use strict";

const CACHE = self.CASEWORK_CACHE;
const OFFLINE_URL = self.CASEWORK_OFFLINE_URL;
const PRECACHE = new Set(self.CASEWORK_PRECACHE);

// Fetched without cookies: the cached copies are the same for everyone.
const anonymous = (url) => new Request(url, { credentials: "omit", cache: "reload" });

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...PRECACHE, OFFLINE_URL].map(anonymous)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("casework-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // Pages always come from the network; only when it fails, the offline page.
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match(OFFLINE_URL)),
      ),
    );
    return;
  }
  if (PRECACHE.has(url.pathname)) {
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(url.pathname))
        .then((hit) => hit || fetch(request)),
    );
  }
  // Anything else: not handled here, so the browser fetches it as usual and nothing is kept.
});
