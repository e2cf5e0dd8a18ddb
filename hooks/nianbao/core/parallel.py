"""The check (check.py) on every core, a wrapper beside it: the agencies are split among worker
processes of the standard library's process pool, each of which reads and checks its agencies and
returns only their problems. Every rule looks at one agency at a time, so the split changes
nothing but the time; the problems are sorted as one list afterwards, exactly as a single process
prints them.

NIANBAO_JOBS sets the number of workers (default: the machine's cores; 1 is one process).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .check import Result, agency_groups, check_corpus as check_in_process, check_groups, collect
from .load import Corpus, load_corpus, load_folders, root_entries
from .model import Problem

MIN_AGENCIES_PER_JOB = 50  # below this, starting workers costs more than it saves


def job_count() -> int:
    return settings.jobs()


def check_path(root: str | os.PathLike, only: set[str] | None = None, jobs: int = 1) -> Result:
    return check_corpus(load_corpus(root, only), jobs)


def check_corpus(corpus: Corpus, jobs: int = 1) -> Result:
    """Every rule on every report; with jobs > 1 the agencies' rules run in forked workers that
    share the loaded corpus, with the same result as check.check_corpus."""
    groups = agency_groups(corpus)
    found = check_groups_on_every_core(groups, jobs) if jobs > 1 else check_groups(groups)
    return collect(corpus, groups, found)


@dataclass
class Tally:
    agencies: int = 0
    reports: int = 0
    problems: list[Problem] = field(default_factory=list)


BATCH = 20  # agencies read and checked at a time


@contextlib.contextmanager
def collector_paused():
    """Reading and checking make hundreds of thousands of objects (every cell) and no cycles among
    them: the collector's passes over them are wasted work (measured: 6% of a cold one-process
    `nianbao check` of 1,000 reports, best of five alternating runs; 15% in a longer-lived process).
    Reference counting frees them; a cycle made meanwhile waits for the collector's next pass."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def checked_batches(root: str, names: list[str]):
    """These agency folders read and checked a few at a time ((names, check.Result) each): a worker's share
    held whole would make each of the collector's passes walk all its cells (a quarter of a cold
    check's time at 10,000 reports), and its memory grow with the archive."""
    gc.freeze()  # what is loaded by now (the modules, the editions) is never garbage: out of every pass
    for start in range(0, len(names), BATCH):
        batch = names[start:start + BATCH]
        with collector_paused():
            result = check_in_process(load_folders(root, batch))
        yield batch, result


def check_folders(root: str, names: list[str]) -> Tally:
    """One worker's share of `nianbao check`: only the problems are kept."""
    tally = Tally()
    for _, result in checked_batches(root, names):
        tally.agencies += len(result.corpus.agencies)
        tally.reports += len(result.corpus.reports)
        tally.problems += result.problems
    return tally


def check_tally(root: Path, jobs: int | None = None) -> Tally:
    """Every problem of the reports folder, sorted, with the agencies and reports counted."""
    jobs = jobs or job_count()
    names = [entry.name for entry, folder in root_entries(root) if folder] if root.is_dir() else []
    tally = Tally(problems=list(load_corpus(root, only=set()).problems))  # what lies beside the agency folders
    if jobs == 1 or len(names) < MIN_AGENCIES_PER_JOB * 2:
        parts = [check_folders(str(root), names)]
    else:
        chunks = interleaved(names, jobs)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(check_folders, [str(root)] * len(chunks), chunks))
    for part in parts:
        tally.agencies += part.agencies
        tally.reports += part.reports
        tally.problems += part.problems
    tally.problems.sort(key=lambda p: p.sort_key)
    return tally


def interleaved(items: list, jobs: int) -> list[list]:
    """Four shares per worker, dealt like cards, so that each worker gets large and small agencies alike."""
    parts = jobs * 4
    return [items[i::parts] for i in range(min(parts, len(items)))]


_GROUPS: list | None = None  # the build's loaded agencies, inherited by forked workers


def _check_share(indices: list[int]) -> dict:
    return check_groups([_GROUPS[i] for i in indices])


def check_groups_on_every_core(groups: list, jobs: int) -> dict:
    """The rules of each agency (a list of its reports) in forked workers that inherit the corpus
    the build has loaded: only the problems travel back. Small corpora stay in one process."""
    global _GROUPS
    if len(groups) < MIN_AGENCIES_PER_JOB * 2 or "fork" not in multiprocessing.get_all_start_methods():
        return check_groups(groups)
    _GROUPS = groups
    shares = interleaved(list(range(len(groups))), jobs)
    found: dict = {}
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for part in pool.map(_check_share, shares):
                found.update(part)
    finally:
        _GROUPS = None
    return found
