// Client form: show only the household fields that fit the chosen option. Without this file
// every field is shown and the server ignores the ones that do not apply.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const household = document.querySelector("[data-client-form] [data-household]");
  if (!household) {
    return;
  }
  const radios = household.querySelectorAll("input[name='household_choice']");
  const parts = household.querySelectorAll("[data-household-part]");

  function update() {
    const checked = household.querySelector("input[name='household_choice']:checked");
    const choice = checked ? checked.value : "none";
    for (const part of parts) {
      part.hidden = !part.dataset.householdPart.split(" ").includes(choice);
    }
  }

  for (const radio of radios) {
    radio.addEventListener("change", update);
  }
  update();
});
