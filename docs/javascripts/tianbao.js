// The 填报 page (tianbao/): the form, its draft, and the package's own Python run by Pyodide.
// Every rule, the importer and the file writer are Python (nianbao/editing/browser.py); this file
// only moves text between the form and it. Before the engine is ready the table arithmetic is
// checked from the spec's relations (tianbao-sums.js); tianbao-start.js starts from an agency's
// published reports. Scripting interface (README.md):
//   nianbao.ready, await nianbao.check(files), await nianbao.importText(text, {agency, year, name, region})
import { arithmetic } from "./tianbao-sums.js";
import { startingPoints } from "./tianbao-start.js";
import { draftKey, readDraft, storeDraft } from "./tianbao-draft.js";
import { narrativeSections } from "./tianbao-narrative.js";
import { acknowledgements } from "./tianbao-ack.js";
import { spreadsheetKeys } from "./tianbao-keys.js";
import { showPreview } from "./tianbao-preview.js";
import { offerFiles } from "./tianbao-output.js";
import { showProblems as showProblems_ } from "./tianbao-problems.js";

const root = document.getElementById("nb-tb");
const status = document.getElementById("nb-tb-status");
const config = JSON.parse(root.dataset.config);
const DRAFT = draftKey(config);

function say(text) { status.textContent = text; }

const started = performance.now();
// A blocked or very slow engine download says so, rather than "loading" for ever.
setTimeout(() => {
  if (!engineUp && !status.dataset.failed) say("检查引擎仍未载入（约 4 MB，网络较慢或被拦截）。表格照常填写，表内计算照常核验，草稿照常保存；载入后即逐项核验。");
}, 45000);
window.nianbaoTiming = {};
let ready = ""; // the status line once the engine is up
let refused = false; // the status line shows the engine's refusal of the form (a bad agency code)
let engineUp = false; // until then the table arithmetic is checked here, from the spec's relations
const worker = new Worker(new URL("tianbao-worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 0;
let markReady, markFailed;
const engineReady = new Promise((resolve, reject) => { markReady = resolve; markFailed = reject; });

worker.onmessage = ({ data }) => {
  if (data.progress) say(data.progress);
  if (data.timing) Object.assign(window.nianbaoTiming, data.timing);
  if (data.ready) {
    window.nianbaoTiming.ready = performance.now();
    engineUp = true;
    ready = `检查引擎已就绪（${((performance.now() - started) / 1000).toFixed(1)} 秒）：填写时逐项核验。`;
    say(ready);
    markReady(true);
  }
  if (data.failed) {
    status.dataset.failed = "1";
    say(`检查引擎未能加载：${data.failed}（表格仍可填写，草稿仍会保存）`);
    markFailed(new Error(data.failed));
  }
  const waiting = data.id !== undefined && pending.get(data.id);
  if (waiting) {
    pending.delete(data.id);
    if (data.error !== undefined) waiting.reject(new Error(data.error));
    else waiting.resolve(data.value);
  }
};

function call(name, ...args) {
  // Plain values both ways (structured clone): no Python object reaches the page.
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, name, args });
  });
}

window.nianbao = {
  ready: engineReady,
  check(files) { return call("check", files); },
  importText(text, options = {}) {
    const { agency, year, name = null, region = null } = options;
    return call("import_text", text, agency, Number(year), name, region);
  },
  formFiles(state) { return call("form_files", state); },
  draftKey: DRAFT,
  // The table arithmetic alone, as the page checks it before the engine is ready: [{rule, cell, message}].
  arithmetic(s) { const section = editionOf(s.year); return section ? arithmetic(section, s.cells, s.acknowledged) : []; },
};

function pageArithmetic(s) {
  const section = currentEdition();
  if (!section) return [];
  const path = `reports/${s.agency || "<机构代码>"}/${s.year}.yml`;
  return arithmetic(section, s.cells, s.acknowledged).map((p) => ({ ...p, path,
    text: `${path}: ${p.level}[${p.rule}] ${p.message}` }));
}

function showArithmetic() { showProblems(pageArithmetic(state())); }

// -- the form ------------------------------------------------------------------------------

const field = (name) => root.querySelector(`[name="${name}"]`);
const editions = [...root.querySelectorAll(".nb-tb-edition")];
const narrative = document.getElementById("nb-tb-narrative");

