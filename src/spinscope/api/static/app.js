// spinscope web page: submit the form to the JSON API, then filter and explain the highlights.
// Article text reaches the DOM only as server-escaped HTML or through textContent.
"use strict";

(function () {
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));

  // "1 finding", "2 findings"
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  function setStatus(message, busy) {
    const status = $("#status");
    status.textContent = message;
    status.className = busy ? "busy" : "";
  }

  function showMode() {
    const mode = $("input[name=mode]:checked").value;
    for (const el of $$("[class^=mode-]")) {
      el.hidden = !el.className.split(" ").includes("mode-" + mode);
    }
  }

  function request() {
    const mode = $("input[name=mode]:checked").value;
    const headers = {};
    const token = $("#token");
    if (token && token.value) headers.Authorization = "Bearer " + token.value;
    if (mode === "file") {
      const file = $("#file").files[0];
      if (!file) return null;
      const body = new FormData();
      body.append("file", file);
      return { url: "/api/analyze/file", init: { method: "POST", headers, body } };
    }
    const value = mode === "url" ? $("#url").value : $("#text").value;
    if (!value.trim()) return null;
    headers["Content-Type"] = "application/json";
    const body = JSON.stringify({ [mode]: value });
    return { url: "/api/analyze", init: { method: "POST", headers, body } };
  }

  async function submit(event) {
    event.preventDefault();
    const req = request();
    if (!req) return setStatus("Give a text, a file or a web address first.");
    const button = $("#analyze-button");
    button.disabled = true;
    setStatus("Analysing…", true);
    try {
      const response = await fetch(req.url, req.init);
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        const message = data.error ? data.error.message : "Request failed.";
        return setStatus(message + " (HTTP " + response.status + ")");
      }
      window.location.assign("/documents/" + encodeURIComponent(data.id));
    } catch (err) {
      setStatus("The server could not be reached.");
    } finally {
      button.disabled = false;
    }
  }

  function setUpForm() {
    const form = $("#analyze-form");
    if (!form) return;
    form.addEventListener("submit", submit);
    for (const radio of $$("input[name=mode]")) radio.addEventListener("change", showMode);
    showMode();
  }

  function setUpResult() {
    const data = $("#findings-data");
    if (!data) return;
    const findings = JSON.parse(data.textContent);
    const taxonomy = $("#taxonomy");
    const technique = $("#technique");
    const category = $("#category");
    const threshold = $("#threshold");
    const voice = $("#voice");
    const showHidden = $("#show-hidden");

    const passes = (i) => {
      const f = findings[i];
      return f.taxonomy === taxonomy.value && f.confidence >= Number(threshold.value) &&
        (voice.value === "all" || f.author) && (showHidden.checked || !f.hidden) &&
        (!technique.value || f.label === technique.value) && (!category.value || f.cat === category.value);
    };
    const visible = (mark) => mark.dataset.f.split(" ").map(Number).filter(passes);
    const box = $("#explain");
    const emptyPanel = Array.from(box.childNodes, (node) => node.cloneNode(true));
    let selected = null; // the highlight the panel explains (update() rewrites class names)
    const tip = (ids) => ids.map((i) => {
      const f = findings[i];
      return f.name + " (" + f.confidence.toFixed(2) + ")" + (f.author ? "" : ", " + f.voice);
    }).join("; ");

    function update() {
      $("#threshold-value").textContent = Number(threshold.value).toFixed(2);
      for (const view of $$(".view")) view.hidden = view.dataset.taxonomy !== taxonomy.value;
      for (const el of $$(".glance-tax")) el.hidden = el.dataset.taxonomy !== taxonomy.value;
      for (const option of $$("#technique option[data-taxonomy]")) {
        option.hidden = option.dataset.taxonomy !== taxonomy.value;
        if (option.hidden && option.selected) technique.value = "";
      }
      for (const mark of $$(".view mark")) {
        const ids = visible(mark);
        if (!ids.length) {
          mark.className = "off";
          mark.removeAttribute("title");
          mark.tabIndex = -1;
          continue;
        }
        const quoted = ids.every((i) => !findings[i].author);
        mark.className = "cat-" + findings[ids[ids.length - 1]].cat + " depth-" + Math.min(ids.length, 3) +
          (quoted ? " quoted" : "");
        mark.title = tip(ids);
        mark.tabIndex = 0;
      }
      let shown = 0;
      for (const row of $$("#findings-table tbody tr")) {
        row.hidden = !passes(Number(row.dataset.i));
        if (!row.hidden) shown += 1;
      }
      $("#shown").textContent = plural(shown, "finding") + " shown";
      syncPanel();
    }

    // The panel explains only what is shown: after a filter or the slider moves, a selected
    // highlight is explained again with its visible findings, or the panel is emptied.
    function syncPanel() {
      const mark = selected;
      if (!mark) return;
      if (visible(mark).length && !mark.closest(".view").hidden) return explain(mark);
      mark.classList.remove("selected");
      selected = null;
      box.replaceChildren(...emptyPanel.map((node) => node.cloneNode(true)));
    }

    function explain(mark) {
      const ids = visible(mark);
      if (!ids.length) return;
      for (const m of $$("mark.selected")) m.classList.remove("selected");
      mark.classList.add("selected");
      selected = mark;
      box.replaceChildren();
      for (const i of ids) {
        const f = findings[i];
        const add = (tag, text, cls) => {
          const el = document.createElement(tag);
          el.textContent = text;
          if (cls) el.className = cls;
          box.appendChild(el);
        };
        add("h4", f.name, "technique-name");
        add("p", f.category + " · confidence " + f.confidence.toFixed(2), "hint");
        if (!f.author) add("p", "Whose words: " + f.voice, "voice");
        add("p", f.explanation, "explanation");
        if (f.definition) add("p", f.definition, "definition");
      }
    }

    for (const control of [taxonomy, technique, category, threshold, voice, showHidden]) {
      control.addEventListener("input", update);
      control.addEventListener("change", update);
    }
    document.addEventListener("click", (event) => {
      const mark = event.target.closest(".view mark");
      if (mark) explain(mark);
    });
    document.addEventListener("keydown", (event) => {
      const mark = event.target.closest && event.target.closest(".view mark");
      if (mark && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        explain(mark);
      }
    });
    update();
  }

  setUpForm();
  setUpResult();
})();
