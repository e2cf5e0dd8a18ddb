"""Each agency's reports as read and checked, stored by the content of its folder, so that a
rebuild reads and checks only the agencies whose files changed.

Every rule looks at one agency at a time (parallel.py relies on the same), so what an agency's
check finds depends on its folder alone, on the code that reads and checks it, and on the paths the
problems are shown with: those are the key. An entry that cannot be read is checked again, never
trusted. The entries live beside the page cache (scale/buildcache.py) and are pruned with it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .check import Result
from . import held
from .load import Corpus, display_path, load_corpus, load_folders, root_entries
from .model import Agency, Problem, Report
from .atomic import replace_file
from .parallel import MIN_AGENCIES_PER_JOB, check_corpus, checked_batches, collector_paused, interleaved
from .store import folder_digest, package_digest, prune_files

LAYOUT = "checks-v2"  # an entry: the light Piece, then what its reports gave up (held.py)
READERS = " ".join(f"{name}={version(name)}" for name in ("PyYAML", "ruamel.yaml", "nh3")) + f" python={sys.version}"
# What an entry may hold. A restored CI cache is not this build's own output: an entry naming
# anything else is refused, so a planted one can never run code (pickle's "restricting globals").
ALLOWED = {("nianbao.core.model", name) for name in ("stored_cell", "Report", "Agency", "Problem", "Uncertain")} | {
    ("nianbao.core.editions", "edition_named"), ("nianbao.core.held", "layout_named"), ("nianbao.core.checkcache", "Piece"),
    ("decimal", "Decimal"), ("array", "_array_reconstructor"), ("array", "array")}


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
        self.digests: dict[str, str] = {}  # folder name -> folder_digest, which the page cache's keys reuse

    def key(self, folder: Path) -> str:
        digest = hashlib.sha256(f"{package_digest()}\0{READERS}\0{display_path(folder)}\0".encode())
        self.digests[folder.name] = folder_digest(folder)
        digest.update(self.digests[folder.name].encode())
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

    def heavy(self, key: str) -> dict | None:
        """What the entry's reports gave up, {year: (tables, narrative)}; None if it cannot be read."""
        try:
            with open(self.path(key), "rb") as entry:
                Entries(entry).load()  # each pickle its own reader: a reader's memo is its pickle's
                given = Entries(entry).load()
        except Exception:  # noqa: BLE001 — the caller reads the folder again
            return None
        return given if isinstance(given, dict) else None

    def put(self, key: str, piece: Piece, given: dict) -> None:
        def write(out):
            pickle.dump(piece, out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(given, out, protocol=pickle.HIGHEST_PROTOCOL)

        replace_file(self.path(key), write)
        self.used.add(key)

    def prune(self) -> None:
        """Entries this build did not use go (the repo changed under them)."""
        prune_files(self.folder, self.used)


def agency_folders(root: Path, only: set[str] | None) -> list[Path]:
    """The agency folders load_corpus reads, in its order."""
    return [entry for entry, folder in root_entries(root) if folder and (only is None or entry.name in only)]


def check_cached(root: Path, only: set[str] | None, jobs: int, store: CheckStore) -> Result:
    """The same Result as parallel.check_path, reading and checking only the folders not in `store`."""
    # Millions of new objects and no cycles among them: the collector's passes over the growing
    # heap would take two thirds of the time (measured on unpickling 1,000 reports: 0.46 → 0.15 s).
    with collector_paused():
        return check_folders(root, only, jobs, store)


def check_folders(root: Path, only: set[str] | None, jobs: int, store: CheckStore) -> Result:
    if not root.is_dir():
        return check_corpus(load_corpus(root, only), jobs)
    folders = agency_folders(root, only)
    keys = {folder.name: store.key(folder) for folder in folders}
    held.use(heavy_source(root, keys, store))
    pieces = {name: store.get(key) for name, key in keys.items()}
    missing = {name for name, piece in pieces.items() if piece is None}
    store.read, store.reused = len(missing), len(pieces) - len(missing)
    if store_on_every_core(root, {name: keys[name] for name in sorted(missing)}, jobs, store):
        pieces.update((name, store.get(keys[name])) for name in missing)
        missing = {name for name in missing if pieces[name] is None}  # a worker could not store it
    fresh = check_corpus(load_corpus(root, only=missing), jobs)  # also what lies beside the folders
    split = Split(root, fresh)
    for folder in folders:
        if folder.name in missing:
            pieces[folder.name] = split.piece(folder)
            store_piece(store, keys[folder.name], pieces[folder.name])
    return assemble(root, [pieces[folder.name] for folder in folders], split.outside)


def store_on_every_core(root: Path, keys: dict[str, str], jobs: int, store: CheckStore) -> bool:
    """Read, check and store these folders in forked workers; the build then takes them from the
    store like any unchanged folder. Reading is the larger half of a cold check, and pickling the
    reports back from a worker costs about as much as reading them again: through the store the
    workers' writing, which a cold build needs anyway, is the only way back. False: not done (a
    small corpus, or no fork on this system)."""
    if jobs <= 1 or len(keys) < MIN_AGENCIES_PER_JOB * 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    shares = [{name: keys[name] for name in share} for share in interleaved(list(keys), jobs)]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_check_and_store, [str(root)] * len(shares), shares, [store.folder.parent] * len(shares)))
    return True


