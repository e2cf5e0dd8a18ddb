"""The site's generated pages as Markdown: one per report, one per agency, and the indexes.

Pure functions of the checked corpus; the MkDocs hook only hands their output to MkDocs. Links
between generated pages are Markdown links to source files, so MkDocs resolves and checks them.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
import segno
from markupsafe import escape

from ..core.check import Result
from ..core.model import LEVEL_NAMES, Agency, Problem, Report
from .narrative import Narrative, report_title
from ..core import figures
from .datapages import compare_page, data_files, region_pages
from .directory import directory_files
from .navigation import breadcrumb, year_switcher
from .qualitypages import passing_share, quality_pages
from .agencylists import agencies_pages
from .indexpages import agency_page, year_page, years_index
from .render import problem_anchor
from .tianbao import tianbao_page
from .urls import (Blocks, Page, SiteInfo, agency_uri, href, md_link, md_text, region_uri, report_data_uri,
                   report_uri, year_uri)
from ..core.rules import RULES
from ..core.safety import url_is_unsafe

RULES_PAGE = "rules.md"
HOME = "index.md"  # the hand-written home page, which home_summary() ends


def site_pages(result: Result, site: SiteInfo | None = None) -> list[Page]:
    corpus = result.corpus
    site = site or SiteInfo()
    previous = {(r.agency, r.year + 1): r for r in corpus.reports}
    by_agency = defaultdict(list)  # one pass, not a scan of every report for every agency
    for report in corpus.reports:
        by_agency[report.agency].append(report)
    pages = []
    for r in corpus.reports:
        if r.agency in corpus.agencies:
            blocks = Blocks()
            years = tuple(sorted(x.year for x in by_agency[r.agency]))
            # Made by the worker that renders it: the narrative would otherwise be held twice.
            content = functools.partial(report_page, r, corpus.agencies[r.agency], result.by_report.get(r.key, []),
                                        site, previous.get(r.key), blocks, years)
            pages.append(Page(report_uri(r), content, blocks=blocks, source=r.path, unit=r.agency))
    for slug, agency in corpus.agencies.items():
        blocks = Blocks()
        pages.append(Page(agency_uri(slug), agency_page(agency, by_agency[slug], result, blocks),
                          blocks=blocks, source=agency.path, unit=slug))
    pages += agencies_pages(result)
    pages.append(Page("years/index.md", years_index(result), in_nav=True))
    blocks = Blocks()
    pages.append(Page("compare.md", compare_page(result, blocks), in_nav=True, blocks=blocks))
    by_year = defaultdict(list)
    for report in corpus.reports:
        if report.agency in corpus.agencies:
            by_year[report.year].append(report)
    for year, reports in by_year.items():
        blocks = Blocks()
        pages.append(Page(year_uri(year), year_page(year, reports, result, blocks), blocks=blocks))
    pages += region_pages(result)  # regions/index.md is in mkdocs.yml nav
    pages += quality_pages(result)
    pages += data_files(result)
    pages += directory_files(result)
    pages.append(tianbao_page(site))
    return pages


# -- a report -----------------------------------------------------------------------------

def report_page(report: Report, agency: Agency, problems: list[Problem], site: SiteInfo | None = None,
                previous: Report | None = None, blocks: Blocks | None = None, years: tuple[int, ...] = ()) -> str:
    """The page's Markdown; the three tables go into `blocks` (filled in after Markdown)."""
    site = site or SiteInfo()
    uri = report_uri(report)
    title = report_title(report, agency)
    blocks = blocks if blocks is not None else Blocks()
    # The title first: MkDocs names the page after its first element when that is the heading.
    parts = [front_matter(report, agency, site), f"# {md_text(title)}", "",
             blocks.add(functools.partial(breadcrumb, uri, tuple(agency.region), agency, report.year)), "",
             blocks.add(functools.partial(year_switcher, uri, report, list(years or (report.year,)))), ""]
    # Generated markup goes in as blocks: Python-Markdown would only re-parse it, slowly.
    address = site.absolute(uri)
    if address:
        parts += [blocks.add(functools.partial(qr_figure, address)), ""]
    parts += [blocks.add(functools.partial(meta_html, report, agency, problems, uri)), ""]
    # The editors' Markdown is rendered by the parser the check reads it with, never by MkDocs:
    # the page's table of contents takes its headings from there too (adapter.page_content).
    narrative = Narrative(report, problems)
    parts.append(blocks.add(narrative.html))
    blocks.toc = narrative.headings
    parts += ["", "## 与上年比较 {#compare}", "", blocks.add(functools.partial(comparison, report, previous, uri)),
              "", "## 数据核验 {#check}", "",
              "按统计表的勾稽关系和填报规则逐项核对原文数据。数据按原文发布，不作更正；"
              f"各规则的含义见{md_link('核验规则', uri, RULES_PAGE)}。", "",
              blocks.add(functools.partial(check_panel, problems, uri, report))]
    return "\n".join(parts) + "\n"


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
    # Material prints `description` into an attribute as it stands (its templates do not
    # autoescape), so it goes in escaped; main.html escapes the gov_meta values itself.
    lines = ["---", f"description: {json.dumps(str(escape(description)), ensure_ascii=False)}", "gov_meta:"]
    lines += [f"  {name}: {json.dumps(value, ensure_ascii=False)}" for name, value in tags.items()]
    return "\n".join(lines + ["---", ""])


