// The 填报 page (tianbao/): the form, its draft, and the package's own Python run by Pyodide.
// Every rule, the importer and the file writer are Python (nianbao/editing/browser.py); this file
// only moves text between the form and it. Scripting interface (README.md):
//   nianbao.ready, await nianbao.check(files), await nianbao.importText(text, {agency, year, name, region})
const DRAFT = "nianbao-tianbao-draft";
const root = document.getElementById("nb-tb");
const status = document.getElementById("nb-tb-status");
const config = JSON.parse(root.dataset.config);

function say(text) { status.textContent = text; }

const started = performance.now();
window.nianbaoTiming = {};
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
    say(`检查引擎已就绪（${((performance.now() - started) / 1000).toFixed(1)} 秒）：填写时逐项核验。`);
    markReady(true);
  }
  if (data.failed) {
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
  // The table arithmetic alone, as the page checks it before the engine is ready: [{rule, cell, message}].
  arithmetic(s) { const section = editionOf(s.year); return section ? arithmetic(section, s.cells, s.acknowledged) : []; },
};

// -- the table arithmetic, usable at once ------------------------------------------------------
// The relations (T3-ROW, T3-RES, T3-BAL, T4-SUM) are data the build derives from the edition spec
// (core/sums.py) into each edition's data-sums; this evaluates them as sums.verdict/message do,
// cells read as the form's writer reads them (editing/browser.cell_value). Once the engine is ready,
// its full check replaces these findings (same rule ids, same messages).
const WIDE = { "．": ".", "－": "-" };
function cellNumber(value) {
  if (value && typeof value === "object") return null; // an uncertain reading is no number
  let piece = String(value ?? "").trim().replace(/[０-９．－]/g, (c) => WIDE[c] ?? String(c.charCodeAt(0) - 0xff10));
  if (/^-?[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?$/.test(piece)) piece = piece.replace(/[,，]/g, "");
  return /^-?[0-9]+$/.test(piece) ? BigInt(piece) : null; // BigInt: exact as Python's int
}

function verdict(left, right) {
  const sum = (xs) => xs.reduce((a, n) => a + (n ?? 0n), 0n);
  const l = sum(left), r = sum(right);
  const leftFull = left.every((n) => n !== null), rightFull = right.every((n) => n !== null);
  if (leftFull && rightFull) return [l === r ? "ok" : "fail", l, r];
  if ((leftFull && r > l) || (rightFull && l > r)) return ["fail", l, r];
  return ["unknown", l, r];
}

function arithmetic(section, cells, acks = []) {
  const reasons = new Map(); // as the check reads `acknowledged`: the last entry of a rule with a reason
  for (const a of acks || []) if (a && a.rule && String(a.reason ?? "").trim()) reasons.set(a.rule, a.reason);
  const relations = (section.sums ??= JSON.parse(section.dataset.sums));
  const number = (name) => { const [t, r, i] = name.split("."); return cellNumber(cells?.[t]?.[r]?.[Number(i)]); };
  const fmt = (n) => (n === null ? "空白" : String(n));
  const found = [];
  for (const rel of relations) {
    const left = rel.left.map(number), right = rel.right.map(number);
    const [status, l, r] = verdict(left, right);
    if (status !== "fail") continue;
    const values = { first: fmt(left[0]), left: String(l), right: String(r),
      explain: rel.explain.map((label, k) => `${label} ${fmt(right[k])}`).join(" + "),
      note: (rel.noteAll ? left.concat(right) : right).some((n) => n === null) ? "（即使不计空白单元格也已超出）" : "" };
    const reason = reasons.get(rel.rule);
    const text = rel.message.replace(/\{(first|left|right|explain|note)\}/g, (_, k) => values[k]);
    found.push({ rule: rel.rule, level: rel.level, cell: rel.left[0], acknowledged: reason !== undefined,
      message: reason === undefined ? text : `${text}（已确认：${reason}）` });
  }
  return found;
}

function showArithmetic() {
  const s = state();
  const section = currentEdition();
  if (!section) return;
  const path = `reports/${s.agency || "<机构代码>"}/${s.year}.yml`;
  showProblems(arithmetic(section, s.cells, s.acknowledged).map((p) => ({ ...p, path,
    text: `${path}: ${p.level}[${p.rule}] ${p.message}` })));
}

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

function saveDraft() {
  const s = state();
  s.allCells = {};
  s.uncertainCells = [];
  for (const input of root.querySelectorAll("input[data-cell]")) {
    if (input.value) s.allCells[input.id] = input.value;
    if (input.dataset.uncertain) s.uncertainCells.push(input.id);
  }
  s.correcting = correcting;
  localStorage.setItem(DRAFT, JSON.stringify(s));
}

function loadDraft() {
  const saved = JSON.parse(localStorage.getItem(DRAFT) || "null");
  if (!saved) return;
  for (const name of ["agency", "year", "name", "region"]) field(name).value = saved[name] || "";
  for (const [name, value] of Object.entries(saved.meta || {})) field(name).value = value || "";
  for (const [id, value] of Object.entries(saved.allCells || {})) {
    const input = document.getElementById(id);
    if (input) input.value = value;
  }
  for (const id of saved.uncertainCells || []) {
    const input = document.getElementById(id);
    if (input) input.dataset.uncertain = "1";
  }
  narrative.value = saved.narrative || "";
  draftAcks = saved.acknowledged || [];
  draftHeaders = saved.headers || {};
  correcting = saved.correcting ?? null;
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
}

// Spreadsheet keys: Enter and the arrows move like a spreadsheet; Tab as usual.
function move(input, dRow, dCol) {
  const cell = input.closest("td");
  const row = cell.parentElement;
  const rows = [...row.closest("table").querySelectorAll("tr")].filter((r) => r.querySelector("input"));
  const inputs = [...row.querySelectorAll("input")];
  const col = inputs.indexOf(input);
  const target = dRow ? rows[rows.indexOf(row) + dRow] : row;
  const next = target && [...target.querySelectorAll("input")][Math.min(col + dCol, 99)];
  if (next) { next.focus(); next.select(); }
}

root.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[data-cell]")) return;
  const keys = { Enter: [1, 0], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
  if (keys[event.key]) { event.preventDefault(); move(input, ...keys[event.key]); }
  else if (event.key === "ArrowRight" && input.selectionStart === input.value.length) move(input, 0, 1);
  else if (event.key === "ArrowLeft" && input.selectionStart === 0) move(input, 0, -1);
});

