"""The report's text as Markdown: preamble, the six section headings, sub-heads, paragraphs;
page chrome (attachments, QR prompts, footers) removed."""

from __future__ import annotations

import re

from .tables import sections

CHROME = re.compile(r"^(附件下载[:：]?|扫一扫在手机打开当前页|打印本页|关闭窗口|【?打印】?|分享到[:：]?.*|当前位置[:：].*|"
                    r"(?:标题|发布时间|发布机构|栏目|原文链接|本地目录|文号|来源|索引号)[:：].*|页面链接与图片详见.*|=+\s*正文\s*=+)$")
SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十][）)]")


def paragraphs(text: str, mode: str) -> list[str]:
    if mode == "lines":
        items = [line.strip(" \t\u00a0") for line in text.split("\n")]
    else:
        # Flow text runs sub-heads into the paragraph before: break before （一）… items; text
        # from a PDF breaks lines mid-sentence: a line continues until a sentence ends.
        text = re.sub(r"(?<=[。；;:：])\s*(?=[（(][一二三四五六七八九十][）)])", "\n", text)
        items = []
        for line in (line.strip() for line in text.split("\n")):
            if not line or CHROME.match(line):
                continue
            if items and not re.search(r"[。！？；：:”）)]$", items[-1]) and not SUBHEAD.match(line) \
                    and not re.match(r"^[一二三四五六]、", line):
                items[-1] += line
            else:
                items.append(line)
    return [item for item in items if item and not CHROME.match(item)]


def markdown_line(item: str) -> str:
    if SUBHEAD.match(item) and len(item) < 40 and "。" not in item:
        return f"### {item}"
    return item


def narrative(text: str, mode: str, title: str | None) -> str:
    spans = sections(text)
    if not spans:
        return ""
    out: list[str] = []
    first = min(start for start, _ in spans.values())
    preamble = text[:first]
    if title:
        # The title, often printed over two lines, is the page's own heading, not a paragraph.
        squeezed = title.replace(" ", "")
        preamble = "\n".join(line for line in preamble.split("\n")
                              if not (line.strip() and line.replace(" ", "").strip() in squeezed))
    for item in paragraphs(preamble, mode):
        if title and item.replace(" ", "") == title.replace(" ", ""):
            continue
        if item.replace(" ", "").endswith("政府信息公开工作年度报告") and len(item) < 60 and not out:
            continue  # the title line itself
        out.append(item)
    for no, (start, end) in sorted(spans.items(), key=lambda kv: kv[1][0]):
        body = text[start:end]
        items = paragraphs(body, mode)
        if not items:
            continue
        heading = items[0]
        if mode == "flow":
            match = re.match(r"([一二三四五六]、\S{2,24}?情况|[一二三四五六]、\S{2,16}?事项)", heading)
            heading, rest = (match.group(1), heading[match.end():].strip()) if match else (heading, "")
            items = [heading] + ([rest] if rest else []) + items[1:]
        out.append(f"## {items[0]}")
        if no in ("二", "三", "四"):
            continue  # the tables appear under these headings; their cells are not narrative
        out += [markdown_line(item) for item in items[1:]]
    return "\n\n".join(out) + "\n"
