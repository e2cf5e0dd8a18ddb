"""Where each generated page lives, and links between them.

Markdown links name source files (MkDocs resolves and checks them); links inside raw HTML need
the directory URL that MkDocs gives each page (use_directory_urls, as in mkdocs.yml).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote, urlencode

from markupsafe import escape

from ..core.model import Report


@dataclass
class SiteInfo:
    name: str = "政府信息公开工作年度报告"
    url: str | None = None  # the published address (mkdocs.yml site_url), for QR codes and Url meta
    repo: str | None = None  # mkdocs.yml repo_url: the 填报 page hands its files to the repository there

    def absolute(self, uri: str) -> str | None:
        if not self.url:
            return None
        return self.url.rstrip("/") + "/" + url_of(uri)


class Blocks:
    """Large HTML fragments (the statutory tables, long summary tables) kept out of the Markdown.

    The page source holds a token paragraph; the fragment is made only when MkDocs has turned the
    Markdown into HTML (`fill`). Python-Markdown re-parses every raw HTML block it meets, which
    costs more than the rest of a report page together, and making fragments late keeps a large
    corpus' tables out of memory until each page is written.
    """

    __slots__ = ("makers", "fragments", "toc")

    def __init__(self):
        self.makers: dict[str, Callable[[], str]] = {}
        self.fragments: dict[str, str] = {}  # made ones, kept until the page is written
        self.toc: Callable[[], list] | None = None  # headings inside the fragments, for the page's contents

    def made(self) -> list[str]:
        """Every fragment, made once: the build cache keys a page by them before rendering it."""
        for token, maker in self.makers.items():
            if token not in self.fragments:
                self.fragments[token] = maker()
        return list(self.fragments.values())

    def add(self, maker: Callable[[], str]) -> str:
        token = f"§§nianbao-block-{len(self.makers)}§§"
        self.makers[token] = maker
        return token

    def fill(self, html: str) -> str:
        """One pass over the page as the theme wrote it: a fragment is not searched for tokens."""
        filled: set[str] = set()

        def fragment(match: re.Match) -> str:
            token = match.group(1)
            maker = self.makers.get(token)
            if maker is None or token in filled:
                return match.group(0)
            filled.add(token)
            made = self.fragments.pop(token, None)
            return maker() if made is None else made

        return TOKEN.sub(fragment, html)


TOKEN = re.compile(r"<p>(§§nianbao-block-[0-9]+§§)</p>")


@dataclass(slots=True)  # a national archive's build holds millions
class Page:
    src_uri: str  # e.g. luoyuan-songshan/2019.md, or a data file such as data/cells-long.csv
    # May be made late, by the worker that writes the file, and a large data file in pieces.
    content: str | Callable[[], str | Iterable[str]]
    in_nav: bool = False
    blocks: Blocks | None = None
    source: str = "本站生成"  # the input it comes from, named when two outputs collide
    unit: str | None = None  # the agency whose folder alone determines it (its slug), else None
    members: tuple[str, ...] = ()  # for a summary of some agencies: theirs, whose folders alone determine it

    @property
    def text(self) -> str:
        return "".join(self.chunks())

    def chunks(self) -> Iterable[str]:
        made = self.content() if callable(self.content) else self.content
        return (made,) if isinstance(made, str) else made


# Front matter for pages of wide tables: no side navigation or table of contents beside them.
WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n"


def link(from_uri: str, to_uri: str) -> str:
    """A Markdown link target from one source file to another (MkDocs resolves it), percent-encoded:
    a region or a name in a path may hold `)`, `]`, `{` or a space, which would end the link and
    start markup of its own. MkDocs decodes the path before it looks for the file."""
    return quote(posixpath.relpath(to_uri, posixpath.dirname(from_uri) or "."), safe="/.-_~")


def md_link(label: str, from_uri: str, to_uri: str, fragment: str = "", query: dict | None = None) -> str:
    """The one way generated Markdown links a page: the label shown as the text it is (`md_text`),
    the destination percent-encoded (`link`), the query and fragment too. tests/test_architecture.py
    checks that no generated page writes a Markdown link any other way."""
    target = link(from_uri, to_uri) + (("?" + urlencode(query)) if query else "") + \
        (("#" + quote(fragment, safe="-_")) if fragment else "")
    return f"[{md_text(label)}]({target})"


def url_of(uri: str) -> str:
    """The directory URL of a page source (a/index.md -> a/, a/2019.md -> a/2019/); files keep their path."""
    if not uri.endswith(".md"):
        return uri
    if uri == "index.md" or uri.endswith("/index.md"):
        return uri[: -len("index.md")]
    return uri[: -len(".md")] + "/"


def href(from_uri: str, to_uri: str) -> str:
    """A relative URL for raw HTML, from the page built from `from_uri` to `to_uri`, percent-encoded
    as MkDocs encodes the links it makes (still to be HTML-escaped: templates autoescape it)."""
    base = url_of(from_uri)
    target = url_of(to_uri)
    relative = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return quote(relative, safe="/.-_~")  # a region's "#" or "?" would end the path (see link())


def md_text(text: str) -> str:
    """The one way a data value enters generated Markdown: shown as the text it is, never as markup.

    Markdown's punctuation is backslash-escaped (`{` too: attr_list would read `{: onclick=…}` as
    attributes), then the result HTML-escaped: Python-Markdown passes raw HTML through and keeps
    entities as they are. Safe in a heading, a table cell, a list item and a link label.
    """
    marked = re.sub(r"([\\|\[\]*_`#!(){}+\-.])", r"\\\1", text)
    # "§" as a reference: a value cannot spell a fragment's token (Blocks.fill).
    return str(escape(marked)).replace("&#39;", "'").replace("§", "&#167;")


def report_uri(report: Report) -> str:
    return f"{report.agency}/{report.year}.md"


def report_data_uri(report: Report, name: str) -> str:
    return f"{report.agency}/{report.year}/{name}"


def agency_uri(slug: str) -> str:
    return f"{slug}/index.md"


def year_uri(year: int) -> str:
    return f"years/{year}.md"


def region_uri(region: tuple[str, ...], year: int | None = None) -> str:
    path = "/".join(region)
    return f"regions/{path}/index.md" if year is None else f"regions/{path}/{year}.md"


def heading_id(value: str, separator: str) -> str:
    """The id of a heading on a generated page (Python-Markdown's toc calls this): its text comes
    from report data — an agency's name, a report's title — so it is namespaced under "nb-", which
    no narrative may use, and cannot become the theme's "__config" or one of the page's own ids."""
    from markdown.extensions.toc import slugify

    return "nb-" + (slugify(value, separator) or "h")
