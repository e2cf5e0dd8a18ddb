"""A report written out the ways portals and editors publish it: Word with merged cells, text
with “|” separator lines, cells between blank lines (labels broken over lines), tab-separated
rows. Made from our rendering of the official layout, so every cell's place is the format's.
Used by the import tests and by benchmarks/bench_import.py."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from nianbao.site.render import render_table

SECTIONS = (("二、", "t2"), ("三、", "t3"), ("四、", "t4"))
HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})


def grid_rows(report, tid: str) -> list[list[tuple[str, int, int]]]:
    """The printed rows of one table: (text, rowspan, colspan) of each cell, as a web page has it."""
    table = BeautifulSoup(render_table(report, tid), "html.parser").find("table")
    for mark in table.select(".nb-mark"):  # the site marks a blank cell; the published original leaves it empty
        mark.decompose()
    return [[(c.get_text(" ", strip=True), int(c.get("rowspan", 1)), int(c.get("colspan", 1)))
             for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


def blocks(report, narrative: str):
    """The narrative's paragraphs (heading level, text), with each table after its heading."""
    for block in narrative.split("\n\n"):
        if not block.strip() or block.strip() in ("{{ t2 }}", "{{ t3 }}", "{{ t4 }}"):
            continue
        level = len(block) - len(block.lstrip("#"))
        text = block.lstrip("# ").strip()
        yield ("paragraph", level, text)
        for number, tid in SECTIONS:
            if text.startswith(number):
                yield ("table", tid, grid_rows(report, tid))


def as_text(report, narrative: str, layout: str, title: str) -> str:
    out = [title, ""]
    for kind, a, b in blocks(report, narrative):
        if kind == "paragraph":
            out += [b, ""]
            continue
        for row in b:
            cells = [text for text, _, _ in row]
            if layout == "pipes":
                out += [line for text in cells for line in (text.translate(HALF_WIDTH), "|")]
            elif layout == "tabs":
                out.append("\t".join(cells))
            else:  # blank lines between cells, leading spaces, long labels broken over two lines
                for text in cells:
                    if len(text) > 12 and not text.replace(".", "").isdigit():
                        text = text[:len(text) // 2] + "\n   " + text[len(text) // 2:]
                    out += ["    " + (text or " "), ""]
        out.append("")
    return "\n".join(out) + "\n"


def as_docx(report, narrative: str, path: Path, title: str) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for kind, a, b in blocks(report, narrative):
        if kind == "paragraph":
            document.add_heading(b, level=min(a, 3)) if a else document.add_paragraph(b)
        else:
            into_word_table(document, b)
    document.save(str(path))


def into_word_table(document, rows) -> None:
    """Rowspan/colspan as Word's own merged cells (gridSpan across, vMerge down)."""
    taken, spans = set(), []
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            spans.append((r, c, rs, cs, text))
            c += cs
    word = document.add_table(rows=max(r for r, _ in taken) + 1, cols=max(c for _, c in taken) + 1)
    for r, c, rs, cs, text in spans:
        cell = word.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(word.cell(r + rs - 1, c + cs - 1))
        cell.text = text


LAYOUTS = ("docx", "pipes", "blank", "tabs")


def write_layout(report, narrative: str, layout: str, folder: Path, title: str) -> Path:
    if layout == "docx":
        path = folder / f"{report.agency}-{report.year}.docx"
        as_docx(report, narrative, path, title)
    else:
        path = folder / f"{report.agency}-{report.year}-{layout}.txt"
        path.write_text(as_text(report, narrative, layout, title), encoding="utf-8")
    return path
