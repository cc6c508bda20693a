// Registers the service worker (static assets and the offline page only; see static/js/sw.js).
"use strict";

(() => {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) {
    return;
  }
  const url = script.dataset.serviceWorker;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // Without it the site works as before, only without the offline page.
    });
  });
})();
