"""Pagefind's runs over the search bundles, started while the pages are still being rendered.

The search documents are made from the checked reports, not from the built pages (search.py), so
indexing need not wait for the pages: `start` begins as the page workers do. The workers leave
part of the machine idle (the build's own process, the start and end of each round), and one
Pagefind beside them uses it; once the pages are done (`widen`) as many run as there are cores.
The build then waits for the last (`finish`) and only then puts the bundles into the site. One
Pagefind at a time beside the workers also bounds the memory: Pagefind holds about 0.8 MB per
report of its bundle while it works.

A failed build stops it all (`cancel`): Pagefind's processes are killed, nothing is left in the
site, the scratch folder is removed. With a store (the build cache), a bundle whose documents did
not change is taken from it and not indexed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from ..build.buildcache import PageCache
from ..build.units import folder_digest, job_count
from .search import MANIFEST, bundles, describe, write_bundle

log = logging.getLogger("mkdocs.plugins.nianbao")
PAGEFIND = ["--force-language", "zh", "--silent"]


class Cancelled(Exception):
    """The build stopped: a bundle not yet indexed is not indexed."""


def bundle_key(folder: Path) -> str:
    """Everything a bundle's index is made from: Pagefind's version and options, and every file of its
    folder (the documents and the shards' part descriptions), by the digest the check cache uses."""
    return hashlib.sha256(f"search-v1\0pagefind={version('pagefind')}\0{PAGEFIND}\0{folder.name}\0"
                          f"{folder_digest(folder)}".encode()).hexdigest()


def run_pagefind(folder: Path, output: Path, started=lambda process: None) -> None:
    """Pagefind's own command, not its Python service API: the service is stopped as soon as it
    answers that the files are written, and on a busy machine that has left files cut short (an
    empty pagefind-entry.json, a search that never answers); the command exits only when done.
    Its messages go to a file, not a pipe: page workers forked meanwhile would hold the pipe open."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as messages:
        process = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path",
                                    str(output), *PAGEFIND], stdout=subprocess.DEVNULL, stderr=messages)
        started(process)
        code = process.wait()
        messages.seek(0)
        said = messages.read()
    entry = output / "pagefind-entry.json"
    if code < 0:
        raise RuntimeError(f"Pagefind 在生成搜索索引时被终止（信号 {-code}），请重新构建")
    if code != 0 or not entry.is_file():
        raise RuntimeError(f"Pagefind 未能生成搜索索引（退出码 {code}）：{said.strip()[:500]}")
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except ValueError as err:  # a cut-short entry file is an error, not a search that silently never answers
        raise RuntimeError(f"Pagefind 生成的 {entry.name} 不完整（{err}），请重新构建") from err


class Indexing:
    """The bundles of one build or merge: their documents under `folder`, indexed into `scratch`
    (or the store's staging), put into the site by `finish`. `beside`: how many Pagefind runs at
    a time until `widen`."""

    def __init__(self, folder: Path, scratch: Path, store: PageCache | None, jobs: int, beside: int):
        self.folder, self.scratch, self.store, self.jobs = folder, scratch, store, jobs
        self.beside = min(beside, jobs)
        self.gate = threading.Semaphore(self.beside)
        self.pool = ThreadPoolExecutor(max_workers=jobs + 1, thread_name_prefix="nianbao-search")
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen] = set()
        self.stopped = self.widened = False
        self.names: list[str] = []
        self.keys: dict[str, str] = {}
        self.stored: dict[str, list[str]] = {}
        self.outputs: dict[str, Path] = {}
        self.runs: dict[str, Future] = {}
        self.writer: Future | None = None

    def add(self, name: str) -> None:
        """A bundle whose documents are written: taken from the store, or queued for Pagefind."""
        self.names.append(name)
        if self.store is None:
            self.outputs[name] = self.scratch / name
        else:
            self.keys[name] = bundle_key(self.folder / name)
            names = self.store.files(self.keys[name])
            if names is not None:
                self.stored[name] = names
                return
            self.outputs[name] = self.store.staging(self.keys[name]) / "files"
        self.runs[name] = self.pool.submit(self.index, name)

    def index(self, name: str) -> None:
        with self.gate:
            if self.stopped:
                raise Cancelled(name)
            try:
                run_pagefind(self.folder / name, self.outputs[name], self.track)
            except RuntimeError:
                if self.stopped:  # killed by `cancel`
                    raise Cancelled(name) from None
                raise

    def track(self, process: subprocess.Popen) -> None:
        with self.lock:
            self.running.add(process)
            if self.stopped:
                process.kill()

    def widen(self) -> None:
        """The pages are done: as many Pagefind runs as there are cores."""
        if not self.widened:
            self.widened = True
            if self.jobs > self.beside:
                self.gate.release(self.jobs - self.beside)

    def finish(self, site_dir: str) -> tuple[list[str], int]:
        """Wait for every bundle, then put them all into the site; returns their names and how many
        were indexed (the others came from the store). The manifest lists the newest year first:
        the search page's default."""
        self.widen()
        try:
            if self.writer is not None:
                self.writer.result()
            for run in list(self.runs.values()):
                run.result()
        except BaseException:
            self.cancel()
            raise
        self.pool.shutdown()
        site = Path(site_dir)
        for name in self.names:
            if (site / name).exists():
                shutil.rmtree(site / name)
            if self.store is None:
                shutil.move(self.outputs[name], site / name)
                continue
            if name not in self.stored:
                self.stored[name] = self.store.store(self.keys[name], self.outputs[name].parent)
            self.store.copy_into(self.keys[name], self.stored[name], site / name)
        if self.store is not None:
            if self.store.persistent:
                self.store.prune(set(self.keys.values()))
            kept = len(self.names) - len(self.runs)
            log.info(f"搜索索引包：重新生成 {len(self.runs)} 个" + (f"，{kept} 个未改动、取自构建缓存" if kept else ""))
        lines = sorted((describe(self.folder / name) for name in self.names),
                       key=lambda b: (-(b["year"] or 0), len(b["path"]), b["path"]))
        (site / MANIFEST).write_text(json.dumps(lines, ensure_ascii=False) + "\n", encoding="utf-8")
        return sorted(self.names), len(self.runs)

    def cancel(self) -> None:
        """Stop: no bundle is started any more, the running Pagefinds are killed, their outputs removed."""
        with self.lock:
            self.stopped = True
            for process in self.running:
                if process.poll() is None:
                    process.kill()
        self.gate.release(self.jobs + 1)  # the runs still waiting see `stopped` and end
        self.pool.shutdown(wait=True, cancel_futures=True)
        for name, output in self.outputs.items():
            if name not in self.stored:
                shutil.rmtree(output if self.store is None else output.parent, ignore_errors=True)


def index_documents(folder: Path, site_dir: str, store: PageCache | None = None) -> tuple[list[str], int]:
    """Index each bundle folder under `folder` (`nianbao merge`: the shards' documents) into the
    site, on every core."""
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="nianbao-search-") as scratch:
        run = Indexing(folder, Path(scratch), store, job_count(), beside=job_count())
        for name in names:
            run.add(name)
        return run.finish(site_dir)


class BuildIndexing:
    """A build's search index, from its checked reports: the documents are written bundle by bundle
    in a thread of its own, each bundle queued for Pagefind as soon as it is written. `early`: begun
    beside the page workers (one Pagefind at a time); else at `widen`, when the pages are done."""

    def __init__(self, result, store: PageCache | None, early: bool):
        self.result, self.started = result, time.monotonic()
        self.scratch = Path(tempfile.mkdtemp(prefix="nianbao-search-"))
        jobs = job_count()
        self.run = Indexing(self.scratch / "documents", self.scratch / "indexes", store, jobs,
                            beside=1 if early else jobs)
        if early:
            self.begin()

    def begin(self) -> None:
        if self.run.writer is None:
            self.run.writer = self.run.pool.submit(self.write)

    def write(self) -> None:
        for name, reports in bundles(self.result).items():
            if self.run.stopped:
                raise Cancelled(name)
            if write_bundle(self.result, self.run.folder, name, reports):  # an empty repo has no bundle
                self.run.add(name)

    def widen(self) -> None:
        self.begin()
        self.run.widen()

    def finish(self, site_dir: str) -> tuple[list[str], int]:
        self.begin()
        try:
            return self.run.finish(site_dir)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def cancel(self) -> None:
        self.run.cancel()
        shutil.rmtree(self.scratch, ignore_errors=True)
