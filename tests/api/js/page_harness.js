// Runs the web page's app.js in node against a small fake DOM built from a JSON description of a
// rendered analysis page (see tests/api/test_web_page.py), plays a list of actions and prints
// what the page shows after each: the side panel, the "N findings shown" line, the selection.
// Only what app.js touches is faked; it is no browser (no layout, no CSS).
"use strict";
const fs = require("fs");
const vm = require("vm");

const [appPath, specPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));

class Node_ {
  constructor(tag, props = {}) {
    this.tagName = tag.toUpperCase();
    this.className = "";
    this.dataset = {};
    this.hidden = false;
    this.textContent = "";
    this.childNodes = [];
    this.listeners = {};
    this.parent = null;
    Object.assign(this, props);
    const self = this;
    this.classList = {
      add: (c) => { if (!self.classList.contains(c)) self.className = (self.className + " " + c).trim(); },
      remove: (c) => { self.className = self.className.split(" ").filter((x) => x && x !== c).join(" "); },
      contains: (c) => self.className.split(" ").includes(c),
    };
  }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  fire(type, event) { for (const fn of this.listeners[type] || []) fn(event || { target: this }); }
  removeAttribute(name) { delete this[name]; }
  appendChild(child) { child.parent = this; this.childNodes.push(child); return child; }
  replaceChildren(...nodes) { this.childNodes = []; for (const n of nodes) this.appendChild(n); }
  cloneNode() {
    const copy = new Node_(this.tagName, { className: this.className, textContent: this.textContent });
    for (const c of this.childNodes) copy.appendChild(c.cloneNode());
    return copy;
  }
  closest(selector) {
    for (let el = this; el; el = el.parent) if (el.matches(selector)) return el;
    return null;
  }
  matches(selector) {
    if (selector === ".view") return this.classList.contains("view");
    if (selector === ".view mark") return this.tagName === "MARK" && !!this.closest(".view");
    return false;
  }
}

const byId = {};
const control = (id, value) => (byId[id] = new Node_("input", { id, value }));
control("taxonomy", spec.views[0].taxonomy);
control("technique", "");
control("category", "");
control("threshold", "0");
control("voice", "author");
control("show-hidden", "on").checked = false;
for (const id of ["threshold-value", "shown"]) byId[id] = new Node_("span", { id });
byId["findings-data"] = new Node_("script", { textContent: JSON.stringify(spec.findings) });
const box = (byId.explain = new Node_("aside", { id: "explain" }));
for (const [tag, cls, text] of spec.panel) box.appendChild(new Node_(tag, { className: cls, textContent: text }));

const views = spec.views.map((v) => {
  const view = new Node_("div", { className: "view", hidden: v.hidden });
  view.dataset.taxonomy = v.taxonomy;
  for (const f of v.marks) {
    const mark = view.appendChild(new Node_("mark", { className: "cat-x" }));
    mark.dataset.f = f;
  }
  return view;
});
const marks = () => views.flatMap((v) => v.childNodes);
const rows = spec.rows.map(([i, hidden]) => {
  const row = new Node_("tr", { hidden });
  row.dataset.i = String(i);
  return row;
});

const all = {
  ".view": () => views,
  ".view mark": marks,
  ".glance-tax": () => [],
  "mark.selected": () => marks().filter((m) => m.classList.contains("selected")),
  "#findings-table tbody tr": () => rows,
  "#technique option[data-taxonomy]": () => [],
  "input[name=mode]": () => [],
};
const document_ = new Node_("document");
document_.querySelector = (sel) => (sel[0] === "#" && !sel.includes(" ") ? byId[sel.slice(1)] || null : (all[sel] ? all[sel]()[0] || null : null));
document_.querySelectorAll = (sel) => {
  if (!all[sel]) throw new Error("the harness does not fake the selector " + sel);
  return all[sel]();
};
document_.createElement = (tag) => new Node_(tag);

vm.runInNewContext(fs.readFileSync(appPath, "utf8"), { document: document_, window: {}, console });

const state = () => ({
  panel: box.childNodes.map((n) => n.textContent),
  shown: byId.shown.textContent,
  selected: marks().map((m, k) => (m.classList.contains("selected") ? k : -1)).filter((k) => k >= 0),
  marks: marks().map((m) => [m.className, m.title || ""]),
  rows: rows.map((r) => !r.hidden),
});
const out = [state()];
for (const action of spec.actions) {
  if (action.click !== undefined) document_.fire("click", { target: marks()[action.click] });
  if (action.set) {
    byId[action.set[0]].value = action.set[1];
    byId[action.set[0]].fire("input");
  }
  if (action.check !== undefined) {
    byId[action.check[0]].checked = action.check[1];
    byId[action.check[0]].fire("change");
  }
  out.push(state());
}
process.stdout.write(JSON.stringify(out));
