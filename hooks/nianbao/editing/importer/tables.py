"""Find the three tables in a report's text and read their cells by the official layout.

Rows are found by their labels in printed order (misprints tolerated); the text between one
label and the next holds that row's cells. How the cells are separated depends on the source:
a line each (blank = whitespace-only line), spaces, or nothing at all (solver.py).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

SECTION_KEYS = {"一": ("总体情况",), "二": ("主动公开",), "三": ("收到和处理", "依申请"),
                "四": ("行政复议", "行政诉讼"), "五": ("存在的主要问题", "问题"), "六": ("其他需要报告", "其他事项")}
VALUE = re.compile(r"[0-9０-９.,，/／\-－—–元万无%\s]")


@dataclass
class RowText:
    row: str
    text: str  # the raw cell text as printed
    note: str = ""  # how a row with a damaged label was placed


LABEL_FORMS = str.maketrans({"(": "（", ")": "）", "“": "", "”": "", '"': "", "．": ".", "、": ".", " ": "",
                             ":": "：", ",": "，", ";": "；", "\n": "", "\t": "", "\u00a0": "", "\u3000": ""})


def normalize(text: str) -> str:
    """Labels compared as words: half- and full-width punctuation alike, and no spaces or line
    breaks (a label printed over two lines is still the label)."""
    return text.translate(LABEL_FORMS)


def core(label: str) -> str:
    """A row label without its numbering and its long parenthesised explanation."""
    label = re.sub(r"（[^（）]{6,}）\Z", "", normalize(label))  # no （ inside: linear
    while True:
        stripped = re.sub(r"^(?:[一二三四五六七八九十]\.|（[一二三四五六七八九十]）|\d{1,2}\.)", "", label)
        if stripped == label:
            return label
        label = stripped


def sections(text: str) -> dict[str, tuple[int, int]]:
    """Start and end offsets of the six sections (headings like 三、收到和处理…)."""
    found: dict[str, int] = {}
    for no, keys in SECTION_KEYS.items():
        for match in re.finditer(no + r"[、.．]\s*", text):
            tail = re.sub(r"\s+", "", text[match.end():match.end() + 40])[:16]  # a heading broken over lines
            if any(key in tail for key in keys) and no not in found and all(v < match.start() for v in found.values()):
                found[no] = match.start()
                break
    ordered = sorted(found.items(), key=lambda kv: kv[1])
    spans = {}
    for i, (no, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else len(text)
        spans[no] = (start, end)
    return spans


def find_label(text: str, label: str, start: int) -> tuple[int, int] | None:
    """(start, end) of `label` in `text` at or after `start`, numbering prefix and explanation
    included where printed; misprinted labels are matched by similarity of their core words."""
    full, want = normalize(label), core(label)
    prefix = full[: full.find(want)] if want in full else ""
    suffix = full[full.find(want) + len(want):] if want in full else ""
    norm, index = normalized_with_index(text, start)
    at = norm.find(want)
    span = (at, at + len(want)) if at >= 0 else fuzzy(norm, want)
    if span is None:
        return None
    begin, end = span
    if suffix and norm.startswith(suffix, end):
        end += len(suffix)  # the printed explanation, e.g. （区分处理的，只计这一情形…）
    for size in range(len(prefix), 0, -1):  # the numbering printed before it: 一、 （二） 3.
        if begin >= size and norm[begin - size:begin] == prefix[-size:]:
            begin -= size
            break
    stop = index[end - 1] + 1
    while stop < len(text) and text[stop] in "”\"’）)」】":
        stop += 1
    return index[begin], stop


def fuzzy(norm: str, want: str) -> tuple[int, int] | None:
    best, best_ratio = None, 0.0
    window = len(want)
    for i in range(0, max(0, len(norm) - window + 1)):
        if norm[i] != want[0] and norm[i + window - 1] != want[-1]:
            continue
        for size in (window - 2, window - 1, window, window + 1):
            ratio = difflib.SequenceMatcher(None, norm[i:i + size], want).ratio()
            if ratio > best_ratio:
                best, best_ratio = (i, i + size), ratio
    if not best or best_ratio < 0.75:
        return None
    begin, end = best
    while end > begin and norm[end - 1] in "0123456789０１２３４５６７８９":
        end -= 1  # a cell's digits are never part of a label
    return begin, end


def normalized_with_index(text: str, start: int) -> tuple[str, list[int]]:
    """The text from `start`, normalized like labels, with each character's original offset."""
    chars, index = [], []
    for offset in range(start, len(text)):
        ch = normalize(text[offset])
        if ch:
            chars.append(ch)
            index.append(offset)
    return "".join(chars), index


