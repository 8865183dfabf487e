/* Inside an embedded timeline: apply the filters in the URL, and tell the host
   page how tall the content is so embed.js can size the frame to fit.
   URL: ?tags=ico,cnil (any of them) &from=2021 &to=2023 &order=newest &event=<id>.
   Without this script every event is shown. */
(function () {
  "use strict";
  var list = document.getElementById("chronology");
  var params = window.URLSearchParams ? new URLSearchParams(location.search) : null;

  function filter() {
    if (!list || !params) return;
    var tags = (params.get("tags") || "").split(",").filter(Boolean);
    var from = Number(params.get("from")) || -Infinity; // years before the common era are negative
    var to = Number(params.get("to")) || Infinity;
    var items = Array.prototype.slice.call(list.children);
    var shown = 0;
    items.forEach(function (item) {
      var year = Number(item.getAttribute("data-year"));
      var own = item.getAttribute("data-tags").split(" ");
      var keep = year >= from && year <= to && (!tags.length || tags.some(function (tag) { return own.indexOf(tag) !== -1; }));
      item.hidden = !keep;
      if (keep) shown += 1;
    });
    if (params.get("order") === "newest") items.reverse().forEach(function (item) { list.appendChild(item); });
    var status = document.getElementById("embed-status");
    if (status && shown !== items.length) status.textContent = shown + " of " + items.length + " events";
    var current = params.get("event") && document.getElementById(params.get("event"));
    if (current && !current.hidden) {
      current.classList.add("current");
      current.scrollIntoView();
    }
  }

  function height() {
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  var last = -1;
  function report() {
    var now = height();
    if (now === last || window.parent === window) return;
    last = now;
    window.parent.postMessage({ type: "timeline-embed:height", height: now }, "*");
  }

  // In a frame sized to its content nothing scrolls, so a citation opens its
  // sources and the host page is asked to show it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    target.focus({ preventScroll: true });
    report();
  });

  filter();
  report();
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  document.addEventListener("toggle", report, true);
})();
