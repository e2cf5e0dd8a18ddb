// The 填报 page's draft in browser storage, kept until it is discarded.
// What comes back from storage is untrusted: any page of the same origin (another site published
// on the same host, a browser extension) can write it. So the key names this site and its
// repository (two sites on one host keep their drafts apart), every field is checked for its shape
// before it reaches the form, and nothing it holds is hidden: its acknowledged entries are listed
// on the page (tianbao-ack.js) like ones the editor made there.
const RULE = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const HEADER = /^t[234]\.[a-z0-9_]+\.[a-z0-9_]+$/;
const META = ["title", "published", "source_url", "index_no", "doc_no"];
const NARRATIVE_LIMIT = 2_000_000; // far past what the check accepts (FMT-MD), so never a real report cut

export function draftKey(config) {
  return `nianbao-tianbao-draft:${new URL("../", location.href).pathname}:${config.repo || ""}`;
}

const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function text(value, limit, dropped, numbers = false) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" || (numbers && typeof value === "number")) return String(value).slice(0, limit);
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
    if (isCell(id) && typeof value === "string") draft.cells[id] = value.slice(0, 100);
    else dropped.push(id);
  }
  for (const id of Array.isArray(saved.uncertainCells) ? saved.uncertainCells : []) {
    if (typeof id === "string" && isCell(id)) draft.uncertain.push(id); else dropped.push(id);
  }
  draft.narrative = text(saved.narrative, NARRATIVE_LIMIT, dropped);
  const seen = new Set();
  for (const entry of Array.isArray(saved.acknowledged) ? saved.acknowledged : []) {
    const ok = plain(entry) && typeof entry.rule === "string" && RULE.test(entry.rule) && !seen.has(entry.rule) &&
      typeof entry.reason === "string" && entry.reason.trim();
    if (ok) { seen.add(entry.rule); draft.acknowledged.push({ rule: entry.rule, reason: entry.reason.slice(0, 500) }); }
    else dropped.push(entry);
  }
  for (const [key, value] of Object.entries(plain(saved.headers) ? saved.headers : {})) {
    if (HEADER.test(key) && typeof value === "string") draft.headers[key] = value.slice(0, 200);
    else dropped.push(key);
  }
  if (Number.isInteger(saved.correcting)) draft.correcting = saved.correcting;
  else if (saved.correcting !== undefined && saved.correcting !== null) dropped.push(saved.correcting);
  return { draft, dropped: dropped.length };
}
