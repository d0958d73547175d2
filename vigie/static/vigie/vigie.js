// Vigie: keyboard shortcuts, reply drafts that survive a reload, "reply to this message", bulk selection,
// the rule form's types.
(function () {
  "use strict";

  function typing(event) {
    const el = event.target;
    return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  }

  function threadLinks() { return Array.from(document.querySelectorAll("[data-thread-link]")); }

  function move(step) {
    const links = threadLinks();
    if (!links.length) return;
    const current = links.findIndex((a) => a.getAttribute("aria-current") === "true");
    const next = links[Math.min(links.length - 1, Math.max(0, current + step))];
    if (next && (current === -1 || next !== links[current])) next.click();
  }

  function focus(selector) {
    const el = document.querySelector(selector);
    if (!el) return;
    const folded = el.closest("details");  // « Répondre quand même… »: the key opens it
    if (folded) folded.open = true;
    el.scrollIntoView({ block: "center" });
    el.focus();
  }

  const keys = {
    j: () => move(1),
    k: () => move(-1),
    r: () => focus("#id_text_reply"),
    n: () => focus("#id_note_text"),
    a: () => focus("#assign-form select"),
    d: () => {
      const form = document.querySelector("#done-form");
      const first = form && form.querySelector("[data-do-first]");
      // still online, or a private message without its answer: what the procedure asks first (its take-down, the
      // reply); leaving it undone is a click, not a key
      if (first) first.click();
      else if (form) form.requestSubmit();
    },
    f: () => { const box = document.querySelector(".filters-box"); if (box) { box.open = true; focus("#filter_q"); } },
    "?": () => { const help = document.getElementById("help"); if (help && !help.open) help.showModal(); },
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    const action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  // Pages are swapped by htmx (hx-boost): set each element up once, whichever event comes first.
  function once(element, what = "vigieReady") {
    if (element.dataset[what]) return false;
    element.dataset[what] = "1";
    return true;
  }

  // A draft is forgotten only once the reply is on the page it was sent from (data-landing); a refused reply
  // (the window closed while it was written…) comes back with its text.
  const SENDING = "vigie-draft-sending";
  const draftKey = (name) => "vigie-draft-" + name;

  function setupDrafts() {
    document.querySelectorAll("[data-draft-key]").forEach((area) => {
      if (!once(area)) return;
      const key = draftKey(area.dataset.draftKey);
      if (sessionStorage.getItem(SENDING) === key) {
        sessionStorage.removeItem(SENDING);
        if (document.querySelector("[data-landing]")) localStorage.removeItem(key);
      }
      if (!area.value) area.value = localStorage.getItem(key) || "";
      const folded = area.closest("details");
      if (area.value && folded) folded.open = true;  // a draft being written is never hidden
      area.addEventListener("input", () => localStorage.setItem(key, area.value));
      area.form.addEventListener("submit", () => sessionStorage.setItem(SENDING, key));
    });
    // where no reply can be sent any more (Messenger's window closed), the draft is shown to be copied
    document.querySelectorAll("[data-kept-draft]").forEach((box) => {
      if (!once(box)) return;
      const key = draftKey(box.dataset.keptDraft);
      const text = localStorage.getItem(key);
      if (!text) return;
      box.querySelector("textarea").value = text;
      box.hidden = false;
      box.querySelector("[data-forget-draft]").addEventListener("click", () => {
        localStorage.removeItem(key);
        box.hidden = true;
      });
    });
  }

  function setupReplyTargets() {
    document.querySelectorAll("[data-reply-to]").forEach((button) => {
      if (!once(button)) return;
      button.addEventListener("click", () => {
        document.getElementById("id_in_reply_to").value = button.dataset.replyTo;
        document.getElementById("reply-target").textContent = button.dataset.replyName ? "à " + button.dataset.replyName : "";
        focus("#id_text_reply");
      });
    });
  }

  // On a wide screen the list scrolls in its own pane, and each message opened (a click, « j », « k ») renders it
  // anew from the top: the row of the message open is brought back in sight, a third of the way down. Only when the
  // list itself was just drawn (`loaded`): the live refreshes of a message or of « nouveaux » leave the pane alone.
  function keepCurrentRowInSight(loaded) {
    const pane = document.querySelector(".pane-list");
    if (!pane || !loaded.contains(pane)) return;
    const link = pane.querySelector('[data-thread-link][aria-current="true"]');
    if (!link || getComputedStyle(pane).overflowY !== "auto") return;
    const row = link.closest(".row") || link;
    const top = row.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    if (top < pane.scrollTop || top + row.offsetHeight > pane.scrollTop + pane.clientHeight) {
      pane.scrollTop = top - pane.clientHeight / 3;
    }
  }

  function openFiltersOnWideScreens() {
    const box = document.querySelector(".filters-box");
    if (box && window.matchMedia("(min-width: 1024px)").matches) box.open = true;
    // the main menu is a « Menu » button on a phone, always shown on a wider screen; so are long
    // sections (the indicators' tables) that a phone lists folded, one tap each
    if (!window.matchMedia("(min-width: 700px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach((section) => {
      if (once(section)) section.open = true;
    });
  }

  function setupTemplatePicker() {
    const picker = document.querySelector("[data-template-picker]");
    if (!picker || !once(picker)) return;
    picker.addEventListener("change", () => {
      const option = picker.selectedOptions[0];
      const area = document.getElementById("id_text_reply");
      if (!option || !option.dataset.text) return;
      area.value = option.dataset.text;
      area.dispatchEvent(new Event("input"));
      if (option.dataset.sensitive) document.getElementById("id_sensitive").checked = true;
      area.focus();
    });
  }

  // A reply is published as written: the preview shows it, placeholders left ({prenom}) are highlighted
  // and the form cannot be sent until they are completed (the server refuses them too).
  const PLACEHOLDER = /\{[A-Za-z_]\w*\}/g;

  function showPreview(area, box) {
    const text = box.querySelector(".preview-text");
    const warning = box.querySelector(".unfilled");
    const missing = area.value.match(PLACEHOLDER) || [];
    text.replaceChildren();
    let last = 0;
    area.value.replace(PLACEHOLDER, (found, offset) => {
      text.append(area.value.slice(last, offset));
      const mark = document.createElement("mark");
      mark.textContent = found;
      text.append(mark);
      last = offset + found.length;
      return found;
    });
    text.append(area.value.slice(last));
    box.hidden = !area.value.trim();
    warning.hidden = !missing.length;
    warning.textContent = missing.length ? "À compléter avant l'envoi : " + Array.from(new Set(missing)).join(", ") : "";
    const send = area.form.querySelector("button[type=submit]");
    if (send) {
      send.disabled = missing.length > 0;
      if (missing.length) send.setAttribute("aria-describedby", warning.id || (warning.id = area.id + "-unfilled"));
      else send.removeAttribute("aria-describedby");
    }
  }

  function setupPreviews() {
    document.querySelectorAll("[data-placeholder-check]").forEach((area) => {
      const box = document.querySelector(`[data-preview-of="${area.id}"]`);
      if (!box || !once(area, "previewReady")) return;
      area.addEventListener("input", () => showPreview(area, box));
      showPreview(area, box);
    });
  }

  // Bulk actions: "select all on this post", and how many are selected.
  function picks() { return Array.from(document.querySelectorAll("input.pick[form='bulk-form']")); }

  function showSelection() {
    const count = document.querySelector("[data-bulk-count]");
    if (!count) return;
    const n = picks().filter((box) => box.checked).length;
    count.textContent = n ? n + (n > 1 ? " messages sélectionnés" : " message sélectionné")
      : "Cochez des messages pour agir sur plusieurs à la fois.";
    const apply = document.querySelector("[data-bulk-apply]");
    if (apply) apply.hidden = n === 0;  // the selection's actions wait until there is a selection
  }

  function setupBulk() {
    picks().forEach((box) => { if (once(box)) box.addEventListener("change", showSelection); });
    const all = document.querySelector("[data-select-all]");
    if (all && once(all)) {
      all.addEventListener("click", () => {
        const boxes = picks();
        const check = boxes.some((box) => !box.checked);
        boxes.forEach((box) => { box.checked = check; });
        all.textContent = check ? "Tout désélectionner" : "Tout sélectionner sur cette publication";
        showSelection();
      });
    }
    showSelection();
  }

  // The rule form: another type of condition or action brings up that type's own fields (listened to
  // on the document, so that a select swapped in by htmx works before its setup ran).
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (!select.matches || !select.matches("select[data-rule-type]")) return;
    const refresh = select.form.querySelector("[data-rule-refresh]");
    refresh.value = select.dataset.ruleType;
    select.form.requestSubmit(refresh);
  });

  // After a reply the page comes back at the reply, not at the top.
  function showLanding() {
    const landing = document.querySelector("[data-landing]");
    if (landing && once(landing, "landed")) landing.scrollIntoView({ block: "center" });
  }

  // The open item refreshes itself (htmx polling), except while the person is acting inside it:
  // a confirmation open, or a field being typed in.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const list = event.detail.elt;
    if (!list.matches || !list.matches("[data-live]")) return;
    const active = document.activeElement;
    if (list.querySelector("details[open]") || (active && list.contains(active) && typing({ target: active }))) {
      event.preventDefault();
    }
  });

  // Confirmations fade after a while; every message can be closed.
  function setupFlash() {
    document.querySelectorAll(".flash p").forEach((note) => {
      if (!once(note)) return;
      const close = document.createElement("button");
      close.type = "button";
      close.className = "flash-close";
      close.setAttribute("aria-label", "Fermer ce message");
      close.addEventListener("click", () => note.remove());
      note.append(close);
      if (note.classList.contains("flash-success")) setTimeout(() => note.remove(), 8000);
    });
  }

  // « Supprimer… » in the thumb bar of a comment still online: the take-down's confirmation, opened where it is.
  function setupTakeDown() {
    document.querySelectorAll("[data-take-down]").forEach((link) => {
      if (!once(link)) return;
      link.addEventListener("click", (event) => {
        const choices = document.querySelector(link.getAttribute("href"));
        const confirm = choices && choices.querySelector(`details[data-verb="${link.dataset.takeDown}"]`);
        if (!confirm) return;  // the plain anchor scrolls to the moderation buttons
        event.preventDefault();
        confirm.open = true;
        confirm.scrollIntoView({ block: "center" });
        confirm.querySelector("summary").focus();
      });
    });
  }

  // « Répondre… » in the thumb bar of a private message still without its answer: the reply box, ready to type.
  function setupReplyFirst() {
    document.querySelectorAll("[data-reply-first]").forEach((link) => {
      if (!once(link)) return;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        focus("#id_text_reply");
      });
    });
  }

  function setup(event) {
    setupFlash(); showLanding(); setupTakeDown(); setupReplyFirst(); setupDrafts(); setupPreviews(); setupReplyTargets();
    setupTemplatePicker(); setupBulk(); openFiltersOnWideScreens();
    keepCurrentRowInSight(event.type === "htmx:load" ? event.detail.elt : document);
  }
  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:load", setup);
})();
