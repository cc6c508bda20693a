// The intervention form: small conveniences on top of a form that works without them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-intervention-form]");
  if (!form) {
    return;
  }

  // After a failed save, bring the error summary into view for sighted and screen-reader users.
  const summary = form.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // "Whole household" ticks or clears its members; clearing a member clears the household box.
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (box.dataset.household) {
      for (const member of form.querySelectorAll(`[data-member-of="${box.dataset.household}"]`)) {
        member.checked = box.checked;
      }
    } else if (box.dataset.memberOf && !box.checked) {
      const household = form.querySelector(`[data-household="${box.dataset.memberOf}"]`);
      if (household) {
        household.checked = false;
      }
    }
  });

  // Duration: a tapped preset clears typed minutes, typed minutes clear the preset.
  const other = form.querySelector("input[name='duration_other']");
  const presets = form.querySelectorAll("[data-duration-presets] input[type='radio']");
  for (const preset of presets) {
    preset.addEventListener("change", () => {
      if (other) {
        other.value = "";
      }
    });
  }
  if (other) {
    other.addEventListener("input", () => {
      if (other.value !== "") {
        for (const preset of presets) {
          preset.checked = false;
        }
      }
    });
  }

  // Several projects: offer only the chosen project's key activities.
  const project = form.querySelector("select[name='project']");
  const activity = form.querySelector("select[name='key_activity']");
  if (project && activity) {
    const limit = () => {
      for (const option of activity.options) {
        const otherProject = option.dataset.project && option.dataset.project !== project.value;
        option.hidden = Boolean(otherProject);
        option.disabled = Boolean(otherProject);
        if (otherProject && option.selected) {
          activity.value = "";
        }
      }
    };
    project.addEventListener("change", limit);
    limit();
  }

  // A long caseload: type to narrow the list of clients.
  const filter = form.querySelector("[data-client-filter]");
  if (filter) {
    filter.classList.remove("d-none");
    const normalise = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    filter.addEventListener("input", () => {
      const query = normalise(filter.value.trim());
      for (const group of filter.parentElement.querySelectorAll("[data-client-group]")) {
        let shown = 0;
        for (const choice of group.querySelectorAll("[data-client-name]")) {
          const match = normalise(choice.dataset.clientName).includes(query);
          choice.hidden = !match;
          shown += match ? 1 : 0;
        }
        group.hidden = shown === 0;
      }
    });
  }
});
