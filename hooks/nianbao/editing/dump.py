"""Write a report's YAML in the canonical layout: one printed table row per line, aligned,
with the printed column labels as comments, so a diff reads like the printed table.

Lines are produced with the YAML path they hold, so `fmt` can put an editor's own comments back
beside the key they were written for.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.model import UNCERTAIN_KEY
from ..core.editions import Edition

META_KEYS = ["agency", "year", "edition", "title", "published", "source_url", "index_no", "doc_no"]
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Plain scalars need no quotes: no YAML indicator characters, no leading/trailing space.
PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*(?<!\s)\Z")
META_COMMENTS = {"title": "标题", "published": "发布日期", "source_url": "来源链接", "index_no": "索引号",
                 "doc_no": "文号"}
HEADERS_NOTE = "# 原文表头与格式不同之处，按原文记录"
ACK_NOTE = "# 已核对原文、按原文发布的问题"


class Raw(str):
    """A scalar written exactly as it stood in the source (numbers keep their digits: 1.250000)."""


@dataclass
class Comments:
    """An editor's comments, keyed by the YAML path of the line they belong to."""

    header: list[str] = field(default_factory=list)
    leading: dict[tuple, list[str]] = field(default_factory=dict)
    trailing: dict[tuple, str] = field(default_factory=dict)
    footer: list[str] = field(default_factory=list)


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value`, quoted only where YAML needs it."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if (DATE.match(text) and real_date(text)) or (PLAIN.match(text) and _reads_back(text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def real_date(text: str) -> bool:
    """2020-13-45 looks like a date but is none: unquoted, YAML readers fail on it (ruamel raises)."""
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def cell_scalar(value: Any) -> str:
    """A table cell: a scalar, or the importer's marker of a cell it could not read for sure,
    whose text is always quoted (693665 is what was read, not a number)."""
    if isinstance(value, dict) and list(value) == [UNCERTAIN_KEY]:
        read = value[UNCERTAIN_KEY]
        return f"{{{UNCERTAIN_KEY}: {'null' if read is None else json.dumps(str(read), ensure_ascii=False)}}}"
    return scalar(value)


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except (yaml.YAMLError, ValueError):  # 2020-13-45 reads as a timestamp, and fails as one
        return False


def report_yaml(data: dict, edition: Edition, header_comment: str = "", comments: Comments | None = None,
                blank_meta: bool = False) -> str:
    """`data`: the meta keys, optional headers/acknowledged, and t2/t3/t4 as row id -> values.

    `blank_meta` writes absent meta keys as null so a scaffold shows every field to fill in.
    """
    comments = comments or Comments(header=[f"# {header_comment}"] if header_comment else [])
    lines: list[tuple[tuple | None, str]] = [(None, c) for c in comments.header]
    for key in META_KEYS:
        if key in data or (blank_meta and key in META_COMMENTS):  # a key written as null stays
            note = f"  # {META_COMMENTS[key]}" if key in META_COMMENTS else ""
            lines.append(((key,), f"{key}: {scalar(data.get(key))}{note}"))
    if data.get("attachments"):
        lines.append((("attachments",), "attachments:"))
        for i, item in enumerate(data["attachments"]):
            lines.append((("attachments", i), f"  - {{title: {scalar(item['title'])}, url: {scalar(item['url'])}}}"))
    if data.get("headers"):
        lines += [(None, ""), (None, HEADERS_NOTE), (("headers",), "headers:")]
        lines += [(("headers", key), f"  {key}: {scalar(text)}") for key, text in data["headers"].items()]
    if data.get("acknowledged"):
        lines += [(None, ""), (None, ACK_NOTE), (("acknowledged",), "acknowledged:")]
        for i, item in enumerate(data["acknowledged"]):
            lines.append((("acknowledged", i),
                          f"  - {{rule: {scalar(item['rule'])}, reason: {scalar(item['reason'])}}}"))
    for tid, table in edition.tables.items():
        lines += [(None, ""), (None, f"# {table.title}"), ((tid,), f"{tid}:")]
        lines += [((tid, row_id), text) if row_id else (None, text)
                  for row_id, text in table_lines(table, data.get(tid, {}))]
    return place_comments(lines, comments)


def place_comments(lines: list[tuple[tuple | None, str]], comments: Comments) -> str:
    out = []
    for path, text in lines:
        if path is not None:
            indent = "  " * (len(path) - 1)
            out += [indent + c for c in comments.leading.get(path, [])]
            if path in comments.trailing:
                text = f"{text.split('  # ')[0] if path in META_TRAILING else text}  {comments.trailing[path]}"
        out.append(text)
    if comments.footer:
        out += [""] + comments.footer
    return "\n".join(out) + "\n"


META_TRAILING = {(key,) for key in META_COMMENTS}


def generated_comments(edition: Edition) -> set[str]:
    """Every comment line the canonical layout writes itself (`fmt` regenerates them)."""
    found = {HEADERS_NOTE, ACK_NOTE}
    for tid, table in edition.tables.items():
        found.add(f"# {table.title}")
        for line in (text for _, text in table_lines(table, {r.id: [None] * len(table.columns_of(r.id))
                                                             for r in table.rows})):
            if line.lstrip().startswith("#"):
                found.add(normalize(line))
    found |= {f"# {note}" for note in META_COMMENTS.values()}
    return {normalize(c) for c in found}


def normalize(comment: str) -> str:
    return " ".join(comment.split())


def table_lines(table, rows: dict) -> list[tuple[str | None, str]]:
    ordered = table.printed_rows(rows) + [r for r in rows if table.row(r) is None]
    width = max((len(r) for r in ordered), default=0) + 1
    lines, last_columns = [], None
    for row_id in ordered:
        columns = table.columns_of(row_id)
        values = [cell_scalar(v) for v in rows[row_id]]
        if len(columns) != len(values):  # written as found; `check` reports the mismatch
            columns = [None] * len(values)
        widths = [max(len(v), display_width(c.label) if c else 0) + 1 for v, c in zip(values, columns)]
        if columns != last_columns and None not in columns:
            labels = " ".join(pad(c.label, w) for c, w in zip(columns, widths))
            lines.append((None, "  #" + " " * width + labels.rstrip()))
            last_columns = columns
        cells = " ".join(pad(v + ("," if i < len(values) - 1 else ""), w)
                         for i, (v, w) in enumerate(zip(values, widths)))
        lines.append((row_id, f"  {(row_id + ':').ljust(width)} [{cells.rstrip()}]"))
    return lines


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
