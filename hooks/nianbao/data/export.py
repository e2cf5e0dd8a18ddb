"""Open data: every cell as printed and as a number, per report and for the whole repo.

The long CSV is the reference format: one line per cell, reading it back reproduces every cell
of every report exactly, blanks included (`value` empty).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
from decimal import Decimal

from ..core import editions
from .parts import Parts
from ..core.model import Cell, Problem, Report
from ..core.fields import formula_start
from ..core.numbers import bounded, int_or_none

LONG_COLUMNS = ["agency", "year", "edition", "table", "row", "column", "value", "number"]
META_COLUMNS = ["agency", "agency_name", "kind", "region", "year", "edition", "title", "published", "source_url"]
PLAIN_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:元)?\s*\Z")


def cell_number(cell: Cell) -> int | Decimal | None:
    """The numeric value: the number itself, or a number printed as text (a money cell: 18160, 251000元)."""
    if cell.number is not None:
        return cell.number
    if isinstance(cell.value, str):
        match = PLAIN_NUMBER.match(cell.value.replace(",", ""))
        if match:  # within what a report prints, as Cell.number (numbers.py): int() raises past 4,300 digits
            text = match.group(1)
            return bounded(Decimal(text)) if "." in text else int_or_none(text)
    return None


def number_text(value) -> str:
    return "" if value is None else str(value)


class Unconfirmed(ValueError):
    """A cell the importer could not read for sure (model.Uncertain) is not data yet: no export
    writes it, neither as a blank nor as a value (rule UNCERTAIN stops a build before this)."""


def unconfirmed(reports: list[Report]) -> list[Problem]:
    """The check's UNCERTAIN problems of these reports: cells the importer could not read for sure,
    which no export writes (the rule runs alone here, as export reads without checking)."""
    from ..core.rules import uncertain  # the rule itself, so the lines are the check's own

    return [Problem(report.path, finding.where.line, finding.where.col, "error", "UNCERTAIN", finding.message)
            for report in reports for finding in uncertain(report)]


def cells(report: Report):
    """(table id, row id, column, cell) in printed order."""
    for table, row, col, cell in report.cells():
        if not cell.text and cell.uncertain:
            raise Unconfirmed(f"{report.path}:{cell.line}:{cell.col}: {table.id}.{row}.{col.id} 导入时未能确定，尚待编辑确认")
        yield table.id, row, col, cell


def long_rows(report: Report) -> list[list[str]]:
    rows = [[report.agency, str(report.year), report.edition.id, tid, row, col.id,
             "" if cell.blank else cell.text, number_text(cell_number(cell))] for tid, row, col, cell in cells(report)]
    rows.sort(key=lambda r: (r[3], r[4], r[5]))
    return rows


def to_csv(header: list[str], rows: list[list[str]], bom: bool = False) -> str:
    return ("\ufeff" if bom else "") + csv_lines([header] + rows)


def csv_lines(rows: list[list[str]]) -> str:
    """Every CSV the project writes, each field through csv_text (a row none of whose fields
    starts with a character that could begin a formula, nearly every row, as it is)."""
    safe = [row if FORMULA_FIRST.isdisjoint([field[:1] for field in row]) else [csv_text(field) for field in row]
            for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(safe)
    text = buffer.getvalue()
    if "\r" not in text:
        return text
    # The csv module quotes a field with "\n" (the line end) but not one with a lone "\r", where
    # spreadsheets start a new row, whose first field would be read as it stands ("x\r=cmd…"):
    # such rows are written with every field quoted.
    buffer = io.StringIO()
    plain, quoted = csv.writer(buffer, lineterminator="\n"), csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in safe:
        (quoted if any("\r" in field for field in row) else plain).writerow(row)
    return buffer.getvalue()


FORMULA_FIRST = frozenset("=+-@\t\r '")  # the first characters csv_text looks further at


def csv_text(field: str) -> str:
    """A field as a spreadsheet will show it and never run it: text it would read as a formula
    (fields.formula_start; the check refuses it, this holds when the check was bypassed) gets a
    leading apostrophe, as OWASP advises; so does such text already behind apostrophes, so that
    read_text undoes it exactly."""
    return "'" + field if formula_start(field.lstrip("'")) else field


def read_text(field: str) -> str:
    """A field as it was before csv_text."""
    return field[1:] if field.startswith("'") and formula_start(field.lstrip("'")) else field


def by_report(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.agency, r.year))


def long_csv_parts(reports: list[Report]) -> Parts:
    """Every cell, one agency at a time: an archive's file is gigabytes, never held whole."""
    # With a BOM, as the wide file: Excel on Chinese Windows reads UTF-8 only so (else GBK, garbled).
    return Parts("long", "\ufeff" + csv_lines([LONG_COLUMNS]),
                 [(slug, functools.partial(long_piece, items)) for slug, items in by_agency(reports)])


def long_piece(reports: list[Report]) -> str:
    return "".join(csv_lines(long_rows(report)) for report in reports)


