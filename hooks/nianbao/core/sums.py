"""The table arithmetic (T3-ROW, T3-RES, T3-BAL, T4-SUM) as data, derived from the edition spec.

Each relation says: the cells on the left add up to the cells on the right, and where they do not,
the finding stands on the first left cell with this message. The relations come from the spec's
own structure: a header's total column sums its sibling columns (T3-ROW, T4-SUM), the rows marked
`result` sum to the row `total` (T3-RES), and the table's `balance` (T3-BAL). rules.py evaluates
them on a report; the 填报 page gets the same relations as JSON (site/tianbao.py) and evaluates
them with a few lines of JavaScript while its Python engine loads, so the arithmetic is written
once. The evaluation semantics (blank terms are unknown, never 0) are `verdict` below, which the
page's `verdict` mirrors; tests/test_tianbao.py compares the two on planted errors.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .spec import Node, Table

ROW_SUM_RULES = {"t3": "T3-ROW", "t4": "T4-SUM"}
PLACEHOLDER = re.compile(r"\{(first|left|right|explain|note)\}")


@dataclass(frozen=True)
class Relation:
    rule: str
    table: str
    left: tuple[tuple[str, str], ...]  # (row id, column id); the finding stands on left[0]
    right: tuple[tuple[str, str], ...]
    message: str  # with {first} {left} {right} {explain} {note}
    explain: tuple[str, ...] = ()  # the right terms' labels, for {explain}
    note_all: bool = False  # the partial-sum note looks at both sides (else the right side only)


def short(label: str) -> str:
    """Row labels without the long parenthesised explanations, for messages."""
    return re.sub(r"（[^（）]{8,}）\Z", "", label)  # no （ inside: linear on any label


def fmt(n) -> str:
    return str(n) if n is not None else "空白"


def verdict(left: list, right: list) -> tuple[str, int, int]:
    """Compare sum(left) with sum(right), None terms unknown: 'ok', 'fail' or 'unknown', with the
    known sums. Counts cannot be negative, so known terms alone can already break an identity."""
    known_left = [n for n in left if n is not None]
    known_right = [n for n in right if n is not None]
    left_sum, right_sum = sum(known_left), sum(known_right)
    left_full, right_full = len(known_left) == len(left), len(known_right) == len(right)
    if left_full and right_full:
        return ("ok" if left_sum == right_sum else "fail", left_sum, right_sum)
    if (left_full and right_sum > left_sum) or (right_full and left_sum > right_sum):
        return ("fail", left_sum, right_sum)
    return ("unknown", left_sum, right_sum)


def partial_note(numbers: list) -> str:
    return "（即使不计空白单元格也已超出）" if any(n is None for n in numbers) else ""


def message(relation: Relation, left: list, right: list) -> str | None:
    """The finding's message for these numbers (None: the relation holds or is unknown)."""
    status, left_sum, right_sum = verdict(left, right)
    if status != "fail":
        return None
    values = {"first": fmt(left[0]), "left": str(left_sum), "right": str(right_sum),
              "explain": " + ".join(f"{label} {fmt(n)}" for label, n in zip(relation.explain, right)),
              "note": partial_note(left + right if relation.note_all else right)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], relation.message)


@functools.lru_cache(maxsize=64)
def relations(edition_id: str, t3_rows: tuple[str, ...] | None = None) -> tuple[Relation, ...]:
    """The relations of an edition (cached by its id) for a report whose table 三 holds `t3_rows` in this order (the
    edition's own rows where None): T3-ROW, T3-RES, T3-BAL, T4-SUM in the order rules.py runs."""
    from . import editions

    edition = editions.get(edition_id)
    t3, t4 = edition.tables["t3"], edition.tables["t4"]
    rows = tuple(r.id for r in t3.rows) if t3_rows is None else t3_rows
    return (*row_sums(t3, rows), *result_sums(t3, rows), *balances(t3), *row_sums(t4, ("cases",)))


def totals(table: Table) -> list[tuple[list[str], object, list]]:
    """(group labels, total column, the columns it sums) for each total column of the header:
    a column `total` or `…_total` sums the other columns of its group."""
    found = []

    def walk(nodes: list[Node], groups: list[str]) -> None:
        for node in nodes:
            leaves = [child.leaf for child in node.children if child.leaf is not None]
            total = next((c for c in leaves if c.id == "total" or c.id.endswith("_total")), None)
            if total is not None:
                parts = [c for child in node.children for c in child.leaves() if c is not total]
                found.append((groups + [node.label], total, parts))
            else:
                walk(node.children, groups + [node.label])

    walk(table.header, [])
    return found


