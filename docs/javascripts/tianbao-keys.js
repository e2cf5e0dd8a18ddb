// The 填报 form's table cells behave like a spreadsheet's: Enter and the arrows move between them
// (Tab as usual), and a block copied from Word or Excel (rows by line, cells by tab) fills the
// block from the cell it is pasted into.

function move(input, dRow, dCol) {
  const row = input.closest("td").parentElement;
  const rows = [...row.closest("table").querySelectorAll("tr")].filter((r) => r.querySelector("input"));
  const col = [...row.querySelectorAll("input")].indexOf(input);
  const target = dRow ? rows[rows.indexOf(row) + dRow] : row;
  const next = target && [...target.querySelectorAll("input")][Math.min(col + dCol, 99)];
  if (next) { next.focus(); next.select(); }
}

export function spreadsheetKeys(root, changed) {
  root.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-cell]")) return;
    const keys = { Enter: [1, 0], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
    if (keys[event.key]) { event.preventDefault(); move(input, ...keys[event.key]); }
    else if (event.key === "ArrowRight" && input.selectionStart === input.value.length) move(input, 0, 1);
    else if (event.key === "ArrowLeft" && input.selectionStart === 0) move(input, 0, -1);
  });

  root.addEventListener("paste", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-cell]")) return;
    // Split on plain characters: the clipboard is the editor's, but no regex runs over its length.
    const text = event.clipboardData.getData("text/plain").split("\r").join("");
    const block = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (!block.includes("\t") && !block.includes("\n")) return;
    event.preventDefault();
    const rows = [...input.closest("table").querySelectorAll("tr")].filter((r) => r.querySelector("input"));
    let r = rows.indexOf(input.closest("tr"));
    const c = [...input.closest("tr").querySelectorAll("input")].indexOf(input);
    for (const line of block.split("\n")) {
      const inputs = rows[r] ? [...rows[r].querySelectorAll("input")] : [];
      line.split("\t").forEach((value, j) => { if (inputs[c + j]) inputs[c + j].value = value.trim(); });
      r += 1;
    }
    changed();
  });
}