def by_agency(reports: list[Report]) -> list[tuple[str, list[Report]]]:
    """Each agency's reports in year order, the agencies in slug order (the files' row order)."""
    return [(slug, list(items)) for slug, items in itertools.groupby(by_report(reports), key=lambda r: r.agency)]


def long_csv(reports: list[Report]) -> str:
    return "".join(long_csv_parts(reports)())


def read_long_csv(text: str) -> dict[tuple, str | None]:
    """(agency, year, table, row, column) -> value as printed, None for a blank cell."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return {(r["agency"], int(r["year"]), r["table"], r["row"], r["column"]): (read_text(r["value"]) or None)
            for r in reader}


def meta_values(report: Report, agency) -> list[str]:
    return [report.agency, agency.name if agency else "", agency.kind if agency else "",
            "/".join(agency.region) if agency else "", str(report.year), report.edition.id,
            report.meta.get("title") or "", report.meta.get("published") or "", report.meta.get("source_url") or ""]


def wide_columns() -> list[str]:
    """One column per cell of every edition, in printed order (t3.new_received.natural …)."""
    seen: dict[str, None] = {}
    for edition in editions.all_editions().values():
        for tid, table in edition.tables.items():
            rows = [r.id for r in table.rows] + list(table.alternatives)
            for row in rows:
                for col in table.columns_of(row):
                    seen.setdefault(f"{tid}.{row}.{col.id}", None)
    return list(seen)


def wide_csv_parts(reports: list[Report], agencies: dict) -> Parts:
    columns = wide_columns()
    head = to_csv(META_COLUMNS + columns, [], bom=True)  # Excel reads UTF-8 only with a BOM
    return Parts("wide", head, [(slug, functools.partial(wide_piece, items, agencies.get(slug), columns))
                                for slug, items in by_agency(reports)])


def wide_piece(reports: list[Report], agency, columns: list[str]) -> str:
    rows = []
    for report in reports:
        values = {f"{tid}.{row}.{col.id}": ("" if cell.blank else cell.text) for tid, row, col, cell in cells(report)}
        rows.append(meta_values(report, agency) + [values.get(c, "") for c in columns])
    return csv_lines(rows)


def wide_csv(reports: list[Report], agencies: dict) -> str:
    return "".join(wide_csv_parts(reports, agencies)())


def report_json(report: Report, agency, problems) -> str:
    tables: dict = {}
    for tid, row, col, cell in cells(report):
        number = cell_number(cell)
        tables.setdefault(tid, {}).setdefault(row, {})[col.id] = {
            "value": None if cell.blank else cell.text,
            "number": None if number is None else (int(number) if isinstance(number, int) else str(number)),
        }
    data = dict(zip(META_COLUMNS, meta_values(report, agency)))
    data["year"] = report.year
    data.update({
        "index_no": report.meta.get("index_no"), "doc_no": report.meta.get("doc_no"),
        "headers_as_printed": report.headers, "acknowledged": report.acknowledged, "tables": tables,
        "problems": [{"rule": p.rule, "level": p.level, "line": p.line, "column": p.col, "message": p.message,
                      "acknowledged": p.acknowledged} for p in problems],
    })
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def report_csv(report: Report) -> str:
    rows = []
    for tid, row, col, cell in cells(report):
        table = report.edition.tables[tid]
        label = table.row(row).label if table.row_labels else ""
        rows.append([tid, row, col.id, label, col.name, "" if cell.blank else cell.text,
                     number_text(cell_number(cell))])
    return to_csv(["table", "row", "column", "row_label", "column_label", "value", "number"], rows, bom=True)


def datapackage(long_path: str, wide_path: str) -> str:
    package = {
        "name": "nianbao",
        "title": "政府信息公开工作年度报告统计表数据",
        "description": "各机构政府信息公开工作年度报告表二、表三、表四的全部单元格，按原文照录。",
        "licenses": [{"name": "other-pd", "title": "政府公开发布的信息；引用时请注明原发布机关"}],
        "resources": [
            {"name": "cells-long", "path": long_path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "description": "每个单元格一行。value 为原文（空白为空），number 为数值（非数字为空）。",
             "schema": {"fields": [
                 {"name": "agency", "type": "string", "description": "机构代码"},
                 {"name": "year", "type": "integer", "description": "年度"},
                 {"name": "edition", "type": "string", "constraints": {"enum": list(editions.all_editions())}},
                 {"name": "table", "type": "string", "constraints": {"enum": ["t2", "t3", "t4"]}},
                 {"name": "row", "type": "string", "description": "行代码（表四为 cases）"},
                 {"name": "column", "type": "string", "description": "列代码"},
                 {"name": "value", "type": "string",
                  "description": "原文（电子表格会当作公式执行的文字前加一个英文单引号 '）"},
                 {"name": "number", "type": "number", "description": "数值"}],
                 "primaryKey": ["agency", "year", "table", "row", "column"]}},
            {"name": "reports-wide", "path": wide_path, "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "description": "每份报告一行，每个单元格一列（供电子表格使用）。",
             "schema": {"fields": [{"name": c, "type": "integer" if c == "year" else "string"}
                                   for c in META_COLUMNS + wide_columns()]}},
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