function currentEdition() { return editionOf(field("year").value); }

function editionOf(value) {
  const year = Number(value);
  return editions.find((s) => year >= Number(s.dataset.first) && (!s.dataset.last || year <= Number(s.dataset.last)));
}

function showEdition() {
  const shown = currentEdition();
  editions.forEach((s) => { s.hidden = s !== shown; });
  sections.draw(); // a blank narrative shows this edition's headings
  return shown;
}

function state() {
  const section = currentEdition();
  const cells = {};
  if (section) {
    for (const input of section.querySelectorAll("input[data-cell]")) {
      const [tid, row, i] = input.dataset.cell.split(".");
      ((cells[tid] ??= {})[row] ??= [])[Number(i)] = input.dataset.uncertain ? { uncertain: input.value } : input.value;
    }
  }
  const meta = {};
  for (const name of ["title", "published", "source_url", "index_no", "doc_no"]) meta[name] = field(name).value;
  return {
    agency: field("agency").value.trim(), year: Number(field("year").value), name: field("name").value.trim(),
    region: field("region").value.trim(), meta, cells, narrative: narrative.value, acknowledged: draftAcks,
    headers: draftHeaders,
  };
}

let draftAcks = [];
let draftHeaders = {};
let correcting = null; // the published year opened for correction, its narrative not loaded

function saveDraft() {
  storeDraft(DRAFT, { ...state(), correcting }, root.querySelectorAll("input[data-cell]"),
    document.getElementById("nb-tb-draft-note"));
}

function loadDraft() {
  const isCell = (id) => { const input = document.getElementById(id); return !!input && input.matches("input[data-cell]"); };
  const { draft, dropped } = readDraft(localStorage.getItem(DRAFT), isCell);
  if (dropped) document.getElementById("nb-tb-draft-note").textContent =
    `本浏览器保存的草稿中有 ${dropped} 项无法识别，已略去；请核对下面的内容。`;
  if (!draft) return;
  for (const name of ["agency", "year", "name", "region"]) field(name).value = draft[name];
  for (const [name, value] of Object.entries(draft.meta)) field(name).value = value;
  for (const [id, value] of Object.entries(draft.cells)) document.getElementById(id).value = value;
  for (const id of draft.uncertain) document.getElementById(id).dataset.uncertain = "1";
  narrative.value = draft.narrative;
  draftAcks = draft.acknowledged;
  draftHeaders = draft.headers;
  correcting = draft.correcting;
}

async function fillFromFiles(files) {
  // The engine reads the files back (the cells as written, an uncertain one as {uncertain}).
  const filled = await call("form_state", files);
  applyState(filled);
}

function applyState(filled) {
  const section = currentEdition();
  for (const [name, value] of Object.entries(filled.meta || {})) field(name).value = value;
  for (const input of section.querySelectorAll("input[data-cell]")) { input.value = ""; delete input.dataset.uncertain; }
  for (const [tid, rows] of Object.entries(filled.cells || {})) {
    for (const [row, values] of Object.entries(rows)) {
      values.forEach((value, i) => {
        const input = section.querySelector(`input[data-cell="${tid}.${row}.${i}"]`);
        if (!input) return;
        if (value && typeof value === "object") { input.value = value.uncertain; input.dataset.uncertain = "1"; }
        else input.value = value;
      });
    }
  }
  narrative.value = filled.narrative || narrative.value;
  draftHeaders = filled.headers || {};
  draftAcks = filled.acknowledged || [];
  sections.draw();
  acks.render();
}

let timer = null;

function changed() {
  // A correction is of one published year: another year or agency is a report of its own.
  if (correcting !== null && Number(field("year").value) !== correcting) correcting = null;
  showEdition();
  saveDraft();
  const preview = document.getElementById("nb-tb-preview");
  if (preview.childElementCount && !preview.dataset.stale) {
    preview.dataset.stale = "1";
    const note = document.createElement("p");
    note.className = "nb-tb-stale";
    note.textContent = "内容已改动，这份预览已过期：请重新点击“预览报告页”。";
    preview.prepend(note);
  }
  if (!engineUp) showArithmetic();
  clearTimeout(timer);
  timer = setTimeout(runCheck, 300);
}

function showProblems(problems) {
  showProblems_({ root, section: currentEdition(), problems, acks,
    ownPrefix: `reports/${field("agency").value.trim()}/${field("year").value}.` });
}

