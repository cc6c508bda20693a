// The client's copy of a plan: a Print button, shown only when this file runs. Without it the
// browser's own Print command prints the same sheet.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
