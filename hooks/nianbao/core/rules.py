"""The arithmetic and consistency rules of formats.md §6, one small function per rule id.

A rule never changes a value: it reads the cells as published and says where they disagree.
Blank and placeholder cells are unknown (never 0); an identity with unknown terms fails only
when the known terms alone already break it (counts cannot be negative).
"""

from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterator

from . import sums
from .model import Cell, Report, Uncertain
from .numbers import bounded
from .sums import fmt, short  # noqa: F401  (textrules and messages use them)

SEVERITY = {"E": "error", "W": "warning", "I": "info"}
VALUE = operator.attrgetter("value")


@dataclass
class Finding:
    where: Cell | tuple  # the offending cell, a YAML path, or (line, col) in the narrative
    message: str
    in_narrative: bool = False  # `where` is a position in the report's .md file
    level: str | None = None  # where a rule's finding is milder than the rule (a missing date)


@dataclass
class Rule:
    id: str
    level: str
    title: str
    func: Callable
    pair: bool = False  # compares a report with the same agency's previous year


RULES: dict[str, Rule] = {}


def rule(rule_id: str, sev: str, title: str, pair: bool = False):
    def register(func):
        RULES[rule_id] = Rule(rule_id, SEVERITY[sev], title, func, pair)
        return func
    return register


# -- the table arithmetic (the relations derived from the spec: sums.py) ------------------

def arithmetic(rule_id: str) -> Callable:
    """The rule `rule_id` of the sums derived from the spec, evaluated on a report's cells."""
    def check(report: Report) -> Iterator[Finding]:
        for cell, text in sums.findings(report, rule_id):
            yield Finding(cell, text)
    return check


rule("T3-ROW", "E", "表三每行：总计 = 自然人 + 五类法人或其他组织")(arithmetic("T3-ROW"))
rule("T3-RES", "E", "表三每列：（七）总计 = 各项办理结果之和")(arithmetic("T3-RES"))
rule("T3-BAL", "E", "表三每列：一 + 二 = 三（七）总计 + 四")(arithmetic("T3-BAL"))
rule("T4-SUM", "E", "表四每组：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计")(arithmetic("T4-SUM"))


# -- every cell ---------------------------------------------------------------------------

FULLWIDTH = re.compile(r"[０-９]")
MONEY = re.compile(r"^\s*-?[0-9][0-9,，]*(\.[0-9]+)?\s*(万?元)?\s*\Z")


def cell_name(table, row, column) -> str:
    if not table.row_labels:  # table 四 has one unlabelled row
        return f"“{column.name}”"
    return f"“{short(row.label)}”的“{column.name}”"


def cells(report: Report) -> Iterator[tuple]:
    """(table spec, row, column, cell) for every cell, in printed order (as Report.cells)."""
    for tid, table in report.edition.tables.items():
        rows = report.tables.get(tid, {})
        for row_id in table.printed_rows(rows):
            row = table.row(row_id)
            for column, cell in zip(table.columns_of(row_id), rows[row_id]):
                yield table, row, column, cell


@rule("NN", "E", "数量为非负整数（本年增/减可为负，金额可为小数）")
def non_negative(report: Report) -> Iterator[Finding]:
    for table, row, column, cell in cells(report):
        value = cell.value
        if value is None or (type(value) is int and (value >= 0 or column.kind == "change")):
            continue  # the common case, decided without building a message
        if cell.blank or cell.placeholder or type(value) is Uncertain:
            continue  # UNCERTAIN's business
        where = cell_name(table, row, column)
        if isinstance(value, str):
            if FULLWIDTH.search(value):
                yield Finding(cell, f"{where}含全角数字“{value}”，应使用半角数字")
            elif column.kind not in ("money", "decimal") or not MONEY.match(value):
                yield Finding(cell, f"{where}应为数字，原文为“{value}”")
        elif column.kind in ("count", "change") and not isinstance(value, int):
            yield Finding(cell, f"{where}应为整数，原文为 {cell.text}")
        elif column.kind != "change" and value < 0:
            yield Finding(cell, f"{where}不能为负数（{cell.text}）")


@rule("BLANK", "W", "应填数字的单元格空白或为占位符")
def blank(report: Report) -> Iterator[Finding]:
    for table, row, column, cell in cells(report):
        if type(cell.value) is int:
            continue
        if cell.blank:
            yield Finding(cell, f"{cell_name(table, row, column)}空白（原文未填数字，不按 0 计算）")
        elif cell.placeholder:
            yield Finding(cell, f"{cell_name(table, row, column)}为占位符“{cell.value}”（不按 0 计算）")


@rule("UNCERTAIN", "E", "导入时未能确定的单元格（{uncertain: …}）须由编辑对照原文确认")
def uncertain(report: Report) -> Iterator[Finding]:
    for tid, rows in report.tables.items():
        # the values' types gathered in C: a table without a marked cell costs no Python loop
        if Uncertain not in set(map(type, map(VALUE, itertools.chain.from_iterable(rows.values())))):
            continue
        for row_id, row_cells in rows.items():
            for i, cell in enumerate(row_cells):
                if type(cell.value) is not Uncertain:
                    continue
                table = report.edition.tables[tid]
                read = f"这一行读到的原文为“{cell.value.read}”，有不止一种读法" if cell.value.read else "没有读到内容"
                where = cell_name(table, table.row(row_id), table.columns_of(row_id)[i])
                yield Finding(cell, f"表{table.title[:1]}{where}导入时未能确定（{read}）："
                                    f"请对照原文改为原文的数字；原文确为空白时改为 null")


