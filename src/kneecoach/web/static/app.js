// kneecoach: small progressive enhancements. Every form works without this file.
"use strict";

// Show the value of each range slider next to it as it moves.
function enhanceSliders(root) {
  root.querySelectorAll("input[type=range][data-output]").forEach(function (slider) {
    var output = document.getElementById(slider.dataset.output);
    if (!output) return;
    var show = function () { output.textContent = slider.value; };
    slider.addEventListener("input", show);
    show();
  });
}

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

document.addEventListener("DOMContentLoaded", function () {
  enhanceSliders(document);
  enhanceTimers(document);
});

// On a phone the navigation scrolls sideways: bring the current page's tab into view.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector(".top nav [aria-current=page]");
  var strip = current && current.closest("ul");
  if (current && strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }
});
