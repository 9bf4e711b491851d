// The search page of the default theme: queries the Pagefind index that `digest build` writes to
// site/pagefind/, entirely in the browser. Every file it loads is on this site, found relative to this
// page, so the site works from any sub-path. Results are built as DOM nodes; only Pagefind's <mark>
// highlights are kept from its excerpts.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const selects = {topic: document.getElementById("search-topic"), outlet: document.getElementById("search-outlet")};
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL(form.dataset.root || "./", document.baseURI);
const PAGE = 20;

let pagefind = null;
let generation = 0;

async function load() {
  if (!pagefind) {
    const bundle = new URL("pagefind/", root);
    const found = await import(new URL("pagefind.js", bundle).href);
    await found.options({baseUrl: root.pathname});
    await found.init();
    // A large site is indexed in parts (parts.json lists the others): Pagefind merges them into one search.
    const listed = await fetch(new URL("parts.json", bundle)).then((r) => (r.ok ? r.json() : {parts: []}));
    for (const part of listed.parts || []) {
      await found.mergeIndex(new URL(part, bundle).pathname, {baseUrl: root.pathname});
    }
    pagefind = found;
  }
  return pagefind;
}

function option(select, value, count) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = `${value} (${count})`;
  select.append(o);
}

async function fillFilters(params) {
  const all = await (await load()).filters();
  for (const [name, select] of Object.entries(selects)) {
    const values = Object.entries(all[name] || {}).sort((a, b) => a[0].localeCompare(b[0]));
    for (const [value, count] of values) option(select, value, count);
    select.value = params.get(name) || "";
  }
}

function excerpt(html) {
  // Pagefind's excerpt is escaped text with <mark> around the hits: keep the text and the marks only.
  const p = document.createElement("p");
  p.className = "search-result__excerpt";
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

function card(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const h2 = document.createElement("h2");
  h2.className = "search-result__title";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta.title || data.url;
  h2.append(a);
  li.append(h2);
  const bits = [data.meta.outlet, data.meta.date].filter(Boolean);
  if (bits.length) {
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = bits.join(" · ");
    li.append(meta);
  }
  li.append(excerpt(data.excerpt || ""));
  return li;
}

async function run() {
  const mine = ++generation;
  const term = input.value.trim();
  const filters = {};
  for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  const found = await (await load()).search(term || null, {filters});
  const page = await Promise.all(found.results.slice(0, PAGE).map((r) => r.data()));
  if (mine !== generation) return;  // a newer search has started
  list.replaceChildren(...page.map(card));
  const n = found.results.length;
  status.textContent = n === 0 ? "No articles found."
    : `${n} article${n === 1 ? "" : "s"} found${n > PAGE ? `; showing the first ${PAGE}` : ""}.`;
}

let timer = 0;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
for (const select of Object.values(selects)) select.addEventListener("change", run);
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
fillFilters(params).then(run, (error) => {
  status.textContent = "There is no search index yet (nothing published, or the site was built with search: false).";
  console.error(error);
});
