"""Narrative Markdown as the site reads it: one parser, used by the check and by the report page.

CommonMark (markdown-it-py) with GFM tables and strikethrough. Raw HTML passes through the parser
(a report may reproduce a table or a superscript), so the check looks at every piece of it and the
page cleans it again. There is no attribute syntax and no heading id taken from the text: the page
makes its own ids. Whatever the check finds is located at `line:col` of the .md file: block
tokens carry their lines, and the inline rules that make links, images and raw HTML are wrapped
here to record where in their paragraph each one starts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Bounds on the work any one narrative can cause. The parser is linear, but its cost lies in the
# markup characters: plain text costs ~0.15 µs a byte, a run of "[" or "![" up to ~20 µs each. A
# real narrative is 5–60 KB with a handful of them (the samples: 0).
MAX_BYTES = 500_000
MAX_MARKUP = 10_000
# "~" is strikethrough's delimiter: a run of them costs the parser like "*" and "_" do.
MARKUP_CHARACTER = re.compile(r"[\[\]<>*_`|&!~]")
# Characters the parser may read while looking for the ends of link destinations (a real report: a few thousand).
MAX_LINK_SCAN = 2_000_000
LINK_SCAN = re.compile(r"\]\(|[\x00-\x20\x7f]")
# Lines: each may be a block (a heading, a paragraph), and every block costs the page and its
# table of contents; the longest real narrative has under 100 lines.
MAX_LINES = 5_000
MAX_NESTING = 20  # blockquotes and lists inside each other; deeper ones stay text

# Inline rules whose tokens the check must locate.
LOCATED_RULES = ("link", "image", "autolink", "html_inline")


def _located(rule):
    def wrapped(state, silent):
        # The rule's first token follows the text pending before it, which its push flushes.
        start, first = state.pos, len(state.tokens) + (1 if state.pending else 0)
        found = rule(state, silent)
        if found and not silent and len(state.tokens) > first:
            state.tokens[first].meta["offset"] = start
        return found
    return wrapped


def _make(lenient: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False,
                                   "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    for name in LOCATED_RULES:
        rules = md.inline.ruler.__rules__
        at = md.inline.ruler.__find__(name)
        rules[at].fn = _located(rules[at].fn)
    md.inline.ruler.__compile__()
    if lenient:
        # The page's parser refuses javascript:, data: … links (they stay text); the check's
        # accepts every destination, so that a refused one is seen and reported where it stands.
        md.validateLink = lambda url: True
    return md


def markup_overflow(text: str) -> int | None:
    """The offset of the markup character past MAX_MARKUP, if there is one."""
    for count, match in enumerate(MARKUP_CHARACTER.finditer(text), 1):
        if count > MAX_MARKUP:
            return match.start()
    return None


def over_limits(text: str) -> tuple[int, str] | None:
    """(offset, message) where the text passes a limit the parser needs to stay fast, if it does:
    such a text is refused by the check and shown as plain text on the page, never parsed."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        return 0, f"正文文件过大（{size:,} 字节，上限 {MAX_BYTES:,} 字节），请只保留报告正文"
    if text.count("\n") >= MAX_LINES:
        at = -1
        for _ in range(MAX_LINES):
            at = text.index("\n", at + 1)
        return at + 1, f"正文超过 {MAX_LINES:,} 行，无法作为报告正文检查；请只保留报告正文"
    overflow = markup_overflow(text)
    if overflow is not None:
        return overflow, (f"正文中的标记符号（[ ] < > * _ ` | & ! ~）超过 {MAX_MARKUP:,} 个，"
                          "无法作为报告正文检查；请只保留报告正文")
    overflow = link_scan_overflow(text)
    if overflow is not None:
        return overflow, "正文中未结束的链接过多（“](”之后没有空格或换行），无法作为报告正文检查；请检查链接写法"
    return None


