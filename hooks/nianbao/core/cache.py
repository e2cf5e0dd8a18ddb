"""Parsed YAML cached by content hash, so unchanged reports are not parsed again.

Files in the canonical layout take the fast path (fastpath.py) and are not stored: reading them is
quicker than unpickling. The cache serves every other layout.

`check`, the build and `mkdocs serve` all read through it. The key is the file's bytes plus the
parser's own source, so a changed report or a changed parser never sees a stale entry; the
positions stay exact because the whole located parse is what is stored. NIANBAO_CACHE=off turns
it off; NIANBAO_CACHE=/path puts it elsewhere (default: ~/.cache/nianbao).

An entry is JSON, not a pickle: the cache folder may come from elsewhere (a CI cache), and
reading JSON runs no code. Each entry is checked for the shape of a parse before it is used;
anything else is parsed again.
"""

from __future__ import annotations

import hashlib
import os
import json
import sqlite3
from pathlib import Path

from . import fastpath, located

_SALT = hashlib.sha256(Path(located.__file__).read_bytes()).digest()


def _location() -> Path | None:
    setting = os.environ.get("NIANBAO_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nianbao"


class ParseCache:
    def __init__(self):
        self.db = None
        self.pending: list[tuple[bytes, bytes]] = []
        folder = _location()
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "parsed-v2.sqlite", timeout=5)
            self.db.execute("CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB)")
        except (OSError, sqlite3.Error):
            self.db = None  # a read-only home or a locked file: just parse

    @staticmethod
    def key(data: bytes) -> bytes:
        return hashlib.sha256(_SALT + data).digest()

    def parse(self, data: bytes, text: str) -> located.Parsed:
        # Canonical files read faster directly than from the cache; only the others are stored.
        fast = fastpath.parse(text, located)
        if fast is not None:
            return fast
        if self.db is None:
            return located.parse(text)
        key = self.key(data)
        try:
            row = self.db.execute("SELECT value FROM parsed WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None:
            stored = decode(row[0])
            if stored is not None:
                return stored
        parsed = located.parse(text)
        try:
            self.pending.append((key, encode(parsed)))
        except ValueError:  # a number JSON cannot hold (1e999 reads as infinity): not stored
            pass
        return parsed

    def close(self) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", self.pending)
        except sqlite3.Error:
            pass
        self.db.close()
        self.db = None


# -- entries ------------------------------------------------------------------------------------

SCALARS = (str, int, float, bool, type(None))


def encode(parsed: located.Parsed) -> bytes:
    """A parse as JSON: the value, and each table of positions as [path, value] pairs (paths are
    tuples of keys and indexes, which JSON objects cannot key)."""
    return json.dumps({
        "value": parsed.value, "ok": parsed.ok,
        "marks": [[list(k), list(v)] for k, v in parsed.marks.items()],
        "key_marks": [[list(k), list(v)] for k, v in parsed.key_marks.items()],
        "texts": [[list(k), v] for k, v in parsed.texts.items()],
        "issues": [[i.line, i.col, i.rule, i.message] for i in parsed.issues],
    }, ensure_ascii=False, allow_nan=False).encode("utf-8")


def decode(data) -> located.Parsed | None:
    """The parse an entry holds, or None where it is not one (damaged, or not ours)."""
    try:
        entry = json.loads(data)
        parsed = located.Parsed(value=entry["value"], ok=entry["ok"])
        if not plain(parsed.value) or not isinstance(parsed.ok, bool) or parsed.cells:
            return None
        parsed.marks = {path(k): position(v) for k, v in entry["marks"]}
        parsed.key_marks = {path(k): position(v) for k, v in entry["key_marks"]}
        parsed.texts = {path(k): text(v) for k, v in entry["texts"]}
        parsed.issues = [located.Issue(int(line), int(col), text(rule), text(message))
                         for line, col, rule, message in entry["issues"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return parsed


def plain(value, depth: int = 0) -> bool:
    """Only what the YAML reader makes: mappings of text keys, lists and scalars, not too deep."""
    if depth > located.MAX_DEPTH + 1:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v, depth + 1) for v in value)
    return isinstance(value, SCALARS)


def path(items) -> tuple:
    if not isinstance(items, list) or not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
        raise TypeError("not a path")
    return tuple(items)


def position(pair) -> tuple[int, int]:
    line, col = pair
    if type(line) is not int or type(col) is not int:
        raise TypeError("not a position")
    return line, col


def text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value
