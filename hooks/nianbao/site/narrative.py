"""A report's narrative as page HTML, with its statutory tables in place and its own headings' ids.

The narrative is the editors' Markdown, so the page does not hand it to MkDocs: it is parsed by
the parser the check reads it with (core/markup.py), each top-level block is rendered and cleaned
with the narrative's allow-list on its own (an unclosed tag cannot swallow the blocks after it),
and the headings get ids made here — the same on every report for the six statutory sections
(`section-1` … `section-6`), `h-N` for the rest — never an id from the text. The page's table of
contents is made from these headings (`headings`), with titles escaped as text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markupsafe import escape

from ..core import markup
from ..core.model import Agency, Problem, Report
from ..core.safety import clean_narrative, html_problems
from .render import render_table

NUMBERS = "一二三四五六"
SECTION = re.compile(r"^(?:\*\*)?\s*([一二三四五六])、")


@dataclass
class Heading:
    level: int
    id: str
    title: str  # HTML: the heading's text, escaped


@dataclass
class Part:
    html: str
    heading: Heading | None = None
    section: str | None = None  # a statutory section's number, for its heading
    table: str | None = None  # where an editor placed a table ({{ t3 }})


def report_title(report: Report, agency: Agency | None) -> str:
    """The page's title: the report's own as printed, else made from its agency's name."""
    return report.meta.get("title") or f"{agency.name if agency else ''}{report.year}年政府信息公开工作年度报告"


class Narrative:
    """Rendered once, for the page body and for its table of contents."""

    def __init__(self, report: Report, problems: list[Problem], clean=clean_narrative):
        self.report, self.problems, self.clean = report, problems, clean

    @functools.cached_property
    def rendered(self) -> tuple[str, list[Heading]]:
        return render(self.report, self.problems, self.clean)

    def html(self) -> str:
        return self.rendered[0]

    def headings(self) -> list[Heading]:
        return self.rendered[1]


def render(report: Report, problems: list[Problem], clean=clean_narrative) -> tuple[str, list[Heading]]:
    parts, ids = blocks(report.narrative, set(report.tables), clean)
    for part in parts:
        if part.table:
            part.html = render_table(report, part.table, problems)
    place_tables(report, problems, parts, {part.table for part in parts if part.table}, ids)
    return "".join(part.html for part in parts), [part.heading for part in parts if part.heading]


def blocks(text: str, tables: set[str], clean=clean_narrative) -> tuple[list[Part], Ids]:
    """The narrative's top-level blocks as page HTML, each cleaned on its own; a paragraph that
    only places one of `tables` (`{{ t3 }}`, its first) is left for the table. Where no cleaner
    can run (`clean` None: the 填报 page's preview, in a browser without nh3) every piece of raw
    HTML is shown as text, so what reaches the page is only the parser's own escaped output."""
    md = markup.parser()
    every = clean is None
    clean = clean or (lambda fragment: fragment)
    parts: list[Part] = []
    ids = Ids()
    if markup.over_limits(text) is not None:  # refused by the check (FMT-MD); shown, never parsed
        return [Part(f'<pre class="nb-unparsed">{escape(text)}</pre>\n')], ids
    for group in top_level(md.parse(text)):
        first = group[0]
        if first.type == "paragraph_open" and len(group) == 3:
            marker = markup.MARKER.fullmatch(group[1].content.strip())
            if marker and marker.group(1) in tables and not any(p.table == marker.group(1) for p in parts):
                parts.append(Part("", table=marker.group(1)))
                continue
        if first.type == "heading_open":
            inline = group[1]
            section = SECTION.match(inline.content)
            number = section.group(1) if section else None
            heading = Heading(int(first.tag[1]), ids.make(number), escape(heading_text(inline)))
            for token in inline.children or []:
                shown_as_text(token, every)
            inner = clean(md.renderer.renderInline(inline.children or [], md.options, {}))
            parts.append(Part(f'<{first.tag} id="{heading.id}">{inner}</{first.tag}>\n', heading, number))
            continue
        for token in group:
            aligned(token)
            shown_as_text(token, every)
        parts.append(Part(clean(md.renderer.render(group, md.options, {}))))
    return parts, ids


def shown_as_text(token, every: bool = False) -> None:
    """Raw HTML the check refuses is shown as the text it is (the check was skipped, or the
    report is published with its errors): not left to the cleaner, which would keep an element
    Markdown can also make (a <pre>, an <h1>) and drop the rest silently."""
    if token.type in ("html_inline", "html_block") and (every or next(html_problems(token.content), None)):
        # A lone comment (the template's note on the preface) is dropped, as the cleaner drops it.
        bare = token.content.strip()
        only_comment = every and bare.startswith("<!--") and bare.find("-->") == len(bare) - 3
        token.content = "" if only_comment else str(escape(token.content))
    for child in token.children or []:
        shown_as_text(child, every)


def aligned(token) -> None:
    """A table cell's alignment as `align`, which the allow-list keeps, not as a style; a code
    block without its info string as a class (the page highlights no code)."""
    if token.type == "fence":
        token.info = ""
    style = token.attrs.get("style") if token.attrs else None
    if style and token.type in ("th_open", "td_open"):
        del token.attrs["style"]
        token.attrSet("align", str(style).removeprefix("text-align:"))


class Ids:
    """Heading ids: a statutory section's is fixed (its first heading), the others numbered."""

    def __init__(self):
        self.used: set[str] = set()
        self.count = 0

    def make(self, number: str | None) -> str:
        if number is not None:
            fixed = f"section-{NUMBERS.index(number) + 1}"
            if fixed not in self.used:
                self.used.add(fixed)
                return fixed
        self.count += 1
        return f"h-{self.count}"


def heading_text(inline) -> str:
    return "".join(t.content for t in markup.walk(inline.children or []) if t.type in ("text", "code_inline")).strip()


def top_level(tokens: list) -> list[list]:
    """The tokens grouped by top-level block."""
    groups, current, depth = [], [], 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def place_tables(report: Report, problems: list[Problem], parts: list[Part], placed: set[str], ids: Ids) -> None:
    """Each table the editor did not place goes right after its section's heading; a section the
    narrative lacks gets its heading, before the first later section (or at the end)."""
    order = [s["num"] for s in report.edition.sections]
    for section in report.edition.sections:
        tid = section.get("table")
        if not tid or tid in placed:
            continue
        table = Part(render_table(report, tid, problems))
        at = next((i for i, part in enumerate(parts) if part.section == section["num"]), None)
        if at is not None:
            parts.insert(at + 1, table)
            continue
        later = order[order.index(section["num"]) + 1:]
        at = next((i for i, part in enumerate(parts) if part.section in later), len(parts))
        heading = Heading(2, ids.make(section["num"]), escape(f"{section['num']}、{section['title']}"))
        parts[at:at] = [Part(f'<h2 id="{heading.id}">{heading.title}</h2>\n', heading, section["num"]), table]