def qr_figure(address: str) -> str:
    svg = segno.make(address, error="m").svg_inline(scale=2, border=2, title="手机扫码打开本页")
    return f'<figure class="nb-qr">{svg}<figcaption>手机扫码阅读</figcaption></figure>'


def comparison(report: Report, previous: Report | None, uri: str) -> str:
    """Each key figure against the same agency's previous year (as printed; blanks stay blank)."""
    if previous is None:
        return f"<p>没有本机构 {report.year - 1} 年度的报告，无法比较。</p>"
    now, before = figures.key_values(report), figures.key_values(previous)
    rows = []
    for name in now:
        a, b = before[name], now[name]
        rows.append(f'<tr><th scope="row">{name}</th><td class="nb-num">{"" if a is None else a}</td>'
                    f'<td class="nb-num">{"" if b is None else b}</td><td>{figures.change(a, b).text}</td></tr>')
    link_before = f'<a href="{href(uri, report_uri(previous))}">{previous.year} 年</a>'
    return (f'<table class="nb-compare"><thead><tr><th scope="col">指标</th><th scope="col">{link_before}</th>'
            f'<th scope="col">{report.year} 年</th><th scope="col">变化</th></tr></thead><tbody>{"".join(rows)}'
            "</tbody></table><p>空白表示原文该项空白，无法比较（“—”）。</p>")


def meta_html(report: Report, agency: Agency, problems: list[Problem], uri: str) -> str:
    meta = report.meta
    region = " / ".join(agency.region)

    def a(target: str, text: str) -> str:
        # Links come from checked metadata; a javascript: or data: one would still go nowhere.
        return f'<a href="{escape("#" if url_is_unsafe(target) else target)}">{escape(text)}</a>'

    items = [("机构", f"{a(href(uri, agency_uri(agency.slug)), agency.name)}（{escape(agency.kind)} · {escape(region)}）"),
             ("年度", a(href(uri, year_uri(report.year)), f"{report.year} 年"))]
    if meta.get("published"):
        items.append(("发布日期", escape(meta["published"])))
    if meta.get("source_url"):
        items.append(("来源链接", a(meta["source_url"], meta["source_url"])))
    for key, label in (("index_no", "索引号"), ("doc_no", "文号")):
        if meta.get(key):
            items.append((label, escape(meta[key])))
    for item in meta.get("attachments", []):
        target = item["url"] if item["url"].startswith("http") else href(uri, f"{report.agency}/{item['url']}")
        items.append(("附件", a(target, item["title"])))
    items.append(("格式", escape(f"{report.edition.id}（{report.edition.document}）")))
    items.append(("数据核验", a("#check", problem_counts(problems))))
    items.append(("数据下载", f"{a(href(uri, report_data_uri(report, 'data.json')), 'data.json')} · "
                              f"{a(href(uri, report_data_uri(report, 'tables.csv')), 'tables.csv')}（全部单元格，原文与数值）"))
    rows = "".join(f"<li><strong>{label}</strong>：{value}</li>" for label, value in items)
    return f'<div class="nb-meta"><ul>{rows}</ul></div>'


def problem_counts(problems: list[Problem]) -> str:
    open_ = [p for p in problems if p.acknowledged is None]
    parts = [f"{sum(1 for p in open_ if p.level == lv)} 个{LEVEL_NAMES[lv]}" for lv in ("error", "warning")]
    acked = sum(1 for p in problems if p.acknowledged is not None)
    if acked:
        parts.append(f"{acked} 个已确认")
    return "，".join(parts)


