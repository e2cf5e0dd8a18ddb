"""Open-data files and the pages built on sums: regions and the comparison across agencies."""

from __future__ import annotations

import functools
from collections import defaultdict

from markupsafe import escape

from . import charts
from ..data import export
from ..core import figures
from ..core.check import Result
from .pagedtables import FIRST_ROWS, chunk_files, paged_table
from ..core.model import Cell, Report
from .jinja import environment
from .render import render_table
from .summaryrows import reports_csv, summary_rows
from .navigation import RegionBelow, breadcrumb, region_contents, region_tree
from .urls import WIDE_PAGE, Blocks, Page, agency_uri, href, md_link, md_text, region_uri, report_data_uri, report_uri

LONG_CSV = "data/nianbao-cells-long.csv"
WIDE_CSV = "data/nianbao-reports-wide.csv"
SUMMARY_CSV = "data/nianbao-summary.csv"


def data_files(result: Result) -> list[Page]:
    corpus = result.corpus
    reports = [r for r in corpus.reports if r.agency in corpus.agencies]
    # The large files are made by the worker that writes them, one agency's piece at a time, and
    # only when an agency changed: they hold the agencies' folders alone, so those are their key.
    # The summaries' rows too are made where each file is written.
    members = tuple(sorted({r.agency for r in reports}))
    files = [Page(LONG_CSV, export.long_csv_parts(reports), members=members),
             Page(WIDE_CSV, export.wide_csv_parts(reports, corpus.agencies), members=members),
             Page("data/datapackage.json", export.datapackage(LONG_CSV.split("/")[-1], WIDE_CSV.split("/")[-1])),
             Page(SUMMARY_CSV, functools.partial(reports_csv, reports, result))]
    for report in reports:
        agency, problems = corpus.agencies[report.agency], result.by_report.get(report.key, [])
        files.append(Page(report_data_uri(report, "data.json"), functools.partial(export.report_json, report, agency,
                                                                                 problems),
                          source=report.path, unit=report.agency))
        files.append(Page(report_data_uri(report, "tables.csv"), functools.partial(export.report_csv, report),
                          source=report.path, unit=report.agency))
    by_year, by_agency = defaultdict(list), defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)
        by_agency[report.agency].append(report)
    for year, items in by_year.items():
        files.append(Page(f"years/{year}.csv", functools.partial(reports_csv, items, result)))
    files += chunk_files(reports, result)
    for slug, items in by_agency.items():
        files.append(Page(f"{slug}/summary.csv", functools.partial(reports_csv, sorted(items, key=lambda r: -r.year),
                                                                   result), unit=slug))
    return files


def compare_page(result: Result, blocks: Blocks) -> str:
    """The latest year first; other years, provinces and kinds are loaded in the browser (the page
    itself holds only its first rows, however large the archive)."""
    uri = "compare.md"
    agencies = result.corpus.agencies
    reports = [r for r in result.corpus.reports if r.agency in agencies]
    lines = [WIDE_PAGE, "# 比较", "", "各机构、各年度的主要数字和比率并列。可按年度、地区和类型筛选，点击列名排序。", ""]
    if not reports:
        return "\n".join(lines + ["暂无报告。"]) + "\n"
    years = sorted({r.year for r in reports}, reverse=True)
    latest = [r for r in reports if r.year == years[0]]
    first = sorted(latest, key=lambda r: (agencies[r.agency].region, agencies[r.agency].name))[:FIRST_ROWS]
    regions = sorted({a.region[0] for a in agencies.values()})
    lines.append(blocks.add(lambda: paged_table(summary_rows(first, result), len(latest), uri, SUMMARY_CSV, years,
                                                regions)))
    return "\n".join(lines) + "\n"


# -- regions ------------------------------------------------------------------------------

def region_pages(result: Result) -> list[Page]:
    rollups = figures.region_rollups(result.corpus)
    by_region: dict[tuple, list[figures.RegionYear]] = defaultdict(list)
    for (region, _), entry in rollups.items():
        by_region[region].append(entry)
    pages = [Page("regions/index.md", regions_index(sorted(by_region)), in_nav=True)]
    within = figures.agencies_within(result.corpus)
    below = region_tree(result, set(by_region))
    for region, entries in by_region.items():
        entries.sort(key=lambda e: e.year)
        blocks = Blocks()
        source = region_source(region, entries, result)
        # Made by the worker that renders them (their sums are the costly part), not here.
        # A region's pages show its agencies alone: a rebuild keys them by those agencies' folders
        # and does not sum the region again unless one of them changed.
        members = tuple(within[region])
        pages.append(Page(region_uri(region), functools.partial(region_page, region, entries, result, blocks,
                                                                below.get(region, RegionBelow())),
                          blocks=blocks, source=source, members=members))
        for entry in entries:
            blocks = Blocks()
            pages.append(Page(region_uri(region, entry.year), functools.partial(region_year_page, entry, result, blocks),
                              blocks=blocks, source=source, members=members))
    return pages


