"""Split concatenated digits ("规范性文件898989", "230 000023") into cells, using only the
statutory identities. Where more than one split satisfies every identity, the cell is uncertain:
nothing is guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

PIECE = re.compile(r"^([0-9]+)(\.[0-9]+)?([^0-9.]*)\Z")
LIMIT = 50_000  # candidate splits of one row; beyond that the row is left uncertain
WORK = 2_000_000  # steps spent looking for them: a long run of digits has few splits but many dead ends
MAX_DIGITS = 15  # core/numbers.py: no report prints a longer number


class TooMuch(Exception):
    """The search for a row's splits ran past WORK: the row is left uncertain."""


class Budget:
    def __init__(self, steps: int = WORK):
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooMuch


@dataclass
class Cells:
    values: list[str | None]  # as printed; None for a blank
    uncertain: set[int]
    how: str  # certain | solved | uncertain
    read: str = ""  # the row as printed, its pieces separated by spaces


def valid(piece: str) -> bool:
    digits = PIECE.match(piece).group(1)
    return digits == "0" or not digits.startswith("0")


def token_splits(token: str, parts: int, budget: Budget | None = None):
    """Ways to cut one printed token into `parts` numbers (only between digits of its integer part),
    in the order of their cut points. A cut piece is "0" or has no leading zero, and is at most
    MAX_DIGITS long; pieces are grown one cut at a time, so a dead end is left at once."""
    budget = budget or Budget()
    match = PIECE.match(token)
    if match is None:
        if parts == 1:
            yield (token,)
        return
    digits, tail = match.group(1), (match.group(2) or "") + match.group(3)
    if parts == 1:
        if valid(token):
            yield (token,)
        return
    if parts > len(digits) or len(digits) > parts * MAX_DIGITS:
        return

    def pieces(start: int, left: int):
        budget.spend()
        if left == 1:
            if len(digits) - start <= MAX_DIGITS and valid(digits[start:] + tail):
                yield (digits[start:] + tail,)
            return
        # Leave at least one digit, and at most MAX_DIGITS, for each piece still to come.
        first = max(start + 1, len(digits) - (left - 1) * MAX_DIGITS)
        last = min(start + (1 if digits[start] == "0" else MAX_DIGITS), len(digits) - (left - 1))
        for end in range(first, last + 1):
            for rest in pieces(end, left - 1):
                yield (digits[start:end],) + rest

    yield from pieces(0, parts)


def row_splits(tokens: list[str], n: int, budget: Budget | None = None):
    """Every way to read `tokens` as exactly n cells."""
    budget = budget or Budget()
    budget.spend()
    if not tokens:
        if n == 0:
            yield ()
        return
    first, rest = tokens[0], tokens[1:]
    for k in range(1, n - len(rest) + 1):
        for head in token_splits(first, k, budget):
            for tail in row_splits(rest, n - k, budget):
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
    try:
        for split in row_splits(tokens, n):
            found.append(split)
            if len(found) > LIMIT:
                return [], False
    except TooMuch:
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
