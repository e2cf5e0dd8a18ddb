// The narrative under the edition's headings: one text area per level-2 heading ("## 一、总体情况"
// …), the text before the first heading as 前言. The whole Markdown stays the one source (the
// full-text area): sections are cut from it at its "## " lines and put back by concatenation, so
// the file is byte for byte what it was until a section is edited. A blank narrative shows the
// edition's template (Edition.narrative_template, the text `nianbao new` writes).
// No regular expression runs over the text (it may be long and adversarial): plain scans only.

function newlinesAt(text, from, step) {
  let i = from;
  while (i >= 0 && i < text.length && text[i] === "\n") i += step;
  return step > 0 ? i - from : from - i;
}

function part(heading, line, raw) {
  const lead = newlinesAt(raw, 0, 1);
  const trail = lead === raw.length ? 0 : newlinesAt(raw, raw.length - 1, -1);
  return { heading, line, lead: raw.slice(0, lead), shown: raw.slice(lead, raw.length - trail), trail: raw.slice(raw.length - trail) };
}

export function cut(text) {
  const found = [{ heading: null, line: "", raw: "" }];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const line = end < 0 ? text.slice(start) : text.slice(start, end + 1);
    if (line.startsWith("## ")) found.push({ heading: line.slice(3).trim(), line, raw: "" });
    else found[found.length - 1].raw += line;
    start += line.length;
  }
  return found.map((p) => part(p.heading, p.line, p.raw));
}

export function join(parts) {
  return parts.map((p, i) => {
    const last = i === parts.length - 1;
    let { line, lead, trail } = p;
    if (p.edited && !p.shown) return line ? line + (last || line.endsWith("\n\n") ? "" : "\n") : "";
    // A section typed into a heading that had no text gets Markdown's blank lines around it; an
    // untouched one stays exactly as it was.
    if (p.edited && p.shown) {
      if (line && !line.endsWith("\n")) line += "\n";
      if (line && !lead) lead = "\n";
      if (!trail) trail = last ? "\n" : "\n\n";
    }
    return line + lead + p.shown + trail;
  }).join("");
}

const MOST_SECTIONS = 60; // a report has a dozen; past this the full text is the only editor

export function narrativeSections({ full, container, template, changed }) {
  let parts = [];
  let showing = null; // the text the sections were cut from

  function draw() {
    const text = full.value || template();
    if (text === showing) return;
    showing = text;
    parts = cut(text);
    container.replaceChildren();
    if (parts.length > MOST_SECTIONS) {
      const note = document.createElement("p");
      note.textContent = `正文有 ${parts.length - 1} 个二级标题，请在下方“正文全文”中编辑。`;
      container.append(note);
      return;
    }
    parts.forEach((p, i) => {
      const label = document.createElement("label");
      label.textContent = p.heading ?? "前言";
      label.htmlFor = `nb-tb-section-${i}`;
      const area = document.createElement("textarea");
      area.id = `nb-tb-section-${i}`;
      area.rows = Math.min(12, Math.max(3, p.shown.split("\n").length + 1));
      // The template's note on the preface is a Markdown comment: shown as the box's hint, never
      // as its text, or what the editor types would land inside the comment and vanish from the page.
      const note = p.heading === null && p.shown.startsWith("<!--") && p.shown.endsWith("-->") &&
        p.shown.indexOf("-->") === p.shown.length - 3;
      area.value = note ? "" : p.shown;
      if (note) area.placeholder = p.shown.slice(4, -3).trim();
      area.dataset.section = p.heading ?? "前言";
      area.addEventListener("input", () => {
        parts[i].shown = area.value;
        parts[i].edited = true;
        full.value = join(parts);
        showing = full.value;
        changed();
      });
      container.append(label, area);
    });
  }

  full.addEventListener("input", draw);
  return { draw };
}
