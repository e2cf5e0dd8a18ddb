"""What an editor has — saved HTML, copied text, crawler text, PDF text or a PDF — as one text.

Two shapes come out: "lines" (every table cell on its own line, a whitespace-only line is a blank
cell, empty lines separate) and "flow" (cells separated by spaces or not at all).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from pathlib import Path

from .base import FOOTER, NotAReport, Source, header_meta


def read_source(path: Path) -> Source:
    """By what the file is (its first bytes), not only by its name: portals often serve a .docx
    as .doc, or a PDF without a suffix."""
    from .word import OLD_FORMATS, from_docx, from_word

    if not path.is_file():
        raise NotAReport(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        return from_pdf(path)
    if head.startswith(b"PK\x03\x04"):
        if zip_holds(path, "word/document.xml"):
            return from_docx(path)
        if suffix == ".docx":
            raise NotAReport(f"{path.name} 不是有效的 Word 文档（.docx）：文件可能已损坏或下载不完整，请重新下载或另存")
        raise NotAReport(f"{path.name} 是 ZIP 压缩文件（可能是 Excel 或压缩包），不是年度报告：请解压后导入其中的报告")
    if head.startswith(OLE):
        if suffix in OLD_FORMATS:
            return from_word(path)
        raise NotAReport(f"{path.name} 是旧版 Office 文件（.doc、.wps 或 .xls）：请另存为 .docx 后再导入")
    if suffix in (".docx", ".doc", ".wps"):
        raise NotAReport(f"{path.name} 的扩展名是 {suffix}，但内容不是 Word 文档：请用 Word 或 WPS 重新另存为 .docx")
    data = path.read_bytes()
    if suffix in (".html", ".htm") or data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
        return from_html(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return from_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise NotAReport(f"{path.name} 既不是网页、文字、PDF 也不是 Word 文档，或文字编码无法识别（请另存为 UTF-8 文本）")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, WPS, old Excel


# Bounds on the work one uploaded file can cause (the inbox imports whatever a pull request holds):
# a real report is 10–40 pages, its Word XML a few MB.
MAX_UNZIPPED = 10_000_000  # bytes of a .docx's XML once unpacked (a 40-page report: 1–3 MB)
MAX_RATIO = 200  # unpacked ÷ packed, per member: Word XML packs ~10×, a bomb ~1000×
MAX_PDF_PAGES = 300
PDF_SECONDS = 60  # CPU seconds reading a PDF's pages (a 40-page report: a few)


def zip_holds(path: Path, name: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return False
    unpacked = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if unpacked > MAX_UNZIPPED or any(m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members):
        raise NotAReport(f"{path.name} 解压后过大（{unpacked:,} 字节）或压缩比异常，不像是一份年度报告：请另存为 .docx 后再试")
    return any(m.filename == name for m in members)


SEPARATOR = re.compile(r"^\s*[|｜]\s*\Z")


def from_text(text: str) -> Source:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = cells_from_separators(text)
    lines = [line for line in text.split("\n") if not FOOTER.match(line)]
    text = "\n".join(lines)
    meta = header_meta(text)
    # Copied web text keeps blank cells as lines holding only spaces (U+00A0 included).
    whitespace_lines = sum(1 for line in lines if line and not line.strip(" \t\u00a0"))
    mode = "lines" if whitespace_lines >= 3 else "flow"
    if mode == "flow":
        text = join_table_lines(text)
    return Source(text=text, mode=mode, meta=meta)


def cells_from_separators(text: str) -> str:
    """Text whose cells are ended by a line holding only “|” (or are separated by tabs) as one cell
    per line, a blank cell a line of one space: the layout a saved web page's table gives."""
    lines = text.split("\n")
    separators = sum(1 for line in lines if SEPARATOR.match(line))
    tabbed = sum(1 for line in lines if line.count("\t") >= 2)
    if separators < 10 and tabbed < 5:
        return text
    marked = [i for i, line in enumerate(lines) if SEPARATOR.match(line) or line.count("\t") >= 2]
    first, last = marked[0], marked[-1]  # the narrative before and after the tables keeps its lines
    out: list[str] = lines[:first]
    cell: list[str] = []
    for line in lines[first:last + 1]:
        if separators >= 10:
            if SEPARATOR.match(line):
                out += [" ".join(cell).strip() or " ", ""]
                cell = []
            elif line.strip():
                cell.append(line.strip())  # a cell's text may run over several lines
        elif line.count("\t") >= 2:
            out += [piece for part in line.split("\t") for piece in (part.strip() or " ", "")]
        else:
            out += [line, ""]
    if cell:
        out.append(" ".join(cell))
    return "\n".join(out + lines[last + 1:])


