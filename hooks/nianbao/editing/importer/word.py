"""Word documents: the editor's own draft (.docx) and the attachments portals publish.

Read with python-docx, which gives Word's own table model: a merged cell (gridSpan across,
vMerge down) is one cell however many grid places it covers, so each is read once, in the
reading order of the printed grid — the same shape as a saved web page's table. Paragraphs and
tables are read in document order, so the narrative keeps its place around the tables.

Old formats (.doc, .wps) are converted with LibreOffice where it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import NotAReport, Source, header_meta

OLD_FORMATS = {".doc": "Word 97–2003 文档（.doc）", ".wps": "WPS 文字文档（.wps）"}


def from_word(path: Path) -> Source:
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        with tempfile.TemporaryDirectory(prefix="nianbao-word-") as folder:
            return from_docx(convert(path, Path(folder)), shown=path.name)
    return from_docx(path)


def convert(path: Path, folder: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    what = OLD_FORMATS[path.suffix.lower()]
    if office is None:
        raise NotAReport(f"{path.name} 是{what}，不能直接读取：请用 Word 或 WPS “另存为 .docx”后再导入，"
                         "或安装 LibreOffice（装好后本命令会自动转换：soffice --headless --convert-to docx）")
    done = subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", str(folder), str(path)],
                          capture_output=True, text=True, timeout=180)
    converted = folder / (path.stem + ".docx")
    if done.returncode != 0 or not converted.exists():
        raise NotAReport(f"LibreOffice 未能把 {path.name}（{what}）转换为 .docx：{done.stderr.strip()[:200]}")
    return converted


def from_docx(path: Path, shown: str | None = None) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as err:
        raise NotAReport(f"{shown or path.name} 不是有效的 Word 文档（.docx）：{err}") from err
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += table_lines(block)
        else:
            text = block.text.strip()
            if text:
                lines += [text, ""]
    text = "\n".join(lines)
    return Source(text=text, mode="lines", meta=header_meta(text), kind="docx")


def table_lines(table) -> list[str]:
    """Each cell once, row by row, as Word's grid holds it; a blank cell is a space; a table in a
    cell is read in place."""
    lines: list[str] = []
    seen: list = []  # the cells' XML elements, kept alive so their identities stay valid
    seen_ids: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            element = cell._tc
            if id(element) in seen_ids:
                continue  # the rest of a merged cell
            seen.append(element)
            seen_ids.add(id(element))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            lines += [text.replace("\u00a0", " ").strip() or " ", ""]
            for inner in cell.tables:
                lines += table_lines(inner)
    return lines