// A block copied from Word or Excel: rows by line, cells by tab.
root.addEventListener("paste", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[data-cell]")) return;
  const text = event.clipboardData.getData("text/plain").replace(/\r/g, "").replace(/\n$/, "");
  if (!text.includes("\t") && !text.includes("\n")) return;
  event.preventDefault();
  const rows = [...input.closest("table").querySelectorAll("tr")].filter((r) => r.querySelector("input"));
  let r = rows.indexOf(input.closest("tr"));
  const c = [...input.closest("tr").querySelectorAll("input")].indexOf(input);
  for (const line of text.split("\n")) {
    const inputs = rows[r] ? [...rows[r].querySelectorAll("input")] : [];
    line.split("\t").forEach((value, j) => { if (inputs[c + j]) inputs[c + j].value = value.trim(); });
    r += 1;
  }
  changed();
});

let timer = null;
let latestFiles = null;

function changed() {
  showEdition();
  saveDraft();
  if (!engineUp) showArithmetic();
  clearTimeout(timer);
  timer = setTimeout(runCheck, 300);
}

function showProblems(problems) {
  for (const old of root.querySelectorAll(".nb-tb-flag")) old.remove();
  for (const td of root.querySelectorAll("td.nb-flag")) td.classList.remove("nb-flag", "nb-flag-error", "nb-flag-warning", "nb-flag-info");
  const list = document.getElementById("nb-tb-problems");
  list.replaceChildren();
  const section = currentEdition();
  for (const p of problems) {
    if (p.rule === "BLANK") continue; // a blank cell is allowed; the table shows it as blank
    const item = document.createElement("li");
    item.className = `nb-tb-problem nb-level-${p.level}`;
    item.dataset.rule = p.rule;
    item.textContent = p.text;
    list.append(item);
    const td = p.cell && section && section.querySelector(`td[data-cell="${p.cell}"]`);
    if (td) {
      td.classList.add("nb-flag", `nb-flag-${p.acknowledged ? "ack" : p.level}`);
      const note = document.createElement("span");
      note.className = "nb-tb-flag";
      note.dataset.rule = p.rule;
      note.textContent = `${p.rule}：${p.text.split("] ").slice(1).join("] ")}`;
      td.append(note);
      td.querySelector("input").setAttribute("aria-invalid", p.level === "error" ? "true" : "false");
    }
  }
}

