"""The site's generated pages as Markdown: one per report, one per agency, and the indexes.

Pure functions of the checked corpus; the MkDocs hook only hands their output to MkDocs. Links
between generated pages are Markdown links to source files, so MkDocs resolves and checks them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
import segno

from .check import Result
from .model import LEVEL_NAMES, Agency, Problem, Report
from .render import render_table
from . import figures
from .datapages import compare_page, data_files, region_pages
from .indexpages import agencies_index, agency_page, year_page, years_index
from .urls import Page, SiteInfo, agency_uri, link, md_text, report_data_uri, report_uri, year_uri
from .rules import RULES

HEADING = re.compile(r"^#{1,6}\s*(?:\*\*)?\s*([一二三四五六])、")
MARKER = re.compile(r"^\{\{\s*(t[234])\s*\}\}\s*$")
RULES_PAGE = "rules.md"
REPORT_URI = re.compile(r"^[a-z0-9-]+/\d{4}\.md$")


def site_pages(result: Result, site: SiteInfo | None = None) -> list[Page]:
    corpus = result.corpus
    site = site or SiteInfo()
    previous = {(r.agency, r.year + 1): r for r in corpus.reports}
    pages = [Page(report_uri(r), report_page(r, corpus.agencies[r.agency], result.by_report.get(r.key, []), site,
                                             previous.get(r.key)))
             for r in corpus.reports if r.agency in corpus.agencies]
    for slug, agency in corpus.agencies.items():
        pages.append(Page(agency_uri(slug), agency_page(agency, corpus.reports_of(slug), result)))
    pages.append(Page("agencies/index.md", agencies_index(result), in_nav=True))
    pages.append(Page("years/index.md", years_index(result), in_nav=True))
    pages.append(Page("compare.md", compare_page(result), in_nav=True))
    by_year = defaultdict(list)
    for report in corpus.reports:
        if report.agency in corpus.agencies:
            by_year[report.year].append(report)
    for year, reports in by_year.items():
        pages.append(Page(year_uri(year), year_page(year, reports, result)))
    pages += region_pages(result)  # regions/index.md is in mkdocs.yml nav
    pages += data_files(result)
    return pages


# -- a report -----------------------------------------------------------------------------

def report_page(report: Report, agency: Agency, problems: list[Problem], site: SiteInfo | None = None,
                previous: Report | None = None) -> str:
    site = site or SiteInfo()
    uri = report_uri(report)
    title = report_title(report, agency)
    parts = [front_matter(report, agency, site), f"# {md_text(title)}", ""]
    address = site.absolute(uri)
    if address:
        parts += [qr_figure(address), ""]
    parts += [meta_block(report, agency, problems, uri), ""]
    parts.append(narrative_with_tables(report, problems))
    parts += ["", comparison(report, previous, uri), "", check_panel(problems, uri)]
    return "\n".join(parts) + "\n"


def report_title(report: Report, agency: Agency) -> str:
    return report.meta.get("title") or f"{agency.name}{report.year}年政府信息公开工作年度报告"


def front_matter(report: Report, agency: Agency, site: SiteInfo) -> str:
    """Page meta: the government-site tags (SiteName, ArticleTitle, PubDate …) from the data."""
    title = report_title(report, agency)
    received = report.cell("t3", "new_received", "total")
    description = f"{agency.name}{report.year}年政府信息公开工作年度报告"
    if received is not None and received.number is not None:
        description += f"：本年新收政府信息公开申请 {received.number} 件"
    tags = {
        "SiteName": site.name,
        "ColumnName": "政府信息公开工作年度报告",
        "ArticleTitle": title,
        "PubDate": report.meta.get("published") or "",
        "ContentSource": agency.name,
        "Keywords": f"政府信息公开,年度报告,{agency.name},{report.year}",
        "Description": description,
        "Url": site.absolute(report_uri(report)) or report_uri(report)[: -len(".md")] + "/",
    }
    lines = ["---", f"description: {json.dumps(description, ensure_ascii=False)}", "gov_meta:"]
    lines += [f"  {name}: {json.dumps(value, ensure_ascii=False)}" for name, value in tags.items()]
    return "\n".join(lines + ["---", ""])


def qr_figure(address: str) -> str:
    svg = segno.make(address, error="m").svg_inline(scale=2, border=2, title="手机扫码打开本页")
    return f'<figure class="nb-qr" markdown="0">{svg}<figcaption>手机扫码阅读</figcaption></figure>'


def comparison(report: Report, previous: Report | None, uri: str) -> str:
    """Each key figure against the same agency's previous year (as printed; blanks stay blank)."""
    lines = ["## 与上年比较 {#compare}", ""]
    if previous is None:
        return "\n".join(lines + [f"没有本机构 {report.year - 1} 年度的报告，无法比较。"])
    now, before = figures.key_values(report), figures.key_values(previous)
    lines += [f"| 指标 | [{previous.year} 年]({link(uri, report_uri(previous))}) | {report.year} 年 | 变化 |",
              "|:--|--:|--:|:--|"]
    for name in now:
        a, b = before[name], now[name]
        change = "—" if a is None or b is None else ("持平" if a == b else f"{'↑ 增加' if b > a else '↓ 减少'} {abs(b - a)}")
        lines.append(f"| {name} | {'' if a is None else a} | {'' if b is None else b} | {change} |")
    return "\n".join(lines + ["", "空白表示原文该项空白，无法比较（“—”）。"])


