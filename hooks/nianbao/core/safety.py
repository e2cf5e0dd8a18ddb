"""Narrative Markdown is untrusted: find unsafe HTML and URLs, located, so `check` rejects them.

The narrative is read with the parser that renders it (markup.py), and its raw HTML the way a
browser reads it (htmlscan.py): what the check passes is what the page shows. The page HTML is
also cleaned with an allow-list at build time (`clean_html`, `clean_narrative`), so nothing that
slipped past the check could reach a reader; but the editor is told here, at the line, rather
than having content silently vanish.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from . import htmlscan, markup
from .model import Problem

# Inline and table markup an editor may need to reproduce a published report; nothing active.
ALLOWED_TAGS = {
    "a", "abbr", "b", "br", "caption", "del", "div", "em", "i", "ins", "mark", "p", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
}
ALLOWED_ATTRIBUTES = {"align", "colspan", "rowspan", "title", "href", "scope", "headers", "id"}
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset"}
# The page's own ids and classes (its sections, tables, the theme's components) are not an
# editor's to take: an element with id="__config" or class="md-header" in a narrative would
# clobber or imitate the site itself.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
RESERVED_PREFIXES = ("__", "md-", "nb-", "table-", "section-", "h-", "t2", "t3", "t4", "pagefind", "tianbao")
RESERVED_IDS = frozenset({"check", "compare", "top"})

SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def url_is_unsafe(url: str) -> bool:
    """A URL with a scheme outside http(s)/mailto/tel (javascript:, data:, vbscript: …), however
    it is disguised: character references, percent-escapes, spaces or controls inside it."""
    cleaned = INVISIBLE.sub("", unquote(html.unescape(url)))
    match = SCHEME.match(cleaned)
    return bool(match) and match.group(1).lower() not in SAFE_SCHEMES


def reserved_name(value: str) -> bool:
    return any(not NAME.fullmatch(part) or part.lower().startswith(RESERVED_PREFIXES) or part.lower() in RESERVED_IDS
               for part in value.split() or [""])


def check_markdown(text: str, path: str) -> list[Problem]:
    refused = markup.over_limits(text)
    if refused is not None:
        offset, message = refused
        line = text.count("\n", 0, offset) + 1
        col = offset - text.rfind("\n", 0, offset)
        return [Problem(path, line, col, "error", "FMT-MD", message)]
    if "<" not in text and "[" not in text:  # no raw HTML, link or image can be written without one
        return []
    problems = []
    for piece in markup.pieces(text):
        for offset, rule, message in piece_problems(piece):
            line, col = piece.at(offset)
            problems.append(Problem(path, line, col, "error", rule, message))
    return sorted(problems, key=lambda p: p.sort_key)


def piece_problems(piece: markup.Piece):
    """(offset in the piece, rule, message) of what a piece would put on the page unsafely."""
    if piece.kind == "link":
        url = str(piece.token.attrs.get("href", ""))
        if url_is_unsafe(url):
            yield destination(piece), "MD-URL", f"链接“{url[:40]}”使用了不安全的协议（只允许 http、https、mailto、tel）"
        return
    if piece.kind == "image":
        yield 0, "MD-HTML", "正文中不能插入图片：请用文字说明，原文件可作为附件（attachments）"
        return
    yield from html_problems(piece.token.content)


def html_problems(content: str):
    """(offset, rule, message) of what a piece of raw HTML would put on the page unsafely."""
    for item in htmlscan.scan(content):
        if isinstance(item, htmlscan.Comment):
            if not item.closed:
                yield item.offset, "MD-HTML", "HTML 注释没有结束（缺少“-->”），其后的正文都不会显示"
            continue
        if not item.closed:
            yield item.offset, "MD-HTML", f"HTML 标签 <{item.name}> 没有结束（缺少“>”或引号未闭合）"
            continue
        if item.end:
            continue
        yield from tag_problems(item)


def destination(piece: markup.Piece) -> int:
    """Where an inline link's destination starts, after its "](" (else the link itself: an
    autolink, or a reference whose definition is elsewhere)."""
    if piece.token.markup == "autolink":
        return 1
    at = piece.block.find("](", piece.offset)
    line_end = piece.block.find("\n", piece.offset)
    if at < 0 or (line_end >= 0 and at > line_end and piece.block.count("\n", piece.offset, at) > 2):
        return 0
    at += 2
    while at < len(piece.block) and piece.block[at] in " \t\n<":
        at += 1
    return at - piece.offset


def tag_problems(tag: htmlscan.Tag):
    if tag.name not in ALLOWED_TAGS:
        yield tag.offset, "MD-HTML", f"不允许使用 HTML 标签 <{tag.name[:20]}>（正文只能用简单的文字和表格标签）"
        return
    for name, value in tag.attrs:
        if name == "class":  # the theme's classes hide or restyle text (headerlink, md-*); the page keeps none
            yield tag.offset, "MD-HTML", f"<{tag.name}> 上的 class 属性不会保留（网站不使用正文自带的样式），请删除"
        elif name.startswith("on") or name == "style" or name not in ALLOWED_ATTRIBUTES:
            yield tag.offset, "MD-HTML", f"不允许在 <{tag.name}> 上使用属性 {name[:20]}"
        elif name in URL_ATTRIBUTES and value and url_is_unsafe(value):
            yield tag.offset, "MD-HTML", f"链接“{value[:40]}”使用了不安全的协议"
        elif name in ("id", "headers") and reserved_name(value):
            yield tag.offset, "MD-HTML", (f"<{tag.name}> 的 {name}“{value[:40]}”不可用：只能用字母开头的字母、数字和连字符，"
                                          "且不能与网站自身的名称（如 __、md-、nb-、table-、section- 开头的）相同")


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
    # align: a Markdown table's column alignment (mkdocs.yml use_align_attribute; the CSP allows no style="").
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "align"},
    "details": {"open"},
    "svg": {"viewbox", "width", "height", "xmlns", "focusable"},
    "path": {"d", "fill", "stroke", "stroke-width", "transform", "class"},
    "rect": {"x", "y", "width", "height", "fill"},
    "time": {"datetime"},
}


def clean_html(fragment: str) -> str:
    """An allow-list pass over a report page's content HTML (defence in depth)."""
    import nh3  # only pages need it: the check also runs in the browser (Pyodide), which has no nh3

    return nh3.clean(fragment, tags=PAGE_TAGS, attributes=PAGE_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                     link_rel=None, strip_comments=True)


# What a narrative may hold on the page: its raw HTML's allow-list, and what Markdown makes.
NARRATIVE_TAGS = ALLOWED_TAGS | {"blockquote", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
                                 "pre", "strong", "ul"}
NARRATIVE_ATTRIBUTES = {"*": ALLOWED_ATTRIBUTES, "ol": ALLOWED_ATTRIBUTES | {"start"}}


def _narrative_attribute(tag: str, name: str, value: str) -> str | None:
    if name in ("id", "headers") and reserved_name(value):
        return None
    return value


def clean_narrative(fragment: str) -> str:
    """A piece of a rendered narrative through the narrative's allow-list: what the check refuses
    does not reach the page even if the check was skipped."""
    import nh3

    return nh3.clean(fragment, tags=NARRATIVE_TAGS, attributes=NARRATIVE_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                     link_rel=None, strip_comments=True, attribute_filter=_narrative_attribute)
