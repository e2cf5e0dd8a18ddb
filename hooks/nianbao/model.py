"""The nouns: editions (as described by the spec files), reports, agencies, problems."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

LEVEL_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

# Placeholders that agencies print in place of a number; they are kept as printed.
PLACEHOLDERS = frozenset({"/", "／", "-", "－", "—", "——", "–", "无", "空", "*", "×"})


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str  # count | change | money | decimal
    title: str = ""  # the label with its group where the label alone repeats (行政复议·结果纠正)

    @property
    def name(self) -> str:
        return self.title or self.label


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    result: bool = False


@dataclass
class Node:
    """A header cell of a printed table: a group (children) or a leaf (a Column or a Row)."""

    label: str
    children: list[Node] = field(default_factory=list)
    leaf: Column | Row | None = None
    alt: Row | None = None  # a single row some reports print instead of this group

    def leaves(self) -> list[Any]:
        if self.leaf is not None:
            return [self.leaf]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass
class Block:
    title: str
    columns: list[Column]
    rows: list[Row]


@dataclass
class Table:
    id: str
    kind: str  # blocks | grid
    title: str
    corner: str | None = None
    blocks: list[Block] = field(default_factory=list)
    header: list[Node] = field(default_factory=list)
    row_tree: list[Node] = field(default_factory=list)
    row_labels: bool = True

    # The spec never changes after loading, so the lookups every cell check makes are computed once.
    @functools.cached_property
    def rows(self) -> list[Row]:
        if self.kind == "blocks":
            return [row for block in self.blocks for row in block.rows]
        return [leaf for node in self.row_tree for leaf in node.leaves()]

    @functools.cached_property
    def _row_index(self) -> dict[str, Row]:
        index = {row.id: row for row in self.rows}
        for alt in self.alternatives:
            index[alt] = self.alt_row(alt)
        return index

    @functools.cached_property
    def _columns(self) -> dict[str, list[Column]]:
        if self.kind == "blocks":
            return {row.id: block.columns for block in self.blocks for row in block.rows}
        columns = [leaf for node in self.header for leaf in node.leaves()]
        return {row_id: columns for row_id in self._row_index}

    @functools.cached_property
    def alternatives(self) -> dict[str, list[str]]:
        """Alternative row id -> the row ids it stands for."""
        found: dict[str, list[str]] = {}

        def walk(nodes: list[Node]) -> None:
            for node in nodes:
                if node.alt is not None:
                    found[node.alt.id] = [row.id for row in node.leaves()]
                walk(node.children)

        walk(self.row_tree)
        return found

    @functools.cached_property
    def _printed(self) -> dict[frozenset, list[str]]:
        return {}

    def printed_rows(self, present) -> list[str]:
        """Row ids in printed order for a report holding `present` (alternatives in place)."""
        # Reports hold a handful of different row sets: each one's order is worked out once.
        key = frozenset(present)
        found = self._printed.get(key)
        if found is None:
            found = self._printed[key] = self._printed_order(key)
        return list(found)

    def _printed_order(self, present: frozenset) -> list[str]:
        if self.kind == "blocks":
            return [row.id for row in self.rows if row.id in present]

        def walk(nodes: list[Node]) -> list[str]:
            ids = []
            for node in nodes:
                if node.alt is not None and node.alt.id in present:
                    ids.append(node.alt.id)
                elif node.leaf is not None:
                    ids += [node.leaf.id] if node.leaf.id in present else []
                else:
                    ids += walk(node.children)
            return ids

        return walk(self.row_tree)

    def alt_row(self, row_id: str) -> Row | None:
        def walk(nodes: list[Node]) -> Row | None:
            for node in nodes:
                if node.alt is not None and node.alt.id == row_id:
                    return node.alt
                hit = walk(node.children)
                if hit:
                    return hit
            return None

        return walk(self.row_tree)

    def columns_of(self, row_id: str) -> list[Column]:
        found = self._columns.get(row_id)
        if found is not None:
            return found
        return [] if self.kind == "blocks" else [leaf for node in self.header for leaf in node.leaves()]

    def row(self, row_id: str) -> Row | None:
        return self._row_index.get(row_id)

    @functools.cached_property
    def _positions(self) -> dict[tuple[str, str], int]:
        """(row id, column id) -> the cell's place in its row."""
        return {(row_id, col.id): i for row_id in self._row_index for i, col in enumerate(self.columns_of(row_id))}

    @functools.cached_property
    def _shadowed(self) -> dict[str, str]:
        """Row id -> the alternative row that, when present, is printed in its place."""
        return {row_id: alt for alt, replaced in self.alternatives.items() for row_id in replaced}

    def find(self, rows: dict, row_id: str, column: str):
        """The cell of (row, column) among a report's rows of this table, as `Report.cells` prints them."""
        cells = rows.get(row_id)
        if cells is None or (self._shadowed and self._shadowed.get(row_id) in rows):
            return None
        index = self._positions.get((row_id, column))
        return cells[index] if index is not None and index < len(cells) else None


