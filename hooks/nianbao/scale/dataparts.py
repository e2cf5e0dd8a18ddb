"""Repo-wide data files made of one piece per agency, each piece kept in the build cache.

The long and the wide CSV hold every report (the long one 122 MB at 10,000 reports). Made whole,
they took 10 and 4 seconds of a rebuild after a single report changed. Each agency's rows are a
piece, stored under a key of the build's fingerprint and that agency's inputs (its folder and
problems, as for its pages): a rebuild makes the pieces of the agencies that changed and copies
the others into the file. A piece whose bytes do not match the digest stored with it is made
again, never copied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.atomic import replace_file
from ..core.store import prune_files
from ..data.parts import Parts

LAYOUT = "pieces-v1"


class PieceStore:
    def __init__(self, root: Path, fingerprint: str, inputs: Callable[[str], str]):
        self.folder = root / LAYOUT
        self.fingerprint = fingerprint
        self.inputs = inputs  # slug -> digest of the agency's folder and problems (pagebuild.agency_inputs)

    def key(self, name: str, slug: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{name}\0{slug}\0{self.inputs(slug)}".encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def chunks(self, parts: Parts) -> Iterator[bytes]:
        yield parts.head.encode("utf-8")
        for slug, make in parts.pieces:
            yield self.piece(self.key(parts.name, slug), make)

    def piece(self, key: str, make: Callable[[], str]) -> bytes:
        path = self.path(key)
        try:
            stored = path.read_bytes()
        except OSError:
            stored = b""
        digest, _, body = stored.partition(b"\n")
        if stored and hashlib.sha256(body).hexdigest().encode() == digest:
            return body
        body = make().encode("utf-8")
        replace_file(path, lambda out: out.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body))
        return body

    def make_ahead(self, files: list[Parts], slug: str) -> None:
        """An agency's pieces, made by the worker rendering its pages (its cells are at hand
        there): the files' own unit then only puts the stored pieces together."""
        for parts in files:
            make = parts.makers.get(slug)
            if make is not None:
                self.piece(self.key(parts.name, slug), make)

    def prune(self, files: list[Parts]) -> None:
        """Keep the pieces of these files as the repo now stands; the others are from earlier states."""
        prune_files(self.folder, {self.key(parts.name, slug) for parts in files for slug, _ in parts.pieces})


def chunks_of(page, store: PieceStore | None):
    """A data file's text, piece by piece; a file made of agencies' pieces, through the store."""
    if store is not None and isinstance(page.content, Parts):
        return store.chunks(page.content)
    return page.chunks()
