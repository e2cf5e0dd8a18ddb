"""The nouns of an edition as its spec file describes it: tables, their rows, columns and header
trees. Read once at start; every check and page asks them where a cell stands. The Edition that
holds them is made, and unpickled, by its loader (editions/)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any


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
    balance: dict | None = None  # {left: [rows], right: [rows], text}: sums per column (T3-BAL)
    carry: dict | None = None  # {from: row, to: row}: a year's row is the next year's (XY-CARRY)

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
        cells = self._printed_cells(rows, row_id)
        if cells is None:
            return None
        index = self._positions.get((row_id, column))
        return cells[index] if index is not None and index < len(cells) else None

    def find_across(self, rows: dict, row_id: str, columns: list[str]) -> list:
        """`find` of each of `columns` in one row (the row's sums ask for a row at a time)."""
        cells = self._printed_cells(rows, row_id)
        if cells is None:
            return [None] * len(columns)
        positions, count = self._positions, len(cells)
        return [cells[i] if (i := positions.get((row_id, column))) is not None and i < count else None
                for column in columns]

    def shadows(self, rows, row_id: str) -> bool:
        """Is the row printed in place of another row's group, among `rows` (the ids present)?"""
        return bool(self._shadowed) and self._shadowed.get(row_id) in rows

    def _printed_cells(self, rows: dict, row_id: str) -> list | None:
        cells = rows.get(row_id)
        if cells is None or self.shadows(rows, row_id):
            return None  # absent, or printed in place of another row's group
        return cells