def _check_and_store(root: str, keys: dict[str, str], cache: Path) -> None:
    store, folder = CheckStore(cache), Path(root)
    for names, result in checked_batches(root, list(keys)):
        split = Split(folder, result)
        for name in names:
            try:
                store_piece(store, keys[name], split.piece(folder / name))
            except OSError:
                pass  # a full disk: the build reads this folder itself


def store_piece(store: CheckStore, key: str, piece: Piece) -> None:
    """Store the piece; its reports are light from now on (held.py)."""
    for report in piece.reports:
        report.marks = {}  # positions are for locating problems, and those are located
    given = held.lighten(piece.reports)
    store.put(key, piece, given)


def heavy_source(root: Path, keys: dict[str, str], store: CheckStore):
    """Where this build's light reports fetch their cells: the agency's entry, or (an entry gone
    or unwritable, a full disk) the agency's folder read again."""
    def source(slug: str) -> dict:
        given = store.heavy(keys[slug]) if slug in keys else None
        if given is None:
            corpus = load_folders(root, [slug])
            given = {r.year: (r.tables, r.narrative) for r in corpus.reports if r.agency == slug}
        return given

    return source


class Split:
    """A check of many folders, shared out by folder in one pass (a province has 20,000 of them)."""

    def __init__(self, root: Path, result: Result):
        self.result, self.outside = result, []
        self.reports: dict[str, list[Report]] = defaultdict(list)
        self.problems: dict[str, list[Problem]] = defaultdict(list)
        self.attachments: dict[str, list[str]] = defaultdict(list)
        for report in result.corpus.reports:
            self.reports[report.agency].append(report)
        base = os.path.abspath(root)
        for problem in result.corpus.problems:
            parts = Path(os.path.relpath(os.path.abspath(problem.path), base)).parts
            if len(parts) > 1 and parts[0] not in ("..", "."):  # inside an agency folder
                self.problems[parts[0]].append(problem)
            else:
                self.outside.append(problem)
        for path in result.corpus.attachments:
            relative = path.relative_to(root)
            self.attachments[relative.parts[0]].append(relative.as_posix())

    def piece(self, folder: Path) -> Piece:
        reports = self.reports.get(folder.name, [])
        return Piece(self.result.corpus.agencies.get(folder.name), reports, self.problems.get(folder.name, []),
                     {r.key: self.result.by_report[r.key] for r in reports}, self.attachments.get(folder.name, []),
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
