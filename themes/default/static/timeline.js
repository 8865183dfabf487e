/* Filters for the timeline page: topic, the fields the timeline declares as
   filters (each a select marked data-field), years, order.
   Progressive: without this script every event is shown and the topic pages
   serve the same need. The state lives in the URL, so a filtered view can be
   shared and survives a reload. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var chronology = document.getElementById("chronology");
  if (!form || !chronology || !window.URLSearchParams || !history.replaceState) return;

  var status = document.getElementById("filter-status");
  var declared = Array.prototype.map.call(form.querySelectorAll("select[data-field]"), function (select) {
    return select.name;
  });
  var fields = ["tag"].concat(form.elements.group ? ["group"] : [], declared, ["from", "to"]);
  var sections = Array.prototype.slice.call(chronology.querySelectorAll("section.year"));
  var items = Array.prototype.slice.call(chronology.querySelectorAll(".event-item"));
  var newest = false;
  var overview = document.getElementById("overview");
  var marks = overview ? [].slice.call(overview.querySelectorAll("a.mark")) : [];
  var years = [].slice.call(document.querySelectorAll("#year-index li"));

  function readUrl() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name) || "";
      // Only a value the form offers: an unknown one would hide everything silently.
      var known = Array.prototype.some.call(field.options, function (option) { return option.value === value; });
      field.value = known ? value : "";
    });
    form.elements.order.checked = params.get("order") === "newest";
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var value = form.elements[name].value;
      if (value) params.set(name, value); else params.delete(name);
    });
    if (form.elements.order.checked) params.set("order", "newest"); else params.delete("order");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function matches(item, wanted) {
    var data = item.dataset;
    var year = Number(data.year);
    return (!wanted.tag || data.tags.split(" ").indexOf(wanted.tag) !== -1) &&
      (!wanted.group || data.group === wanted.group) &&
      declared.every(function (name) {
        return !wanted[name] || item.getAttribute("data-field-" + name) === wanted[name];
      }) &&
      (!wanted.from || year >= Number(wanted.from)) &&
      (!wanted.to || year <= Number(wanted.to));
  }

  function reorder(wantNewest) {
    if (wantNewest === newest) return;
    newest = wantNewest;
    // `sections` keeps the chronological order; each year's list is flipped in place.
    (newest ? sections.slice().reverse() : sections).forEach(function (section) { chronology.appendChild(section); });
    sections.forEach(function (section) {
      var list = section.querySelector("ol");
      Array.prototype.slice.call(list.children).reverse().forEach(function (item) { list.appendChild(item); });
    });
  }

  function apply() {
    var wanted = {};
    fields.forEach(function (name) { wanted[name] = form.elements[name].value; });
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, wanted);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".event-item:not([hidden])");
    });
    reorder(form.elements.order.checked);
    // The overview's marks (every event, on every page) and the year counts follow the filters.
    var counts = {};
    // A density strip has no marks: its pages' counts then stay as built.
    marks.forEach(function (el) {
      var on = matches(el, wanted);
      el.classList.toggle("off", !on);
      if (on) counts[el.dataset.year] = (counts[el.dataset.year] || 0) + 1;
    });
    if (marks.length) years.forEach(function (li) {
      var n = counts[li.dataset.year] || 0;
      li.querySelector(".count").textContent = n;
      li.hidden = !n;
    });
    var filtered = fields.some(function (name) { return wanted[name]; });
    // The sentences come from the page, in its language: data-some, data-all, data-all-newest.
    var sentence = filtered ? status.dataset.some : newest ? status.dataset.allNewest : status.dataset.all;
    status.textContent = sentence.replace(/\{(\w+)\}/g, function (_, name) {
      return String({ shown: shown, total: items.length }[name]);
    });
  }

  function update() {
    apply();
    writeUrl();
  }

  form.hidden = false;
  readUrl();
  apply();
  // A shared link with filters opens the panel, so the reader sees why events are missing.
  if (location.search.length > 1) document.getElementById("filter-panel").open = true;
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  // The reset event fires before the fields are cleared.
  form.addEventListener("reset", function () { setTimeout(update, 0); });

  // Titles only: remembered for the next visit.
  var compact = document.getElementById("compact");
  try {
    compact.checked = localStorage.getItem("timeline-compact") === "1";
    compact.addEventListener("change", function () { localStorage.setItem("timeline-compact", compact.checked ? "1" : ""); });
  } catch (e) { /* storage refused: the toggle still works */ }

  // The sticky bar's height, so that a linked event lands below it.
  var bar = document.getElementById("year-index");
  function measure() { document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px"); }
  measure();
  addEventListener("resize", measure);
  if (!overview) return;

  // Zoom: the view shows [lo, hi] of the strip (0 to 1); every part with data-x is placed again.
  var svg = overview.querySelector("svg");
  var start = Number(overview.dataset.start), end = Number(overview.dataset.end);
  var lo = 0, hi = 1, here = svg.querySelector(".overview-here");
  [].forEach.call(svg.querySelectorAll(".bins rect"), function (rect) {  // drawn on a grid: x and width are exact
    rect.dataset.x = parseFloat(rect.getAttribute("x")) / 100;
    rect.dataset.w = parseFloat(rect.getAttribute("width")) / 100;
  });
  var placed = [].slice.call(svg.querySelectorAll("[data-x]"));
  var ticks = [].slice.call(svg.querySelectorAll("text.tick-label"));
  var tickLines = [].slice.call(svg.querySelectorAll("line.tick"));
  var steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000];
  function pct(x) { return String(Number(((x - lo) / (hi - lo) * 100).toFixed(3))) + "%"; }  // as the build writes it
  function draw() {
    placed.forEach(function (el) {
      var x = Number(el.dataset.x), w = el.dataset.w, x2 = el.dataset.x2;
      if (el.tagName === "circle") el.setAttribute("cx", pct(x));
      else if (el.tagName === "line" && x2) { el.setAttribute("x1", pct(x)); el.setAttribute("x2", pct(Number(x2))); }
      else if (el.tagName === "rect") { el.setAttribute("x", pct(x)); el.setAttribute("width", (w / (hi - lo) * 100) + "%"); }
      var a = el.closest("a");
      if (a && el.tagName !== "line") {
        var out = x + (Number(w) || 0) < lo || x > hi;
        a.classList.toggle("out", out);
        if (out) a.setAttribute("tabindex", "-1"); else a.removeAttribute("tabindex");
      }
    });
    // Year ticks at a round step for the span in view.
    var first = start + lo * (end - start), last = start + hi * (end - start);
    var step = steps.filter(function (s) { return (last - first) / s <= 8; })[0] || 1000;
    var year = Math.ceil(first / step) * step;
    ticks.forEach(function (text, i) {
      var line = tickLines[i], show = year <= last;
      var x = ((year - start) / (end - start));
      text.classList.toggle("out", !show); line.classList.toggle("out", !show);
      text.classList.remove("minor", "first", "last"); line.classList.remove("minor");
      if (show) {
        text.textContent = year;
        text.setAttribute("x", pct(x)); line.setAttribute("x1", pct(x)); line.setAttribute("x2", pct(x));
        year += step;
      }
    });
    where();
  }
  function zoom(factor, at) {
    var span = Math.min(1, Math.max(0.01, (hi - lo) * factor));
    at = at === undefined ? (lo + hi) / 2 : at;
    lo = Math.max(0, Math.min(1 - span, at - (at - lo) * span / (hi - lo)));
    hi = lo + span;
    draw();
  }
  function pan(by) { var span = hi - lo; lo = Math.max(0, Math.min(1 - span, lo + by * span)); hi = lo + span; draw(); }
  var controls = overview.querySelector(".overview-zoom");
  controls.hidden = false;
  controls.addEventListener("click", function (event) {
    var kind = event.target.dataset && event.target.dataset.zoom;
    if (kind === "in") zoom(0.5); else if (kind === "out") zoom(2); else if (kind === "reset") { lo = 0; hi = 1; draw(); }
  });
  overview.addEventListener("keydown", function (event) {
    var key = event.key, act = { "+": 0.5, "=": 0.5, "-": 2 }[key];
    if (act) zoom(act);
    else if (key === "0") { lo = 0; hi = 1; draw(); }
    else if (key === "ArrowLeft" || key === "ArrowRight") pan(key === "ArrowLeft" ? -0.25 : 0.25);
    else return;
    event.preventDefault();
  });
  // Pinch (a wheel event with ctrlKey) zooms at the pointer; a sideways swipe pans.
  svg.addEventListener("wheel", function (event) {
    var box = svg.getBoundingClientRect();
    if (event.ctrlKey) zoom(event.deltaY > 0 ? 1.25 : 0.8, lo + (event.clientX - box.left) / box.width * (hi - lo));
    else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) pan(event.deltaX / box.width);
    else return;
    event.preventDefault();
  }, { passive: false });

  // Where the reader is: the span of the events on screen, shaded on the strip.
  var byId = {};
  marks.forEach(function (a) { var id = a.getAttribute("href").split("#")[1]; byId[id] = a.querySelector("circle").dataset.x; });
  var pending = false;
  function where() {
    pending = false;
    var top = bar.offsetHeight, xs = [];
    items.forEach(function (item) {
      if (item.hidden) return;
      var box = item.getBoundingClientRect(), x = byId[item.firstElementChild.id];
      if (box.bottom > top && box.top < innerHeight && x !== undefined) xs.push(Number(x));
    });
    if (!xs.length) { here.setAttribute("display", "none"); return; }
    var a = Math.min.apply(null, xs), b = Math.max.apply(null, xs);
    here.removeAttribute("display");
    here.setAttribute("x", pct(a));
    here.setAttribute("width", Math.max(0.6, (b - a) / (hi - lo) * 100) + "%");
  }
  addEventListener("scroll", function () { if (!pending) { pending = true; requestAnimationFrame(where); } }, { passive: true });
  form.addEventListener("change", where);
  where();
})();
