"""How large a number a report may print: one bound for the check and for every reader of a cell.

A statutory table counts applications and documents and sums fees; its largest real figures
have 7 or 8 digits. A contributor's YAML can hold anything: 5,000 digits (Python refuses to
make an int of more than 4,300 from text), `1e1000000` (past Decimal's exponent limit, so a sum
raises), `1e300000` (a float of infinity). The check refuses a cell beyond these bounds with a
located FMT-VALUE (`number_problem`); every reader still treats such a cell as no number at all
(`bounded`), so a build whose check was bypassed cannot be made to crash by one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .fields import cell_text_problem, printable

MAX_DIGITS = 15  # a count of a billion has 10; money with its cents 11
# Report years: the regulations took effect in 2008; a year past 2099 is a typing mistake (and
# 9999 has no following year for the deadline's date).
YEARS = range(2008, 2100)
LIMIT = 10 ** MAX_DIGITS
TOO_MANY_DIGITS = re.compile(r"[0-9０-９]{%d}" % (MAX_DIGITS + 1))


def number_problem(text: str) -> str | None:
    """Why a cell's text is not a number a report could print, or None."""
    if TOO_MANY_DIGITS.search(text):
        return f"数字位数过多（一个数最多 {MAX_DIGITS} 位）"
    if "e" in text or "E" in text:
        number = decimal_or_none(text.strip())
        if number is not None and bounded(number) is None:
            return f"数值超出范围（应写成普通的数字，小于 10 的 {MAX_DIGITS} 次方）"
    return None


def row_problems(values: list, cells: list, labels: list[str] | None):
    """(cell, message) for each cell of a table row that no report could print (the check's
    FMT-VALUE): a number past the bounds, text a spreadsheet would run as a formula, a control
    or invisible character."""
    if set(map(type, values)) <= {int} and (not values or -LIMIT < min(values) <= max(values) < LIMIT):
        return  # nearly every row: plain counts, decided in C
    for i, cell in enumerate(cells):
        if not isinstance(cell.value, (int, float, str)):  # blank, or the importer's uncertain marker
            continue
        why = number_problem(cell.text) or (cell_text_problem(cell.text) if isinstance(cell.value, str) else None)
        if why is not None:
            shown = "".join(ch if printable(ch) else f"\\u{ord(ch):04x}" for ch in cell.text[:20])
            shown += "…" if len(cell.text) > 20 else ""  # a control character is named, never echoed
            yield cell, f"{f'“{labels[i]}”' if labels else ''}单元格“{shown}”{why}"


def decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def bounded(number: int | Decimal):
    """The number, or None where it is beyond what a report prints (and what sums can hold):
    infinite, not a number, 10**15 or more, or with more digits after the point than Decimal
    keeps exact."""
    if type(number) is int:
        return number if -LIMIT < number < LIMIT else None
    if not number.is_finite() or number.adjusted() >= MAX_DIGITS or number.adjusted() < -MAX_DIGITS:
        return None
    return number if len(number.as_tuple().digits) <= 2 * MAX_DIGITS else None


def int_or_none(text: str) -> int | None:
    """int(text) for a text of digits, None where it has too many (int() would raise past 4,300)."""
    digits = text.strip().lstrip("+-")
    return int(text) if len(digits) <= MAX_DIGITS else None
