"""Figures derived from the published cells: key figures, rates (formats.md §7), region sums.

A blank cell is unknown: a sum over it is marked incomplete, and a rate whose numerator or
denominator is unknown, or whose denominator is 0, is not shown at all.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Report

# (label, table, row, column) of the figures shown for every report
KEY_FIGURES = [
    ("新收申请", "t3", "new_received", "total"),
    ("上年结转", "t3", "carried_over", "total"),
    ("办结", "t3", "total", "total"),
    ("结转下年", "t3", "carried_forward", "total"),
    ("复议总计", "t4", "cases", "review_total"),
]
SUIT_TOTALS = ("suit_direct_total", "suit_after_review_total")

# Outcome groups of table 三, by row-id prefix (the （六） rows differ between editions)
OUTCOMES = [("予以公开", ("granted",)), ("部分公开", ("partial",)), ("不予公开", ("denied_",)),
            ("无法提供", ("unable_",)), ("不予处理", ("ignored_",)), ("其他处理", ("other",))]
CASE_OUTCOMES = [("结果维持", "upheld"), ("结果纠正", "corrected"), ("其他结果", "other"), ("尚未审结", "pending")]


@dataclass
class Total:
    """A sum over published cells: `complete` is False when any term was blank or not a number."""

    value: int | Decimal = 0
    complete: bool = True
    terms: int = 0

    def add(self, number) -> None:
        self.terms += 1
        if number is None:
            self.complete = False
        else:
            self.value += number

    def shown(self) -> str:
        if self.terms == 0:
            return ""
        return str(self.value) if self.complete else f"≥{self.value}"

    @property
    def known(self) -> int | Decimal | None:
        return self.value if self.complete and self.terms else None


def number(report: Report, tid: str, row: str, col: str):
    return report.number(tid, row, col)


def total_of(report: Report, cells: list[tuple[str, str, str]]) -> Total:
    total = Total()
    for tid, row, col in cells:
        total.add(number(report, tid, row, col))
    return total


def key_values(report: Report) -> dict[str, object]:
    values = {label: number(report, tid, row, col) for label, tid, row, col in KEY_FIGURES}
    values["诉讼总计"] = total_of(report, [("t4", "cases", c) for c in SUIT_TOTALS]).known
    return values


def outcome_rows(rows, prefixes: tuple[str, ...]) -> list[str]:
    """The table 三 rows of one outcome group (the （六） rows differ between editions)."""
    return [r for r in rows if r.startswith(prefixes) and r != "total"]


def outcomes(report: Report) -> dict[str, Total]:
    """Table 三's outcome groups, totals column."""
    return {label: total_of(report, [("t3", r, "total") for r in outcome_rows(report.row_ids("t3"), prefixes)])
            for label, prefixes in OUTCOMES}


def case_outcomes(report: Report, prefix: str) -> dict[str, object]:
    return {label: number(report, "t4", "cases", prefix + suffix) for label, suffix in CASE_OUTCOMES}


@dataclass
class Rate:
    name: str
    formula: str
    numerator: object
    denominator: object

    @property
    def value(self) -> float | None:
        if self.numerator is None or self.denominator is None or self.denominator == 0:
            return None
        return float(self.numerator) / float(self.denominator)

    def shown(self) -> str:
        return "" if self.value is None else f"{self.value * 100:.1f}%"


RATE_FORMULAS = {
    "公开率": "（予以公开 + 部分公开）÷ 办理结果总计（表三“总计”列）",
    "复议纠错率": "复议结果纠正 ÷（复议总计 − 复议尚未审结）",
    "诉讼纠错率": "诉讼结果纠正 ÷（诉讼总计 − 诉讼尚未审结），两类诉讼合计",
}


def rates(report: Report) -> list[Rate]:
    granted = total_of(report, [("t3", "granted", "total"), ("t3", "partial", "total")]).known
    handled = number(report, "t3", "total", "total")
    review_total = number(report, "t4", "cases", "review_total")
    review_pending = number(report, "t4", "cases", "review_pending")
    suits = ("suit_direct_", "suit_after_review_")
    suit_corrected = total_of(report, [("t4", "cases", p + "corrected") for p in suits]).known
    suit_total = total_of(report, [("t4", "cases", p + "total") for p in suits]).known
    suit_pending = total_of(report, [("t4", "cases", p + "pending") for p in suits]).known
    return [
        Rate("公开率", RATE_FORMULAS["公开率"], granted, handled),
        Rate("复议纠错率", RATE_FORMULAS["复议纠错率"], number(report, "t4", "cases", "review_corrected"),
             minus(review_total, review_pending)),
        Rate("诉讼纠错率", RATE_FORMULAS["诉讼纠错率"], suit_corrected, minus(suit_total, suit_pending)),
    ]


@dataclass
class Change:
    direction: str  # up | down | same | unknown
    text: str


def change(before, now) -> Change:
    """A figure against the year before, as printed (a blank on either side: no comparison)."""
    if before is None or now is None:
        return Change("unknown", "—")
    if before == now:
        return Change("same", "持平")
    if now > before:
        return Change("up", f"↑ 增加 {now - before}")
    return Change("down", f"↓ 减少 {before - now}")


def minus(a, b):
    return None if a is None or b is None else a - b


# -- regions ------------------------------------------------------------------------------

@dataclass
class RegionYear:
    region: tuple[str, ...]
    year: int
    units: list[Report] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # slugs that reported the year before, not this year
    own: Report | None = None  # the region's own 人民政府 report (its summary), if any

    @functools.cached_property
    def sums(self) -> dict[tuple[str, str, str], Total]:
        """Per cell, the sum of the units' tables: made by the worker that renders the region's
        pages, not for every region before any page is rendered."""
        return cell_sums(self.units)


def agencies_within(corpus) -> dict[tuple[str, ...], list[str]]:
    """Region prefix -> the slugs of every agency in it or below it."""
    within: dict[tuple[str, ...], list[str]] = {}
    for slug, agency in corpus.agencies.items():
        for depth in range(1, len(agency.region) + 1):
            within.setdefault(tuple(agency.region[:depth]), []).append(slug)
    return within


def region_rollups(corpus) -> dict[tuple[tuple[str, ...], int], RegionYear]:
    """For every region prefix and year: the per-cell sum of its units' tables."""
    by_year: dict[int, dict[str, Report]] = {}
    for report in corpus.reports:
        by_year.setdefault(report.year, {})[report.agency] = report
    rollups: dict[tuple[tuple[str, ...], int], RegionYear] = {}
    for slug, agency in corpus.agencies.items():
        region = tuple(agency.region)
        for depth in range(1, len(region) + 1):
            prefix = region[:depth]
            own = agency.kind == "人民政府" and region == prefix
            for year, reports in by_year.items():
                entry = rollups.setdefault((prefix, year), RegionYear(prefix, year))
                report = reports.get(slug)
                if report is not None and own:
                    entry.own = report
                elif report is not None:
                    entry.units.append(report)
                elif not own and slug in by_year.get(year - 1, {}):
                    entry.missing.append(slug)
    for entry in rollups.values():
        entry.units.sort(key=lambda r: r.agency)
    return {key: e for key, e in rollups.items() if e.units or e.own or e.missing}


def cell_sums(reports: list[Report]) -> dict[tuple[str, str, str], Total]:
    sums: dict[tuple[str, str, str], Total] = {}
    for report in reports:
        for key, value in report.numbered():
            sums.setdefault(key, Total()).add(value)
    for total in sums.values():
        if total.terms < len(reports):  # a unit printed this row differently (or not at all)
            total.complete = False
    return sums