async function runCheck() {
  const s = state();
  if (!s.agency || !s.year || !currentEdition()) return;
  try {
    const answer = await call("form_check", s);
    latestFiles = answer.files;
    showProblems(answer.problems);
  } catch (err) {
    say(err.message);
  }
}

function download(path, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  link.download = path.split("/").pop();
  link.dataset.path = path;
  link.textContent = path;
  return link;
}

document.getElementById("nb-tb-download").addEventListener("click", async () => {
  const s = state();
  const files = await window.nianbao.formFiles(s);
  if (correcting === s.year && !s.narrative.trim()) delete files[`reports/${s.agency}/${s.year}.md`];
  latestFiles = files;
  const list = document.getElementById("nb-tb-files");
  list.replaceChildren();
  for (const [path, text] of Object.entries(files)) {
    const item = document.createElement("li");
    const link = download(path, text);
    item.append(link);
    list.append(item);
    link.click();
  }
  if (config.repo) {
    const handoff = document.getElementById("nb-tb-handoff");
    const folder = `reports/${s.agency}`;
    document.getElementById("nb-tb-handoff-link").href = `${config.repo.replace(/\/$/, "")}/upload/main/${folder}`;
    handoff.hidden = false;
  }
});

document.getElementById("nb-tb-discard").addEventListener("click", () => {
  localStorage.removeItem(DRAFT);
  location.reload();
});

document.getElementById("nb-tb-import").addEventListener("click", async () => {
  const out = document.getElementById("nb-tb-import-result");
  const s = state();
  try {
    const files = await window.nianbao.importText(document.getElementById("nb-tb-fulltext").value,
      { agency: s.agency, year: s.year, name: s.name || "待填写", region: s.region || "待填写" });
    showEdition();
    await fillFromFiles(files);
    out.textContent = "已按原文填入，请逐格核对。";
    changed();
  } catch (err) {
    out.textContent = `无法识别：${err.message}`;
  }
});

// -- starting points: an agency the site already has ----------------------------------------------
// Its data files are fetched when its code is entered (nothing on this page grows with the
// archive): <slug>/summary.csv lists its published years, <slug>/<year>/data.json holds a report.
const SITE = new URL("../", location.href);
let known = null; // {slug, name, region, years (newest first)}
let correcting = null; // the published year opened for correction, its narrative not loaded

function csvRows(text) {
  // RFC 4180 as the site writes it (site/summaryrows.py): quoted fields may hold commas and quotes.
  const rows = [];
  let row = [], value = "", quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { value += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(value); value = ""; }
    else if (c === "\n") { row.push(value.replace(/\r$/, "")); rows.push(row); row = []; value = ""; }
    else value += c;
  }
  if (value || row.length) { row.push(value); rows.push(row); }
  return rows;
}

async function lookUpAgency(slug) {
  const note = document.getElementById("nb-tb-agency-note");
  const start = document.getElementById("nb-tb-start");
  known = null;
  start.hidden = true;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) { note.textContent = ""; return; }
  let response = null;
  try { response = await fetch(new URL(`${slug}/summary.csv`, SITE)); } catch { /* offline: a new agency */ }
  if (field("agency").value.trim() !== slug) return; // typed on meanwhile
  if (!response || !response.ok) {
    note.textContent = "本站没有这个机构代码：新机构请填写机构全称和所属地区。";
    return;
  }
  const [header, ...rows] = csvRows((await response.text()).replace(/^\ufeff/, ""));
  const at = (name) => header.indexOf(name);
  const years = rows.filter((r) => r.length > 1).map((r) => Number(r[at("年度")])).sort((a, b) => b - a);
  const first = rows[0] || [];
  known = { slug, name: first[at("机构名称")] || "", region: first[at("地区")] || "", years };
  note.textContent = `本站已有该机构：${known.name}（${known.region}），已发布 ${years.join("、") || "无"} 年度报告。` +
    "已有机构不必填写全称和地区。";
  const select = document.getElementById("nb-tb-published-year");
  select.replaceChildren(...years.map((y) => new Option(`${y} 年度`, String(y))));
  document.getElementById("nb-tb-from-last").disabled = !years.length;
  document.getElementById("nb-tb-correct").disabled = !years.length;
  start.hidden = false;
}

async function publishedReport(year) {
  const response = await fetch(new URL(`${known.slug}/${year}/data.json`, SITE));
  if (!response.ok) throw new Error(`${known.slug}/${year}/data.json：${response.status}`);
  return response.json();
}

