"""Each agency's reports as read and checked, stored by the content of its folder, so that a
rebuild reads and checks only the agencies whose files changed.

Every rule looks at one agency at a time (parallel.py relies on the same), so what an agency's
check finds depends on its folder alone, on the code that reads and checks it, and on the paths the
problems are shown with: those are the key. An entry that cannot be read is checked again, never
trusted. The entries live beside the page cache (buildcache.py) and are pruned with it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .check import Result, check_corpus
from .load import IGNORED, Corpus, display_path, load_corpus
from .model import Agency, Problem, Report
from .units import folder_digest, package_digest

LAYOUT = "checks-v1"
READERS = " ".join(f"{name}={version(name)}" for name in ("PyYAML", "ruamel.yaml", "nh3")) + f" python={sys.version}"
# What an entry may hold. A restored CI cache is not this build's own output: an entry naming
# anything else is refused, so a planted one can never run code (pickle's "restricting globals").
ALLOWED = {("nianbao.model", name) for name in ("stored_cell", "Report", "Agency", "Problem", "edition_named")} | {
    ("nianbao.checkcache", "Piece"), ("decimal", "Decimal")}


class Entries(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)


@dataclass
class Piece:
    """What reading and checking one agency folder gave."""

    agency: Agency | None
    reports: list[Report]
    problems: list[Problem]  # found while reading (format, paths)
    found: dict[tuple[str, int], list[Problem]]  # the rules' problems, by report
    attachments: list[str] = field(default_factory=list)  # relative to the reports folder, which may move
    files: int = 0


class CheckStore:
    def __init__(self, root: Path):
        self.folder = root / LAYOUT
        self.used: set[str] = set()
        self.read = self.reused = 0  # agencies read and checked by this build / taken from the store

    def key(self, folder: Path) -> str:
        digest = hashlib.sha256(f"{package_digest()}\0{READERS}\0{display_path(folder)}\0".encode())
        digest.update(folder_digest(folder).encode())
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Piece | None:
        try:
            with open(self.path(key), "rb") as entry:
                piece = Entries(entry).load()
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 — a damaged or foreign entry is checked again
            self.path(key).unlink(missing_ok=True)
            return None
        if not isinstance(piece, Piece):
            return None
        self.used.add(key)
        return piece

    def put(self, key: str, piece: Piece) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out:  # renamed: never half an entry
            pickle.dump(piece, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, target)
        self.used.add(key)

    def prune(self) -> None:
        """Entries this build did not use go (the repo changed under them)."""
        for bucket in (self.folder.iterdir() if self.folder.is_dir() else ()):
            for entry in bucket.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True) if entry.is_file() else shutil.rmtree(entry, ignore_errors=True)


def agency_folders(root: Path, only: set[str] | None) -> list[Path]:
    """The agency folders load_corpus reads, in its order."""
    return [entry for entry in sorted(root.iterdir()) if not entry.name.startswith(".") and entry.name not in IGNORED
            and entry.is_dir() and (only is None or entry.name in only)]


def check_cached(root: Path, only: set[str] | None, jobs: int, store: CheckStore) -> Result:
    """The same Result as check.check_path, reading and checking only the folders not in `store`."""
    # Millions of new objects and no cycles among them: the collector's passes over the growing
    # heap would take two thirds of the time (measured on unpickling 1,000 reports: 0.46 → 0.15 s).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return check_folders(root, only, jobs, store)
    finally:
        if enabled:
            gc.enable()


def check_folders(root: Path, only: set[str] | None, jobs: int, store: CheckStore) -> Result:
    if not root.is_dir():
        return check_corpus(load_corpus(root, only), jobs)
    folders = agency_folders(root, only)
    keys = {folder.name: store.key(folder) for folder in folders}
    pieces = {name: store.get(key) for name, key in keys.items()}
    missing = {name for name, piece in pieces.items() if piece is None}
    store.read, store.reused = len(missing), len(pieces) - len(missing)
    fresh = check_corpus(load_corpus(root, only=missing), jobs)  # also what lies beside the folders
    outside = list(fresh.corpus.problems)
    for folder in folders:
        if folder.name in missing:
            pieces[folder.name] = piece_of(fresh, folder, outside)
            for report in pieces[folder.name].reports:
                report.marks = {}  # positions are for locating problems, and those are located
            store.put(keys[folder.name], pieces[folder.name])
    return assemble(root, [pieces[folder.name] for folder in folders], outside)


def piece_of(result: Result, folder: Path, outside: list[Problem]) -> Piece:
    """One folder's share of a check; its reading problems leave `outside`."""
    prefix = os.path.abspath(folder) + os.sep
    mine = [p for p in outside if os.path.abspath(p.path).startswith(prefix)]
    outside[:] = [p for p in outside if not os.path.abspath(p.path).startswith(prefix)]
    reports = [r for r in result.corpus.reports if r.agency == folder.name]
    return Piece(result.corpus.agencies.get(folder.name), reports, mine,
                 {r.key: result.by_report[r.key] for r in reports},
                 [p.relative_to(folder.parent).as_posix() for p in result.corpus.attachments
                  if p.is_relative_to(folder)],
                 sum(1 for p in folder.glob("*.yml")))


def assemble(root: Path, pieces: list[Piece], outside: list[Problem]) -> Result:
    corpus = Corpus(root=str(root), problems=list(outside))
    result = Result(corpus)
    for piece in pieces:
        if piece.agency is not None:
            corpus.agencies[piece.agency.slug] = piece.agency
        corpus.reports += piece.reports
        corpus.problems += piece.problems
        corpus.attachments += [root / name for name in piece.attachments]
        corpus.files += piece.files
        result.by_report.update(piece.found)
    result.problems = list(corpus.problems) + [p for found in result.by_report.values() for p in found]
    result.problems.sort(key=lambda p: p.sort_key)
    return result
