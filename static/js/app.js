// Casework: small progressive enhancements. Every page works without this file.
"use strict";

// Filter forms send GET requests through htmx: leave out empty fields so the address
// (pushed into the history and kept by the CSV export link) stays short and readable.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get" || !event.detail.elt.closest("form[data-filter-form]")) {
    return;
  }
  const data = event.detail.formData;
  for (const [name, value] of Array.from(data.entries())) {
    if (value === "") {
      data.delete(name);
    }
  }
});

// After a list is swapped in, tell screen-reader users how many results there are. The live
// region lives outside the swapped content so that it exists before the content changes.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const liveId = target.dataset.liveRegion;
  if (!liveId) {
    return;
  }
  const live = document.getElementById(liveId);
  const summary = target.querySelector("[data-result-summary]");
  if (live && summary) {
    live.textContent = summary.textContent.trim();
  }
});

// Secondary filters sit in a <details> so that phones show the search box first; on wider
// screens there is room, so open it.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(min-width: 768px)").matches) {
    for (const details of document.querySelectorAll("details[data-open-on-wide]")) {
      details.open = true;
    }
  }
});
