// “按原文确认”: a problem the original report really has (a sum that does not add up as printed) is
// confirmed with a reason and written to the report's `acknowledged` list as the YAML holds it
// ({rule, reason}); the check then shows it as confirmed. Format problems (FMT-*, MD-*) and
// uncertain imports must be corrected instead: core/schema.py refuses to acknowledge them.
// Every entry the draft holds is listed here, with its undo, whoever wrote it (tianbao-draft.js).
const MUST_FIX = new Set(["UNCERTAIN", "ACK-UNUSED", "BLANK"]);

export function acknowledgeable(rule) {
  return !rule.startsWith("FMT-") && !rule.startsWith("MD-") && !MUST_FIX.has(rule);
}

function button(text, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "md-button nb-tb-small";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

// `get()`/`set(list)` read and replace the draft's entries; `changed()` saves and checks again.
export function acknowledgements({ get, set, changed, headers }) {
  const list = document.getElementById("nb-tb-acks");
  const none = document.getElementById("nb-tb-acks-none");
  const form = document.getElementById("nb-tb-ack-form");
  const reason = document.getElementById("nb-tb-ack-reason");
  const which = document.getElementById("nb-tb-ack-rule");
  const said = document.getElementById("nb-tb-ack-said");

  function render() {
    renderHeaders();
    const acks = get();
    none.hidden = acks.length > 0;
    list.replaceChildren(...acks.map((ack) => {
      const item = document.createElement("li");
      item.dataset.rule = ack.rule;
      const undo = button("撤销确认", () => {
        set(get().filter((a) => a.rule !== ack.rule));
        render();
        changed();
        document.getElementById("nb-tb-problems").focus(); // not lost to the top of the page
      });
      undo.setAttribute("aria-label", `撤销对 ${ack.rule} 的确认`);
      item.append(`${ack.rule}：${ack.reason} `, undo);
      return item;
    }));
  }

  // Headers printed otherwise than the format (the importer records them; a draft may hold them):
  // they become table 二's column titles on the page, so they are listed with their undo too.
  function renderHeaders() {
    const found = Object.entries(headers.get());
    document.getElementById("nb-tb-headers-box").hidden = found.length === 0;
    document.getElementById("nb-tb-headers").replaceChildren(...found.map(([key, text]) => {
      const item = document.createElement("li");
      const undo = button("删去", () => {
        const kept = { ...headers.get() };
        delete kept[key];
        headers.set(kept);
        render();
        changed();
      });
      undo.setAttribute("aria-label", `删去表头 ${key} 的原文写法`);
      item.append(`${key}：“${text}” `, undo);
      return item;
    }));
  }

  function open(rule) {
    which.textContent = rule;
    // The file holds one entry per rule for the whole report (core/check.acknowledge): say so.
    const now = document.querySelectorAll(`#nb-tb-problems li[data-rule="${CSS.escape(rule)}"]`).length;
    document.getElementById("nb-tb-ack-scope").textContent = now > 1
      ? `一条确认适用于本报告全部 ${rule} 问题（当前 ${now} 处），以后新出现的 ${rule} 问题也会显示为已确认。`
      : `一条确认适用于本报告全部 ${rule} 问题，以后新出现的 ${rule} 问题也会显示为已确认。`;
    form.dataset.rule = rule;
    said.textContent = "";
    form.hidden = false;
    reason.focus();
  }

  reason.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); document.getElementById("nb-tb-ack-save").click(); }
  });
  document.getElementById("nb-tb-ack-save").addEventListener("click", () => {
    const rule = form.dataset.rule;
    if (!reason.value.trim()) { said.textContent = "请写明原因，如“原文如此，已与原件核对”。"; reason.focus(); return; }
    set([...get().filter((a) => a.rule !== rule), { rule, reason: reason.value.trim() }]);
    reason.value = "";
    form.hidden = true;
    render();
    changed();
  });
  document.getElementById("nb-tb-ack-cancel").addEventListener("click", () => { form.hidden = true; });

  // The button beside one problem of the report (its .yml or .md), not yet confirmed.
  function offer(item, problem) {
    if (!acknowledgeable(problem.rule) || problem.acknowledged != null || get().some((a) => a.rule === problem.rule)) return;
    const b = button("按原文确认", () => open(problem.rule));
    b.dataset.rule = problem.rule;
    b.setAttribute("aria-label", `按原文确认 ${problem.rule}`);
    item.append(" ", b);
  }

  return { render, offer };
}