let checks = 0; // the latest check's number: an earlier one finishing later is not shown

async function runCheck() {
  const s = state();
  if (!s.agency || !s.year || !currentEdition()) return;
  const mine = ++checks;
  try {
    s.context = await start.context(s);
    const answer = await call("form_check", s);
    if (mine !== checks) return;
    showProblems(answer.loaded ? answer.problems : [...answer.problems, ...pageArithmetic(s)]);
    if (refused && ready) say(ready); // the refusal is fixed: the status line says so
    refused = false;
  } catch (err) {
    say(err.message);
    refused = true;
  }
}

document.getElementById("nb-tb-download").addEventListener("click", async () => {
  const s = state();
  const note = document.getElementById("nb-tb-files-note");
  if (!s.agency || !s.year) { note.textContent = "请先填写机构代码和年度。"; return; }
  if (!engineUp) note.textContent = "正在等待检查引擎载入，载入后即下载……";
  try {
    const files = await window.nianbao.formFiles(s);
    if (correcting === s.year && !s.narrative.trim()) delete files[`reports/${s.agency}/${s.year}.md`];
    const errors = document.querySelectorAll("#nb-tb-problems li.nb-level-error:not(.nb-tb-acked)").length;
    offerFiles({ files, agency: s.agency, repo: config.repo, errors });
  } catch (err) {
    note.textContent = `无法写出文件：${err.message}`;
  }
});

function discard() {
  localStorage.removeItem(DRAFT);
  location.reload();
}

function hasContent() {
  return narrative.value.trim() !== "" || draftAcks.length > 0 ||
    [...root.querySelectorAll("input[data-cell]")].some((input) => input.value !== "");
}

document.getElementById("nb-tb-discard").addEventListener("click", () => {
  if (confirm("放弃草稿会清除本页填写的全部内容（统计表、正文和确认），不能恢复。确定放弃吗？")) discard();
});

document.getElementById("nb-tb-import").addEventListener("click", async () => {
  const out = document.getElementById("nb-tb-import-result");
  const s = state();
  if (!s.agency) { out.textContent = "请先填写机构代码。"; return; }
  try {
    s.context = await start.context(s); // an agency the site has: found by its agency.yml
    const files = await call("form_import", document.getElementById("nb-tb-fulltext").value, s);
    // The year, when not typed, is the one the importer read from the text (its file's name).
    const year = Object.keys(files).map((path) => path.match(/\/([0-9]{4})\.yml$/)).find(Boolean);
    if (year && !field("year").value) field("year").value = year[1];
    showEdition();
    await fillFromFiles(files);
    out.textContent = "已按原文填入，请逐格核对。";
    changed();
  } catch (err) {
    out.textContent = `无法识别：${err.message}`;
  }
});

const sections = narrativeSections({
  full: narrative, container: document.getElementById("nb-tb-sections"), changed,
  template: () => { const s = currentEdition(); return s ? config.templates[s.dataset.edition] : ""; },
});
const acks = acknowledgements({
  get: () => draftAcks, set: (list) => { draftAcks = list; }, changed,
  headers: { get: () => draftHeaders, set: (found) => { draftHeaders = found; } },
});

document.getElementById("nb-tb-preview-show").addEventListener("click", () => showPreview(
  document.getElementById("nb-tb-preview"), async () => call("preview", await window.nianbao.formFiles(state()))));

loadDraft();
showEdition();
acks.render();
spreadsheetKeys(root, changed);
root.addEventListener("input", (event) => {
  if (event.target.closest("#nb-tb-ack-form, #nb-tb-find")) return; // not the report's content
  // A cell the editor typed into is theirs now: no longer the importer's uncertain reading.
  if (event.target.dataset && event.target.dataset.uncertain) delete event.target.dataset.uncertain;
  changed();
});
const start = startingPoints({
  field, showEdition, changed, say, hasContent, discard,
  load({ acknowledged = [], headers = {}, text = "" }) {
    draftAcks = acknowledged; draftHeaders = headers; narrative.value = text; sections.draw(); acks.render();
  },
  setCorrecting(year) { correcting = year; },
});
showArithmetic();
window.nianbaoTiming.arithmetic = performance.now(); // since navigation: the arithmetic is usable
runCheck();
