"""Stores of files kept by content, on disk, as the check cache (checkcache.py) and the build's
caches (scale/) keep them: the digests their keys are made of (a folder's files, this package's
code) and the removal of the entries a run did not use.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the whole nianbao package: code, editions, theme, templates


@functools.cache
def package_digest() -> str:
    """This tool's code, editions, theme and templates: every file of the package."""
    return folder_digest(PACKAGE)


def folder_digest(folder: Path) -> str:
    """Every file under `folder` (names and bytes; Python's byte-code caches aside)."""
    digest = hashlib.sha256()
    for name, path in files_under(str(folder), ""):
        with open(path, "rb") as source:
            digest.update(name.encode() + b"\0" + source.read() + b"\0")
    return digest.hexdigest()


def files_under(top: str, prefix: str):
    """(relative name, path) of each file, in the order of sorted(Path.rglob): a rebuild digests
    every agency folder, and scandir's entries cost a fraction of Path objects."""
    for entry in sorted(os.scandir(top), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from files_under(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield f"{prefix}{entry.name}", entry.path


def prune_files(folder: Path, keep: set[str]) -> None:
    """Remove the files of a store of `folder/<bucket>/<key>` files whose key is not in `keep`
    (left-over temporary files too)."""
    for bucket in (folder.iterdir() if folder.is_dir() else ()):
        for entry in bucket.iterdir():
            if entry.name not in keep:
                entry.unlink(missing_ok=True)
