"""What a metadata value may contain: names, titles, regions, dates and URLs are untrusted input.

A pull request can put anything into any YAML value, and these values reach page titles, meta
tags, link labels, search records and output paths. Each value is checked here, so that
`nianbao check` names the file, line and column; the pages escape them all the same
(`urls.md_text`, autoescaping templates), so a value that slips past the check is still harmless.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from urllib.parse import urlsplit

from . import unicode16

# Characters that would be markup in HTML or Markdown, or break out of an attribute, and what to
# type instead.
MARKUP = {"<": "书名号请用《》", ">": "书名号请用《》", '"': "引号请用中文引号“”", "`": "引号请用中文引号“”"}
# Longest sensible value per field (characters); a longer one is a mistake or an attack.
MAX_LENGTH = {"name": 80, "title": 200, "index_no": 80, "doc_no": 80, "header": 80, "attachment": 120,
              "reason": 500, "segment": 40}
REGION_SEGMENTS = (1, 5)
REGION_FORBIDDEN = frozenset("\\?#%")
# What real region names are made of (福建省, 新疆维吾尔自治区, 恩施土家族苗族自治州, 苏州工业园区,
# 新疆生产建设兵团第八师, 伊犁哈萨克自治州（直属）): letters (Chinese characters are letters), digits,
# 〇, middle dots and brackets. Nothing else: a segment becomes a folder, a URL and a link on
# generated pages, where `[ ] ( ) { } ! :` would be Markdown, attr_list or a scheme.
REGION_MARKS = frozenset("·・‧（）()")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


def category(ch: str) -> str:
    """The character's Unicode general category, as Unicode 16.0 has it whichever Python asks
    (unicode16.py: Python 3.11 and the 填报 page's 3.14 know different Unicode versions)."""
    found = unicodedata.category(ch)
    if found == "Cn":  # unassigned in this Python's Unicode; perhaps assigned since
        found = unicode16.category(ord(ch)) or found
    return found


NOT_PRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def printable(ch: str) -> bool:
    """str.isprintable() of one character, by the categories above."""
    return ch == " " or category(ch) not in NOT_PRINTABLE


def char_problem(ch: str) -> str | None:
    """Why one character may not appear in a metadata value, or None."""
    if ch in MARKUP:
        return f"标记字符“{ch}”（{MARKUP[ch]}）"
    kind = category(ch)
    code = f"U+{ord(ch):04X}"
    if kind == "Cc":
        return f"控制字符 {code}"
    if kind == "Cf":  # bidi overrides and isolates, zero-width characters, soft hyphen, BOM
        return f"不可见的格式字符 {code}（如从右到左控制符、零宽字符）"
    if kind in ("Zl", "Zp"):
        return f"换行类字符 {code}"
    if kind in ("Co", "Cs", "Cn"):
        return f"私用区或未分配的字符 {code}"
    return None


# What makes Excel or LibreOffice, opening the CSV downloads, read a cell as a formula (OWASP's
# list): a formula can call functions, fetch URLs or, through DDE, run programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
FORMULA_NAMES = {"\t": "制表符", "\r": "回车符"}


def formula_start(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula: the one test for every text that
    reaches a CSV (metadata here, table cells in numbers.row_problems, and the writer,
    data/export.csv_text). Leading spaces do not hide it; a signed number ("-5", "+1.25") and
    dashes alone (the placeholder "-") are read as what they are."""
    start = text.lstrip(" ")
    if not start.startswith(FORMULA_START):
        return False
    core = start.strip(" \t\r")
    return not (set(core) <= {"-"} or SIGNED_NUMBER.fullmatch(core))


def formula_problem(text: str) -> str | None:
    if not formula_start(text):
        return None
    first = text.lstrip(" ")[0]
    return f"以“{FORMULA_NAMES.get(first, first)}”开头（用电子表格打开数据下载的 CSV 时会被当作公式执行）"


def cell_text_problem(text: str) -> str | None:
    """What is wrong with a table cell's text, or None: it goes into the CSV downloads as it is,
    where a formula would run and a control character (a lone carriage return starts a row in a
    spreadsheet) would move what follows; markup is escaped wherever a cell is shown."""
    if (found := formula_problem(text)) is not None:
        return found
    bad = next((why for ch in text if ch not in MARKUP and (why := char_problem(ch))), None)
    return None if bad is None else f"含有{bad}"


def text_problem(text: str, field: str) -> str | None:
    """What is wrong with a one-line metadata text (the first thing found), or None."""
    if (found := formula_problem(text)) is not None:
        return found
    for ch in text:
        why = char_problem(ch)
        if why is not None:
            return f"含有{why}"
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        return f"过长（{len(text)} 个字符，最多 {limit} 个）"
    return None


def region_problem(region: str) -> str | None:
    """A region is 1–5 plain segments such as 福建省/福州市/罗源县: each becomes a folder of the site."""
    segments = region.split("/")
    low, high = REGION_SEGMENTS
    if not low <= len(segments) <= high:
        return f"应有 {low}–{high} 级，实有 {len(segments)} 级（写成“省/市/县”的形式，如 福建省/福州市/罗源县）"
    for number, segment in enumerate(segments, 1):
        where = f"第 {number} 级“{segment}”"
        if not segment.strip():
            return f"第 {number} 级为空（两个“/”之间或首尾不能空）"
        if segment != segment.strip():
            return f"{where}首尾有空格"
        if set(segment) <= {"."} or segment.isdigit() or all(category(ch) == "Nd" for ch in segment):
            return f"{where}不是地区名称"  # digits would take a year page's address
        bad = next((ch for ch in segment if ch in REGION_FORBIDDEN), None)
        if bad is not None:
            return f"{where}含有字符“{bad}”（地区名称会成为网址的一部分）"
        found = text_problem(segment, "segment")
        if found is not None:
            return f"{where}{found}"
        bad = next((ch for ch in segment if not region_char(ch)), None)
        if bad is not None:
            return (f"{where}含有字符“{bad}”（U+{ord(bad):04X}；地区名称只能由汉字、字母、数字、"
                    f"间隔号“·”和括号组成）")
    return None


def region_char(ch: str) -> bool:
    found = category(ch)
    return found[0] == "L" or found in ("Nd", "Nl") or ch in REGION_MARKS


def date_problem(text: str) -> str | None:
    if not DATE.match(text):
        return "应写成 YYYY-MM-DD，如 2020-01-08"
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return "不是真实的日期"
    return None


def url_problem(url: str) -> str | None:
    """Only http(s) links with a host, and nothing a browser or an attribute would misread."""
    bad = next((ch for ch in url if ch.isspace() or ch in MARKUP or char_problem(ch)), None)
    if bad is not None:
        return f"含有不允许的字符 U+{ord(bad):04X}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "不是有效的网址"
    if parts.scheme not in ("http", "https") or not parts.netloc or not url.startswith(parts.scheme + "://"):
        return "应以 http:// 或 https:// 开头并写明网站地址"
    return None
