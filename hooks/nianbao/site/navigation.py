"""A step up and a step down from every page: the breadcrumb (全国 › 省 › 市 › 县 › 机构 › 年度),
a report's other years, and what lies below a region.

HTML fragments (Blocks), each value through markupsafe's escape; links by href() from the page's
own source file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import escape

from ..core.model import Agency, Report
from .urls import agency_uri, href, region_uri

HOME = "regions/index.md"


def breadcrumb(uri: str, region: tuple[str, ...], agency: Agency | None = None, year: int | None = None,
               linked_regions: bool = True) -> str:
    """The path from 全国 down to this page; the last step is the page itself, not a link.

    `linked_regions` is False where the regions may have no page (an agency without reports: a
    region's page exists only where a report was filed under it)."""
    steps: list[tuple[str, str | None]] = [("全国", href(uri, HOME))]
    for depth in range(1, len(region) + 1):
        steps.append((region[depth - 1], href(uri, region_uri(region[:depth])) if linked_regions else None))
    if agency is not None:
        steps.append((agency.name, href(uri, agency_uri(agency.slug))))
    if year is not None:
        steps.append((f"{year} 年度", None))
    last = len(steps) - 1
    items = []
    for number, (text, target) in enumerate(steps):
        if number == last:
            items.append(f'<li aria-current="page">{escape(text)}</li>')
        elif target is None:
            items.append(f"<li>{escape(text)}</li>")
        else:
            items.append(f'<li><a href="{escape(target)}">{escape(text)}</a></li>')
    return f'<nav class="nb-crumbs" aria-label="所在位置"><ol>{"".join(items)}</ol></nav>'


def year_switcher(uri: str, report: Report, years: list[int]) -> str:
    """The agency's reports by year, this one marked; then stable links to the statutory tables
    (the same ids on every report: section-N for the sections, table-tN for the tables)."""
    links = []
    for year in sorted(years):
        if year == report.year:
            links.append(f'<li aria-current="page"><strong>{year}</strong></li>')
        else:
            target = href(uri, f"{report.agency}/{year}.md")
            links.append(f'<li><a href="{escape(target)}">{year}</a></li>')
    tables = [(f"table-{tid}", name) for tid, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四"))
              if tid in report.edition.tables]
    jumps = "".join(f'<li><a href="#{tid}">{name}</a></li>' for tid, name in tables)
    return (f'<nav class="nb-years" aria-label="本机构各年度报告"><span>年度：</span><ol>{"".join(links)}</ol>'
            f'<span>跳到：</span><ol>{jumps}<li><a href="#check">数据核验</a></li></ol></nav>')


# -- what lies below a region --------------------------------------------------------------

LIST_LIMIT = 300  # agencies listed on one region page; the rest are on 按机构


@dataclass
class RegionBelow:
    children: list[tuple[tuple[str, ...], int, list[tuple[str, ...]]]] = field(default_factory=list)  # region, agencies, its own children
    agencies: list[tuple[str, str, str, tuple[int, ...]]] = field(default_factory=list)  # name, slug, kind, years
    linked: frozenset = frozenset()  # the regions among these that have a page


def region_tree(result, with_pages: set[tuple[str, ...]]) -> dict[tuple[str, ...], RegionBelow]:
    """For each region: its sub-regions (with how many agencies each holds and their own
    sub-regions, so a province page reaches a county in one click) and the agencies placed in it
    itself, with their years. One pass over the agencies."""
    corpus = result.corpus
    years: dict[str, list[int]] = defaultdict(list)
    for report in corpus.reports:
        years[report.agency].append(report.year)
    count: dict[tuple, int] = defaultdict(int)
    kids: dict[tuple, set] = defaultdict(set)
    direct: dict[tuple, list] = defaultdict(list)
    for slug, agency in corpus.agencies.items():
        region = tuple(agency.region)
        direct[region].append((agency.name, slug, agency.kind, tuple(sorted(years.get(slug, ())))))
        for depth in range(1, len(region) + 1):
            count[region[:depth]] += 1
            if depth > 1:
                kids[region[:depth - 1]].add(region[:depth])
    out = {}
    for region in set(count):
        children = [(child, count[child], sorted(kids.get(child, ()))) for child in sorted(kids.get(region, ()))]
        named = set(kids.get(region, ())) | {g for _, _, grand in children for g in grand}
        out[region] = RegionBelow(children, sorted(direct.get(region, [])),
                                  frozenset(r for r in named if r in with_pages))
    return out


def region_contents(uri: str, below: RegionBelow, result=None) -> str:
    def place(region: tuple[str, ...]) -> str:
        if region in below.linked:
            return f'<a href="{escape(href(uri, region_uri(region)))}">{escape(region[-1])}</a>'
        return escape(region[-1])

    out = []
    if below.children:
        items = []
        for child, agencies, grand in below.children:
            inner = "、".join(place(g) for g in grand)
            items.append(f"<li>{place(child)}（{agencies} 个机构）{'：' + inner if inner else ''}</li>")
        out.append(f'<h2 id="below">下级地区</h2><ul class="nb-below">{"".join(items)}</ul>')
    if below.agencies:
        items = []
        for name, slug, kind, years in below.agencies[:LIST_LIMIT]:
            links = [f'<a href="{escape(href(uri, f"{slug}/{y}.md"))}">{y}</a>' for y in reversed(years)]
            reports = ("：最新报告 " + links[0] + ("；往年 " + " · ".join(links[1:]) if links[1:] else "")
                       if links else "：暂无报告")
            items.append(f'<li><a href="{escape(href(uri, agency_uri(slug)))}">{escape(name)}</a>'
                         f"（{escape(kind)}）{reports}</li>")
        more = ""
        if len(below.agencies) > LIST_LIMIT:
            more = (f'<p>另有 {len(below.agencies) - LIST_LIMIT} 个机构，全部见'
                    f'<a href="{escape(href(uri, "agencies/index.md"))}">按机构</a>。</p>')
        out.append(f'<h2 id="agencies">本级机构</h2><ul class="nb-agencies">{"".join(items)}</ul>{more}')
    return "".join(out)
