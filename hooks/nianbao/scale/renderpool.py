"""The generated pages rendered by worker processes, inside `mkdocs build`.

MkDocs renders pages one after another in one process. Here it renders only the hand-written
pages: every generated page is a `Deferred` file, which MkDocs knows of (links to it resolve, the
nav and the sitemap list it) but does not render. When MkDocs has the theme ready (`on_env`),
the standard library's process pool forks NIANBAO_JOBS workers that inherit the whole build
(config, files, nav, theme) and render the units — an agency's pages, or one summary page — with
MkDocs' own page functions, into the build cache (buildcache.py). A unit whose key is already
there is not rendered at all. Nothing reaches the site folder until every unit has succeeded;
then the entries are copied in (`copy_units`). NIANBAO_JOBS=1 renders the units in the build's
own process, the same way. Forking is Linux and macOS only; elsewhere the build uses one process.
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

# MkDocs' own reading and writing of one page: private names, but the same in MkDocs 1.6 and
# ProperDocs (tests/test_site.py builds with both), and what keeps every page exactly as MkDocs makes it.
from mkdocs.commands.build import _build_page, _populate_page

from .buildcache import PageCache, unit_key, write_chunks
from .dataparts import PieceStore, chunks_of
from ..data.parts import Parts
from ..site.urls import agency_uri

log = logging.getLogger("mkdocs.plugins.nianbao")
BATCH = 8  # units per task: fewer round trips, still enough tasks to balance the workers
ROUND = 100  # batches per worker before it is replaced (render_all)


@dataclass
class Outcome:
    unit: str
    key: str = ""
    names: list[str] = field(default_factory=list)
    rendered: bool = False
    records: list[tuple[str, int, str]] = field(default_factory=list)  # logged in the worker, shown by the build
    error: str | None = None


@dataclass
class Job:
    config: object
    files: object
    nav: object
    env: object
    cache: PageCache
    fingerprint: str
    blocks: dict  # page source -> Blocks (site.BLOCKS)
    sources: dict  # page source -> the report or agency file it comes from, for messages
    data: dict  # data file source -> urls.Page, written as it is
    inputs: object = None  # slug -> a digest of everything an agency's pages are made from
    members: dict = field(default_factory=dict)  # summary unit -> the agencies whose folders alone make it
    # MkDocs' hand-written pages, listed once: asking MkDocs for them scans every file of the site,
    # and doing so for each unit made the render quadratic (40 ms a unit at 100,000 reports).
    doc_files: list = field(default_factory=list)
    pieces: PieceStore | None = None  # the repo-wide data files' per-agency pieces (dataparts.py)
    parts: list | None = None  # the repo-wide files made of those pieces, found before forking


_JOB: Job | None = None  # set before forking: the workers inherit it


class Collector(logging.Handler):
    """A worker's warnings and errors, returned with its result so that the build prints and
    counts them (--strict) in its own process."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _start_worker() -> None:
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.addHandler(Collector())


def _collector() -> Collector | None:
    return next((h for h in logging.getLogger("mkdocs").handlers if isinstance(h, Collector)), None)


def render_unit(unit: str, uris: list[str]) -> Outcome:
    job = _JOB
    files = [job.files.get_file_from_path(uri) for uri in uris if uri not in job.data]
    data = [uri for uri in uris if uri in job.data]
    staging = None
    try:  # the fragments' and data files' makers run here, so their errors are located too
        if job.inputs is not None and (unit.startswith("agency:") or unit in job.members):
            key = agency_key(job, unit, files, data)
            names = job.cache.files(key)
            if names is None:
                staging = job.cache.staging(key)
                write_data(job, data, staging / "files")
        else:
            # A summary's data files are written first: they are keyed by what they hold, and a
            # repo-wide one is too large to hold in memory.
            staging = job.cache.staging(unit_key(job.fingerprint, unit, []))
            key = summary_key(job, unit, files, write_data(job, data, staging / "files"))
            names = job.cache.files(key)
            if names is not None:
                shutil.rmtree(staging, ignore_errors=True)
    except UnitError as err:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return Outcome(unit, error=str(err))
    if names is not None:
        for uri in uris:
            job.blocks.pop(uri, None)  # any made for the key are not needed: the cached page has them
        return Outcome(unit, key, names)
    error = render_pages(job, files, staging / "files")
    if error is None and unit.startswith("agency:") and job.pieces is not None:
        error = make_pieces(job, unit[len("agency:"):])
    if error:
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(unit, key, error=error)
    return Outcome(unit, key, job.cache.store(key, staging), rendered=True)


