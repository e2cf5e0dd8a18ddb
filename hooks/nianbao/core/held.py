"""Reports held light: what a build keeps of every report in memory, and where the rest comes from.

A build needs every report at once (links, indexes, sums), but a report's cells and narrative
(~35 KB of its ~45) only when its own pages, data files and search document are made. With the
check cache on, each checked report keeps its cells' numbers (what indexes and region sums read)
and the rest lives in its agency's check-cache entry: `Report.tables` and `Report.narrative` fetch
it from there when asked, one agency at a time, and nothing keeps it afterwards. So neither the
build process nor a worker holds every report's cells (4.5 GB at 100,000 reports).
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable

RECENT = 8  # agencies whose cells a process keeps at hand: the pages of one agency ask many times

# agency slug -> {year: (tables, narrative)}, set by the check cache for the build in progress
SOURCE: Callable[[str], dict] | None = None
_recent: OrderedDict = OrderedDict()
_layouts: dict = {}
BLANK = -(2**31)  # in a packed row of numbers: no number (a blank, a placeholder, text)


class Layout:
    """Where each cell's number stands in a light report's `numbers`: one per way of printing the
    tables (edition, rows, cells per row), shared by every report printed that way."""

    __slots__ = ("edition", "signature", "keys", "index", "rows")

    def __init__(self, edition, signature: tuple):
        self.edition, self.signature = edition, signature
        self.rows = {tid: tuple(row for row, _ in rows) for tid, rows in signature}
        self.keys = tuple((tid, row, col.id) for tid, rows in signature for row, count in rows
                          for col in edition.tables[tid].columns_of(row)[:count])
        self.index = {key: i for i, key in enumerate(self.keys)}

    def __reduce__(self):
        return layout_named, (self.edition.id, self.signature)


def layout_named(edition_id: str, signature: tuple) -> Layout:
    from .editions import edition_named

    return layout_of(edition_named(edition_id), signature)


def layout_of(edition, signature: tuple) -> Layout:
    key = (edition.id, signature)
    found = _layouts.get(key)
    if found is None:
        found = _layouts[key] = Layout(edition, signature)
    return found


def numbers_of(report) -> tuple[Layout, tuple]:
    """The layout and numbers of a report's cells, in the order its tables hold them."""
    tables, specs = report.tables, report.edition.tables
    signature, numbers = [], []
    for tid, rows in tables.items():
        columns = specs[tid]
        shape = []
        for row, cells in rows.items():
            count = min(len(cells), len(columns.columns_of(row)))
            shape.append((row, count))
            numbers += [cell.number for cell in cells[:count]]
        signature.append((tid, tuple(shape)))
    return layout_of(report.edition, tuple(signature)), packed(numbers)


def packed(numbers: list):
    """Whole numbers in 4 bytes each (an archive holds hundreds of millions); the few others (a fee
    of 373.47, a huge count) beside them as (packed, {place: number})."""
    others = {i: n for i, n in enumerate(numbers) if n is not None and not (type(n) is int and BLANK < n < 2**31)}
    whole = array("i", [BLANK if n is None or i in others else n for i, n in enumerate(numbers)])
    return (whole, others) if others else whole


def number_at(numbers, index: int):
    if type(numbers) is tuple:
        whole, others = numbers
        found = others.get(index)
        if found is not None:
            return found
        numbers = whole
    value = numbers[index]
    return None if value == BLANK else value


def unpacked(numbers) -> list:
    whole, others = numbers if type(numbers) is tuple else (numbers, {})
    values = [None if n == BLANK else n for n in whole]
    for i, n in others.items():
        values[i] = n
    return values


def lighten(reports: list) -> dict:
    """Keep each report's numbers only; returns what it gave up, {year: (tables, narrative)}."""
    given = {}
    for report in reports:
        if report.numbers is None:
            report.layout, report.numbers = numbers_of(report)
        given[report.year] = (report.tables, report.narrative)
    for report in reports:
        report._tables = report._narrative = None
    return given


def heavy_of(report) -> tuple:
    """(tables, narrative) of a light report, from its agency's entry."""
    entry = _recent.get(report.agency)
    if entry is None:
        if SOURCE is None:
            raise RuntimeError(f"{report.path}：报告数据未载入")
        entry = _recent[report.agency] = SOURCE(report.agency)
        if len(_recent) > RECENT:
            _recent.popitem(last=False)
    else:
        _recent.move_to_end(report.agency)
    return entry[report.year]


def use(source: Callable[[str], dict] | None) -> None:
    """The source of this build's light reports (a new build: what was at hand may have changed)."""
    global SOURCE
    SOURCE = source
    _recent.clear()
