"""A data file made of a head and one piece per agency (the long and the wide CSV), described
rather than written: called, it makes every piece; the build (scale/dataparts.py) stores each
agency's piece and makes again only those of the agencies that changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass
class Parts:
    """A file made of a head and one piece per agency, in slug order; called, it makes them all."""

    name: str  # which file: one agency's pieces of two files differ
    head: str
    pieces: list[tuple[str, Callable[[], str]]]  # (agency slug, maker of its piece)

    def __call__(self) -> Iterator[str]:
        yield self.head
        for _, make in self.pieces:
            yield make()

    @functools.cached_property
    def makers(self) -> dict[str, Callable[[], str]]:
        """Agency slug -> the maker of its piece."""
        return dict(self.pieces)