@dataclass
class Edition:
    id: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    sections: list[dict]
    tables: dict[str, Table]
    limits: dict[str, int] = field(default_factory=dict)  # column kind -> largest plausible value

    def __reduce__(self):
        return edition_named, (self.id,)  # a stored report names its edition, not a copy of the spec

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


def edition_named(edition_id: str) -> Edition:
    from .editions import get

    return get(edition_id)


_TEXTS: dict[str, str] = {}


@dataclass(slots=True)
class Cell:
    """One published cell: the value as printed, where it stands in the YAML. Slotted: a
    province-sized corpus holds millions of them."""

    value: Any  # int | float | str | None
    text: str  # as printed; "" for blank
    line: int
    col: int
    number: int | Decimal | None = field(init=False)  # the numeric value, None where no plain number

    def __post_init__(self):
        value = self.value
        if len(self.text) <= 6:  # "0", "12", "—": a province's archive prints the same few millions of times
            self.text = _TEXTS.setdefault(self.text, self.text)
        if isinstance(value, bool) or value is None or isinstance(value, str):
            self.number = None
        elif isinstance(value, int):
            self.number = value
        else:
            try:
                self.number = Decimal(self.text)
            except InvalidOperation:
                self.number = None

    def __reduce__(self):
        # Stored as it stands (a rebuild reads millions from the check cache): the slotted
        # dataclass's own pickling, or making each again, is several times slower.
        return stored_cell, (self.value, self.text, self.line, self.col, self.number)

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and self.value.strip() == "")

    @property
    def placeholder(self) -> bool:
        return isinstance(self.value, str) and self.value.strip() in PLACEHOLDERS


def stored_cell(value, text: str, line: int, col: int, number) -> Cell:
    cell = object.__new__(Cell)
    cell.value, cell.text, cell.line, cell.col, cell.number = value, text, line, col, number
    return cell


@dataclass
class Problem:
    path: str
    line: int
    col: int
    level: str
    rule: str
    message: str
    acknowledged: str | None = None  # the editor's reason, once acknowledged

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.rule, self.message)

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.level}[{self.rule}] {self.message}"
        if self.acknowledged is not None:
            text += f"（已确认：{self.acknowledged}）"
        return text


@dataclass
class Agency:
    slug: str
    name: str
    kind: str
    region: list[str]
    path: str
    credit_code: str | None = None


@dataclass
class Report:
    agency: str  # slug
    year: int
    edition: Edition
    path: str  # the YAML file
    md_path: str
    meta: dict[str, Any]
    tables: dict[str, dict[str, list[Cell]]]  # table id -> row id -> cells in printed order
    headers: dict[str, str]  # "t2.row.column" -> header as printed
    acknowledged: dict[str, str]  # rule id -> reason
    marks: dict[tuple, tuple[int, int]]  # YAML path -> (line, col) of the value
    narrative: str = ""
    kind: str | None = None  # the agency's kind (人民政府 …), set when the corpus is checked

    @property
    def key(self) -> tuple[str, int]:
        return (self.agency, self.year)

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        # Looked up through the edition's spec: an index of every cell per report would double
        # the memory a large corpus takes.
        spec, rows = self.edition.tables.get(table), self.tables.get(table)
        return None if spec is None or not rows else spec.find(rows, row, column)

    def cells(self):
        """(table spec, row id, column, cell) for every cell, in printed order."""
        for tid, table in self.edition.tables.items():
            rows = self.tables.get(tid, {})
            for row in table.printed_rows(rows):
                for col, cell in zip(table.columns_of(row), rows[row]):
                    yield table, row, col, cell

    def mark(self, *path: Any) -> tuple[int, int]:
        """The nearest known position of a YAML path (falls back to its parents)."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return (1, 1)
