"""The nouns of the data: reports and their cells, agencies, problems (editions: editions/, spec.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .editions import Edition
from .numbers import LIMIT, bounded, decimal_or_none

LEVEL_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

# Placeholders that agencies print in place of a number; they are kept as printed.
PLACEHOLDERS = frozenset({"/", "／", "-", "－", "—", "——", "–", "无", "空", "*", "×"})


class Uncertain:
    """A cell the importer could not read for sure, written `{uncertain: "693665"}` in the YAML
    (UNCERTAIN_KEY): what it read, kept there until an editor writes the number the original
    prints, or null where the original is really blank. It is neither a number nor a blank nor
    text: rule UNCERTAIN makes it an error, so a build never publishes it."""

    __slots__ = ("read",)

    def __init__(self, read: str):
        self.read = read

    def __eq__(self, other):
        return type(other) is Uncertain and other.read == self.read

    def __hash__(self):
        return hash((Uncertain, self.read))

    def __repr__(self):
        return f"Uncertain({self.read!r})"

    def __reduce__(self):  # the check cache admits this class by name (checkcache.ALLOWED)
        return Uncertain, (self.read,)


UNCERTAIN_KEY = "uncertain"

_TEXTS: dict[str, str] = {}
# Texts this short ("0", "12", "—") are shared: a province's archive prints the same few millions of times.
SHARED_TEXT = 6


@dataclass(slots=True)
class Cell:
    """One published cell: the value as printed, where it stands in the YAML. Slotted: a
    province-sized corpus holds millions of them."""

    value: Any  # int | float | str | None | Uncertain
    text: str  # as printed; "" for blank
    line: int
    col: int
    number: int | Decimal | None = field(init=False)  # the numeric value, None where no plain number

    def __post_init__(self):
        value = self.value
        if len(self.text) <= SHARED_TEXT:
            self.text = _TEXTS.setdefault(self.text, self.text)
        if isinstance(value, (bool, str, Uncertain)) or value is None:
            self.number = None
        elif isinstance(value, int):
            self.number = value if -LIMIT < value < LIMIT else None
        else:
            # A float as printed; None where there is no number a report could print (numbers.py):
            # 1e1000000 would make every sum it enters raise.
            number = decimal_or_none(self.text)
            self.number = None if number is None else bounded(number)

    def __reduce__(self):
        # Stored as it stands (a rebuild reads millions from the check cache): the slotted
        # dataclass's own pickling, or making each again, is several times slower.
        return stored_cell, (self.value, self.text, self.line, self.col, self.number)

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and self.value.strip() == "")

    @property
    def uncertain(self) -> bool:
        """Read by the importer without certainty and not yet confirmed: not a blank."""
        return type(self.value) is Uncertain

    @property
    def placeholder(self) -> bool:
        return isinstance(self.value, str) and self.value.strip() in PLACEHOLDERS


def count_cell(value: int, text: str, line: int, col: int) -> Cell:
    """A cell of a plain count, the bulk of every table, made without the general case's checks."""
    cell = object.__new__(Cell)
    cell.value, cell.line, cell.col, cell.number = value, line, col, value
    cell.text = _TEXTS.setdefault(text, text) if len(text) <= SHARED_TEXT else text
    return cell


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
    # A report held light (held.py) keeps its cells' numbers only; `tables` and `narrative` are
    # then fetched from its agency's check-cache entry when asked.
    numbers: Any = None  # held.packed
    layout: Any = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.agency, self.year)

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        # Looked up through the edition's spec: an index of every cell per report would double
        # the memory a large corpus takes.
        spec, rows = self.edition.tables.get(table), self.tables.get(table)
        return None if spec is None or not rows else spec.find(rows, row, column)

    def number(self, table: str, row: str, column: str):
        """`cell(...).number`, without fetching the cells of a light report."""
        if self._tables is not None or self.layout is None:
            cell = self.cell(table, row, column)
            return None if cell is None else cell.number
        spec, rows = self.edition.tables.get(table), self.layout.rows.get(table)
        if spec is None or not rows or spec.shadows(rows, row):
            return None
        index = self.layout.index.get((table, row, column))
        if index is None:
            return None
        from .held import number_at

        return number_at(self.numbers, index)

    def row_ids(self, table: str) -> tuple[str, ...]:
        """The ids of the rows a table holds, in the YAML's order (KeyError without the table)."""
        if self._tables is None and self.layout is not None:
            return self.layout.rows[table]
        return tuple(self.tables[table])

    def numbered(self):
        """((table, row, column id), number) of every cell, in the order the tables hold them."""
        from .held import numbers_of, unpacked

        if self.layout is None:
            self.layout, self.numbers = numbers_of(self)
        return zip(self.layout.keys, unpacked(self.numbers))

    def row_cells(self, table: str, row: str, columns: list[str]) -> list[Cell | None]:
        """`cell` of each of `columns` in one row."""
        spec, rows = self.edition.tables.get(table), self.tables.get(table)
        return [None] * len(columns) if spec is None or not rows else spec.find_across(rows, row, columns)

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


def _held(name: str, part: int) -> property:
    """`tables` / `narrative`: as read, or for a light report fetched again (held.py)."""
    slot = "_" + name

    def get(report):
        value = report.__dict__[slot]
        if value is None:
            from .held import heavy_of

            return heavy_of(report)[part]
        return value

    def put(report, value):
        report.__dict__[slot] = value

    return property(get, put)


Report.tables = _held("tables", 0)
Report.narrative = _held("narrative", 1)
