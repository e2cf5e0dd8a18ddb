"""Write a report's YAML in the canonical layout: one printed table row per line, aligned,
with the printed column labels as comments, so a diff reads like the printed table."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from .model import Edition

META_KEYS = ["agency", "year", "edition", "title", "published", "source_url", "index_no", "doc_no"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Plain scalars need no quotes: no YAML indicator characters, no leading/trailing space.
PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*(?<!\s)$")
META_COMMENTS = {"published": "发布日期", "source_url": "来源链接", "index_no": "索引号", "doc_no": "文号"}


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value`, quoted only where YAML needs it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if DATE.match(text) or (PLAIN.match(text) and _reads_back(text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def report_yaml(data: dict, edition: Edition, header_comment: str = "") -> str:
    """`data`: the meta keys, optional headers/acknowledged, and t2/t3/t4 as row id -> values."""
    lines = [f"# {header_comment}"] if header_comment else []
    for key in META_KEYS:
        if data.get(key) is not None:
            comment = f"  # {META_COMMENTS[key]}" if key in META_COMMENTS else ""
            lines.append(f"{key}: {scalar(data[key])}{comment}")
    if data.get("attachments"):
        lines.append("attachments:")
        for item in data["attachments"]:
            lines.append(f"  - {{title: {scalar(item['title'])}, url: {scalar(item['url'])}}}")
    if data.get("headers"):
        lines += ["", "# 原文表头与格式不同之处，按原文记录", "headers:"]
        lines += [f"  {key}: {scalar(text)}" for key, text in data["headers"].items()]
    if data.get("acknowledged"):
        lines += ["", "# 已核对原文、按原文发布的问题", "acknowledged:"]
        for item in data["acknowledged"]:
            lines.append(f"  - {{rule: {item['rule']}, reason: {scalar(item['reason'])}}}")
    for tid, table in edition.tables.items():
        rows = data.get(tid, {})
        lines += ["", f"# {table.title}", f"{tid}:"]
        lines += table_lines(table, rows)
    return "\n".join(lines) + "\n"


def table_lines(table, rows: dict) -> list[str]:
    ordered = table.printed_rows(rows) + [r for r in rows if table.row(r) is None]
    width = max((len(r) for r in ordered), default=0) + 1
    lines, last_columns = [], None
    for row_id in ordered:
        columns = table.columns_of(row_id)
        values = [scalar(v) for v in rows[row_id]]
        if len(columns) != len(values):  # written as found; `check` reports the mismatch
            columns = [None] * len(values)
        widths = [max(len(v), display_width(c.label) if c else 0) + 1 for v, c in zip(values, columns)]
        if columns != last_columns and None not in columns:
            labels = " ".join(pad(c.label, w) for c, w in zip(columns, widths))
            lines.append("  #" + " " * width + labels.rstrip())
            last_columns = columns
        cells = " ".join(pad(v + ("," if i < len(values) - 1 else ""), w)
                         for i, (v, w) in enumerate(zip(values, widths)))
        lines.append(f"  {(row_id + ':').ljust(width)} [{cells.rstrip()}]")
    return lines


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
