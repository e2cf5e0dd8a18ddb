"""Split concatenated digits ("规范性文件898989", "230 000023") into cells, using only the
statutory identities. Where more than one split satisfies every identity, the cell is uncertain:
nothing is guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

PIECE = re.compile(r"^(\d+)(\.\d+)?([^\d.]*)\Z")
LIMIT = 50_000  # candidate splits of one row; beyond that the row is left uncertain


@dataclass
class Cells:
    values: list[str | None]  # as printed; None for a blank
    uncertain: set[int]
    how: str  # certain | solved | uncertain
    read: str = ""  # the row as printed, its pieces separated by spaces


def valid(piece: str) -> bool:
    digits = PIECE.match(piece).group(1)
    return digits == "0" or not digits.startswith("0")


def token_splits(token: str, parts: int):
    """Ways to cut one printed token into `parts` numbers (only between digits of its integer part)."""
    match = PIECE.match(token)
    if match is None:
        if parts == 1:
            yield (token,)
        return
    digits, tail = match.group(1), (match.group(2) or "") + match.group(3)
    if parts > len(digits):
        return
    for cuts in itertools.combinations(range(1, len(digits)), parts - 1):
        bounds = (0,) + cuts + (len(digits),)
        pieces = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        pieces[-1] += tail
        if all(valid(p) for p in pieces):
            yield tuple(pieces)


def row_splits(tokens: list[str], n: int):
    """Every way to read `tokens` as exactly n cells."""
    if not tokens:
        if n == 0:
            yield ()
        return
    first, rest = tokens[0], tokens[1:]
    for k in range(1, n - len(rest) + 1):
        for head in token_splits(first, k):
            for tail in row_splits(rest, n - k):
                yield head + tail


def as_int(piece: str | None):
    return int(piece) if piece is not None and piece.isdigit() else None


def total_holds(values: tuple, groups: list[tuple[list[int], int]]) -> bool:
    """Each (parts, total) group: total = sum(parts), where every term is an integer."""
    for parts, total in groups:
        numbers = [as_int(values[i]) for i in parts + [total]]
        if None in numbers:
            continue
        if sum(numbers[:-1]) != numbers[-1]:
            return False
    return True


def candidates(tokens: list[str], n: int, groups) -> tuple[list[tuple], bool]:
    """Splits of one row that satisfy its own identities (all splits if none does)."""
    found = []
    for split in row_splits(tokens, n):
        found.append(split)
        if len(found) > LIMIT:
            return [], False
    holding = [s for s in found if total_holds(s, groups)]
    return (holding, True) if holding else (found, False)


def agree(options: list[tuple], n: int) -> tuple[list[str | None], set[int]]:
    values, uncertain = [], set()
    for i in range(n):
        seen = {option[i] for option in options}
        if len(seen) == 1:
            values.append(next(iter(seen)))
        else:
            values.append(None)
            uncertain.add(i)
    return values, uncertain


def joint(rows: dict[str, list[tuple]], check) -> list[dict[str, tuple]]:
    """Combinations of the rows' candidates that satisfy the table's column identities."""
    ambiguous = [r for r, c in rows.items() if len(c) > 1]
    size = 1
    for r in ambiguous:
        size *= len(rows[r])
    if size > 200_000:
        return []
    fixed = {r: c[0] for r, c in rows.items() if len(c) == 1}
    solutions = []
    for choice in itertools.product(*(rows[r] for r in ambiguous)):
        table = dict(fixed, **dict(zip(ambiguous, choice)))
        if check(table):
            solutions.append(table)
    return solutions


def t3_columns_hold(table: dict[str, tuple], results: list[str]) -> bool:
    for c in range(7):
        def num(row):
            return as_int(table[row][c]) if row in table else None
        parts = [num(r) for r in results]
        total, new, carried, forward = num("total"), num("new_received"), num("carried_over"), num("carried_forward")
        if None not in parts and total is not None and sum(parts) != total:
            return False
        if None not in (new, carried, total, forward) and new + carried != total + forward:
            return False
    return True
