// The 填报 page's draft in browser storage, kept until it is discarded.
// What comes back from storage is untrusted: any page of the same origin (another site published
// on the same host, a browser extension) can write it. So the key names this site and its
// repository (two sites on one host keep their drafts apart), every field is checked for its shape
// before it reaches the form, and nothing it holds is hidden: its acknowledged entries and the
// headers it records as printed are listed on the page (tianbao-ack.js) like ones made there.
const RULE = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const HEADER = /^t[234]\.[a-z0-9_]+\.[a-z0-9_]+$/;
const META = ["title", "published", "source_url", "index_no", "doc_no"];
const NARRATIVE_LIMIT = 2_000_000; // far past what the check accepts (FMT-MD), so never a real report cut

export function draftKey(config) {
  return `nianbao-tianbao-draft:${new URL("../", location.href).pathname}:${config.repo || ""}`;
}

const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// A string with half of a character pair cannot be written as UTF-8 (nor by the CLI): dropped.
const whole = (value) => typeof value === "string" && value.isWellFormed();

function text(value, limit, dropped, numbers = false) {
  if (value === undefined || value === null) return "";
  if (whole(value) || (numbers && typeof value === "number")) return String(value).slice(0, limit);
  dropped.push(value);
  return "";
}

// The draft as the form may use it, and how many pieces were left out as unreadable.
// `isCell(id)` says whether an id names one of the form's table inputs.
export function readDraft(raw, isCell) {
  let saved;
  try { saved = JSON.parse(raw); } catch { return { draft: null, dropped: 1 }; }
  if (saved === null) return { draft: null, dropped: 0 };
  if (!plain(saved)) return { draft: null, dropped: 1 };
  const dropped = [];
  const draft = { meta: {}, cells: {}, uncertain: [], acknowledged: [], headers: {}, correcting: null };
  for (const name of ["agency", "name", "region"]) draft[name] = text(saved[name], 200, dropped);
  draft.year = text(saved.year, 4, dropped, true);
  const meta = plain(saved.meta) ? saved.meta : {};
  for (const name of META) draft.meta[name] = text(meta[name], 1000, dropped);
  for (const [id, value] of Object.entries(plain(saved.allCells) ? saved.allCells : {})) {
    if (isCell(id) && whole(value)) draft.cells[id] = value.slice(0, 100);
    else dropped.push(id);
  }
  for (const id of Array.isArray(saved.uncertainCells) ? saved.uncertainCells : []) {
    if (typeof id === "string" && isCell(id)) draft.uncertain.push(id); else dropped.push(id);
  }
  draft.narrative = text(saved.narrative, NARRATIVE_LIMIT, dropped);
  const seen = new Set();
  for (const entry of Array.isArray(saved.acknowledged) ? saved.acknowledged : []) {
    const ok = plain(entry) && typeof entry.rule === "string" && RULE.test(entry.rule) && !seen.has(entry.rule) &&
      whole(entry.reason) && entry.reason.trim();
    if (ok) { seen.add(entry.rule); draft.acknowledged.push({ rule: entry.rule, reason: entry.reason.slice(0, 500) }); }
    else dropped.push(entry);
  }
  for (const [key, value] of Object.entries(plain(saved.headers) ? saved.headers : {})) {
    if (HEADER.test(key) && whole(value)) draft.headers[key] = value.slice(0, 200);
    else dropped.push(key);
  }
  // Correcting a published report leaves its narrative out of the download: only for the draft's own year.
  if (Number.isInteger(saved.correcting) && String(saved.correcting) === draft.year) draft.correcting = saved.correcting;
  else if (saved.correcting !== undefined && saved.correcting !== null) dropped.push(saved.correcting);
  return { draft, dropped: dropped.length };
}

// The form as stored: its state, and every cell of every edition by its input's id.
export function storeDraft(key, s, inputs, note) {
  s.allCells = {};
  s.uncertainCells = [];
  for (const input of inputs) {
    if (input.value) s.allCells[input.id] = input.value;
    if (input.dataset.uncertain) s.uncertainCells.push(input.id);
  }
  try {
    localStorage.setItem(key, JSON.stringify(s));
    if (note.dataset.full) { note.textContent = ""; delete note.dataset.full; }
  } catch {  // the origin's storage is full (another site on the host may fill it): say so, keep checking
    note.textContent = "草稿未能保存：本浏览器为本站保留的存储已满。请先下载报告文件，以免丢失。";
    note.dataset.full = "1";
  }
}