def meta_block(report: Report, agency: Agency, problems: list[Problem], uri: str) -> str:
    meta = report.meta
    region = " / ".join(agency.region)
    items = [
        f"- **机构**：[{md_text(agency.name)}]({link(uri, agency_uri(agency.slug))})（{agency.kind} · {region}）",
        f"- **年度**：[{report.year} 年]({link(uri, year_uri(report.year))})",
    ]
    if meta.get("published"):
        items.append(f"- **发布日期**：{meta['published']}")
    if meta.get("source_url"):
        items.append(f"- **来源链接**：<{meta['source_url']}>")
    if meta.get("index_no"):
        items.append(f"- **索引号**：{md_text(meta['index_no'])}")
    if meta.get("doc_no"):
        items.append(f"- **文号**：{md_text(meta['doc_no'])}")
    for item in meta.get("attachments", []):
        items.append(f"- **附件**：[{md_text(item['title'])}]({item['url']})")
    items.append(f"- **格式**：{report.edition.id}（{report.edition.document}）")
    items.append(f"- **数据核验**：[{problem_counts(problems)}](#check)")
    items.append(f"- **数据下载**：[data.json]({link(uri, report_data_uri(report, 'data.json'))}) · "
                 f"[tables.csv]({link(uri, report_data_uri(report, 'tables.csv'))})（全部单元格，原文与数值）")
    return '<div class="nb-meta" markdown>\n\n' + "\n".join(items) + "\n\n</div>"


def narrative_with_tables(report: Report, problems: list[Problem]) -> str:
    """Place each table where the editor marked it, else right after its section heading."""
    lines = report.narrative.splitlines()
    placed: set[str] = set()
    out: list[str] = []
    for line in lines:
        marker = MARKER.match(line.strip())
        if marker and marker.group(1) in report.tables:
            out += ["", render_table(report, marker.group(1), problems), ""]
            placed.add(marker.group(1))
        else:
            out.append(line)
    sections = {s["num"]: s for s in report.edition.sections}
    wanted = {s["table"]: s for s in report.edition.sections if s.get("table")}
    for tid, section in wanted.items():
        if tid in placed:
            continue
        at = next((i for i, line in enumerate(out) if heading_no(line) == section["num"]), None)
        block = ["", render_table(report, tid, problems), ""]
        if at is None:
            at = insertion_point(out, list(sections), section["num"])
            block = ["", f"## {section['num']}、{section['title']}"] + block
            out[at:at] = block
        else:
            out[at + 1:at + 1] = block
    return "\n".join(out)


def heading_no(line: str) -> str | None:
    match = HEADING.match(line)
    return match.group(1) if match else None


def insertion_point(lines: list[str], order: list[str], no: str) -> int:
    """Before the first heading of a later section, else at the end."""
    later = order[order.index(no) + 1:]
    for i, line in enumerate(lines):
        if heading_no(line) in later:
            return i
    return len(lines)


def problem_counts(problems: list[Problem]) -> str:
    open_ = [p for p in problems if p.acknowledged is None]
    parts = [f"{sum(1 for p in open_ if p.level == lv)} 个{LEVEL_NAMES[lv]}" for lv in ("error", "warning")]
    acked = sum(1 for p in problems if p.acknowledged is not None)
    if acked:
        parts.append(f"{acked} 个已确认")
    return "，".join(parts)


def check_panel(problems: list[Problem], uri: str) -> str:
    lines = ["## 数据核验 {#check}", "",
             "按统计表的勾稽关系和填报规则逐项核对原文数据。数据按原文发布，不作更正；"
             f"各规则的含义见[核验规则]({link(uri, RULES_PAGE)})。", ""]
    if not problems:
        lines += ['!!! success "全部规则通过"', "", "    未发现问题。"]
        return "\n".join(lines)
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.rule].append(problem)
    kinds = {"error": "failure", "warning": "warning", "info": "info"}
    for rule_id, items in sorted(grouped.items(), key=lambda kv: (level_rank(kv[1]), kv[0])):
        acked = all(p.acknowledged is not None for p in items)
        kind = "note" if acked else kinds[items[0].level]
        title = RULES[rule_id].title if rule_id in RULES else rule_id
        state = "已确认" if acked else LEVEL_NAMES[items[0].level]
        opener = "???" if len(items) > 5 else "???+"
        lines.append(f'{opener} {kind} "{rule_id}：{title}（{state}，{len(items)} 处）"')
        lines.append("")
        if acked:
            lines.append(f"    编辑已核对原文并确认：{md_text(items[0].acknowledged)}")
            lines.append("")
        for p in items:
            lines.append(f"    - 第 {p.line} 行第 {p.col} 列：{md_text(p.message)}")
        lines.append(f"\n    [规则说明]({link(uri, RULES_PAGE)}#{rule_id.lower()})")
        lines.append("")
    return "\n".join(lines)


def level_rank(items: list[Problem]) -> int:
    if all(p.acknowledged is not None for p in items):
        return 3
    return {"error": 0, "warning": 1, "info": 2}[items[0].level]


def home_summary(result: Result) -> str:
    corpus = result.corpus
    years = sorted({r.year for r in corpus.reports})
    span = f"{years[0]}–{years[-1]} 年度" if years else "暂无年度"
    lines = ["", "## 本站收录", "",
             f"{len(corpus.agencies)} 个机构的 {len(corpus.reports)} 份报告（{span}）。", ""]
    latest = sorted(corpus.reports, key=lambda r: (r.meta.get("published") or "", r.agency), reverse=True)[:10]
    if latest:
        lines += ["### 最近发布", ""]
        for report in latest:
            name = md_text(corpus.agencies[report.agency].name) if report.agency in corpus.agencies else report.agency
            lines.append(f"- [{name} {report.year} 年度报告]({report_uri(report)})"
                         f"（{report.meta.get('published') or '发布日期不详'}）")
    return "\n".join(lines) + "\n"
