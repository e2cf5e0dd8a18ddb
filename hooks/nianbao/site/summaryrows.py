"""A report's row of key figures and rates, with its open errors and warnings: what the agency
pages, the year pages, the comparison page (indexpages.py, pagedtables.py) and the summary CSVs
(datapages.py) show of each report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core import figures
from ..core.check import Result
from ..core.model import Agency, Report
from ..data.export import csv_lines, to_csv

FIGURE_NAMES = [name for name, *_ in figures.KEY_FIGURES] + ["诉讼总计"]
RATE_NAMES = list(figures.RATE_FORMULAS)
# In Chinese throughout, like the figures' own names: the file a reader opens in a spreadsheet.
# (The long and wide files keep the machine names their datapackage.json describes.)
SUMMARY_HEADER = ["机构代码", "机构名称", "地区", "类型", "年度"] + FIGURE_NAMES + RATE_NAMES + ["错误数", "警告数"]
CSV_PIECE = 1000  # reports


@dataclass(slots=True)
class SummaryRow:
    report: Report
    agency: Agency
    values: dict
    rates: list
    errors: int
    warnings: int


def summary_rows(reports: list[Report], result: Result) -> list[SummaryRow]:
    rows = []
    for report in reports:
        problems = [p for p in result.by_report.get(report.key, []) if p.acknowledged is None]
        rows.append(SummaryRow(report, result.corpus.agencies[report.agency], figures.key_values(report),
                               figures.rates(report), sum(p.level == "error" for p in problems),
                               sum(p.level == "warning" for p in problems)))
    return rows


def reports_csv(reports: list[Report], result: Result) -> Iterator[str]:
    """The key figures of these reports as CSV (with a BOM: Excel reads UTF-8 only so), made in
    pieces by the worker that writes the file: an archive's summary rows are never held at once."""
    yield to_csv(SUMMARY_HEADER, [], bom=True)
    for start in range(0, len(reports), CSV_PIECE):
        yield csv_lines(summary_lines(summary_rows(reports[start:start + CSV_PIECE], result)))


def summary_lines(rows: list[SummaryRow]) -> list[list[str]]:
    return [[r.report.agency, r.agency.name, "/".join(r.agency.region), r.agency.kind, str(r.report.year)]
            + ["" if r.values[n] is None else str(r.values[n]) for n in FIGURE_NAMES]
            + ["" if rate.value is None else f"{rate.value:.4f}" for rate in r.rates]
            + [str(r.errors), str(r.warnings)] for r in rows]