def row_sums(table: Table, rows: tuple[str, ...]) -> list[Relation]:
    rule = ROW_SUM_RULES[table.id]
    found = []
    for row_id in rows:
        row = table.row(row_id)
        if row is None:
            continue
        for groups, total, parts in totals(table):
            right = tuple((row_id, c.id) for c in parts)
            if table.id == "t3":
                text = f"“{short(row.label)}”行总计 {{first}} ≠ 各类申请人之和 {{right}}（{{explain}}）{{note}}"
                found.append(Relation(rule, table.id, ((row_id, total.id),), right, text,
                                      tuple(c.label for c in parts)))
            else:
                name = groups[0] + "".join(f"（{g}）" for g in groups[1:])
                found.append(Relation(rule, table.id, ((row_id, total.id),), right,
                                      f"{name}总计 {{first}} ≠ 各项结果之和 {{right}}{{note}}"))
    return found


def result_sums(table: Table, rows: tuple[str, ...]) -> list[Relation]:
    results = [r for r in rows if table.row(r) is not None and table.row(r).result]
    return [Relation("T3-RES", table.id, (("total", col.id),), tuple((r, col.id) for r in results),
                     f"“{col.label}”列（七）总计 {{first}} ≠ 各项办理结果之和 {{right}}{{note}}")
            for col in table.columns_of("total")]


def balances(table: Table) -> list[Relation]:
    if not table.balance:
        return []
    left, right = table.balance["left"], table.balance["right"]
    return [Relation("T3-BAL", table.id, tuple((r, col.id) for r in left), tuple((r, col.id) for r in right),
                     f"“{col.label}”列勾稽关系不成立：{table.balance['text']}{{note}}", note_all=True)
            for col in table.columns_of("total")]


@functools.lru_cache(maxsize=256)
def plan(edition_id: str, t3_rows: tuple[str, ...], rule: str) -> tuple[tuple, tuple]:
    """How to evaluate one rule's relations fast: the rows to fetch, (table, row, column ids), and
    each relation's terms as places in the fetched cells laid end to end."""
    from . import editions

    edition = editions.get(edition_id)
    fetch, start, width = [], {}, 0
    steps = []
    for rel in relations(edition_id, t3_rows):
        if rel.rule != rule:
            continue
        places = []
        for row, column in rel.left + rel.right:
            if (rel.table, row) not in start:
                ids = tuple(c.id for c in edition.tables[rel.table].columns_of(row))
                start[(rel.table, row)] = (width, ids)
                fetch.append((rel.table, row, ids))
                width += len(ids)
            at, ids = start[(rel.table, row)]
            places.append(at + ids.index(column) if column in ids else None)
        steps.append((rel, tuple(places[:len(rel.left)]), tuple(places[len(rel.left):])))
    return tuple(fetch), tuple(steps)


def findings(report, rule: str):
    """(cell, message) for each relation of `rule` that a report's cells break."""
    fetch, steps = plan(report.edition.id, tuple(report.tables.get("t3", ())), rule)
    cells: list = []
    for table, row, ids in fetch:  # a row at a time: one lookup of each row
        cells += report.row_cells(table, row, list(ids))
    numbers = [None if c is None else c.number for c in cells]
    for rel, left_at, right_at in steps:
        left = [None if i is None else numbers[i] for i in left_at]
        right = [None if i is None else numbers[i] for i in right_at]
        if None not in left and None not in right and sum(left) == sum(right):
            continue  # nearly every relation of nearly every report, decided without a message
        text = message(rel, left, right)
        first = None if left_at[0] is None else cells[left_at[0]]
        if text is not None and first is not None:
            yield first, text


def as_data(edition) -> list[dict]:
    """The edition's relations for the page: terms named as the form names its cells (t3.total.6)."""
    def name(table: Table, term: tuple[str, str]) -> str:
        row, column = term
        return f"{table.id}.{row}.{[c.id for c in table.columns_of(row)].index(column)}"

    out = []
    for rel in relations(edition.id):
        table = edition.tables[rel.table]
        out.append({"rule": rel.rule, "left": [name(table, t) for t in rel.left],
                    "right": [name(table, t) for t in rel.right], "message": rel.message,
                    "explain": list(rel.explain), "noteAll": rel.note_all})
    return out