def amount(cell: Cell):
    """The number a cell shows, money written with its unit ("251000元") included."""
    if cell.number is not None or not isinstance(cell.value, str) or not MONEY.match(cell.value):
        return cell.number
    digits = re.sub(r"[^0-9.\-]", "", cell.value)
    try:
        return bounded(Decimal(digits))  # as Cell.number: a number no report prints is none (numbers.py)
    except InvalidOperation:
        return None


@rule("PLAUSIBLE", "W", "数字在任何机构可能填报的范围内（上限见格式定义），本年减少不超过上年数量")
def plausible(report: Report) -> Iterator[Finding]:
    limits = report.edition.limits
    for tid, rows in report.tables.items():
        for row_id, row_cells in rows.items():
            for i, cell in enumerate(row_cells):
                value = cell.value
                if value is None or (type(value) is int and 0 <= value <= 100000):
                    continue  # nearly every cell, decided without a lookup
                table = report.edition.tables[tid]
                column, number = table.columns_of(row_id)[i], amount(cell)
                limit = limits.get(column.kind)
                if number is not None and limit is not None and abs(number) > limit:
                    yield Finding(cell, f"{cell_name(table, table.row(row_id), column)}为 {cell.text}，超过合理上限 "
                                        f"{limit:,}，请与原文核对（可能多打了数字或单位不对）")
                elif column.kind == "change" and number is not None and number < 0:
                    before = report.cell(tid, row_id, "previous")
                    if before is not None and before.number is not None and -number > before.number:
                        yield Finding(cell, f"{cell_name(table, table.row(row_id), column)}减少 {-number}，"
                                            f"多于上一年项目数量 {before.number}（本年数量将为负数），请与原文核对")


@rule("EDITION", "E", "格式版本与年度相符：2020 年及以前用 gov-2019，2021 年起用 gov-2021")
def edition_year(report: Report) -> Iterator[Finding]:
    from . import editions

    expected = editions.for_year(report.year)
    if expected is not None and expected.id != report.edition.id:
        yield Finding(("edition",), f"{report.year} 年度报告应使用 {expected.id}（{expected.document}），"
                                    f"本报告为 {report.edition.id}")


@rule("LAYOUT", "W", "表格版式与格式不同（如 gov-2021 报告把（六）其他处理印为一行）")
def layout(report: Report) -> Iterator[Finding]:
    table = report.edition.tables["t3"]
    for alt, replaced in table.alternatives.items():
        if alt in report.tables["t3"]:
            yield Finding(("t3", alt), f"本报告把“（六）其他处理”印为一行，{report.edition.id} 格式要求分 "
                                       f"{len(replaced)} 行（按原文记录）")


@rule("EMPTY", "E", "报告不是空白草稿：至少有一个单元格按原文填写（`nianbao new` 写出的草稿每格都是 null）")
def empty(report: Report) -> Iterator[Finding]:
    cells = [cell for _, _, _, cell in report.cells()]
    if cells and all(cell.value is None for cell in cells):
        untitled = "，标题也是空的" if not report.meta.get("title") else ""
        yield Finding(("t2",), f"全部 {len(cells)} 个单元格都是 null{untitled}：这还是空白草稿，请按原文逐格填写后再发布"
                               "（原文的表格确实全部空白的，核对后在 acknowledged 中确认）")


# -- across years -------------------------------------------------------------------------

@rule("XY-CARRY", "W", "上年“结转下年度继续办理” = 本年“上年结转”", pair=True)
def xy_carry(prev: Report, cur: Report) -> Iterator[Finding]:
    carry = cur.edition.tables["t3"].carry
    for col in cur.edition.tables["t3"].columns_of("total"):
        before = prev.cell("t3", carry["from"], col.id)
        now = cur.cell("t3", carry["to"], col.id)
        if before and now and before.number is not None and now.number is not None \
                and before.number != now.number:
            yield Finding(now, f"“{col.label}”列上年结转 {now.number}，但 {prev.year} 年报告的结转下年度为 "
                               f"{before.number}")


@rule("XY-STOCK", "W", "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止（gov-2021）", pair=True)
def xy_stock(prev: Report, cur: Report) -> Iterator[Finding]:
    if "in_force" not in {c.id for c in cur.edition.tables["t2"].columns_of("regulations")} or \
            prev.edition.id != cur.edition.id:
        return
    for row_id in ("regulations", "normative_documents"):
        values = [prev.cell("t2", row_id, "in_force"), cur.cell("t2", row_id, "issued"),
                  cur.cell("t2", row_id, "repealed"), cur.cell("t2", row_id, "in_force")]
        if any(v is None or v.number is None for v in values):
            continue
        old, issued, repealed, now = (v.number for v in values)
        if old + issued - repealed != now:
            label = cur.edition.tables["t2"].row(row_id).label
            yield Finding(values[3], f"“{label}”现行有效 {now} ≠ {prev.year} 年现行有效 {old} + 制发 {issued}"
                                     f" − 废止 {repealed} = {old + issued - repealed}")
