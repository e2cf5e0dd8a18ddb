"""Index pages: by agency (grouped by region), each agency across its years, and by year.

Figures are shown as printed (a blank stays blank); derived rates carry their formula and are
left out where a term is unknown or the denominator is 0.
"""

from __future__ import annotations

from collections import defaultdict

from . import charts
from ..core import figures
from ..core.check import Result
from ..core.model import Agency, Report
from .navigation import breadcrumb
from .pagedtables import FIRST_ROWS, paged_table
from .jinja import environment
from .summaryrows import FIGURE_NAMES, RATE_NAMES, SummaryRow, summary_rows
from .tianbao import TIANBAO_PAGE
from .urls import WIDE_PAGE, Blocks, agency_uri, href, md_link, md_text, region_uri, report_uri, year_uri


def summary_table(rows: list[SummaryRow], uri: str, csv_uri: str) -> str:
    """An agency's years side by side, sortable by any column (with JavaScript; it reads without)."""
    return environment().get_template("summary.html").render(
        rows=rows, figure_names=FIGURE_NAMES, rate_names=RATE_NAMES, formulas=figures.RATE_FORMULAS,
        report_href=lambda r: href(uri, report_uri(r)), csv_href=href(uri, csv_uri)).strip()


# -- pages --------------------------------------------------------------------------------

def agency_page(agency: Agency, reports: list[Report], result: Result, blocks: Blocks) -> str:
    uri = agency_uri(agency.slug)
    region = " / ".join(agency.region)
    crumbs = breadcrumb(uri, tuple(agency.region), agency, linked_regions=bool(reports))
    lines = [f"# {md_text(agency.name)}", "", blocks.add(lambda: crumbs), "",
             f"- **类型**：{md_text(agency.kind)}",
             f"- **地区**：{md_link(region, uri, region_uri(tuple(agency.region)))}"]
    if agency.credit_code:
        lines.append(f"- **统一社会信用代码**：{md_text(agency.credit_code)}")
    # The 填报 page opens with this agency chosen (its published reports are fetched from there).
    lines.append(f"- **填报**：{md_link('填写或更正本机构的报告', uri, TIANBAO_PAGE, query={'agency': agency.slug})}")
    if not reports:
        return "\n".join(lines + ["", "本机构暂无报告。"]) + "\n"
    ordered = sorted(reports, key=lambda r: -r.year)
    # The story first: the latest figures and how they moved, then the charts, then every year.
    lines += ["", blocks.add(lambda: latest_summary(ordered, result, uri)), ""]
    if len(ordered) > 1:
        lines += ["## 历年变化", "", blocks.add(lambda: agency_charts(agency, ordered[::-1])), ""]
    else:  # one year draws no change: say so once instead of five empty frames
        lines += ["## 历年变化", "", f"本站只有本机构 {ordered[0].year} 年度的报告，收录第二个年度后显示历年变化图。", ""]
    lines += ["## 历年报告", "",
              blocks.add(lambda: summary_table(summary_rows(ordered, result), uri, f"{agency.slug}/summary.csv")), ""]
    lines += ["", "## 跨年度核对", ""] + cross_year_lines(ordered[::-1], result, uri)
    return "\n".join(lines) + "\n"


def latest_summary(ordered: list[Report], result: Result, uri: str) -> str:
    """The latest report's key figures, each with its change from the year before, and its check."""
    latest = ordered[0]
    previous = next((r for r in ordered if r.year == latest.year - 1), None)
    now = figures.key_values(latest)
    before = figures.key_values(previous) if previous else {}
    items = [{"name": name, "value": value, "before": before.get(name),
              "change": figures.change(before.get(name), value)} for name, value in now.items()]
    problems = result.by_report.get(latest.key, [])
    open_ = [p for p in problems if p.acknowledged is None]
    return environment().get_template("agency_summary.html").render(
        latest=latest, previous=previous, figures=items, rates=figures.rates(latest),
        errors=sum(p.level == "error" for p in open_), warnings=sum(p.level == "warning" for p in open_),
        acknowledged=len(problems) - len(open_), report_href=href(uri, report_uri(latest))).strip()