function clearCells(section) {
  for (const input of section.querySelectorAll("input[data-cell]")) { input.value = ""; delete input.dataset.uncertain; }
}

function cellInput(section, tid, row, col) {
  return section.querySelector(`input[data-cell^="${CSS.escape(`${tid}.${row}.`)}"][data-col="${CSS.escape(col)}"]`);
}

document.getElementById("nb-tb-from-last").addEventListener("click", async () => {
  const last = known.years[0];
  const data = await publishedReport(last);
  field("year").value = String(last + 1);
  const section = showEdition();
  clearCells(section);
  for (const name of ["title", "published", "source_url", "index_no", "doc_no"]) field(name).value = "";
  if (data.title && data.title.includes(String(last))) field("title").value = data.title.replaceAll(String(last), String(last + 1));
  for (const carry of JSON.parse(section.dataset.carry)) {
    for (const [col, cell] of Object.entries(data.tables?.[carry.table]?.[carry.from] || {})) {
      const input = cellInput(section, carry.table, carry.to, col);
      if (input && cell.value !== null) input.value = cell.value;
    }
  }
  narrative.value = "";
  draftAcks = [];
  draftHeaders = {};
  correcting = null;
  say(`已从 ${last} 年度报告开始 ${last + 1} 年度：结转的单元格已填入，其余请按原文填写。`);
  changed();
});

document.getElementById("nb-tb-correct").addEventListener("click", async () => {
  const year = Number(document.getElementById("nb-tb-published-year").value);
  const data = await publishedReport(year);
  field("year").value = String(year);
  const section = showEdition();
  clearCells(section);
  for (const name of ["title", "published", "source_url", "index_no", "doc_no"]) field(name).value = data[name] ?? "";
  for (const [tid, rows] of Object.entries(data.tables || {})) {
    for (const [row, cols] of Object.entries(rows)) {
      for (const [col, cell] of Object.entries(cols)) {
        const input = cellInput(section, tid, row, col);
        if (input && cell.value !== null) input.value = cell.value;
      }
    }
  }
  draftHeaders = data.headers_as_printed || {};
  draftAcks = Object.entries(data.acknowledged || {}).map(([rule, reason]) => ({ rule, reason }));
  narrative.value = "";
  correcting = year;
  say(`已打开 ${year} 年度已发布的报告：改正有误的单元格后下载。正文未载入；正文留空时只下载 ${year}.yml，仓库中的正文不变。`);
  changed();
});

loadDraft();
showEdition();
root.addEventListener("input", (event) => {
  // A cell the editor typed into is theirs now: no longer the importer's uncertain reading.
  if (event.target.dataset && event.target.dataset.uncertain) delete event.target.dataset.uncertain;
  changed();
});
// An agency found by name in the site's own directory of names (one bucket fetched, as the search
// page's 机构直达 does: docs/javascripts/nianbao.js).
let finding = null;
document.getElementById("nb-tb-find").addEventListener("input", (event) => {
  clearTimeout(finding);
  finding = setTimeout(async () => {
    const query = event.target.value;
    const list = document.getElementById("nb-tb-found");
    const answer = window.nianbaoDirectory ? await window.nianbaoDirectory.matches(SITE, query).catch(() => null) : null;
    if (event.target.value !== query) return;
    list.replaceChildren();
    for (const { item } of (answer ? answer.found : []).filter((f) => f.item[0] === "机构").slice(0, 8)) {
      const slug = item[2].replace(/\/$/, "");
      if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) continue;
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.dataset.agency = slug;
      button.textContent = `${item[1]}（${item[3]}）`;
      button.addEventListener("click", () => {
        field("agency").value = slug;
        list.replaceChildren();
        event.target.value = "";
        lookUpAgency(slug);
        changed();
      });
      li.append(button);
      list.append(li);
    }
  }, 250);
});

// The agency page's link names its agency (?agency=<slug>); the code typed here is looked up too.
const asked = new URLSearchParams(location.search).get("agency");
if (asked && /^[a-z0-9][a-z0-9-]*$/.test(asked) && field("agency").value.trim() !== asked) field("agency").value = asked;
let lookUp = null;
field("agency").addEventListener("input", () => {
  clearTimeout(lookUp);
  lookUp = setTimeout(() => lookUpAgency(field("agency").value.trim()), 300);
});
if (field("agency").value.trim()) lookUpAgency(field("agency").value.trim());
showArithmetic();
window.nianbaoTiming.arithmetic = performance.now(); // since navigation: the arithmetic is usable
runCheck();