def check_panel(problems: list[Problem], uri: str, report: Report | None = None) -> str:
    """数据核验 for readers: each problem in words (which cell, what is wrong), grouped by rule; the
    editor's file:line:col and the rule id in a collapsed detail. A problem about a cell of the
    tables links to that cell, which links back (render.data_cell)."""
    if not problems:
        return ('<div class="admonition success"><p class="admonition-title">全部规则通过</p>'
                "<p>未发现问题。</p></div>")
    marked = flagged_cells(report, problems) if report is not None else set()
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.rule].append(problem)
    kinds = {"error": "failure", "warning": "warning", "info": "info"}
    anchored: set[str] = set()
    out = []
    for rule_id, items in sorted(grouped.items(), key=lambda kv: (level_rank(kv[1]), kv[0])):
        acked = all(p.acknowledged is not None for p in items)
        kind = "note" if acked else kinds[items[0].level]
        title = RULES[rule_id].title if rule_id in RULES else "其他问题"
        state = "已确认" if acked else LEVEL_NAMES[items[0].level]
        opened = "" if len(items) > 5 else " open"
        body = [f'<details class="{kind}"{opened}><summary>{escape(title)}（{state}，{len(items)} 处）</summary>']
        if acked:
            body.append(f"<p>编辑已核对原文并确认：{escape(items[0].acknowledged)}</p>")
        lines = []
        for p in items:
            anchor = problem_anchor(p)
            ident = "" if anchor in anchored else f' id="{anchor}"'
            anchored.add(anchor)
            back = (f'（<a href="#cell-{p.line}-{p.col}">表中位置</a>）'
                    if (p.line, p.col) in marked and not p.path.endswith(".md") else "")
            where = "正文" if p.path.endswith(".md") else "数据文件"
            source = "/".join(p.path.replace("\\", "/").split("/")[-2:])
            lines.append(f"<li{ident}>{escape(p.message)}{back}"
                         f'<details class="nb-editor"><summary>编辑用信息</summary>{where} '
                         f"<code>{escape(source)}:{p.line}:{p.col}</code>，规则 <code>{escape(rule_id)}</code>"
                         "</details></li>")
        body.append("<ul>" + "".join(lines) + "</ul>")
        body.append(f'<p><a href="{href(uri, RULES_PAGE)}#{rule_id.lower()}">这条规则是怎样核对的</a></p></details>')
        out.append("".join(body))
    return "\n".join(out)


def flagged_cells(report: Report, problems: list[Problem]) -> set[tuple[int, int]]:
    """Positions of the table cells that carry a mark (a problem other than BLANK)."""
    positions = {(c.line, c.col) for table in report.tables.values() for cells in table.values() for c in cells}
    return {(p.line, p.col) for p in problems
            if p.rule != "BLANK" and p.path == report.path and (p.line, p.col) in positions}


def level_rank(items: list[Problem]) -> int:
    if all(p.acknowledged is not None for p in items):
        return 3
    return {"error": 0, "warning": 1, "info": 2}[items[0].level]


def home_summary(result: Result) -> str:
    """The archive at a glance: what it holds, how much of it passes every rule, where to start."""
    corpus = result.corpus
    reports = [r for r in corpus.reports if r.agency in corpus.agencies]
    years = sorted({r.year for r in reports})
    regions = {tuple(a.region[:depth]) for a in corpus.agencies.values() for depth in range(1, len(a.region) + 1)}
    clean, total = passing_share(result)
    lines = ["", "## 本站收录", ""]
    if not reports:
        return "\n".join(lines + ["暂无报告。在 `reports/` 下添加机构和报告后重新构建。"]) + "\n"
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else f"{years[0]}"
    lines += [f'<ul class="nb-counts"><li><strong>{len(corpus.agencies)}</strong> 个机构</li>'
              f"<li><strong>{total}</strong> 份报告</li><li><strong>{len(regions)}</strong> 个地区</li>"
              f"<li><strong>{len(years)}</strong> 个年度（{span}）</li></ul>", "",
              f"其中 **{clean}** 份（{clean / total:.0%}）通过全部核验规则、没有未确认的问题；"
              f"其余 {total - clean} 份的问题按规则列在{md_link('数据质量', HOME, 'quality.md')}中。", ""]
    lines += ["### 按年度", ""] + [
        f"- {md_link(f'{year} 年度', HOME, year_uri(year))}：{sum(1 for r in reports if r.year == year)} 份报告" for year in reversed(years)]
    tops = sorted({a.region[0] for a in corpus.agencies.values()})
    lines += ["", "### 按地区", ""] + [
        f"- {md_link(top, HOME, region_uri((top,)))}：{sum(1 for a in corpus.agencies.values() if a.region[0] == top)} 个机构"
        for top in tops] + ["", f"全部地区见{md_link('按地区', HOME, 'regions/index.md')}，全部机构见{md_link('按机构', HOME, 'agencies/index.md')}。"]
    latest = sorted(reports, key=lambda r: (r.meta.get("published") or "", r.agency), reverse=True)[:10]
    lines += ["", "### 最近发布", ""]
    for report in latest:
        name = corpus.agencies[report.agency].name
        lines.append(f"- {md_link(f'{name} {report.year} 年度报告', HOME, report_uri(report))}"
                     f"（{md_text(report.meta.get('published') or '发布日期不详')}）")
    return "\n".join(lines) + "\n"