def agency_charts(agency: Agency, present: list[Report]) -> str:
    # Every year from the first to the last: a year without a report is a gap in the charts (no
    # bar, a break in the line), never a line drawn straight across it.
    by_year = {r.year: r for r in present}
    span = range(present[0].year, present[-1].year + 1)
    gaps = [y for y in span if y not in by_year]
    years = [f"{y}" if y in by_year else f"{y} 无报告" for y in span]
    reports = [by_year.get(y) for y in span]
    gap_note = f"{'、'.join(str(y) for y in gaps)} 年没有报告，图中空缺。" if gaps else ""
    outcome = [figures.outcomes(r) if r else {label: figures.Total() for label, _ in figures.OUTCOMES} for r in reports]
    received = charts.bar_chart(
        f"chart-{agency.slug}-outcomes", "历年申请办理结果（表三“总计”列）", years,
        [charts.Series(label, [o[label].known for o in outcome]) for label, _ in figures.OUTCOMES],
        note=gap_note + "空白表示原文该项空白或不完整。新收申请：" + "，".join(
            f"{r.year} 年 {figures.number(r, 't3', 'new_received', 'total') or '空白'}" for r in present))
    cases = []
    for prefix, name in (("review_", "行政复议"), ("suit_direct_", "行政诉讼（未经复议）"),
                         ("suit_after_review_", "行政诉讼（复议后）")):
        values = [figures.case_outcomes(r, prefix) if r else {label: None for label, _ in figures.CASE_OUTCOMES}
                  for r in reports]
        cases.append(charts.bar_chart(
            f"chart-{agency.slug}-{prefix.rstrip('_')}", f"历年{name}结果", years,
            [charts.Series(label, [v[label] for v in values]) for label, _ in figures.CASE_OUTCOMES],
            stacked=True))
    rates = [figures.rates(r) if r else [figures.Rate(name, "", None, None) for name in RATE_NAMES] for r in reports]
    trend = charts.line_chart(
        f"chart-{agency.slug}-rates", "历年公开率与纠错率", years,
        [charts.Series(name, [next(x.value for x in rs if x.name == name) for rs in rates]) for name in RATE_NAMES],
        note="；".join(f"{name} = {formula}" for name, formula in figures.RATE_FORMULAS.items())
        + "。分母为 0 或含空白的年份不画点。" + gap_note)
    return "\n\n".join([received, trend] + cases)


def cross_year_lines(reports: list[Report], result: Result, uri: str) -> list[str]:
    lines = []
    for report in reports[1:]:
        found = [p for p in result.by_report.get(report.key, []) if p.rule.startswith("XY-")]
        previous = next((r for r in reports if r.year == report.year - 1), None)
        if previous is None:
            lines.append(f"- {report.year} 年：没有 {report.year - 1} 年报告，无法核对。")
        elif not found:
            lines.append(f"- {report.year} 年：与 {previous.year} 年的结转和存量一致（XY-CARRY、XY-STOCK 通过）。")
        for p in found:
            lines.append(f"- {report.year} 年 {md_link(p.rule, uri, 'rules.md', p.rule.lower())}：{md_text(p.message)}")
    return lines or ["只有一个年度的报告，暂无跨年度核对。"]


def years_index(result: Result) -> str:
    uri = "years/index.md"
    counts: dict[int, int] = defaultdict(int)
    for report in result.corpus.reports:
        counts[report.year] += 1
    lines = ["# 按年度", "", f"各机构之间的比较见{md_link('比较', uri, 'compare.md')}。", ""]
    if not counts:
        lines.append("暂无报告。")
    for year in sorted(counts, reverse=True):
        lines.append(f"- {md_link(f'{year} 年度', uri, year_uri(year))}：{counts[year]} 份报告")
    return "\n".join(lines) + "\n"


def year_page(year: int, reports: list[Report], result: Result, blocks: Blocks) -> str:
    uri = year_uri(year)
    agencies = result.corpus.agencies
    reports = sorted(reports, key=lambda r: (agencies[r.agency].region, agencies[r.agency].name))
    lines = [WIDE_PAGE, f"# {year} 年度报告", "", f"{year} 年度共 {len(reports)} 份报告。", ""]
    regions = sorted({agencies[r.agency].region[0] for r in reports})
    lines += [blocks.add(lambda: paged_table(summary_rows(reports[:FIRST_ROWS], result), len(reports), uri,
                                             f"years/{year}.csv", [year], regions, year=year)), ""]
    return "\n".join(lines) + "\n"
