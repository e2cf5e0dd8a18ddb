// The 填报 page's starting points for an agency the site already has: found by its code (the
// agency page's link gives it as ?agency=<slug>) or by name; “从上一年开始” and “更正已发布的报告”;
// and what the check compares with (its agency.yml and last report, as the site publishes them).
// Only the agency's own data files are fetched (nothing on the page grows with the archive):
// <slug>/summary.csv lists its published years, <slug>/<year>/data.json holds a report.
const SITE = new URL("../", location.href);

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

function clearCells(section) {
  for (const input of section.querySelectorAll("input[data-cell]")) { input.value = ""; delete input.dataset.uncertain; }
}

function cellInput(section, tid, row, col) {
  return section.querySelector(`input[data-cell^="${CSS.escape(`${tid}.${row}.`)}"][data-col="${CSS.escape(col)}"]`);
}

export function startingPoints(form) {
  let known = null; // {slug, name, region, years (newest first)}

  async function lookUpAgency(slug) {
    const note = document.getElementById("nb-tb-agency-note");
    const start = document.getElementById("nb-tb-start");
    known = null;
    start.hidden = true;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) { note.textContent = ""; return; }
    let response = null;
    try { response = await fetch(new URL(`${slug}/summary.csv`, SITE)); } catch { /* offline: a new agency */ }
    if (form.field("agency").value.trim() !== slug) return; // typed on meanwhile
    if (!response || !response.ok) {
      note.textContent = "本站没有这个机构代码：新机构请填写机构全称和所属地区。";
      return;
    }
    const [header, ...rows] = csvRows((await response.text()).replace(/^\ufeff/, ""));
    const at = (name) => header.indexOf(name);
    const years = rows.filter((r) => r.length > 1).map((r) => Number(r[at("年度")])).sort((a, b) => b - a);
    const first = rows[0] || [];
    known = { slug, name: first[at("机构名称")] || "", region: first[at("地区")] || "", kind: first[at("类型")] || "", years };
    note.textContent = `本站已有该机构：${known.name}（${known.region}），已发布 ${years.join("、") || "无"} 年度报告。` +
      "已有机构不必填写全称和地区。";
    const select = document.getElementById("nb-tb-published-year");
    select.replaceChildren(...years.map((y) => new Option(`${y} 年度`, String(y))));
    document.getElementById("nb-tb-from-last").disabled = !years.length;
    document.getElementById("nb-tb-correct").disabled = !years.length;
    start.hidden = false;
    form.changed(); // checked again, now against what the site has of the agency
  }

  async function publishedReport(year) {
    const response = await fetch(new URL(`${known.slug}/${year}/data.json`, SITE));
    if (!response.ok) throw new Error(`${known.slug}/${year}/data.json：${response.status}`);
    return response.json();
  }

  const replacing = () => !form.hasContent() ||
    confirm("这会用已发布的报告替换本页已填写的内容（统计表、正文和确认），不能恢复。继续吗？");

  document.getElementById("nb-tb-from-last").addEventListener("click", async () => {
    if (!replacing()) return;
    const last = known.years[0];
    const data = await publishedReport(last);
    form.field("year").value = String(last + 1);
    const section = form.showEdition();
    clearCells(section);
    for (const name of ["title", "published", "source_url", "index_no", "doc_no"]) form.field(name).value = "";
    if (data.title && data.title.includes(String(last))) form.field("title").value = data.title.replaceAll(String(last), String(last + 1));
    for (const carry of JSON.parse(section.dataset.carry)) {
      for (const [col, cell] of Object.entries(data.tables?.[carry.table]?.[carry.from] || {})) {
        const input = cellInput(section, carry.table, carry.to, col);
        if (input && cell.value !== null) input.value = cell.value;
      }
    }
    form.load({});
    form.setCorrecting(null);
    form.say(`已从 ${last} 年度报告开始 ${last + 1} 年度：结转的单元格已填入，其余请按原文填写。`);
    form.changed();
  });

  document.getElementById("nb-tb-correct").addEventListener("click", async () => {
    if (!replacing()) return;
    const year = Number(document.getElementById("nb-tb-published-year").value);
    const data = await publishedReport(year);
    form.field("year").value = String(year);
    const section = form.showEdition();
    clearCells(section);
    for (const name of ["title", "published", "source_url", "index_no", "doc_no"]) form.field(name).value = data[name] ?? "";
    for (const [tid, rows] of Object.entries(data.tables || {})) {
      for (const [row, cols] of Object.entries(rows)) {
        for (const [col, cell] of Object.entries(cols)) {
          const input = cellInput(section, tid, row, col);
          if (input && cell.value !== null) input.value = cell.value;
        }
      }
    }
    form.load({ headers: data.headers_as_printed || {},
      acknowledged: Object.entries(data.acknowledged || {}).map(([rule, reason]) => ({ rule, reason })) });
    form.setCorrecting(year);
    form.say(`已打开 ${year} 年度已发布的报告：改正有误的单元格后下载。正文未载入；正文留空时只下载 ${year}.yml，仓库中的正文不变。` +
      "正文中的数字与统计表是否相符（TX-NUM）此处无法核对，提交后由仓库的检查核对。");
    form.changed();
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
          form.field("agency").value = slug;
          list.replaceChildren();
          event.target.value = "";
          lookUpAgency(slug);
          form.changed();
        });
        li.append(button);
        list.append(li);
      }
    }, 250);
  });

  // The agency page's link names its agency (?agency=<slug>); the code typed here is looked up too.
  // A draft of another agency is never handed to this one: the editor chooses.
  const asked = new URLSearchParams(location.search).get("agency");
  const current = form.field("agency").value.trim();
  if (asked && /^[a-z0-9][a-z0-9-]*$/.test(asked) && current !== asked) {
    if (current && form.hasContent()) {
      const note = document.getElementById("nb-tb-draft-note");
      note.textContent = `本浏览器中保存着机构 ${current}（${form.field("year").value || "年度未填"}）的草稿，下面显示的是它。`;
      const fresh = document.createElement("button");
      fresh.type = "button";
      fresh.className = "md-button nb-tb-small";
      fresh.textContent = `放弃该草稿，为 ${asked} 新填`;
      fresh.addEventListener("click", () => form.discard());
      note.append(" ", fresh);
    } else form.field("agency").value = asked;
  }
  let lookUp = null;
  form.field("agency").addEventListener("input", () => {
    clearTimeout(lookUp);
    lookUp = setTimeout(() => lookUpAgency(form.field("agency").value.trim()), 300);
  });
  if (form.field("agency").value.trim()) lookUpAgency(form.field("agency").value.trim());

  // What the check needs of the repository that the form does not hold: the agency's agency.yml
  // and its report of the year before, as the site publishes them (editing/browser.form_check).
  const fetched = new Map();
  return {
    async context(s) {
      if (!known || known.slug !== s.agency) return null;
      const found = { agency: { name: known.name, region: known.region, kind: known.kind } };
      const before = known.years.find((y) => y < s.year); // newest first
      if (before) {
        const key = `${known.slug}/${before}`;
        if (!fetched.has(key)) fetched.set(key, publishedReport(before).catch(() => null));
        const data = await fetched.get(key);
        if (data) found.previous = data;
      }
      return found;
    },
  };
}
