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

function enhance(root) {
  enhanceTimers(root);
  enhanceUploads(root);
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
