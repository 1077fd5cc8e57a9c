// kneecoach offline: installs the service worker, keeps check-ins and sessions saved with no
// network in this browser (IndexedDB), sends them when kneecoach can be reached, shows what
// did not get through, and reminds at the chosen time while the app is open.
// Every form works without this file; with no network, it is what keeps an answer.
"use strict";

var kneecoachOutbox = (function () {
  var FLAGS = ["clicking", "catching", "locking", "giving_way", "weakness", "warm", "fever", "calf_pain"];
  var NUMBERS = ["pain", "pain_worst", "swelling", "stiffness_min", "steps", "exercise_pain"];
  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var opening = indexedDB.open("kneecoach", 1);
        opening.onupgradeneeded = function () { opening.result.createObjectStore("outbox", { keyPath: "key" }); };
        opening.onsuccess = function () { resolve(opening.result); };
        opening.onerror = function () { reject(opening.error); };
      });
    }
    return dbPromise;
  }

  function store(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("outbox", mode);
        var result = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function remove(key) { return store("readwrite", function (s) { s.delete(key); }); }

  function localDay() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") entries.push([name, value]);
    });
    return entries;
  }
  function all_of(entries, name) {
    return entries.filter(function (e) { return e[0] === name; }).map(function (e) { return e[1]; });
  }
  function one(entries, name) { var found = all_of(entries, name); return found.length ? found[0].trim() : ""; }
  function number(text) { var n = Number(text); return text !== "" && isFinite(n) ? n : text; }

  // The check-in form as the API's body: the same columns, the form's rules (an unticked box
  // is "no"; a day already logged is replaced, and only if it is still the version shown).
  function checkinBody(entries, factorNames) {
    var body = { date: one(entries, "date") || localDay() };
    NUMBERS.forEach(function (name) { var v = one(entries, name); if (v !== "") body[name] = number(v); });
    var ticked = all_of(entries, "flags");
    FLAGS.forEach(function (name) { body[name] = ticked.indexOf(name) >= 0; });
    var morning = one(entries, "next_morning_worse");
    if (morning === "yes" || morning === "no") body.next_morning_worse = morning === "yes";
    ["shoe", "note"].forEach(function (name) { var v = one(entries, name); if (v) body[name] = v; });
    var picked = all_of(entries, "factors");
    factorNames.concat(picked).forEach(function (name) { body["factor:" + name] = picked.indexOf(name) >= 0; });
    var version = one(entries, "version");
    if (one(entries, "version_day") === body.date && /^\d+$/.test(version)) body.version = Number(version);
    return body;
  }

  function sessionBody(entries, day) {
    var exercises = [];
    var slots = [];
    entries.forEach(function (e) {
      var slot = e[0].indexOf("sets_") === 0 ? e[0].slice(5) : null;
      if (slot && slots.indexOf(slot) < 0) slots.push(slot);
    });
    slots.forEach(function (slot) {
      var exercise = { id: slot, sets: all_of(entries, "sets_" + slot).length, pain_during: number(one(entries, "pain_" + slot) || "0") };
      var effort = one(entries, "effort_" + slot);
      if (effort) exercise.effort = number(effort);
      exercises.push(exercise);
    });
    return { date: day, exercises: exercises, warning_signs: all_of(entries, "warning_signs") };
  }

  function itemFrom(form) {
    var kind = form.dataset.offline;
    var entries = entriesOf(form);
    var item = { key: crypto.randomUUID(), kind: kind, state: "waiting", created: new Date().toISOString(), form: entries };
    if (kind === "checkin") {
      var names = (form.dataset.factors || "").split(" ").filter(Boolean);
      item.body = checkinBody(entries, names);
      item.url = "/api/v1/checkins?merge=false";
      item.day = item.body.date;
    } else {
      var day = form.dataset.day || localDay();
      if (document.documentElement.dataset.fromCache && form.dataset.day !== localDay()) day = localDay();
      item.body = sessionBody(entries, day);
      item.url = "/api/v1/sessions";
      item.day = day;
      if (!item.body.exercises.length) return null;
    }
    return item;
  }

  // Send what waits, oldest first, one at a time; stop at the first network failure.
  var sending = null;
  function send() {
    if (sending) return sending;
    var run = function () {
      return all().then(function (items) {
        var waiting = items.filter(function (i) { return i.state === "waiting"; });
        var sent = [];
        var next = function (index) {
          if (index >= waiting.length) return sent;
          return sendOne(waiting[index]).then(function (outcome) {
            if (outcome === "sent") sent.push(waiting[index]);
            return outcome === "later" ? sent : next(index + 1);
          });
        };
        return next(0);
      });
    };
    var locked = navigator.locks ? navigator.locks.request("kneecoach-outbox", run) : run();
    sending = locked.then(function (sent) { sending = null; show(sent); return sent; },
      function () { sending = null; show([]); return []; });
    return sending;
  }

  function sendOne(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "Idempotency-Key": item.key },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      if (response.ok) return remove(item.key).then(function () { return "sent"; });
      if (response.status >= 500 || response.status === 408 || response.status === 429) return "later";
      return response.json().catch(function () { return null; }).then(function (answer) {
        item.state = "not_sent";
        item.status = response.status;
        item.problem = answer && answer.error && answer.error.problem ? answer.error.problem : "kneecoach said no (" + response.status + ")";
        return put(item).then(function () { return "refused"; });
      });
    }, function () { return "later"; });
  }

  // Shown by this script only, so a page without it carries no empty notice.
  function reveal(el) {
    if (!el) return el;
    var kind = el.dataset.notice;
    if (kind) el.classList.add("notice", kind === "plain" ? "notice" : kind);
    el.hidden = false;
    return el;
  }

  function word(box, name) { var el = box.querySelector('[data-word="' + name + '"]'); return el ? el.textContent.trim() : name; }

  function label(box, item) {
    return word(box, item.kind === "checkin" ? "checkin" : "session") + " " + item.day;
  }

  function redoUrl(item) {
    var base = item.kind === "checkin" ? "/checkin?day=" + encodeURIComponent(item.day) : "/today";
    return base + "#redo=" + item.key;
  }

  // The list of what is kept on this device: waiting to send, or not sent (with why, and a
  // way to do it again). Nothing leaves the list unless it was sent or the person removes it.
  function show(sent) {
    var box = document.getElementById("outbox");
    if (!box) return Promise.resolve();
    var done = document.getElementById("outbox-sent");
    if (done && sent && sent.length) {
      done.textContent = word(box, "sent") + " " + sent.map(function (i) { return label(box, i); }).join(", ") + ".";
      reveal(done);
    }
    return all().then(function (items) {
      var list = box.querySelector("[data-outbox-list]");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.state = item.state;
        li.dataset.key = item.key;
        var what = document.createElement("strong");
        what.textContent = label(box, item) + ": ";
        li.appendChild(what);
        var why = String(item.problem || "");
        why = why.charAt(0).toUpperCase() + why.slice(1) + (/[.!?]$/.test(why) ? "" : ".");
        li.appendChild(document.createTextNode(item.state === "waiting" ? word(box, "waiting") : word(box, "not_sent") + " " + why));
        if (item.state === "not_sent") {
          var actions = document.createElement("span");
          actions.className = "actions";
          var again = document.createElement("a");
          again.className = "button";
          again.href = redoUrl(item);
          again.textContent = word(box, "redo");
          var drop = document.createElement("button");
          drop.type = "button";
          drop.textContent = word(box, "remove");
          drop.setAttribute("aria-label", word(box, "remove") + ": " + label(box, item));
          drop.addEventListener("click", function () {
            if (window.confirm(word(box, "confirm_remove"))) remove(item.key).then(function () { show([]); });
          });
          actions.appendChild(again);
          actions.appendChild(document.createTextNode(" "));
          actions.appendChild(drop);
          li.appendChild(actions);
        }
        list.appendChild(li);
      });
      var refused = items.some(function (i) { return i.state === "not_sent"; });
      box.querySelector("[data-outbox-title]").textContent = word(box, refused ? "title_not_sent" : "title_waiting");
      if (items.length) reveal(box); else box.hidden = true;
      if (!items.some(function (i) { return i.state === "waiting"; })) {
        // nothing waits any more: "kept, to be sent" would no longer be true
        document.querySelectorAll("#kept-checkin, #kept-session").forEach(function (k) { k.hidden = true; });
      }
      document.documentElement.dataset.outbox = items.length + " " + (refused ? "not_sent" : "waiting");
    });
  }

  // Set when a form post could not reach kneecoach although the browser said "online" (a weak
  // signal, the server off): the next save is kept on this device until a page loads again.
  var UNREACHABLE = "kneecoach-unreachable";
  function unreachable() {
    try { return window.sessionStorage.getItem(UNREACHABLE) === "1"; } catch (e) { return false; }
  }

  // With no network (or on a page this device kept), a check-in or session form keeps its
  // answers here instead of posting, then shows the list.
  function keepOffline(form) {
    form.addEventListener("submit", function (event) {
      var redo = form.dataset.redo;
      if (navigator.onLine !== false && !document.documentElement.dataset.fromCache && !unreachable()) {
        if (redo) { event.preventDefault(); remove(redo).then(function () { form.submit(); }); }
        return;
      }
      event.preventDefault();
      var item = itemFrom(form);
      var note = form.querySelector("[data-offline-empty]");
      if (!item) { reveal(note); return; }
      var saved = redo ? remove(redo).then(function () { return put(item); }) : put(item);
      saved.then(function () { window.location.assign("/offline?kept=" + item.kind); });
    });
  }

  // "Do it again": the answers of an item not sent, filled in on a fresh form.
  function refill(form) {
    var match = /#redo=([\w-]+)/.exec(window.location.hash);
    if (!match) return;
    store("readonly", function (s) { return s.get(match[1]); }).then(function (item) {
      if (!item || item.kind !== form.dataset.offline) return;
      form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (i) { i.checked = false; });
      item.form.forEach(function (entry) {
        form.querySelectorAll('[name="' + entry[0] + '"]').forEach(function (input) {
          if (input.type === "checkbox" || input.type === "radio") {
            if (input.value === entry[1]) input.checked = true;
          } else if (input.type !== "hidden") {
            input.value = entry[1];
            input.dispatchEvent(new Event("input"));
          }
        });
      });
      form.dataset.redo = item.key;
      var note = document.getElementById("redo-note");
      if (note) reveal(note).focus();
    });
  }

  // A check-in form this device kept from an earlier day: make it today's, seen as empty
  // (version 0), so a day someone logged meanwhile is refused and listed, never overwritten.
  function toToday(form) {
    var day = form.querySelector("input[name=date]");
    if (!document.documentElement.dataset.fromCache || !day || !day.max || day.max === localDay() || day.value !== day.max) return;
    day.max = day.value = localDay();
    var version = form.querySelector("input[name=version]");
    var shown = form.querySelector("input[name=version_day]");
    if (version && shown) { version.value = "0"; shown.value = localDay(); }
  }

  function start() {
    if (!("indexedDB" in window) || !window.crypto || !crypto.randomUUID) return;
    document.querySelectorAll("form[data-offline]").forEach(function (form) { toToday(form); keepOffline(form); refill(form); });
    var root = document.documentElement;
    var note = document.getElementById("offline-note");
    if (note && root.dataset.fromCache) {
      reveal(note);
      var when = note.querySelector("[data-saved-at]");
      var saved = new Date(root.dataset.fromCache);
      if (when && !isNaN(saved)) when.textContent = saved.toLocaleString();
      var why = root.dataset.offlineWhy;
      if (why === "not-sent") {
        var lost = document.getElementById("post-not-sent");
        if (lost) lost.hidden = false;
        try { window.sessionStorage.setItem(UNREACHABLE, "1"); } catch (e) { /* then the next save posts again */ }
      }
    }
    if (unreachable() && !root.dataset.fromCache) {
      // This page may come from the browser's own cache: ask kneecoach itself before posting.
      fetch("/api/v1/checkins?first=9999-12-31", { cache: "no-store", credentials: "same-origin" }).then(function (r) {
        if (r.ok) window.sessionStorage.removeItem(UNREACHABLE);
      }, function () { /* still unreachable */ });
    }
    var kept = /[?&]kept=(checkin|session)/.exec(window.location.search);
    if (kept) { var k = document.getElementById("kept-" + kept[1]); if (k) k.hidden = false; }
    window.addEventListener("online", function () {
      if (note) note.hidden = true;  // the copy's "you are offline" no longer holds
      send();
    });
    show([]).then(send);
  }

  return { start: start, send: send, show: show, all: all, checkinBody: checkinBody, sessionBody: sessionBody };
})();

