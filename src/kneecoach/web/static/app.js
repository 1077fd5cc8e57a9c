// kneecoach: small progressive enhancements. Every form works without this file.
"use strict";

// A hold/rest timer: counts down the hold, then the rest, for each set.
function enhanceTimers(root) {
  root.querySelectorAll("[data-timer]").forEach(function (box) {
    var hold = parseInt(box.dataset.hold || "0", 10);
    var rest = parseInt(box.dataset.rest || "0", 10);
    var display = box.querySelector(".timer");
    var phase = box.querySelector(".timer-phase");
    var button = box.querySelector("button.timer-start");
    if (!display || !button) return;
    box.hidden = false;
    var handle = null;
    function run(seconds, label, then) {
      var left = seconds;
      phase.textContent = label;
      display.textContent = left + " s";
      handle = setInterval(function () {
        left -= 1;
        display.textContent = left + " s";
        if (left <= 0) { clearInterval(handle); handle = null; then(); }
      }, 1000);
    }
    button.addEventListener("click", function () {
      if (handle) { clearInterval(handle); handle = null; phase.textContent = "Stopped"; button.textContent = "Start"; return; }
      button.textContent = "Stop";
      var start = hold > 0 ? function (next) { run(hold, "Hold", next); } : function (next) { next(); };
      start(function () {
        if (rest > 0) { run(rest, "Rest", function () { phase.textContent = "Done. Tick the set."; button.textContent = "Start"; }); }
        else { phase.textContent = "Done. Tick the set."; button.textContent = "Start"; }
      });
    });
  });
}

// Uploads show their progress: a bar while the files travel, then "reading" while the server
// counts them. Without this script (or without XHR) the form posts as usual.
function enhanceUploads(root) {
  root.querySelectorAll("form[data-progress]").forEach(function (form) {
    var status = form.querySelector(".busy");
    var bar = status && status.querySelector("progress");
    var words = status && status.querySelector(".busy-words");
    if (!status || !bar || !words || !window.FormData || !window.XMLHttpRequest) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (tooBig(form)) return;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      status.hidden = false;
      form.setAttribute("aria-busy", "true");
      words.textContent = form.dataset.progress;
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        words.textContent = form.dataset.progress + " " + Math.round((100 * e.loaded) / e.total) + "%";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        words.textContent = form.dataset.reading || form.dataset.progress;
      });
      xhr.addEventListener("load", function () {
        // A form that answers with a page of its own (a movement check's job) goes there.
        if ("followUrl" in form.dataset && xhr.status < 400 && xhr.responseURL &&
            xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
          return;
        }
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        document.title = page.title;
        document.body.replaceWith(page.body);
        document.documentElement.dataset.lastUpload = "with-progress";
        enhance(document);
        var result = document.querySelector("[data-upload-result]");
        if (result) { result.setAttribute("tabindex", "-1"); result.focus(); }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });
}

// A file over the form's size cap is named before it travels (the server checks it too).
function tooBig(form) {
  var input = form.querySelector("input[type=file][data-max-bytes]");
  if (!input || !input.files || !input.files[0]) return false;
  var max = parseInt(input.dataset.maxBytes, 10);
  if (input.files[0].size <= max) return false;
  var note = document.getElementById(input.id + "-error") || document.createElement("p");
  note.className = "field-error";
  note.id = input.id + "-error";
  note.textContent = "This file is larger than " + Math.round(max / 1048576) + " MB. Film only the squats, about 30 seconds.";
  input.parentNode.insertBefore(note, input);
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", note.id);
  input.focus();
  return true;
}

// A background job's page follows the job: the bar and words move as the JSON answer says,
// and the page is loaded again once the job ends (to show the result). Polls slow down while
// nothing changes. Without this script the page reloads itself (<noscript> meta refresh).
function enhanceJobs(root) {
  root.querySelectorAll("[data-job-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var words = box.querySelector("[data-job-words]");
    var wait = 500;
    var last = null;
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", box.dataset.jobUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.addEventListener("load", function () {
        var job = null;
        try { job = JSON.parse(xhr.responseText); } catch (e) { job = null; }
        if (!job || xhr.status >= 400) { setTimeout(poll, 5000); return; }
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        var percent = Math.round(100 * job.progress);
        if (bar) bar.value = percent;
        if (words) words.textContent = (job.status === "queued" ? "Waiting to start." : (job.message || "Working.")) + " " + percent + "% done.";
        wait = (last === percent) ? Math.min(wait * 2, 4000) : 500;
        last = percent;
        setTimeout(poll, wait);
      });
      xhr.addEventListener("error", function () { setTimeout(poll, 5000); });
      xhr.send();
    }
    setTimeout(poll, wait);
  });
}

function enhance(root) {
  enhanceTimers(root);
  enhanceUploads(root);
  enhanceJobs(root);
}

document.addEventListener("DOMContentLoaded", function () {
  enhance(document);
});

// On a phone the navigation scrolls sideways: bring the current page's tab into view.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector(".top nav [aria-current=page]");
  var strip = current && current.closest("ul");
  if (current && strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }
});