def cell_text(between: str, mode: str) -> str:
    """The cells after a label: up to the next label, group heading or numbering prefix."""
    if mode == "lines":
        # The first piece ends the label's line; the last begins the next label's line.
        kept = []
        for line in between.split("\n")[1:-1]:
            if line.strip(" \t\u00a0") and not VALUE.fullmatch(line.strip(" \t\u00a0")[0]):
                break
            if line.strip(" \t\u00a0") and not all(VALUE.match(ch) for ch in line.strip(" \t\u00a0")):
                break
            kept.append(line)
        return "\n".join(kept)
    end = 0
    while end < len(between) and VALUE.match(between[end]):
        end += 1
    return between[:end]


def read_rows(text: str, labels: list[tuple[str, str]], mode: str, widths: dict[str, int] | None = None) -> list[RowText]:
    """Rows in order: (row id, label) -> the cell text after each label.

    A row whose label is too damaged to match, but which sits between two rows that were found
    and holds exactly its number of values (`widths`), is that row: the edition fixes the order."""
    positions: list[tuple[str, tuple[int, int] | None]] = []
    cursor = 0
    for row_id, label in labels:
        span = find_label(text, label, cursor)
        positions.append((row_id, span))
        if span:
            cursor = span[1]
    rows = []
    for i, (row_id, span) in enumerate(positions):
        if span is None:
            rows.append(placed_by_position(text, positions, i, labels, mode, (widths or {}).get(row_id)))
            continue
        following = [s[0] for _, s in positions[i + 1:] if s]
        end = following[0] if following else len(text)
        rows.append(RowText(row_id, cell_text(text[span[1]:end], mode)))
    return rows


def placed_by_position(text: str, positions: list, i: int, labels: list[tuple[str, str]], mode: str,
                       width: int | None) -> RowText:
    row_id = positions[i][0]
    before = positions[i - 1][1] if i > 0 else None
    after = positions[i + 1][1] if i + 1 < len(positions) else None
    if width is None or before is None or after is None:
        return RowText(row_id, "")  # label not found: its cells stay uncertain
    region = text[before[1]:after[0]]
    own = cell_text(region, mode)  # the previous row's cells come first
    rest = region[region.find(own) + len(own):] if own else region
    found = damaged_label(rest, mode)
    if found is None:
        return RowText(row_id, "")
    label, cells = found
    if len(tokens(cells, mode)) != width:
        return RowText(row_id, "")
    expected = dict(labels)[row_id]
    return RowText(row_id, cells, note=f"行名原文为“{label}”，与格式的“{expected}”不符；"
                                        f"按位置（在“{dict(labels)[positions[i - 1][0]]}”与"
                                        f"“{dict(labels)[positions[i + 1][0]]}”之间，{width} 个数）读作这一行")


def damaged_label(rest: str, mode: str) -> tuple[str, str] | None:
    """(the label as printed, the cell text after it): the first text that is not a value."""
    if mode == "lines":
        offset = 0
        for line in rest.split("\n"):
            body = line.strip(" \t\u00a0")
            if body and not all(VALUE.match(ch) for ch in body):
                return body, cell_text(rest[offset:], mode)
            offset += len(line) + 1
        return None
    start = next((i for i, ch in enumerate(rest) if not VALUE.match(ch)), None)
    if start is None:
        return None
    numbering = re.search(r"\d[.、．]\Z", rest[:start])
    start = numbering.start() if numbering else start
    end = start
    while end < len(rest) and not (rest[end].isdigit() and end > start + 2) and rest[end] != "\n":
        end += 1
    return rest[start:end].strip(), cell_text(rest[end:], mode)


def tokens(cell: str, mode: str) -> list[str | None]:
    """The separately printed pieces of a row: None for a blank cell (lines mode only)."""
    if mode == "lines":
        out: list[str | None] = []
        for line in cell.split("\n"):
            if line == "":
                continue
            out.append(line.strip(" \t\u00a0") or None)
        return out
    return cell.split()