def make_pieces(job: Job, slug: str) -> str | None:
    """The agency's pieces of the repo-wide files, while its reports' cells are at hand (held.py)."""
    try:
        job.pieces.make_ahead(job.parts, slug)
    except Exception as err:  # noqa: BLE001 — reported as the agency's located error, not a traceback
        return f"{job.sources.get(agency_uri(slug), slug)}：生成数据文件时出错：{err}"
    return None


class UnitError(Exception):
    pass


def made(job: Job, uri: str, maker):
    """What a maker of this page or file returns; its failure, located at the file it comes from."""
    try:
        return maker()
    except Exception as err:  # noqa: BLE001 — reported as the file's located error, not a traceback
        raise UnitError(f"{job.sources.get(uri, uri)}：生成 {uri} 时出错：{err}") from err


def write_data(job: Job, data: list[str], folder: Path) -> dict[str, str]:
    """Write the unit's data files, piece by piece; uri -> SHA-256 of what was written."""
    digests = {}
    for uri in data:
        path = folder / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        digests[uri] = made(job, uri, lambda: write_chunks(path, chunks_of(job.data[uri], job.pieces)))
    return digests


def agency_key(job: Job, unit: str, files: list, data: list[str]) -> str:
    """An agency's pages and files are made from its own folder and its reports' problems alone
    (a region's, from its agencies'): those, with the pages' and files' names, are the key, so a
    cached unit costs only a hash of those files, and its pages' Markdown is not even made."""
    names = [(uri, "", []) for uri in [f.src_uri for f in files] + data]
    slugs = job.members.get(unit) or (unit[len("agency:"):],)
    return unit_key(job.fingerprint, unit, names + [(slug, job.inputs(slug), []) for slug in slugs])


def summary_key(job: Job, unit: str, files: list, digests: dict[str, str]) -> str:
    """A summary page is keyed by what it shows: its Markdown and its filled-in fragments."""
    parts = [(f.src_uri, made(job, f.src_uri, lambda: f.content_string),
              made(job, f.src_uri, job.blocks[f.src_uri].made) if f.src_uri in job.blocks else []) for f in files]
    return unit_key(job.fingerprint, unit, parts + [(uri, digest, []) for uri, digest in digests.items()])


def render_pages(job: Job, files: list, folder: Path) -> str | None:
    """MkDocs' own reading and writing of each page, into `folder`; the error, located, if any."""
    doc_files = job.doc_files
    for file in files:
        file.dest_dir = str(folder)
        file.__dict__.pop("abs_dest_path", None)  # a cached property: recomputed from dest_dir
        try:
            _populate_page(file.page, job.config, job.files)
            _build_page(file.page, job.config, doc_files, job.nav, job.env)
        except Exception as err:  # noqa: BLE001 — reported as the page's located error, not a traceback
            source = job.sources.get(file.src_uri, file.src_uri)
            return f"{source}：生成 {file.src_uri} 时出错：{err}"
        finally:
            # The page is written: a worker renders thousands, and MkDocs would keep each one's
            # Markdown, HTML, table of contents, front matter and anchors to the end (the anchors
            # as a worker's build never sees them: the build checks anchors of its own pages only).
            page = file.page
            page.markdown = page.content = page._title_from_render = None
            page.present_anchor_ids = page.links_to_anchors = None
            page.toc, page.meta = [], {}
            file._content = None
    return None