def region_source(region: tuple, entries: list[figures.RegionYear], result: Result) -> str:
    """The agency file that names this region, for messages about the region's pages."""
    slugs = {r.agency for e in entries for r in e.units + ([e.own] if e.own else [])}
    agencies = [result.corpus.agencies[slug] for slug in slugs]
    # The agencies placed in this region itself come first, then those of the regions below it.
    paths = [a.path for a in sorted(agencies, key=lambda a: (tuple(a.region) != region, a.path))]
    more = f" 等 {len(paths)} 个文件" if len(paths) > 1 else ""
    return f"{paths[0] if paths else '?'}{more}中的所属地区“{'/'.join(region)}”"


def regions_index(regions: list[tuple]) -> str:
    uri = "regions/index.md"
    lines = ["# 按地区", "", "每个地区、每个年度所属单位报告的逐格合计，与本级政府报告并列比较。", ""]
    for region in regions:
        indent = "    " * (len(region) - 1)
        lines.append(f"{indent}- {md_link(region[-1], uri, region_uri(region))}")
    if not regions:
        lines.append("暂无地区。")
    return "\n".join(lines) + "\n"


def region_page(region: tuple, entries: list[figures.RegionYear], result: Result, blocks: Blocks,
                below: "RegionBelow | None" = None) -> str:
    uri = region_uri(region)
    name = " / ".join(region)
    below = below or RegionBelow()
    lines = [f"# {md_text(name)}", "", blocks.add(functools.partial(breadcrumb, uri, region)), "",
             blocks.add(functools.partial(region_contents, uri, below, result)), "",
             "## 历年汇总", "",
             "| 年度 | 报告单位 | 未报告（上年有报告） | 新收申请合计 | 办结合计 | 本级政府报告 |",
             "|:--|--:|:--|--:|--:|:--|"]
    for entry in entries:
        own = (md_link(result.corpus.agencies[entry.own.agency].name, uri, report_uri(entry.own))
               if entry.own else "—")
        missing = "、".join(md_text(result.corpus.agencies[s].name) for s in entry.missing) or "无"
        received = entry.sums.get(("t3", "new_received", "total"), figures.Total()).shown()
        handled = entry.sums.get(("t3", "total", "total"), figures.Total()).shown()
        lines.append(f"| {md_link(str(entry.year), uri, region_uri(region, entry.year))} | {len(entry.units)} | "
                     f"{missing} | {received} | {handled} | {own} |")
    lines += ["", "“≥”表示合计中有单位的该项为空白，实际数不小于所示数。", "", "## 办理结果构成", ""]
    years = [str(e.year) for e in entries]
    series, partial = [], set()
    for label, prefixes in figures.OUTCOMES:
        values = []
        for entry in entries:
            total = figures.Total()
            rows = {row for (tid, row, col) in entry.sums if tid == "t3" and col == "total"}
            for row in figures.outcome_rows(rows, prefixes):
                cell = entry.sums[("t3", row, "total")]
                # What is known of a sum with blank terms, as the table's "≥" shows it: a year is
                # never dropped and drawn as zero because one unit left a cell blank.
                total.add(cell.value if cell.terms else None)
                if not cell.complete:
                    partial.add(entry.year)
            values.append(total.value if total.terms else None)
        series.append(charts.Series(label, values))
    note = (f"{'、'.join(str(y) for y in sorted(partial))} 年有单位的部分单元格空白，柱高为已填数字之和"
            "（实际数不小于所示数，与上表的“≥”一致）。" if partial else "")
    # A bar is the sum of the outcome rows; 办结合计 is the sum of the units' printed totals. Where a
    # unit's outcomes do not add up to its own total (rule T3-RES), the two differ: say by how much.
    apart = []
    for entry, *heights in zip(entries, *(s.values for s in series)):
        handled = entry.sums.get(("t3", "total", "total"), figures.Total())
        drawn = sum(h for h in heights if h is not None)
        if handled.terms and handled.complete and entry.year not in partial and drawn != handled.value:
            apart.append(f"{entry.year} 年各项结果之和 {drawn}，办结合计 {handled.value}")
    if apart:
        note += ("；".join(apart) + "：有单位的办理结果各项之和与其“总计”不一致（原文如此，"
                 "见各单位报告的数据核验），柱高为各项之和。")
    chart = charts.bar_chart("chart-region-outcomes", f"{name}：各年度办理结果构成（所属单位合计）", years, series,
                             note=note)
    lines.append(blocks.add(lambda: chart))
    latest = entries[-1]
    lines += ["", f"## {latest.year} 年度各单位新收申请", "",
              blocks.add(lambda: units_chart(latest, result)), ""]
    return "\n".join(lines) + "\n"


RANKED_UNITS = 30  # a region page stays small however many units the region has


