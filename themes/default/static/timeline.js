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
  var fields = ["tag"].concat(declared, ["from", "to"]);
  var sections = Array.prototype.slice.call(chronology.querySelectorAll("section.year"));
  var items = Array.prototype.slice.call(chronology.querySelectorAll(".event-item"));
  var newest = false;

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
})();
