/* Search: shown by this script; Pagefind's index is fetched from the site on first focus. */
(() => {
"use strict";
const box = document.getElementById("search");
if (!box) return;
const d = box.dataset, input = box.querySelector("input"), status = box.querySelector("p");
const list = box.querySelector("ol"), form = document.getElementById("filters");
const base = new URL(d.index, location.href).pathname;
const add = (parent, name) => parent.appendChild(document.createElement(name));
let ready, turn = 0, timer;

const load = () => ready || (ready = fetch(base + "bundles.json").then((r) => r.json()).then(async (b) => {
  const pf = await import(base + b.bundles[0] + "pagefind.js");
  await Promise.all(b.bundles.slice(1).map((x) => pf.mergeIndex(base + x)));
  return pf;
}));

function filters() {
  const want = {};
  if (!form) return want;
  form.querySelectorAll("select[name=tag],select[data-field]").forEach((s) => { if (s.value) want[s.name] = s.value; });
  const f = +form.elements.from.value, t = +form.elements.to.value;
  if (f || t) want.year = { any: [...form.elements.from.options].map((o) => o.value)
    .filter((y) => y && !(f && y < f) && !(t && y > t)) };
  return want;
}

function show(items, count) {
  list.textContent = "";
  for (const data of items) {
    const li = add(list, "li"), a = add(li, "a"), p = add(li, "p");
    a.href = data.url;
    a.textContent = data.meta.title;
    li.insertBefore(document.createElement("span"), p).textContent = data.meta.date;
    // Only the excerpt's text and the <mark>s around the words found.
    for (const n of new DOMParser().parseFromString(data.excerpt, "text/html").body.childNodes) {
      if (n.nodeName === "MARK") add(p, "mark").textContent = n.textContent;
      else p.append(n.textContent);
    }
  }
  list.hidden = !count;
  status.textContent = (count ? (count > 1 ? d.many : d.one) + (count > items.length ? " " + d.more : "") : d.none)
    .replace("{count}", count).replace("{shown}", items.length);
}

async function run() {
  const term = input.value.trim(), mine = ++turn;
  if (!term) {
    list.hidden = true;
    list.textContent = status.textContent = "";
    return;
  }
  try {
    const found = await (await load()).search(term, { filters: filters() });
    const items = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    if (mine === turn) show(items, found.results.length);
  } catch (error) {
    if (mine === turn) status.textContent = d.failed;
  }
}

box.hidden = false;
input.addEventListener("focus", load);
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
input.addEventListener("keydown", (e) => {
  if (e.key === "Escape") { e.preventDefault(); input.value = ""; run(); }
});
if (form) {
  form.addEventListener("change", run);
  form.addEventListener("reset", () => setTimeout(run, 0));
}
})();
