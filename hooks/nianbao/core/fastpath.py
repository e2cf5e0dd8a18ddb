"""A fast reader for report YAML in the canonical layout (`nianbao fmt`, `new`, `import` write it).

Most files in a repo are canonical: top-level `key: value` lines and one `row: [a, b, c]` line per
table row. Reading those lines directly is several times faster than composing YAML nodes, and
gives exactly the values and positions the full reader gives (a test compares them). Anything else
— another layout, quotes it cannot be sure of, anchors, tags, a duplicate key — returns None and the
full YAML reader decides, so the fast path can never change a result, only its cost.
"""

from __future__ import annotations

import json
import re

from .model import Cell, count_cell
from .numbers import MAX_DIGITS

KEY_LINE = re.compile(r"^(?P<indent>(?:  )?)(?P<key>[a-z0-9_]+(?:\.[a-z0-9_]+)*):(?P<rest>.*)\Z")
# Possessive throughout: a lazy item between greedy spaces was quadratic on a long run of spaces.
ITEM = re.compile(r'\s*+(?:"(?:[^"\\]|\\.)*+"\s*+|[^,\[\]{}"\'#]*+)(?=,|\Z)')
PLAIN_BAD_START = set("&*!|>'%@`{[?,#")
# `  key: [3, 0, 12]` with nothing after the bracket: most lines of a report, taken without the general steps.
COUNT_ROW = re.compile(r"  ([a-z0-9_]+): +\[([0-9, ]*)\]\Z")


def parse(text: str, located):
    """A `located.Parsed`, or None where the file is not plainly canonical."""
    parsed = located.Parsed()
    value: dict = {}
    block: dict | None = None  # the mapping of the current top-level key (t2, t3, t4, headers)
    block_key = None
    for number, line in enumerate(text.split("\n"), 1):
        row = COUNT_ROW.match(line)
        if row is not None and block is not None:
            path = nested_key(parsed, block, block_key, row.group(1), number, 3)
            start = row.start(2)  # the column of "["
            items = None if path is None else read_flow(line[start - 1:], number, start, path, parsed, located)
            if items is None:
                return None
            block[path[1]] = items
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = KEY_LINE.match(line)
        if match is None or "\t" in line:
            return None
        indent, key, rest = match.group("indent"), match.group("key"), match.group("rest")
        col = len(indent) + 1
        if not indent:
            if key in value or ("." in key) or (block is not None and not block):
                return None  # a duplicate, or a key left empty: the full reader decides
            parsed.key_marks[(key,)] = (number, col)
            if not parsed.marks:
                parsed.marks[()] = (number, col)
            body = strip_comment(rest)
            if body is None:
                return None
            if body.strip() == "":
                block, block_key = {}, key
                value[key] = block
                continue
            block = None
            scalar = read_scalar(body, number, line.index(body.strip(), len(key) + 1) + 1, (key,), parsed, located)
            if scalar is FAIL:
                return None
            value[key] = scalar
            continue
        path = None if block is None else nested_key(parsed, block, block_key, key, number, col)
        if path is None:
            return None
        body = strip_comment(rest)
        if body is None:
            return None
        start = line.index(body.strip(), len(indent) + len(key) + 1) + 1 if body.strip() else 0
        if body.strip().startswith("["):
            items = read_flow(body.strip(), number, start, path, parsed, located)
            if items is None:
                return None
            block[key] = items
        elif block_key == "headers" and body.strip():
            scalar = read_scalar(body, number, start, path, parsed, located)
            if scalar is FAIL:
                return None
            block[key] = scalar
        else:
            return None
    if block is not None and not block:
        return None
    parsed.value = value
    return parsed


FAIL = object()


def nested_key(parsed, block: dict, block_key: str, key: str, line: int, col: int) -> tuple | None:
    """The path of `key` in the current top-level block, with its marks; None for a duplicate."""
    if key in block:
        return None
    path = (block_key, key)
    parsed.key_marks[path] = (line, col)
    if not block:
        parsed.marks[(block_key,)] = (line, col)
    return path