def render_batch(batch: list[tuple[str, list[str]]]) -> list[Outcome]:
    collector = _collector()
    outcomes = []
    for unit, uris in batch:
        outcome = render_unit(unit, uris)
        if collector is not None:
            outcome.records, collector.records = collector.records, []
        outcomes.append(outcome)
        if outcome.error:
            break  # the build stops at this error; the rest is not worth rendering
    return outcomes


def render_all(job: Job, units: dict[str, list[str]], jobs: int) -> list[Outcome]:
    """Render every unit (or find it in the cache); raises RuntimeError naming every failed unit."""
    global _JOB
    _JOB = job
    if job.pieces is not None:  # found once, before forking, not by every worker
        job.parts = [page.content for page in job.data.values() if isinstance(page.content, Parts)]
    # The repo-wide data files come last, each alone: by then the agencies' units have made their
    # pieces, and the files are only put together.
    large = [[item] for item in units.items() if item[0].startswith("page:data/")]
    rest = [item for item in units.items() if not item[0].startswith("page:data/")]
    batches = [rest[i:i + BATCH] for i in range(0, len(rest), BATCH)]
    pages = {unit: sum(1 for uri in uris if uri not in job.data) for unit, uris in units.items()}
    progress = Progress(sum(pages.values()))
    outcomes: list[Outcome] = []
    try:
        if jobs <= 1 or len(batches) + len(large) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            render_here(batches + large, pages, progress, outcomes)
        else:
            # Fresh workers every round: a worker's memory grows with the pages it renders (MkDocs
            # and Markdown leave a little of each behind), and an archive's build renders 100,000s.
            # The large files get fresh workers of their own.
            size = jobs * ROUND
            for part in [batches[start:start + size] for start in range(0, len(batches), size)] + [large]:
                if part and not render_forked(part, jobs, pages, progress, outcomes):
                    break
    finally:
        _JOB = None
    errors = sorted(o.error for o in outcomes if o.error)
    if errors:
        raise RuntimeError(f"{len(errors)} 个页面未能生成（第一个：{errors[0]}）")
    return sorted(outcomes, key=lambda o: o.unit)  # in one order, however the workers finished


def render_here(batches: list, pages: dict, progress: Progress, outcomes: list[Outcome]) -> None:
    for batch in batches:
        part = render_batch(batch)
        outcomes += part
        progress.add(sum(pages[o.unit] for o in part))
        if any(o.error for o in part):
            return


def render_forked(batches: list, jobs: int, pages: dict, progress: Progress, outcomes: list[Outcome]) -> bool:
    """One round of batches in a new pool of forked workers; False if a unit failed."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker) as pool:
        futures = [pool.submit(render_batch, batch) for batch in batches]
        try:
            for future in as_completed(futures):
                part = future.result()
                outcomes += part
                replay(part)
                progress.add(sum(pages[o.unit] for o in part))
                if any(o.error for o in part):
                    pool.shutdown(wait=True, cancel_futures=True)
                    return False
        except BrokenProcessPool as err:
            raise RuntimeError(f"渲染页面的工作进程意外退出（{err}），构建已停止") from err
        except (OSError, ValueError) as err:  # e.g. a full disk under the cache: said, not a traceback
            raise RuntimeError(f"渲染页面时出错：{err}") from err
    return True


def replay(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        for name, level, message in outcome.records:
            logging.getLogger(name).log(level, message)


class Progress:
    """A line every few seconds while a long build renders, so that it shows it is moving."""

    EVERY = 10.0  # seconds

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.started = self.shown = time.monotonic()

    def add(self, pages: int) -> None:
        self.done += pages
        now = time.monotonic()
        if now - self.shown >= self.EVERY and self.done < self.total:
            self.shown = now
            log.info(f"已生成 {self.done:,}/{self.total:,} 个页面（{now - self.started:.0f} 秒）")


def copy_units(cache: PageCache, outcomes: list[Outcome], site_dir: str) -> None:
    target, made = Path(site_dir), set()
    for outcome in outcomes:
        cache.copy_into(outcome.key, outcome.names, target, made)
