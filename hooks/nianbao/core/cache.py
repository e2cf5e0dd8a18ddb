"""Parsed YAML cached by content hash, so unchanged reports are not parsed again.

Files in the canonical layout take the fast path (fastpath.py) and are not stored: reading them is
quicker than unpickling. The cache serves every other layout.

`check`, the build and `mkdocs serve` all read through it. The key is the file's bytes plus the
parser's own source, so a changed report or a changed parser never sees a stale entry; the
positions stay exact because the whole located parse is what is stored. NIANBAO_CACHE=off turns
it off; NIANBAO_CACHE=/path puts it elsewhere (default: ~/.cache/nianbao).
"""

from __future__ import annotations

import hashlib
import os
import pickle
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
            self.db = sqlite3.connect(folder / "parsed-v1.sqlite", timeout=5)
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
            try:
                return pickle.loads(row[0])
            except Exception:  # a damaged entry is re-parsed, never trusted
                pass
        parsed = located.parse(text)
        self.pending.append((key, pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)))
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