def join_table_lines(text: str) -> str:
    """Rejoin broken labels inside the three tables only; the narrative keeps its lines (its
    paragraphs are rebuilt by sentence in narrative.py)."""
    from .tables import sections

    spans = sections(text)
    if not all(no in spans for no in ("二", "四")):
        return text
    start, end = spans["二"][0], spans["四"][1]
    return text[:start] + join_broken_lines(text[start:end]) + ("\n" if end < len(text) else "") + text[end:].lstrip("\n")


def join_broken_lines(text: str) -> str:
    """PDF text breaks long labels across lines; within a table a line that ends without a number
    continues on the next one."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if out and out[-1] and not re.search(r"[\d/—\-:：]\s*\Z", out[-1]) and stripped and \
                ":" not in out[-1] and "：" not in out[-1] and \
                not re.match(r"^[一二三四五六七八九十]、|^（[一二三四五六七]）|^\d[.、．]", stripped) and \
                len(out[-1]) < 40:
            out[-1] += stripped
        else:
            out.append(stripped)
    return "\n".join(out)


MAX_HTML_DEPTH = 256  # elements inside each other; a portal's page: ~40
PHRASE = "总体情况"  # the report's first section: its article holds it
BLOCKS = ("p", "h1", "h2", "h3", "h4", "div", "table")


def from_html(data: bytes) -> Source:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        junk.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    facts = Facts(soup)
    article = best_article(soup, facts)
    lines: list[str] = []
    for element in article.find_all(list(BLOCKS), recursive=True):
        if element.name == "table":
            if not facts.in_table[id(element)]:
                lines += table_lines(element)
            continue
        if facts.holds_block[id(element)] or facts.in_table[id(element)]:
            continue
        text = element.get_text(" ", strip=True)
        if text:
            lines += [text, ""]
    text = "\n".join(lines)
    source = Source(text=text, mode="lines", meta=header_meta(soup.get_text("\n")), kind="html")
    if title and "title" not in source.meta:
        source.meta["title"] = title
    return source


class Facts:
    """What each element holds — its text's length, its tables, whether its text has PHRASE, whether
    a block is inside it, whether it is inside a table — found in one pass over the tree: asking
    each element (get_text, find, find_parent) walks its subtree or its ancestors again, and a page of
    nested elements made that minutes."""

    def __init__(self, soup):
        from bs4 import CData, NavigableString, Tag

        self.length: dict[int, int] = {}
        self.tables: dict[int, int] = {}
        self.phrase: dict[int, bool] = {}
        self.holds_block: dict[int, bool] = {}
        self.in_table: dict[int, bool] = {}
        edges: dict[int, tuple[str, str]] = {}  # the first and last len(PHRASE) - 1 characters of its text
        keep = len(PHRASE) - 1
        # Depth-first; each element is seen on the way down (in_table) and after its children.
        stack = [(soup, False, False, 0)]
        while stack:
            element, done, inside, depth = stack.pop()
            key = id(element)
            if not done:
                if depth > MAX_HTML_DEPTH:
                    raise NotAReport(f"网页中的元素嵌套超过 {MAX_HTML_DEPTH} 层，不像是一份年度报告：请另存为 .docx 或复制文字后导入")
                self.in_table[key] = inside
                stack.append((element, True, inside, depth))
                below = inside or element.name == "table"
                stack.extend((child, False, below, depth + 1) for child in reversed(element.contents)
                             if isinstance(child, Tag))
                continue
            length, tables, found, holds = 0, int(element.name == "table"), False, False
            first, last = "", ""
            for child in element.contents:
                if isinstance(child, Tag):
                    ck = id(child)
                    length += self.length[ck]
                    tables += self.tables[ck]
                    found = found or self.phrase[ck]
                    holds = holds or child.name in BLOCKS or self.holds_block[ck]
                    head, tail = edges[ck]
                elif type(child) in (NavigableString, CData):  # the strings get_text() joins
                    text = str(child)
                    length += len(text)
                    found = found or PHRASE in text
                    head, tail = text[:keep], text[-keep:]
                else:
                    continue
                found = found or PHRASE in last + head  # across the boundary
                if len(first) < keep:
                    first = (first + head)[:keep]
                last = (last + tail)[-keep:]
            self.length[key], self.tables[key], self.phrase[key], self.holds_block[key] = length, tables, found, holds
            edges[key] = (first, last)


def best_article(soup, facts: Facts):
    """The smallest element holding the report's tables and its first section: the page's menus,
    banners and footers around it are left out."""
    tables = facts.tables[id(soup)]
    best = soup.body or soup
    for element in soup.find_all(["article", "main", "section", "div", "td"]):
        key = id(element)
        if tables and facts.tables[key] < tables:
            continue
        if not facts.phrase[key]:
            continue
        if facts.length[key] < facts.length[id(best)]:
            best = element
    return best


def table_lines(table) -> list[str]:
    """Each cell on its own line, in reading order of the printed grid; a blank cell is a space."""
    lines: list[str] = []
    for row in table.find_all("tr"):
        for cell in row.find_all(["td", "th"]):
            text = cell.get_text(" ", strip=True).replace("\u00a0", " ").strip()
            lines += [text if text else " ", ""]
    return lines


def from_pdf(path: Path) -> Source:
    try:
        import pdfplumber
    except ImportError as err:  # pragma: no cover - pdfplumber is a dependency
        raise NotAReport("读取 PDF 需要 pdfplumber（pip install pdfplumber）") from err
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of every PDF generator
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise NotAReport(f"{path.name} 有 {len(pdf.pages)} 页，年度报告不会超过 {MAX_PDF_PAGES} 页：请只保留报告本身")
        started, pages = time.process_time(), []
        for page in pdf.pages:
            pages.append(page.extract_text() or "")
            page.close()  # its parsed objects, which pdfplumber would keep until the end
            if time.process_time() - started > PDF_SECONDS:
                raise NotAReport(f"{path.name} 过于复杂，读取前 {len(pages)} 页已超过 {PDF_SECONDS} 秒：请另存为较简单的 PDF 或 .docx")
        text = unify_radicals("\n".join(pages))
    if not text.strip():
        raise NotAReport("PDF 中没有可提取的文字（可能是扫描件），请先做文字识别")
    source = from_text(text)
    source.kind = "pdf"
    return source


# PDF generators often map ideographs to their radical forms (⼀ U+2F00 for 一, ⺠ U+2EA0 for 民):
# the same characters as printed, so they are brought back; digits are never touched.
RADICALS_SUPPLEMENT = {"⺠": "民", "⻓": "长", "⻔": "门", "⻩": "黄", "⻢": "马", "⻋": "车", "⻅": "见", "⻆": "角",
                       "⻝": "食", "⻬": "齐", "⻜": "飞", "⻚": "页", "⻛": "风", "⻘": "青", "⻰": "龙", "⻮": "齿",
                       "⻄": "西", "⺟": "母", "⺁": "厂", "⺇": "几", "⺓": "幺", "⻨": "麦", "⻳": "龟"}


def unify_radicals(text: str) -> str:
    out = []
    for ch in text:
        if "\u2f00" <= ch <= "\u2fdf":
            ch = unicodedata.normalize("NFKC", ch)
        out.append(RADICALS_SUPPLEMENT.get(ch, ch))
    return "".join(out)
