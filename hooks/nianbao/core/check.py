"""Load -> check -> result -> report, for the CLI and the site build alike."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from .load import Corpus, load_corpus
from .model import Cell, Problem, Report
from . import textrules  # noqa: F401  (registers the narrative and deadline rules)
from .rules import RULES, Finding


@dataclass
class Result:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)
    by_report: dict[tuple[str, int], list[Problem]] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error" and p.acknowledged is None]

    def summary(self) -> str:
        return summarize(len(self.corpus.agencies), len(self.corpus.reports), self.problems)


def summarize(agencies: int, reports: int, problems: list[Problem]) -> str:
    open_ = [p for p in problems if p.acknowledged is None]
    counts = {level: sum(1 for p in open_ if p.level == level) for level in ("error", "warning", "info")}
    text = (f"检查了 {agencies} 个机构的 {reports} 份报告：{counts['error']} 个错误，"
            f"{counts['warning']} 个警告，{counts['info']} 个提示")
    acked = len(problems) - len(open_)
    if acked:
        text += f"，{acked} 个已确认的问题"
    return text + ("。未通过。" if counts["error"] else "。通过。")


def check_path(root: str | os.PathLike, only: set[str] | None = None) -> Result:
    return check_corpus(load_corpus(root, only))


def check_corpus(corpus: Corpus) -> Result:
    """Every rule on every report, in this process (parallel.py runs the same on every core)."""
    groups = agency_groups(corpus)
    return collect(corpus, groups, check_groups(groups))


def collect(corpus: Corpus, groups: list[list[Report]], found: dict[tuple[str, int], list[Problem]]) -> Result:
    """The Result of the rules' problems `found` for these agency groups (check_groups' answer)."""
    result = Result(corpus, problems=list(corpus.problems))
    for reports in groups:
        for report in reports:
            result.by_report[report.key] = found[report.key]
            result.problems.extend(found[report.key])
    result.problems.sort(key=lambda p: p.sort_key)
    return result


def agency_groups(corpus: Corpus) -> list[list[Report]]:
    """Each agency's reports in year order (the cross-year rules pair each with the year before)."""
    by_agency: dict[str, list[Report]] = defaultdict(list)
    for report in corpus.reports:
        by_agency[report.agency].append(report)
    for slug, reports in by_agency.items():
        agency = corpus.agencies.get(slug)
        reports.sort(key=lambda r: r.year)
        for report in reports:
            report.kind = agency.kind if agency else None
    return list(by_agency.values())


def check_groups(groups: list[list[Report]]) -> dict[tuple[str, int], list[Problem]]:
    found_by_report = {}
    for reports in groups:
        previous = {r.year: r for r in reports}
        for report in reports:
            found = run_rules(report, previous.get(report.year - 1))
            acknowledge(report, found)
            found_by_report[report.key] = sorted(found, key=lambda p: p.sort_key)
    return found_by_report


def run_rules(report: Report, previous: Report | None) -> list[Problem]:
    found = []
    for rule in RULES.values():
        if rule.pair:
            if previous is None:
                continue
            findings = rule.func(previous, report)
        else:
            findings = rule.func(report)
        found.extend(locate(report, rule.id, rule.level, f) for f in findings)
    return found


def locate(report: Report, rule_id: str, level: str, finding: Finding) -> Problem:
    path = report.path
    if isinstance(finding.where, Cell):
        line, col = finding.where.line, finding.where.col
    elif finding.in_narrative:
        (line, col), path = finding.where, report.md_path
    else:
        line, col = report.mark(*finding.where)
    return Problem(path, line, col, finding.level or level, rule_id, finding.message)


def acknowledge(report: Report, problems: list[Problem]) -> None:
    """Mark problems the editor acknowledged as published; flag acknowledgements that match nothing."""
    used = set()
    for problem in problems:
        reason = report.acknowledged.get(problem.rule)
        if reason is not None:
            problem.acknowledged = reason
            used.add(problem.rule)
    for i, rule_id in enumerate(report.acknowledged):
        if rule_id not in used:
            line, col = report.mark("acknowledged", i)
            known = "" if rule_id in RULES else "（没有这条规则）"
            problems.append(Problem(report.path, line, col, "warning", "ACK-UNUSED",
                                    f"已确认 {rule_id}，但本报告没有该规则的问题{known}，请删去这条确认"))
