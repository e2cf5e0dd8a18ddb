"""The report's text as Markdown: preamble, the six section headings, sub-heads, paragraphs;
page chrome (attachments, QR prompts, footers) removed."""

from __future__ import annotations

import re

from .tables import sections

CHROME = re.compile(r"^(附件下载[:：]?|扫一扫在手机打开当前页|打印本页|关闭窗口|【?打印】?|分享到[:：]?.*|当前位置[:：].*|"
                    r"(?:标题|发布时间|发布机构|栏目|原文链接|本地目录|文号|来源|索引号)[:：].*|页面链接与图片详见.*|=+\s*正文\s*=+)\Z")
SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十][）)]")
# Page chrome printed after the report's last sentence, on the same line in crawler text.
TRAILING_CHROME = re.compile(r"(?<=[。！？；.])\s*(?:附件下载|扫一扫在手机打开当前页|打印本页|关闭窗口|【打印】)[:：]?\s*\Z")
# A heading the format does not word exactly: up to the first 情况 or 事项 that ends it (lazy, so
# "六、其他需要报告的事项2021年，无收取信息处理费情况" ends at 事项, not at the body's 情况).
# The preamble's first words: crawler text runs the page's chrome and title into them, on one line
# (only where they follow a space or a tag's end, never inside a sentence: “我局根据《条例》”).
BODY_START = re.compile(r"(?:^|(?<=\s)|(?<=>))根据《(?:中华人民共和国)?政府信息公开条例》", re.M)
HEADING = re.compile(r"[一二三四五六]、\S{2,24}?(?:情况|事项)")


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
            if items and not re.search(r"[。！？；：:”）)]\Z", items[-1]) and not SUBHEAD.match(line) \
                    and not re.match(r"^[一二三四五六]、", line):
                items[-1] += line
            else:
                items.append(line)
    items = [TRAILING_CHROME.sub("", item) for item in items]
    return [item for item in items if item and not CHROME.match(item)]


def markdown_line(item: str) -> str:
    if SUBHEAD.match(item) and len(item) < 40 and "。" not in item:
        return f"### {item}"
    return item


def split_heading(item: str, no: str, titles: dict[str, str], mode: str) -> tuple[str, str]:
    """(heading, body text that ran into it). A heading printed as the format words it is cut
    after the format's title; another wording only in flow text, where everything runs together."""
    known = titles.get(no)
    squeezed = re.sub(r"\s+", "", item)
    if known and squeezed[:1] == no and squeezed[1:2] in ("、", ".", "．") and squeezed.startswith(known, 2):
        # the title's own characters, counted in the item as printed (spaces may sit between them)
        end, seen = 0, 0
        while seen < len(known) + 2:
            seen += not item[end].isspace()
            end += 1
        return item[:end], item[end:].strip()
    if mode == "flow":
        match = HEADING.match(item)
        if match:
            return match.group(0), item[match.end():].strip()
    return item, ""


def from_body(preamble: str) -> str:
    """The preamble without what precedes its first words on their line (breadcrumbs, share
    buttons, the title once more); the lines before are filtered as usual."""
    match = BODY_START.search(preamble)
    if match is None:
        return preamble
    line_start = preamble.rfind("\n", 0, match.start()) + 1
    return preamble[:line_start] + preamble[match.start():]


def narrative(text: str, mode: str, title: str | None, edition=None) -> str:
    """`edition`: its section titles (one source for every heading) split a heading from body text
    printed on the same line."""
    titles = {section["num"]: section["title"] for section in edition.sections} if edition else {}
    spans = sections(text)
    if not spans:
        return ""
    out: list[str] = []
    first = min(start for start, _ in spans.values())
    preamble = text[:first]
    if mode == "flow":
        preamble = from_body(preamble)
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
        heading, rest = split_heading(items[0], no, titles, mode)
        items = [heading] + ([rest] if rest else []) + items[1:]
        out.append(f"## {items[0]}")
        if no in ("二", "三", "四"):
            continue  # the tables appear under these headings; their cells are not narrative
        out += [markdown_line(item) for item in items[1:]]
    return "\n\n".join(out) + "\n"
