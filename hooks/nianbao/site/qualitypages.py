"""数据质量: how many reports fail each rule, and which, in pages of bounded size.

A national archive has a million reports; no page here grows with it: the overview has one row
per rule, and each rule's list of reports is split into pages of PAGE_SIZE rows.
"""

from __future__ import annotations

from collections import defaultdict

from ..core.check import Result
from ..core.model import LEVEL_NAMES, Problem
from ..core.rules import RULES
from .urls import Page, md_link, md_text

PAGE_SIZE = 200
OVERVIEW = "quality.md"


def rule_list_uri(rule_id: str, number: int = 1) -> str:
    folder = f"quality/{rule_id.lower()}"
    return f"{folder}/index.md" if number == 1 else f"{folder}/{number}.md"


def failing(result: Result) -> dict[str, list[tuple[tuple, list[Problem]]]]:
    """rule id -> [(report key, its open problems of that rule)], reports in a stable order."""
    found: dict[str, dict[tuple, list[Problem]]] = defaultdict(dict)
    for key in sorted(result.by_report, key=lambda k: (-k[1], k[0])):
        for problem in result.by_report[key]:
            if problem.acknowledged is None and problem.rule in RULES:
                found[problem.rule].setdefault(key, []).append(problem)
    return {rule: list(items.items()) for rule, items in found.items()}


def passing_share(result: Result) -> tuple[int, int]:
    """(reports with no open error or warning, all reports)."""
    reports = result.corpus.reports
    clean = sum(1 for r in reports if not any(p.acknowledged is None and p.level in ("error", "warning")
                                              for p in result.by_report.get(r.key, [])))
    return clean, len(reports)


def quality_pages(result: Result) -> list[Page]:
    fails = failing(result)
    pages = [Page(OVERVIEW, overview(result, fails), in_nav=True)]
    for rule_id, items in fails.items():
        chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]
        for number, chunk in enumerate(chunks, 1):
            pages.append(Page(rule_list_uri(rule_id, number), rule_list(result, rule_id, chunk, number, len(chunks),
                                                                         len(items))))
    return pages


def overview(result: Result, fails: dict) -> str:
    clean, total = passing_share(result)
    share = f"{clean / total:.0%}" if total else "—"
    lines = ["# 数据质量", "",
             f"共 {total} 份报告，其中 {clean} 份（{share}）没有未确认的错误或警告。"
             "下表按规则列出有问题的报告数（编辑已核对原文并确认的问题不计在内）；"
             f"规则的含义见{md_link('核验规则', OVERVIEW, 'rules.md')}。", "",
             "| 核验内容 | 级别 | 有问题的报告 | 规则编号 |", "|:--|:--|--:|:--|"]
    # What finds most comes first (then the rules' own order): a reader asks what goes wrong, not
    # what rule BAL is. The id stays, last, for editors and the rules page.
    order = sorted(enumerate(RULES.items()), key=lambda kv: (-len(fails.get(kv[1][0], [])), kv[0]))
    for _, (rule_id, rule) in order:
        items = fails.get(rule_id, [])
        count = md_link(str(len(items)), OVERVIEW, rule_list_uri(rule_id)) if items else "0"
        lines.append(f"| {md_text(rule.title)} | {LEVEL_NAMES[rule.level]} | {count} | "
                     f"{md_link(rule_id, OVERVIEW, 'rules.md', rule_id.lower())} |")
    return "\n".join(lines + breakdown(result)) + "\n"


TOP_AGENCIES = 20  # the overview stays one screenful however large the archive


def breakdown(result: Result) -> list[str]:
    """Where the problems are: by year, by province, and the agencies with most of them."""
    agencies = result.corpus.agencies
    by_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_province: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_agency: dict[str, int] = defaultdict(int)
    for report in result.corpus.reports:
        if report.agency not in agencies:
            continue
        open_ = [p for p in result.by_report.get(report.key, [])
                 if p.acknowledged is None and p.level in ("error", "warning")]
        for counts in (by_year[report.year], by_province[agencies[report.agency].region[0]]):
            counts[0] += 1
            counts[1] += bool(open_)
        by_agency[report.agency] += len(open_)
    lines = ["", "## 按年度", "", "| 年度 | 报告 | 有未确认问题的报告 |", "|:--|--:|--:|"]
    lines += [f"| {year} | {n} | {bad} |" for year, (n, bad) in sorted(by_year.items(), reverse=True)]
    lines += ["", "## 按省份", "", "| 省份 | 报告 | 有未确认问题的报告 |", "|:--|--:|--:|"]
    lines += [f"| {md_text(name)} | {n} | {bad} |" for name, (n, bad) in sorted(by_province.items())]
    worst = sorted(((count, slug) for slug, count in by_agency.items() if count), key=lambda cs: (-cs[0], cs[1]))
    if worst:
        lines += ["", f"## 问题最多的 {min(TOP_AGENCIES, len(worst))} 个机构", "",
                  "| 机构 | 未确认的错误和警告（各年度合计） |", "|:--|--:|"]
        lines += [f"| {md_link(agencies[slug].name, OVERVIEW, f'{slug}/index.md')} | {count} |"
                  for count, slug in worst[:TOP_AGENCIES]]
    return lines


def rule_list(result: Result, rule_id: str, chunk: list, number: int, pages: int, total: int) -> str:
    uri = rule_list_uri(rule_id, number)
    agencies = result.corpus.agencies
    first = (number - 1) * PAGE_SIZE + 1
    lines = [f"# {rule_id}：{md_text(RULES[rule_id].title)}", "",
             f"{total} 份报告有此问题；本页第 {first}–{first + len(chunk) - 1} 份"
             f"（第 {number} / {pages} 页）。{md_link('返回数据质量', uri, OVERVIEW)}", "",
             "| 报告 | 年度 | 处数 | 第一处 |", "|:--|--:|--:|:--|"]
    for (slug, year), problems in chunk:
        name = agencies[slug].name if slug in agencies else slug
        lines.append(f"| {md_link(name, uri, f'{slug}/{year}.md', 'check')} | {year} | {len(problems)} | {md_text(problems[0].message)} |")
    nav = []
    if number > 1:
        nav.append(md_link("上一页", uri, rule_list_uri(rule_id, number - 1)))
    if number < pages:
        nav.append(md_link("下一页", uri, rule_list_uri(rule_id, number + 1)))
    return "\n".join(lines + ["", " · ".join(nav)]) + "\n"
