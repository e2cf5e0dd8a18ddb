"""按机构: every agency, by region, in pages of bounded size.

A region whose agencies fit on one page (PER_PAGE) is listed whole, grouped by its sub-regions;
a larger one gets a page of its sub-regions with their counts, each with a page of its own, so
no page grows with the archive (a national one has a few hundred thousand agencies).
"""

from __future__ import annotations

from collections import defaultdict

from ..core.check import Result
from ..core.model import Agency, Report
from .urls import Page, agency_uri, md_link, md_text, report_uri

PER_PAGE = 1000
ROOT = "agencies/index.md"


def list_uri(region: tuple[str, ...]) -> str:
    return ROOT if not region else "agencies/" + "/".join(region) + "/index.md"


def agencies_pages(result: Result) -> list[Page]:
    corpus = result.corpus
    years: dict[str, list[Report]] = defaultdict(list)
    for report in corpus.reports:
        years[report.agency].append(report)
    below: dict[tuple, list[Agency]] = defaultdict(list)  # region -> every agency in it or under it
    for agency in corpus.agencies.values():
        for depth in range(len(agency.region) + 1):
            below[tuple(agency.region[:depth])].append(agency)
    pages = []

    def visit(region: tuple) -> None:
        agencies = below.get(region, [])
        children = sorted({tuple(a.region[:len(region) + 1]) for a in agencies if len(a.region) > len(region)})
        if len(agencies) <= PER_PAGE or not children:
            pages.append(Page(list_uri(region), full_list(region, agencies, years), in_nav=not region))
            return
        pages.append(Page(list_uri(region), region_list(region, children, below, agencies, years), in_nav=not region))
        for child in children:
            visit(child)

    visit(())
    return pages


def heading(region: tuple, count: int, uri: str) -> list[str]:
    title = "按机构" if not region else f"按机构：{md_text(' / '.join(region))}"
    up = "" if not region else f"返回{md_link(' / '.join(region[:-1]) or '全部地区', uri, list_uri(region[:-1]))}。"
    return [f"# {title}", "", f"共 {count} 个机构，按所属地区排列。{up}"
            f"各地区的汇总见{md_link('按地区', uri, 'regions/index.md')}。", ""]


def agency_line(agency: Agency, years: dict, uri: str) -> str:
    links = [md_link(str(r.year), uri, report_uri(r)) for r in sorted(years.get(agency.slug, []), key=lambda r: r.year)]
    return (f"- {md_link(agency.name, uri, agency_uri(agency.slug))}"
            f"（{md_text(agency.kind)}）：{' · '.join(links) or '暂无报告'}")


def full_list(region: tuple, agencies: list[Agency], years: dict) -> str:
    uri = list_uri(region)
    lines = heading(region, len(agencies), uri)
    tree: dict[tuple, list[Agency]] = defaultdict(list)
    for agency in agencies:
        tree[tuple(agency.region)].append(agency)
    shown: set[tuple] = set(region[:d] for d in range(len(region) + 1))
    for place in sorted(tree):
        for depth in range(len(region) + 1, len(place) + 1):
            if place[:depth] not in shown:
                shown.add(place[:depth])
                lines += [f"{'#' * min(depth - len(region) + 1, 6)} {md_text(place[depth - 1])}", ""]
        lines += [agency_line(a, years, uri) for a in sorted(tree[place], key=lambda a: a.name)] + [""]
    if not agencies:
        lines.append("暂无机构。在 reports/ 下添加机构目录后重新构建。")
    return "\n".join(lines) + "\n"


def region_list(region: tuple, children: list[tuple], below: dict, agencies: list[Agency], years: dict) -> str:
    uri = list_uri(region)
    lines = heading(region, len(agencies), uri)
    own = sorted((a for a in agencies if tuple(a.region) == region), key=lambda a: a.name)
    if own:
        lines += [agency_line(a, years, uri) for a in own] + [""]
    lines += ["| 地区 | 机构数 |", "|:--|--:|"]
    lines += [f"| {md_link(child[-1], uri, list_uri(child))} | {len(below[child])} |" for child in children]
    return "\n".join(lines) + "\n"
