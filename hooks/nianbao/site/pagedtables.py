"""Summary tables that stay light however large the archive: the comparison page and the year
pages carry only their first rows; the browser loads the rest, one chunk per year and province,
from data/summary/ and pages through them.

Without JavaScript a reader still gets the first rows and the full table as CSV.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict

from ..core import figures
from .jinja import environment
from .summaryrows import FIGURE_NAMES, RATE_NAMES, SummaryRow, summary_rows
from .urls import Page, href, report_uri

FIRST_ROWS = 50  # rows printed into the page itself
INDEX = "data/summary/index.json"


def ordered(rows: list[SummaryRow]) -> list[SummaryRow]:
    return sorted(rows, key=lambda r: (-r.report.year, r.agency.region, r.agency.name, r.report.agency))


def row_data(row: SummaryRow) -> list:
    """One row as the browser gets it: plain values, no markup (the page escapes them)."""
    return ([row.report.agency, row.agency.name, "/".join(row.agency.region), row.agency.kind, row.report.year]
            + [None if row.values[n] is None else str(row.values[n]) for n in FIGURE_NAMES]
            + [None if rate.value is None else round(rate.value, 6) for rate in row.rates]
            + [row.errors, row.warnings])


def chunk_files(reports: list, result) -> list[Page]:
    """data/summary/index.json and one JSON file per year and province (its rows made by the
    worker that writes it)."""
    groups: dict[tuple[int, str], list] = defaultdict(list)
    agencies = result.corpus.agencies
    for report in reports:
        groups[(report.year, agencies[report.agency].region[0])].append(report)
    chunks, pages = [], []
    for number, ((year, province), items) in enumerate(sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1]))):
        name = f"{year}-{number}.json"
        chunks.append({"year": year, "region": province, "file": name, "rows": len(items)})
        pages.append(Page(f"data/summary/{name}", functools.partial(chunk_json, items, result)))
    index = {"columns": ["agency", "name", "region", "kind", "year"] + FIGURE_NAMES + RATE_NAMES + ["errors", "warnings"],
             "figures": FIGURE_NAMES, "rates": RATE_NAMES, "formulas": figures.RATE_FORMULAS, "chunks": chunks}
    return [Page(INDEX, json.dumps(index, ensure_ascii=False, indent=1))] + pages


def chunk_json(reports: list, result) -> str:
    rows = ordered(summary_rows(reports, result))
    return json.dumps([row_data(r) for r in rows], ensure_ascii=False, separators=(",", ":"))


def paged_table(first: list[SummaryRow], total: int, uri: str, csv_uri: str, years: list[int],
                regions: list[str], year: int | None = None) -> str:
    return environment().get_template("paged.html").render(
        rows=ordered(first)[:FIRST_ROWS], total=total, year=year, years=years, regions=regions,
        figure_names=FIGURE_NAMES, rate_names=RATE_NAMES, formulas=figures.RATE_FORMULAS,
        index_href=href(uri, INDEX), base_href=href(uri, "index.md"), csv_href=href(uri, csv_uri),
        report_href=lambda r: href(uri, report_uri(r)), page_size=FIRST_ROWS).strip()
