"""The characters Unicode assigned after 14.0, up to 16.0, with their general category.

A character's category decides whether a metadata text may hold it (fields.py: an unassigned
character is refused, a region is made of letters and digits). Python answers from the Unicode
of its own release: 14.0 in Python 3.11, 15.0 in 3.12, 15.1 in 3.13, 16.0 in 3.14 — the Python
the 填报 page runs in Pyodide. So that every Python the package supports and the page judge a
character alike, the check takes its categories from Unicode 16.0: a character this Python
calls unassigned is looked up here. Taken from Python 3.14's unicodedata (Unicode 16.0) against
Python 3.11's (14.0): every code point 14.0 leaves unassigned and 16.0 assigns (the two differ
nowhere else but U+1171E, a mark either way). tests/test_untrusted_files.py checks the table
against the running Python.
"""

from __future__ import annotations

import bisect

VERSION = "16.0.0"
# start[-end]:category, in code point order.
ASSIGNED = """
897:Mn CF3:Mc ECE:Mn 1B4E-1B4F:Po 1B7F:Po 1C89:Lu 1C8A:Ll 2427-2429:So 2FFC-2FFF:So 31E4-31E5:So
31EF:So A7CB-A7CC:Lu A7CD:Ll A7DA:Lu A7DB:Ll A7DC:Lu 105C0-105F3:Lo 10D40-10D49:Nd 10D4A-10D4D:Lo
10D4E:Lm 10D4F:Lo 10D50-10D65:Lu 10D69-10D6D:Mn 10D6E:Pd 10D6F:Lm 10D70-10D85:Ll 10D8E-10D8F:Sm
10EC2-10EC4:Lo 10EFC-10EFF:Mn 1123F-11240:Lo 11241:Mn 11380-11389:Lo 1138B:Lo 1138E:Lo
11390-113B5:Lo 113B7:Lo 113B8-113BA:Mc 113BB-113C0:Mn 113C2:Mc 113C5:Mc 113C7-113CA:Mc
113CC-113CD:Mc 113CE:Mn 113CF:Mc 113D0:Mn 113D1:Lo 113D2:Mn 113D3:Lo 113D4-113D5:Po 113D7-113D8:Po
113E1-113E2:Mn 116D0-116E3:Nd 11B00-11B09:Po 11BC0-11BE0:Lo 11BE1:Po 11BF0-11BF9:Nd 11F00-11F01:Mn
11F02:Lo 11F03:Mc 11F04-11F10:Lo 11F12-11F33:Lo 11F34-11F35:Mc 11F36-11F3A:Mn 11F3E-11F3F:Mc
11F40:Mn 11F41:Mc 11F42:Mn 11F43-11F4F:Po 11F50-11F59:Nd 11F5A:Mn 1342F:Lo 13439-1343F:Cf 13440:Mn
13441-13446:Lo 13447-13455:Mn 13460-143FA:Lo 16100-1611D:Lo 1611E-16129:Mn 1612A-1612C:Mc
1612D-1612F:Mn 16130-16139:Nd 16D40-16D42:Lm 16D43-16D6A:Lo 16D6B-16D6C:Lm 16D6D-16D6F:Po
16D70-16D79:Nd 18CFF:Lo 1B132:Lo 1B155:Lo 1CC00-1CCEF:So 1CCF0-1CCF9:Nd 1CD00-1CEB3:So
1D2C0-1D2D3:No 1DF25-1DF2A:Ll 1E030-1E06D:Lm 1E08F:Mn 1E4D0-1E4EA:Lo 1E4EB:Lm 1E4EC-1E4EF:Mn
1E4F0-1E4F9:Nd 1E5D0-1E5ED:Lo 1E5EE-1E5EF:Mn 1E5F0:Lo 1E5F1-1E5FA:Nd 1E5FF:Po 1F6DC:So
1F774-1F776:So 1F77B-1F77F:So 1F7D9:So 1F8B2-1F8BB:So 1F8C0-1F8C1:So 1FA75-1FA77:So 1FA87-1FA89:So
1FA8F:So 1FAAD-1FAAF:So 1FABB-1FABF:So 1FAC6:So 1FACE-1FACF:So 1FADA-1FADC:So 1FADF:So
1FAE8-1FAE9:So 1FAF7-1FAF8:So 1FBCB-1FBEF:So 2B739:Lo 2EBF0-2EE5D:Lo 31350-323AF:Lo
"""


def _ranges() -> tuple[list[int], list[int], list[str]]:
    starts, ends, categories = [], [], []
    for entry in ASSIGNED.split():
        span, category = entry.split(":")
        first, _, last = span.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
        categories.append(category)
    return starts, ends, categories


_STARTS, _ENDS, _CATEGORIES = _ranges()


def category(code: int) -> str | None:
    """The category Unicode 16.0 gives a code point assigned after 14.0, else None."""
    i = bisect.bisect_right(_STARTS, code) - 1
    return _CATEGORIES[i] if i >= 0 and code <= _ENDS[i] else None