def link_scan_overflow(text: str) -> int | None:
    """The offset of the `](` whose destination scan would pass MAX_LINK_SCAN, if there is one.

    The parser reads a link destination from `](` up to the next space or control character, and
    Chinese prose has no spaces: a few thousand `[a](` before a long paragraph cost it minutes.
    That cost is the sum of those distances, counted here in one pass."""
    cost, pending = 0, []
    for match in LINK_SCAN.finditer(text):
        if match.group() == "](":
            pending.append(match.end())
            continue
        for start in pending:
            cost += match.start() - start
            if cost > MAX_LINK_SCAN:
                return start - 2
        pending = []
    for start in pending:
        cost += len(text) - start
        if cost > MAX_LINK_SCAN:
            return start - 2
    return None


@functools.cache
def parser() -> MarkdownIt:
    """The page's parser."""
    return _make(lenient=False)


@functools.cache
def checking_parser() -> MarkdownIt:
    return _make(lenient=True)


@dataclass(frozen=True)
class Piece:
    """A construct the check looks at: raw HTML, a link or an image, and where it stands."""
    kind: str  # "html" (raw HTML, inline or block), "link", "image"
    token: Token
    lines: list[str]  # the .md file's lines
    first: int  # the 0-based line its block starts on
    block: str  # its block's content
    offset: int  # where it starts in that content

    def at(self, offset: int = 0) -> tuple[int, int]:
        """line:col (1-based) in the .md file of `offset` within this piece."""
        return locate(self.lines, self.first, self.block, self.offset + offset)


def pieces(text: str) -> list[Piece]:
    """Every raw HTML piece, link and image of a narrative as the page parses it, and the links
    and images the page leaves as text because their destination is refused (javascript: …): an
    editor is told about those where they stand, although the page shows no link."""
    lines = text.split("\n")
    page = parser()
    found = list(_pieces(page, text, lines, ("html", "link", "image")))
    # Only to locate refused destinations: the lenient parse may differ elsewhere (a refused
    # destination makes a reference definition there and a paragraph on the page), so nothing
    # else is read from it.
    found += [piece for piece in _pieces(checking_parser(), text, lines, ("link", "image"))
              if not page.validateLink(str(piece.token.attrs.get("href" if piece.kind == "link" else "src", "")))]
    return found


def _pieces(md: MarkdownIt, text: str, lines: list[str], kinds: tuple[str, ...]):
    for block in md.parse(text):
        if block.type == "html_block" and block.map and "html" in kinds:
            yield Piece("html", block, lines, block.map[0], block.content, 0)
        elif block.type == "inline" and block.children and block.map:
            for token in walk(block.children):
                kind = {"html_inline": "html", "link_open": "link", "image": "image"}.get(token.type)
                if kind in kinds:
                    yield Piece(kind, token, lines, block.map[0], block.content, token.meta.get("offset", 0))


def walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:  # an image's alt text
            yield from walk(token.children)


def locate(lines: list[str], first: int, content: str, offset: int) -> tuple[int, int]:
    """`offset` in a block's content, as line:col of the file. The content is the block's lines
    less what the block's markers took (`> `, list indents, a paragraph's leading spaces), so each
    of its lines is found again in its source line to add back what was taken."""
    k = content.count("\n", 0, offset)
    start = content.rfind("\n", 0, offset) + 1
    end = content.find("\n", offset)
    piece = content[start:end if end >= 0 else len(content)]
    index = first + k
    source = lines[index] if index < len(lines) else ""
    stripped = piece.strip()
    at = source.find(stripped) if stripped else -1
    lead = len(piece) - len(piece.lstrip())
    col = (at - lead if at >= 0 else 0) + (offset - start) + 1
    return index + 1, max(col, 1)


def plain_text(text: str) -> str:
    """A narrative's words without its markup, a line each (the search index reads them)."""
    from .htmlscan import text_of

    out: list[str] = []
    for block in parser().parse(text):
        if block.type == "inline":
            out.append("".join(t.content if t.type in ("text", "code_inline") else "\n"
                               for t in walk(block.children or [])
                               if t.type in ("text", "code_inline", "softbreak", "hardbreak")))
        elif block.type in ("fence", "code_block"):
            out.append(block.content)
        elif block.type == "html_block":
            out.append(text_of(block.content))
    lines = (line.strip() for line in "\n".join(out).split("\n"))
    return "\n".join(line for line in lines if line and not MARKER.fullmatch(line))


MARKER = re.compile(r"\{\{\s*(t[234])\s*\}\}")  # `{{ t3 }}`: where an editor places a table