def units_chart(entry: figures.RegionYear, result: Result) -> str:
    """Units of the region ranked by applications received (the largest RANKED_UNITS)."""
    agencies = result.corpus.agencies
    items = [(agencies[r.agency].name, figures.number(r, "t3", "new_received", "total")) for r in entry.units]
    known = sorted((i for i in items if i[1] is not None), key=lambda kv: (-kv[1], kv[0]))
    blank = len(items) - len(known)
    note = [f"共 {len(items)} 个单位，只列新收申请最多的 {RANKED_UNITS} 个" if len(known) > RANKED_UNITS else "",
            f"{blank} 个单位该项空白，未列入" if blank else ""]
    return charts.ranked_chart(f"chart-units-{entry.year}", f"{entry.year} 年度各单位新收政府信息公开申请（件）",
                               known[:RANKED_UNITS], note="；".join(n for n in note if n))


def region_year_page(entry: figures.RegionYear, result: Result, blocks: Blocks) -> str:
    uri = region_uri(entry.region, entry.year)
    agencies = result.corpus.agencies
    name = " / ".join(entry.region)
    # Long lists of links go in as HTML blocks: a province lists thousands of units.
    units = [(agencies[r.agency].name, href(uri, report_uri(r))) for r in entry.units]
    more = href(uri, "agencies/index.md")
    lines = [f"# {md_text(name)} {entry.year} 年度汇总", "",
             blocks.add(lambda: link_list(f"所属单位报告 {len(units)} 份（不含本级政府报告）：", units, more=more)), ""]
    if entry.units:
        lines += [blocks.add(lambda: units_chart(entry, result)), ""]
    if entry.missing:
        missing = [(agencies[s].name, href(uri, agency_uri(s))) for s in entry.missing]
        lines += [blocks.add(lambda: link_list("上年有报告、本年未见报告的单位：", missing, strong=True, more=more)), ""]
    if entry.own is not None:
        lines += region_differences(entry, agencies, uri, blocks)
    summed = summed_report(entry)
    if summed is not None:
        lines += ["## 所属单位逐格合计", "", "“≥”表示有单位的该项为空白。", ""]
        for tid in summed.tables:
            lines += [blocks.add(functools.partial(render_table, summed, tid)), ""]
    return "\n".join(lines) + "\n"


LIST_LIMIT = 300  # links on one region page; a province of a national archive has thousands of units


def link_list(lead: str, links: list[tuple[str, str]], strong: bool = False, more: str = "") -> str:
    """Links after a lead; past LIST_LIMIT, the count and where to find the rest (`more`)."""
    lead = f"<strong>{escape(lead)}</strong>" if strong else escape(lead)
    shown = "、".join(f'<a href="{escape(h)}">{escape(t)}</a>' for t, h in links[:LIST_LIMIT])
    if len(links) > LIST_LIMIT:
        shown += f'……（另有 {len(links) - LIST_LIMIT} 个，全部单位见<a href="{escape(more)}">按机构</a>）'
    return f"<p>{lead}{shown}</p>"


def region_differences(entry: figures.RegionYear, agencies, uri: str, blocks: Blocks) -> list[str]:
    """The cells where the region's own report and its units' sums differ. An HTML block, not a
    Markdown table: a county's report can differ from its units' sums in most of its 200 cells,
    and Markdown's table and inline parsing of those rows was the largest part of a region's page."""
    own = entry.own
    rows = []
    for tid, row, col, cell in export.cells(own):
        total = entry.sums.get((tid, row, col.id))
        if total is None or total.known is None or cell.number is None or total.known == cell.number:
            continue
        label = own.edition.tables[tid].row(row).label if own.edition.tables[tid].row_labels else ""
        rows.append({"table": tid, "row": label, "column": col.name, "own": cell.number, "total": total.known})
    head = ["## 与本级政府报告比较", "",
            f"本级政府报告：{md_link(agencies[own.agency].name, uri, report_uri(own))}。", ""]
    if not rows:
        return head + ["各单元格与所属单位合计一致（或合计不完整，无法比较）。", ""]
    table = blocks.add(lambda: environment().get_template("differences.html").render(rows=rows).strip())
    return head + [f"以下 {len(rows)} 个单元格与所属单位合计不同（本级报告可能只统计本级，差异仅供核对）：", "",
                   table, ""]


def summed_report(entry: figures.RegionYear) -> Report | None:
    """A report-shaped view of the sums, so the official table layout can show them."""
    if not entry.units:
        return None
    edition = entry.units[0].edition
    tables: dict = {}
    for tid, table in edition.tables.items():
        present = {row for (t, row, _) in entry.sums if t == tid}
        for row in table.printed_rows(present):
            cells = []
            for col in table.columns_of(row):
                total = entry.sums.get((tid, row, col.id), figures.Total())
                cells.append(Cell(total.known, total.shown(), 0, 0))
            tables.setdefault(tid, {})[row] = cells
    return Report(agency="", year=entry.year, edition=edition, path="", md_path="", meta={}, tables=tables,
                  headers={}, acknowledged={}, marks={})