def strip_comment(rest: str) -> str | None:
    """The value part of `key: value  # comment`; None where a '#' might be inside a quote."""
    if not rest.startswith(" ") and rest != "":
        return None
    if '"' in rest or "'" in rest:
        # A comment after a closing quote or bracket: cut at " #" outside quotes.
        inside = False
        for i, ch in enumerate(rest):
            if ch == '"' and (i == 0 or rest[i - 1] != "\\"):
                inside = not inside
            elif ch == "'" and not inside:
                return None
            elif ch == "#" and not inside and i > 0 and rest[i - 1] == " ":
                return rest[:i].rstrip()
        return None if inside else rest.rstrip()
    at = rest.find(" #")
    return (rest[:at] if at >= 0 else rest).rstrip()


def read_scalar(body: str, line: int, col: int, path: tuple, parsed, located):
    token = body.strip()
    parsed.marks[path] = (line, col)
    if token.startswith('"'):
        try:
            text = json.loads(token)
        except ValueError:
            return FAIL
        if not isinstance(text, str):
            return FAIL
        parsed.texts[path] = text
        return text
    if not token or token[0] in PLAIN_BAD_START or token.startswith("- ") or ": " in token or token == "-":
        return FAIL
    parsed.texts[path] = token
    return located.plain_value(token)


def plain_items(inner: str, line: int, start: int, path: tuple, parsed, located) -> list | None:
    """The common row: unquoted items split at commas (the hot loop of a whole repo's check). Its
    cells are made here, where each item's text and column are at hand, rather than recorded per
    item for the format check to read back (`Parsed.cells`)."""
    if inner.isascii() and inner.replace(",", "").replace(" ", "").isdigit():
        counts = count_items(inner, line, start, path, parsed)
        if counts is not None:
            return counts
    items, cells, offset = [], [], start + 1
    plain_value = located.plain_value
    for raw in inner.split(","):
        token = raw.strip()
        if not token or token[0] in PLAIN_BAD_START or ": " in token or token[0] == "-" and not token[1:2].isdigit() \
                or "'" in token or "#" in token:
            return None
        col = offset + len(raw) - len(raw.lstrip())
        if token.isascii() and token.isdigit():
            if len(token) > MAX_DIGITS:
                return None  # a number no report prints: the full reader and the check locate it
            value = int(token)
            cells.append(count_cell(value, token, line, col))
        else:
            value = plain_value(token)
            if isinstance(value, bool):
                return None  # not a cell value: the full reader's positions locate the problem
            cells.append(Cell(value, "" if value is None else token, line, col))
        items.append(value)
        offset += len(raw) + 1
    parsed.cells[path] = cells
    return items


def count_items(inner: str, line: int, start: int, path: tuple, parsed) -> list | None:
    """A row of plain counts only, the bulk of every table: digits and spaces between the commas."""
    items, cells, offset = [], [], start + 1
    for raw in inner.split(","):
        token = raw.strip(" ")
        if not token.isdigit() or len(token) > MAX_DIGITS:
            return None  # "1 2", an empty item or a number no report prints: the general loop decides
        value = int(token)
        cells.append(count_cell(value, token, line, offset + len(raw) - len(raw.lstrip(" "))))
        items.append(value)
        offset += len(raw) + 1
    parsed.cells[path] = cells
    return items


def read_flow(token: str, line: int, start: int, path: tuple, parsed, located) -> list | None:
    """`[a, b, "c"]` on one line: each item with its exact column."""
    if not token.endswith("]"):
        return None
    inner = token[1:-1]
    parsed.marks[path] = (line, start)
    items, offset = [], 0
    if inner.strip() == "":
        return []
    if '"' not in inner:
        return plain_items(inner, line, start, path, parsed, located)
    while offset <= len(inner):
        match = ITEM.match(inner, offset)
        if match is None or match.end() == offset:
            return None
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        col = start + 1 + offset + lead
        value = read_scalar(raw, line, col, path + (len(items),), parsed, located)
        if value is FAIL:
            return None
        items.append(value)
        offset = match.end()
        if offset == len(inner):
            break
        if inner[offset] != ",":
            return None
        offset += 1
    return items
