// Drafts of a long form: nothing typed is lost over a flaky connection.
//
// A form opts in with data-draft-form="<key>", data-draft-url (autosave endpoint) and
// data-draft-discard-url. While online, the whole form is sent to the server a couple of
// seconds after each change (and when the page is hidden). While offline, it is kept in this
// browser instead, encrypted with AES-GCM under a key that lives only in the session
// (<meta name="draft-key">): after signing out the copy cannot be read and is thrown away.
// Copies older than 72 hours are thrown away too. A form sent while offline waits ("Not sent
// yet") and is sent once the connection returns; its hidden submission_id makes a repeated
// send create the record only once.
//
// The status element ([data-draft-status], role="status") carries every text it shows in
// data-text-* attributes, translated on the server; its data-draft-state attribute says
// where the draft is: saved, pending, offline, sending, restored or discarded.
"use strict";

(() => {
  const MAX_AGE_MS = 72 * 60 * 60 * 1000;
  const SAVE_DELAY_MS = 2000;
  const SAVE_EVERY_MS = 10000;
  const SEND_TIMEOUT_MS = 5000;
  const STORAGE_PREFIX = "casework-draft:";
  const NOT_STORED = new Set(["csrfmiddlewaretoken"]);

  // --- Encryption (WebCrypto AES-GCM, 256-bit key from the session) -----------------------

  const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  async function importKey(raw) {
    if (!raw || !window.crypto || !window.crypto.subtle) {
      return null; // no secure context: drafts stay on the server only
    }
    try {
      return await crypto.subtle.importKey("raw", fromBase64(raw), "AES-GCM", false, [
        "encrypt",
        "decrypt",
      ]);
    } catch {
      return null;
    }
  }

  async function encrypt(key, value) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
    return { iv: toBase64(iv), ct: toBase64(new Uint8Array(sealed)) };
  }

  async function decrypt(key, box) {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(box.iv) },
      key,
      fromBase64(box.ct),
    );
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // --- The browser's copy ----------------------------------------------------------------

  const storageKey = (formKey) => STORAGE_PREFIX + formKey;

  function dropExpired() {
    // Drafts of every form, not only this one: nothing stays longer than 72 hours.
    const now = Date.now();
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const name = localStorage.key(i);
      if (!name || !name.startsWith(STORAGE_PREFIX)) {
        continue;
      }
      try {
        const entry = JSON.parse(localStorage.getItem(name));
        if (!entry || !(now - entry.savedAt < MAX_AGE_MS)) {
          localStorage.removeItem(name);
        }
      } catch {
        localStorage.removeItem(name);
      }
    }
  }

  async function readLocal(key, formKey) {
    const raw = localStorage.getItem(storageKey(formKey));
    if (!raw) {
      return null;
    }
    try {
      const entry = JSON.parse(raw);
      const content = await decrypt(key, entry);
      return { pairs: content.pairs, savedAt: entry.savedAt, pending: Boolean(entry.pending) };
    } catch {
      // Another session's key (signed out since) or a damaged copy: unreadable, so gone.
      localStorage.removeItem(storageKey(formKey));
      return null;
    }
  }

  async function writeLocal(key, formKey, pairs, pending) {
    const savedAt = Date.now();
    const box = await encrypt(key, { pairs, savedAt });
    localStorage.setItem(storageKey(formKey), JSON.stringify({ ...box, savedAt, pending }));
    return savedAt;
  }

  // --- Form contents ---------------------------------------------------------------------

  function pairsOf(form) {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (!NOT_STORED.has(name) && typeof value === "string") {
        pairs.push([name, value]);
      }
    }
    return pairs;
  }

  function restore(form, pairs) {
    const values = new Map();
    for (const [name, value] of pairs) {
      if (!values.has(name)) {
        values.set(name, []);
      }
      values.get(name).push(value);
    }
    const used = new Map();
    for (const element of form.elements) {
      const name = element.name;
      const skip = ["file", "submit", "button", "reset"].includes(element.type);
      if (!name || NOT_STORED.has(name) || element.disabled || skip) {
        continue;
      }
      const wanted = values.get(name) || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.includes(element.value);
      } else if (element.tagName === "SELECT") {
        for (const option of element.options) {
          option.selected = wanted.includes(option.value);
        }
        element.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (values.has(name)) {
        const index = used.get(name) || 0;
        element.value = wanted[index] ?? "";
        used.set(name, index + 1);
      }
    }
  }

  function toFormData(form, pairs) {
    const data = new FormData();
    const token = form.querySelector("input[name='csrfmiddlewaretoken']");
    if (token) {
      data.append("csrfmiddlewaretoken", token.value);
    }
    for (const [name, value] of pairs) {
      data.append(name, value);
    }
    return data;
  }

  async function post(url, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    try {
      return await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  // --- The form ----------------------------------------------------------------------------

  async function start(form) {
    const formKey = form.dataset.draftForm;
    const status = form.querySelector("[data-draft-status]");
    const discardButton = form.querySelector("[data-draft-discard]");
    const meta = document.querySelector("meta[name='draft-key']");
    const key = await importKey(meta ? meta.content : "");
    const lang = document.documentElement.lang || undefined;
    let dirty = false;
    let timer = null;
    let sending = false;
    let waitingToSend = false; // sent while offline: goes out when the connection returns

    const show = (state, extra) => {
      if (!status) {
        return;
      }
      const text = status.dataset[`text${state[0].toUpperCase()}${state.slice(1)}`] || "";
      status.textContent = extra ? `${text} (${extra})` : text;
      status.dataset.draftState = state;
    };
    const clock = (ms) =>
      new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    const offerDiscard = () => discardButton && discardButton.classList.remove("d-none");

    async function keepLocally(pairs, pending) {
      if (!key) {
        return false;
      }
      try {
        const savedAt = await writeLocal(key, formKey, pairs, pending);
        form.dataset.draftLocalAt = String(savedAt);
        return true;
      } catch {
        return false; // storage full or refused: the server copy is all there is
      }
    }

    // Store the form as a draft: on the server when it answers, else in this browser.
    // Resolves to "saved" (on the server), "refused" (the server answered but did not keep
    // it, e.g. the session has ended) or "unreachable" (no connection); the last two keep a
    // copy in this browser.
    let saving = null;
    async function save() {
      clearTimeout(timer);
      timer = null;
      if (saving) {
        await saving;
      }
      saving = (async () => {
        const pairs = pairsOf(form);
        let outcome = "unreachable";
        if (navigator.onLine) {
          try {
            const response = await post(form.dataset.draftUrl, toFormData(form, pairs));
            outcome = "refused";
            const answer = response.ok ? await response.json() : null;
            if (answer && answer.savedAt) {
              dirty = false;
              localStorage.removeItem(storageKey(formKey));
              delete form.dataset.draftLocalAt;
              show("saved", clock(answer.savedAt));
              offerDiscard();
              return "saved";
            }
          } catch {
            // Network failure or timeout (or not JSON): the browser's copy below.
          }
        }
        await keepLocally(pairs, waitingToSend && outcome === "unreachable");
        show("pending");
        offerDiscard();
        return outcome;
      })();
      try {
        return await saving;
      } finally {
        saving = null;
      }
    }

    const later = () => {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(() => save(), SAVE_DELAY_MS);
    };

    // Send a form that waited for the connection: first make sure the server holds the
    // latest draft (so a send lost on the way loses nothing), then an ordinary submission.
    async function send() {
      if (sending) {
        return;
      }
      sending = true;
      waitingToSend = true;
      show("sending");
      if ((await save()) === "unreachable") {
        sending = false;
        return; // kept in the browser, marked to be sent when the connection returns
      }
      // The server answers: send the form itself (it reports any problem on the page).
      waitingToSend = false;
      form.dataset.draftSending = "true";
      HTMLFormElement.prototype.submit.call(form);
    }

    form.addEventListener("input", (event) => event.isTrusted && later());
    form.addEventListener("change", (event) => event.isTrusted && later());
    form.addEventListener("submit", (event) => {
      if (navigator.onLine) {
        // An ordinary submission; the server deletes the draft once the record is saved.
        sending = true;
        clearTimeout(timer);
        return;
      }
      event.preventDefault();
      send();
    });
    setInterval(() => dirty && !sending && save(), SAVE_EVERY_MS);

    // Leaving or hiding the page: hand the latest state to the server if it can be reached.
    const flush = () => {
      if (!dirty || sending || !navigator.onLine || !navigator.sendBeacon) {
        return;
      }
      if (navigator.sendBeacon(form.dataset.draftUrl, toFormData(form, pairsOf(form)))) {
        dirty = false;
      }
    };
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        flush();
      }
    });

    window.addEventListener("offline", () => show("offline"));
    window.addEventListener("online", () => {
      if (waitingToSend) {
        send();
      } else if (dirty || form.dataset.draftLocalAt) {
        save();
      }
    });

    if (discardButton) {
      discardButton.addEventListener("click", async () => {
        localStorage.removeItem(storageKey(formKey));
        dirty = false;
        try {
          await post(form.dataset.draftDiscardUrl, toFormData(form, []));
        } catch {
          // Offline: the server copy expires on its own or is replaced by the next save.
        }
        show("discarded");
        window.location.reload();
      });
    }

    // --- On load: bring back the newest unsent draft --------------------------------------

    dropExpired();
    const local = key ? await readLocal(key, formKey) : null;
    const script = document.getElementById("draft-saved");
    const server = script ? JSON.parse(script.textContent) : null;
    if (form.dataset.draftFailed === "true") {
      // The page shows what was just sent (with the errors): it is newer than any draft.
      if (local) {
        localStorage.removeItem(storageKey(formKey));
      }
      offerDiscard();
      return;
    }
    const newest = [local, server]
      .filter((draft) => draft && Date.now() - draft.savedAt < MAX_AGE_MS)
      .sort((a, b) => b.savedAt - a.savedAt)[0];
    if (!newest) {
      if (!navigator.onLine) {
        show("offline");
      }
      return;
    }
    restore(form, newest.data || newest.pairs);
    show("restored", clock(newest.savedAt));
    offerDiscard();
    if (newest === local) {
      dirty = true;
      waitingToSend = local.pending;
      form.dataset.draftLocalAt = String(local.savedAt);
      if (!navigator.onLine) {
        show("pending");
      } else if (local.pending) {
        send();
      } else {
        save();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-draft-form]")) {
      start(form);
    }
  });
})();
