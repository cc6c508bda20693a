// Task form: show only the due-date fields of the chosen way (a date, or days or months from
// delivery). Without this file every field is shown and the server ignores the others.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const due = document.querySelector("[data-task-form] [data-due]");
  if (!due) {
    return;
  }
  const radios = due.querySelectorAll("input[name='due_by']");
  const parts = due.querySelectorAll("[data-due-part]");

  function update() {
    const checked = due.querySelector("input[name='due_by']:checked");
    const choice = checked ? checked.value : "date";
    for (const part of parts) {
      part.hidden = !part.dataset.duePart.split(" ").includes(choice);
    }
  }

  for (const radio of radios) {
    radio.addEventListener("change", update);
  }
  update();
});
