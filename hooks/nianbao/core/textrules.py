"""Rules beyond the tables (formats.md §6): the narrative against the numbers (TX-NUM), the
statutory deadline (DEADLINE), and a narrative copied from last year (DUP).

The phrases TX-NUM reads are data (editions/statements.yaml), not code: this module only finds
them, sums the cells they name and says where they disagree.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import yaml

from .model import Report
from .rules import Finding, rule, short

CLAUSE_BREAK = re.compile(r"[，,：:（(]")
OTHER_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    cells: tuple[tuple[str, ...], ...]  # each: alternatives, the first the edition has is used
    patterns: tuple[re.Pattern, ...]
    sentence: str | None = None
    unit: str | None = None
    keywords: tuple[str, ...] = ()  # one of these words is in every text a pattern can match


@dataclass
class Statement:
    family: Family
    value: Decimal
    text: str  # the words read, for messages
    line: int
    col: int
    cells: list[tuple[str, str, str]]  # the cells it is compared with (empty: the edition has none)


@functools.cache
def families() -> tuple[Family, ...]:
    spec = yaml.safe_load((Path(__file__).parent / "editions" / "statements.yaml").read_text(encoding="utf-8"))
    return tuple(Family(f["id"], f["name"], tuple(tuple(a.strip() for a in c.split("|")) for c in f["cells"]),
                        tuple(re.compile(p) for p in f["patterns"]), f.get("sentence"), f.get("unit"),
                        tuple(f["keywords"]))
                 for f in spec)


def edition_cells(edition, family: Family) -> list[tuple[str, str, str]]:
    found = []
    for alternatives in family.cells:
        for name in alternatives:
            tid, row, col = name.split(".")
            table = edition.tables.get(tid)
            if table and table.row(row) and any(c.id == col for c in table.columns_of(row)):
                found.append((tid, row, col))
                break
        else:
            return []  # the edition lacks this figure: nothing to compare
    return found


def out_of_scope(sentence: str, start: int, year: int) -> bool:
    """A part (…其中…) or another year's figure (上年、2019年…) is not the table's whole."""
    before = sentence[:start]
    clause = CLAUSE_BREAK.split(before)[-1]
    if "其中" in before or "同比" in clause or re.search(r"上一?年(?!度?结转)", clause):
        return True
    return any(int(y) != year for y in OTHER_YEAR.findall(before))


STOPS = "。；;！？!?\n"
STOP = re.compile(f"[{STOPS}]")
SENTENCE_REACH = 400  # characters looked at on either side of a keyword for the sentence's ends


@functools.cache
def keyword_index() -> tuple[re.Pattern, dict[str, list[Family]]]:
    """One scan finds every family's keywords; the patterns then run on those sentences only."""
    by_word: dict[str, list[Family]] = {}
    for family in families():
        for word in family.keywords:
            by_word.setdefault(word, []).append(family)
    words = sorted(by_word, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), by_word


def candidate_sentences(text: str) -> dict[Family, dict[int, str]]:
    """family -> {offset: sentence} of the sentences holding one of its keywords (a narrative is
    ~16 KB; the sentences that state figures are a few)."""
    pattern, by_word = keyword_index()
    found: dict[Family, dict[int, str]] = {}
    begin = end = -1
    stops = None
    for hit in pattern.finditer(text):
        at = hit.start()
        if at >= end:  # a new sentence; hits inside the current one share its ends
            if stops is None:
                stops = [m.start() for m in STOP.finditer(text)]
            low, high = max(0, at - SENTENCE_REACH), min(len(text), at + SENTENCE_REACH)
            i = bisect.bisect_left(stops, at)
            begin = stops[i - 1] + 1 if i and stops[i - 1] >= low else low
            end = stops[i] if i < len(stops) and stops[i] < high else high
        for family in by_word[hit.group(0)]:
            found.setdefault(family, {})[begin] = text[begin:end]
    return found


def statements(report: Report) -> list[Statement]:
    """Every figure the narrative states that a family names, with its position in the .md file."""
    return find_statements(report.narrative, report.year, report.edition)


def find_statements(text: str, year: int, edition) -> list[Statement]:
    """The same for any narrative (`nianbao import` uses them to split run-together digits)."""
    found = []
    for family, sentences in candidate_sentences(text).items():
        cells = edition_cells(edition, family)
        for begin, body in sorted(sentences.items()):
            if family.sentence and family.sentence not in body:
                continue
            for pattern in family.patterns:
                for match in pattern.finditer(body):
                    if out_of_scope(body, match.start(), year):
                        continue
                    value = Decimal(match.group("n"))
                    if family.unit == "万元" and (match.groupdict().get("unit") == "元"):
                        value = value / 10000
                    offset = begin + match.start("n")
                    line = text.count("\n", 0, offset) + 1
                    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
                    found.append(Statement(family, value, match.group(0).strip(), line, col, cells))
    unique = {(s.line, s.col): s for s in found}  # two patterns of a family may read one figure
    return sorted(unique.values(), key=lambda s: (s.line, s.col))


