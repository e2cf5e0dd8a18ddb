// The 填报 page's table arithmetic, usable before its Python engine loads.
// The relations (T3-ROW, T3-RES, T3-BAL, T4-SUM) are data the build derives from the edition spec
// (core/sums.py) into each edition's data-sums; this evaluates them as sums.verdict/message do,
// cells read as the form's writer reads them (editing/browser.cell_value). Once the engine is ready,
// its full check replaces these findings (same rule ids, same messages).
const LIMIT = 10n ** 15n; // core/numbers.py MAX_DIGITS
const WIDE = { "．": ".", "－": "-" };
function cellNumber(value) {
  if (value && typeof value === "object") return null; // an uncertain reading is no number
  let piece = String(value ?? "").trim().replace(/[０-９．－]/g, (c) => WIDE[c] ?? String(c.charCodeAt(0) - 0xff10));
  if (/^-?[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?$/.test(piece)) piece = piece.replace(/[,，]/g, "");
  if (!/^-?[0-9]+$/.test(piece)) return null;
  const n = BigInt(piece); // exact as Python's int; past 15 digits no number a report prints (core/numbers.py)
  return n > -LIMIT && n < LIMIT ? n : null;
}

function verdict(left, right) {
  const sum = (xs) => xs.reduce((a, n) => a + (n ?? 0n), 0n);
  const l = sum(left), r = sum(right);
  const leftFull = left.every((n) => n !== null), rightFull = right.every((n) => n !== null);
  if (leftFull && rightFull) return [l === r ? "ok" : "fail", l, r];
  if ((leftFull && r > l) || (rightFull && l > r)) return ["fail", l, r];
  return ["unknown", l, r];
}

export function arithmetic(section, cells, acks = []) {
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
