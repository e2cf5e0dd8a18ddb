"""What every reader of the importer gives and raises (source.py for web pages, text and PDF,
word.py for Word documents): one text as a Source, or NotAReport; and the metadata each reads alike
from the text's head (title, date, link, document numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FOOTER = re.compile(r"^\s*[-－—]\s*\d+\s*[-－—]\s*\Z")


@dataclass
class Source:
    text: str
    mode: str  # lines | flow
    meta: dict = field(default_factory=dict)
    kind: str = "text"


class NotAReport(Exception):
    """The input is not a statutory annual report this tool can read (message in Chinese)."""


def header_meta(text: str) -> dict:
    meta = {}
    head = text[:3000]
    found = re.search(r"(?:标题|title)[:：][ \t]*(\S[^\n]*)", head)
    if found:
        meta["title"] = found.group(1).strip()
    else:
        lines = [line.strip() for line in head.split("\n")[:14]]
        for i, line in enumerate(lines):
            if "政府信息公开" in line and "年度报告" in line and len(line) < 60:
                before = [prev for prev in lines[:i] if prev and not FOOTER.match(prev)]
                # A title printed on two lines: the agency, then "2024 年政府信息公开工作年度报告".
                if re.match(r"^\d{4}\s*年", line) and before and len(before[-1]) <= 20:
                    line = before[-1] + line
                meta["title"] = line
                break
    found = re.search(r"(?:发布时间|发布日期|成文日期)[:：]\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})", head)
    if found:
        meta["published"] = f"{found.group(1)}-{int(found.group(2)):02d}-{int(found.group(3)):02d}"
    found = re.search(r"(?:原文链接|来源链接|网址)[:：][ \t]*(https?://\S+)", head)
    if found:
        meta["source_url"] = found.group(1)
    for key, label in (("index_no", "索引号"), ("doc_no", "文号")):
        found = re.search(label + r"[:：][ \t]*([^\s|]+)", head)
        if found:
            meta[key] = found.group(1)
    return meta