def table_sum(report: Report, cells: list[tuple[str, str, str]]):
    numbers = [getattr(report.cell(*c), "number", None) for c in cells]
    return None if not numbers or any(n is None for n in numbers) else sum(numbers)


def cell_label(report: Report, cells: list[tuple[str, str, str]]) -> str:
    names = {"t2": "表二", "t3": "表三", "t4": "表四"}
    parts = []
    for tid, row, col in cells:
        table = report.edition.tables[tid]
        column = next(c for c in table.columns_of(row) if c.id == col)
        label = table.row(row).label if table.row_labels else ""
        parts.append(f"{names[tid]}{'“' + short(label) + '”' if label else ''}“{column.name}”")
    return " + ".join(parts)


@rule("TX-NUM", "W", "正文中的数字与统计表一致（收到申请、办结、结转、复议、诉讼、规范性文件、收费）")
def narrative_numbers(report: Report) -> Iterator[Finding]:
    for statement in statements(report):
        total = table_sum(report, statement.cells)
        if total is None or Decimal(total) == statement.value:
            continue
        shown = statement.text if len(statement.text) <= 24 else statement.text[:10] + "…" + statement.text[-10:]
        yield Finding((statement.line, statement.col),
                      f"正文第 {statement.line} 行“{shown}”（{statement.family.name} {statement.value}）"
                      f"≠ {cell_label(report, statement.cells)} {total}", in_narrative=True)


# -- the deadline ----------------------------------------------------------------------------

def deadline(report: Report) -> datetime.date | None:
    """条例第四十九条: departments (and every other 行政机关) by 31 January, county-and-above
    governments by 31 March of the following year."""
    if report.kind is None or not datetime.MINYEAR <= report.year < datetime.MAXYEAR:
        return None  # no calendar date (load.py refuses such a year; a bypassed check may not)
    month = 3 if report.kind == "人民政府" else 1
    return datetime.date(report.year + 1, month, 31)


@rule("DEADLINE", "W", "在法定期限内发布：政府部门等 1 月 31 日前，人民政府 3 月 31 日前（条例第四十九条）")
def published_in_time(report: Report) -> Iterator[Finding]:
    due = deadline(report)
    if due is None:
        return
    published = report.meta.get("published")
    if not published:
        yield Finding(("published",), f"未填发布日期，无法核对是否在 {due} 前发布", level="info")
        return
    try:
        date = datetime.date.fromisoformat(published)
    except ValueError:
        return  # FMT-VALUE has said so
    if date > due:
        late = (date - due).days
        yield Finding(("published",), f"发布日期 {published} 晚于法定期限 {due}（{report.kind}，晚 {late} 天）")


# -- copied narratives -------------------------------------------------------------------------

DUP_SECTIONS = ("一", "五")
SECTION_HEADING = re.compile(r"^#{1,6}[ \t]*+(?:\*\*[ \t]*+)?([一二三四五六])、.*$", re.M)
DUP_SHARE = 0.5
MIN_LENGTH = 200  # characters of the two sections; a shorter text says too little to compare


def section_sentences(narrative: str, numbers: tuple[str, ...]) -> tuple[list[str], int]:
    """The sentences of the sections numbered `numbers`, normalised (years and numbers alike, no
    spaces), each with its length, and the line of the first of those sections."""
    out, first = [], 0
    headings = list(SECTION_HEADING.finditer(narrative))
    for i, heading in enumerate(headings):
        if heading.group(1) in numbers:
            end = headings[i + 1].start() if i + 1 < len(headings) else len(narrative)
            out.append(narrative[heading.end():end])
            first = first or narrative.count("\n", 0, heading.start()) + 1
    text = re.sub(r"[\d０-９]+", "0", "".join("".join(out).split()))  # str.split() cuts at what \s matches, faster
    return [s for s in re.split(r"[。；;！？!?]", text) if len(s) > 4], first


@functools.lru_cache(maxsize=16)  # a report is compared as this year's, then as last year's
def sentences_of(narrative: str) -> tuple[list[str], frozenset, int]:
    sentences, line = section_sentences(narrative, DUP_SECTIONS)
    return sentences, frozenset(sentences), line


@rule("DUP", "W", "正文“一、总体情况”“五、存在的主要问题”与上年报告相同的部分不超过一半", pair=True)
def copied_narrative(prev: Report, cur: Report) -> Iterator[Finding]:
    """Share of this year's text (by characters) in sentences that last year's report has too.

    Copying is sentence by sentence with the year and the figures changed; whole normalised
    sentences compare in one set lookup each, fast enough for a national archive."""
    now, _, line = sentences_of(cur.narrative)
    _, before, _ = sentences_of(prev.narrative)
    length = sum(map(len, now))
    if length < MIN_LENGTH:
        return
    share = sum(len(sentence) for sentence in now if sentence in before) / length
    if share > DUP_SHARE:
        yield Finding((line or 1, 1), f"“一、总体情况”和“五、存在的主要问题”有 {share:.0%} 与 {prev.year} 年报告相同"
                                      "（年份和数字不计），疑似照搬上年报告", in_narrative=True)
