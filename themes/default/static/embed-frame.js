/* Inside an embedded timeline: apply the view in the URL, name the page after
   it, and tell the host page how tall the content is and what it is called so
   embed.js can size and title the frame.
   URL: ?tags=ico,cnil (any of them) &from=2021 &to=2023 &order=newest
   &event=<id> &mode=compact (one line per event: date and title).
   Without this script every event is shown in full. */
(function () {
  "use strict";
  var list = document.getElementById("chronology");
  var params = window.URLSearchParams ? new URLSearchParams(location.search) : null;
  var root = document.documentElement;

  function labels() {
    try { return JSON.parse(list.getAttribute("data-tag-labels") || "{}"); } catch (error) { return {}; }
  }

  function name(tags, from, to) {
    var known = labels();
    var parts = [];
    var names = tags.map(function (tag) { return known[tag]; }).filter(Boolean);
    if (names.length) parts.push(names.join(", "));
    var since = from === -Infinity ? "" : from, until = to === Infinity ? "" : to;
    if (since !== "" || until !== "") parts.push(since + "–" + until);
    if (!parts.length) return "";
    document.title = parts.join(", ") + " – " + document.title;
    return parts.join(", ");
  }

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
    var view = name(tags, from, to);
    var status = document.getElementById("embed-status");
    var template = status && status.getAttribute("data-filtered");
    if (template && shown !== items.length) {
      var count = template.replace("{shown}", shown).replace("{total}", items.length);
      status.textContent = view ? view + " · " + count : count;
    }
  }

  function mode() {
    if (params && params.get("mode") === "compact") root.classList.add("embed-compact");
  }

  // Scroll the frame's own page only: scrollIntoView could scroll the host page too.
  function show(element) {
    var box = element.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    window.scrollTo(0, Math.max(0, window.scrollY + box.top - 8));
  }

  function open() {
    var current = params && params.get("event") && document.getElementById(params.get("event"));
    if (current && !current.hidden) {
      current.classList.add("current");
      show(current);
    }
  }

  function height() {
    return Math.ceil(root.getBoundingClientRect().height);
  }

  var last = -1;
  function report() {
    var now = height();
    if (now === last || window.parent === window) return;
    last = now;
    window.parent.postMessage({ type: "timeline-embed:height", height: now, title: document.title }, "*");
  }

  // Links to the page itself (citations) would open a new tab (<base target="_blank">):
  // open the sources instead, and scroll to them when the frame scrolls.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    target.focus({ preventScroll: true });
    show(target);
    report();
  });

  mode();
  filter();
  open();
  report();
  if (window.ResizeObserver) new ResizeObserver(report).observe(root);
  window.addEventListener("load", report);
  document.addEventListener("toggle", report, true);
})();
