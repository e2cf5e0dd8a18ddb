"""Narrative Markdown is untrusted: find unsafe HTML and URLs, located, so `check` rejects them.

The page HTML is also cleaned with an allow-list at build time (`clean_html`), so nothing that
slips past the check can reach a reader; but the editor is told here, at the line, rather than
having content silently vanish.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from .model import Problem

# Inline and table markup an editor may need to reproduce a published report; nothing active.
ALLOWED_TAGS = {
    "a", "abbr", "b", "br", "caption", "del", "div", "em", "i", "ins", "mark", "p", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
}
ALLOWED_ATTRIBUTES = {"align", "colspan", "rowspan", "title", "href", "scope", "headers", "id", "class"}
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset"}

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.S)
MD_LINK = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]*)")
MD_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)", re.M)
AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")
SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def url_is_unsafe(url: str) -> bool:
    """A URL with a scheme outside http(s)/mailto/tel (javascript:, data:, vbscript: …)."""
    cleaned = re.sub(r"[\x00-\x20]|&#[xX]?0*[0-9a-fA-F]{1,2};?|&(Tab|NewLine);", "", url)
    match = SCHEME.match(cleaned)
    return bool(match) and match.group(1).lower() not in SAFE_SCHEMES


def blank_code(text: str) -> str:
    """Code blocks and spans print their content as text: blank them, keeping every position."""
    def spaces(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    if "`" not in text and "~~~" not in text:  # most narratives: no code at all, and no regex pass over them
        return text
    return CODE_SPAN.sub(spaces, FENCE.sub(spaces, text))


class _TagScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        if ":" in tag:  # <scheme:...> is a Markdown autolink, checked as a URL
            return
        if tag not in ALLOWED_TAGS:
            self.found.append((line, col + 1, f"不允许使用 HTML 标签 <{tag}>（正文只能用简单的文字和表格标签）"))
            return
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name not in ALLOWED_ATTRIBUTES:
                self.found.append((line, col + 1, f"不允许在 <{tag}> 上使用属性 {name}"))
            elif name in URL_ATTRIBUTES and value and url_is_unsafe(value):
                self.found.append((line, col + 1, f"链接“{value[:40]}”使用了不安全的协议"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        if re.search(r"<\s*script|\[if", data, re.I):
            line, col = self.getpos()
            self.found.append((line, col + 1, "注释中不允许包含脚本或条件注释"))


def check_markdown(text: str, path: str) -> list[Problem]:
    scanned = blank_code(text)
    problems = []
    scanner = _TagScanner()
    scanner.feed(scanned)
    scanner.close()
    for line, col, message in scanner.found:
        problems.append(Problem(path, line, col, "error", "MD-HTML", message))
    for pattern in (MD_LINK, MD_REFERENCE, AUTOLINK):
        for match in pattern.finditer(scanned):
            url = match.group("url")
            if url_is_unsafe(url):
                line, col = position(scanned, match.start("url"))
                problems.append(Problem(path, line, col, "error", "MD-URL",
                                        f"链接“{url[:40]}”使用了不安全的协议（只允许 http、https、mailto、tel）"))
    return sorted(problems, key=lambda p: p.sort_key)


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- the rendered page --------------------------------------------------------------------

PAGE_TAGS = ALLOWED_TAGS | {
    "article", "aside", "blockquote", "code", "dd", "details", "dl", "dt", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "img", "li", "nav", "ol", "pre", "section", "summary", "svg",
    "path", "rect", "ul", "time", "title", "figcaption",
}
PAGE_ATTRIBUTES = {
    "*": {"class", "id", "title", "role", "tabindex", "aria-label", "aria-hidden", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "details": {"open"},
    "svg": {"viewbox", "width", "height", "xmlns", "focusable"},
    "path": {"d", "fill", "stroke", "stroke-width", "transform", "class"},
    "rect": {"x", "y", "width", "height", "fill"},
    "time": {"datetime"},
}


def clean_html(html: str) -> str:
    """An allow-list pass over a report page's content HTML (defence in depth)."""
    return nh3.clean(html, tags=PAGE_TAGS, attributes=PAGE_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                     link_rel=None, strip_comments=True)
