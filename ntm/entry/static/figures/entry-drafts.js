/* Data entry on weak links: what is typed on the entry page is kept in the browser (localStorage, one key per
   user, commune, set, year and indicator) until the server confirms it, so nothing is lost when the connection
   drops or the page reloads. A row shows "Chưa lưu" while its draft waits. A draft whose Save was pressed is
   sent again when the connection returns (the `online` event, and a retry every 15 s); a conflict (someone
   saved meanwhile: 409 or the row's conflict message) keeps the draft and waits for the user to press Save.
   Saves themselves still go through htmx (hx-post on each row's form); this file only listens to its events.
   Messages come from the page's data-msg-* attributes, so they are translated with the page. */
(function () {
  "use strict";

  var page = document.querySelector(".entry-page[data-draft-key]");
  if (!page || !window.fetch) return;
  var KEY = page.dataset.draftKey;
  var RETRY_MS = 15000;
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;  // a draft a month old is forgotten rather than sent over newer work
  var sentAt = {}; // indicator code -> the `at` of the draft last sent
  var sending = false;

  // --- Storage: a draft is {fields, action, at, wanted, conflict}.

  function load(code) {
    try { return JSON.parse(window.localStorage.getItem(KEY + code)); } catch (e) { return null; }
  }
  function keep(code, draft) {
    try { window.localStorage.setItem(KEY + code, JSON.stringify(draft)); } catch (e) { /* full or disabled */ }
  }
  function drop(code) {
    try { window.localStorage.removeItem(KEY + code); } catch (e) { /* disabled */ }
  }
  function codes() {
    var out = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(KEY) === 0) out.push(k.slice(KEY.length));
      }
    } catch (e) { /* disabled */ }
    return out;
  }

  // --- The page.

  function rowFor(code) {
    return page.querySelector('.entry-row[data-indicator="' + window.CSS.escape(code) + '"]');
  }
  function formOf(row) { return row ? row.querySelector("form.entry-form") : null; }
  function codeOf(el) {
    var row = el && el.closest ? el.closest(".entry-row[data-indicator]") : null;
    return row ? row.dataset.indicator : "";
  }
  function fieldsOf(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit") out[el.name] = el.value;
    });
    return out;
  }
  function fill(form, fields, keepExpected) {
    Object.keys(fields).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el || (keepExpected && /-expected_current$/.test(name))) return;
      el.value = fields[name];
    });
  }
  function message(state) { return page.getAttribute("data-msg-" + state) || ""; }

  function mark(row, state) {
    if (row) {
      var box = row.querySelector("[data-draft-status]");
      row.classList.toggle("entry-row-dirty", !!state);
      if (box) {
        box.hidden = !state;
        box.textContent = state ? message(state) : "";
      }
    }
    summarize();
  }

  function summarize() {
    var box = document.getElementById("entry-drafts-summary");
    if (!box) return;
    var n = codes().length;
    box.hidden = n === 0;
    box.textContent = n === 1 ? message("count-one") : message("count-many").replace("{n}", String(n));
  }

  function csrfToken() {
    try { return JSON.parse(page.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // --- What the server answered, whichever way the draft was sent.

  function settle(code, row, answer) {
    var draft = load(code);
    if (!draft) { if (row) mark(row, ""); return; }
    if (answer === "saved") {
      if (draft.at <= (sentAt[code] || 0)) {
        drop(code);
        mark(row, "");
      } else {  // typed again while the save was on its way: that newer value still waits
        draft.wanted = false;
        keep(code, draft);
        if (formOf(row)) fill(formOf(row), draft.fields, true);
        mark(row, "unsaved");
      }
    } else if (answer === "conflict") {
      draft.conflict = true;
      draft.wanted = false;
      keep(code, draft);
      if (formOf(row)) fill(formOf(row), draft.fields, true);
      mark(row, "conflict");
    } else if (answer === "refused") {  // the server said what is wrong; the user fixes it and saves
      draft.wanted = false;
      keep(code, draft);
      mark(row, "unsaved");
    }
  }

  function answerOf(status, html) {
    if (status === 409 || /entry-row-stale/.test(html)) return "conflict";
    if (status === 200 && /entry-row-saved/.test(html)) return "saved";
    if (status === 200 || status === 422 || status === 400) return "refused";
    return "";
  }

  function answerOfRow(row) {
    if (row.classList.contains("entry-row-stale")) return "conflict";
    if (row.classList.contains("entry-row-saved")) return "saved";
    if (row.querySelector(".field-error")) return "refused";
    return "";
  }

  // --- Sending again: one draft after another, while the connection holds.

  function sendOne(code, draft) {
    var body = new FormData();
    Object.keys(draft.fields).forEach(function (name) { body.append(name, draft.fields[name]); });
    sentAt[code] = draft.at;
    mark(rowFor(code), "sending");
    return window.fetch(draft.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"HX-Request": "true", "X-CSRFToken": csrfToken()},
    }).then(function (response) {
      return response.text().then(function (html) {
        var row = rowFor(code);
        var answer = answerOf(response.status, html);
        if (row && answer && window.htmx) {
          window.htmx.swap(row, html, {swapStyle: "outerHTML"});
          row = rowFor(code);
        }
        if (answer) settle(code, row, answer);
        else mark(row, "failed");
        return true;
      });
    }, function () {
      mark(rowFor(code), "offline");
      return false;  // the connection is down: stop, the next `online` or retry picks it up
    });
  }

  function sendWaiting() {
    if (sending || !navigator.onLine) return;
    var waiting = codes().filter(function (code) {
      var draft = load(code);
      return draft && draft.wanted && !draft.conflict && draft.action;
    });
    if (!waiting.length) return;
    sending = true;
    var step = function (i) {
      if (i >= waiting.length) { sending = false; return; }
      var draft = load(waiting[i]);
      if (!draft || !draft.wanted) { step(i + 1); return; }
      sendOne(waiting[i], draft).then(function (online) {
        if (online) step(i + 1);
        else sending = false;
      });
    };
    step(0);
  }

  // --- Listening to the page and to htmx.

  function remember(form, wanted) {
    var code = codeOf(form);
    if (!code) return null;
    var before = load(code) || {};
    var draft = {fields: fieldsOf(form), action: form.getAttribute("action"), at: Date.now(),
                 wanted: wanted || !!before.wanted, conflict: wanted ? false : !!before.conflict};
    keep(code, draft);
    return draft;
  }

  page.addEventListener("input", function (evt) {
    var form = evt.target.closest && evt.target.closest("form.entry-form");
    if (!form) return;
    remember(form, false);
    mark(form.closest(".entry-row"), "unsaved");
  });
  page.addEventListener("change", function (evt) {
    var form = evt.target.closest && evt.target.closest("form.entry-form");
    if (form) remember(form, false);
  });

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.detail.elt;
    if (!form.matches || !form.matches("form.entry-form")) return;
    var draft = remember(form, true);
    if (draft) sentAt[codeOf(form)] = draft.at;
    mark(form.closest(".entry-row"), "sending");
  });
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    // A conflict (409) or a refusal (422) carries the row to show: swap it like a success.
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (status === 409 || status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  function lost(evt) {
    var form = evt.detail.elt;
    if (form && form.matches && form.matches("form.entry-form")) mark(form.closest(".entry-row"), "offline");
  }
  document.body.addEventListener("htmx:sendError", lost);
  document.body.addEventListener("htmx:timeout", lost);
  document.body.addEventListener("htmx:responseError", function (evt) {
    var form = evt.detail.elt;
    if (form && form.matches && form.matches("form.entry-form")) mark(form.closest(".entry-row"), "failed");
  });
  document.body.addEventListener("htmx:load", function (evt) {
    var row = evt.target;
    if (!row.matches || !row.matches(".entry-row[data-indicator]")) return;
    settle(row.dataset.indicator, row, answerOfRow(row));
  });

  // --- On load: put every kept draft back in its row, then send those whose Save was pressed.

  codes().forEach(function (code) {
    var row = rowFor(code);
    var draft = load(code);
    if (!draft || !draft.at || Date.now() - draft.at > MAX_AGE_MS) { drop(code); return; }
    if (!row || !formOf(row)) return;
    fill(formOf(row), draft.fields, !!draft.conflict);
    mark(row, draft.conflict ? "conflict" : "restored");
  });
  summarize();
  window.addEventListener("online", sendWaiting);
  window.addEventListener("offline", function () {
    codes().forEach(function (code) {
      var draft = load(code);
      if (draft && draft.wanted) mark(rowFor(code), "offline");
    });
  });
  window.setInterval(sendWaiting, RETRY_MS);
  sendWaiting();
})();