// Reminders: at the chosen time, in the chosen time zone, while kneecoach is open.
var kneecoachReminder = (function () {
  var KEY = "kneecoach-reminder";

  function chosen() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  function clock(zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return { day: parts.year + "-" + parts.month + "-" + parts.day, seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second) };
  }

  // Shown by the service worker when there is one (phones show them only that way), else by
  // the page; the outcome is marked on <html data-reminder> ("shown" or "failed").
  function notify(text) {
    var options = { body: text, icon: "/icons/icon-192.png", tag: "kneecoach-reminder" };
    var mark = function (outcome) { document.documentElement.dataset.reminder = outcome; return outcome; };
    var worker = navigator.serviceWorker ? navigator.serviceWorker.getRegistration() : Promise.resolve(null);
    return worker.then(function (registration) {
      if (registration && registration.active) return registration.showNotification("kneecoach", options);
      new Notification("kneecoach", options);
      return undefined;
    }).then(function () { return mark("shown"); }, function () { return mark("failed"); });
  }

  var timer = null;
  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    var reminder = chosen();
    if (!reminder || !("Notification" in window) || Notification.permission !== "granted") return;
    var at = reminder.time.split(":");
    var now;
    try { now = clock(reminder.zone); } catch (e) { return; }
    var wait = (Number(at[0]) * 3600 + Number(at[1]) * 60 - now.seconds + 86400) % 86400 || 86400;
    timer = setTimeout(function () {
      var today = clock(reminder.zone).day;
      if (window.localStorage.getItem(KEY + "-shown") !== today) {
        window.localStorage.setItem(KEY + "-shown", today);
        notify(reminder.text);
      }
      schedule();
    }, wait * 1000);
  }

  // The settings page carries the choice: keep it in this browser and wire its buttons.
  function settings() {
    var form = document.querySelector("[data-reminder-settings]");
    if (!form) return;
    var status = document.getElementById("notify-status");
    var ask = document.getElementById("notify-ask");
    var test = document.getElementById("notify-test");
    var here = document.getElementById("zone-here");
    if (form.dataset.time && form.dataset.zone) {
      window.localStorage.setItem(KEY, JSON.stringify({ time: form.dataset.time, zone: form.dataset.zone, text: form.dataset.text }));
    } else {
      window.localStorage.removeItem(KEY);
    }
    function state() {
      if (!status) return;
      var now = "Notification" in window ? Notification.permission : "unsupported";
      status.textContent = (document.querySelector('[data-word="permission_' + now + '"]') || {}).textContent || now;
      if (ask) ask.hidden = now !== "default";
      if (test) test.hidden = now !== "granted";
    }
    if (ask) ask.addEventListener("click", function () { Notification.requestPermission().then(function () { state(); schedule(); }); });
    if (test) {
      test.addEventListener("click", function () {
        notify(form.dataset.text || "kneecoach").then(function (outcome) {
          var said = document.getElementById("notify-result");
          var words = document.querySelector('[data-word="test_' + outcome + '"]');
          if (said && words) { said.textContent = words.textContent; said.hidden = false; }
        });
      });
    }
    if (here) {
      here.hidden = false;
      here.addEventListener("click", function () {
        var zone = document.getElementById("reminder_zone");
        if (zone) { zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; zone.focus(); }
      });
    }
    state();
  }

  return { schedule: schedule, settings: settings };
})();

if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no offline copy: the pages still work */ });
}
document.addEventListener("DOMContentLoaded", function () {
  kneecoachOutbox.start();
  kneecoachReminder.settings();
  kneecoachReminder.schedule();
});
