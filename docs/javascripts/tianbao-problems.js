// The check's problems on the 填报 page: each as the CLI prints its line (the list under 核验结果),
// and beside the table cell it points at, with the rule id and message. A problem of the report
// itself may be confirmed as printed (tianbao-ack.js); one with a cell can be jumped to.
export function showProblems({ root, section, problems, ownPrefix, acks }) {
  for (const old of root.querySelectorAll(".nb-tb-flag")) old.remove();
  for (const td of root.querySelectorAll("td.nb-flag")) td.classList.remove("nb-flag", "nb-flag-error", "nb-flag-warning", "nb-flag-info", "nb-flag-ack");
  const list = document.getElementById("nb-tb-problems");
  list.replaceChildren();
  for (const p of problems) {
    if (p.rule === "BLANK") continue; // a blank cell is allowed; the table shows it as blank
    const item = document.createElement("li");
    item.className = `nb-tb-problem nb-level-${p.level}`;
    item.dataset.rule = p.rule;
    const line = document.createElement("span");
    line.className = "nb-tb-line"; // the CLI's line as it prints it; buttons may follow
    line.textContent = p.text;
    item.append(line);
    if (p.acknowledged != null) item.classList.add("nb-tb-acked");
    if (p.path && p.path.startsWith(ownPrefix)) acks.offer(item, p);
    list.append(item);
    const td = p.cell && section && section.querySelector(`td[data-cell="${CSS.escape(p.cell)}"]`);
    if (!td) continue;
    const go = document.createElement("button");
    go.type = "button";
    go.className = "md-button nb-tb-small";
    go.textContent = "定位";
    go.setAttribute("aria-label", `定位到 ${p.rule} 所指的单元格`);
    go.addEventListener("click", () => { const input = td.querySelector("input"); input.focus(); input.select(); });
    item.append(" ", go);
    td.classList.add("nb-flag", `nb-flag-${p.acknowledged ? "ack" : p.level}`);
    const note = document.createElement("span");
    note.className = "nb-tb-flag";
    note.dataset.rule = p.rule;
    note.textContent = `${p.rule}：${p.text.split("] ").slice(1).join("] ")}`;
    td.append(note);
    td.querySelector("input").setAttribute("aria-invalid", p.level === "error" ? "true" : "false");
  }
}
