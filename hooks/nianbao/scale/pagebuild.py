"""The generated pages' part of a MkDocs build: what this build renders, where, and what it hands on.

`mkdocs build` checks the whole repo and knows every page (links, nav and sitemap need them all),
but renders only the units of its shard (NIANBAO_SHARD=K/N; the whole site when unset) through
the worker pool (renderpool.py) and the build cache (buildcache.py). A shard build also leaves its
search documents and a stamp in `<site>/.nianbao/` for `nianbao merge` (merge.py).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.oserrors import describe, probe
from .buildcache import PageCache, cache_root
from .dataparts import PieceStore
from ..data.parts import Parts
from .oldsite import set_aside
from .units import WHOLE, Shard, fingerprint, parse_shard, unit_of
from ..core.parallel import job_count
from ..core.store import folder_digest

log = logging.getLogger("mkdocs.plugins.nianbao")
HANDOFF = ".nianbao"  # in a shard's output folder: what `nianbao merge` needs besides the pages
STAMP = "shard.json"


@dataclass
class PageBuild:
    shard: Shard = WHOLE
    units: dict[str, list[str]] = field(default_factory=dict)  # owned unit -> its pages' and files' sources
    data: dict[str, object] = field(default_factory=dict)  # source -> urls.Page of an owned data file
    sources: dict[str, str] = field(default_factory=dict)  # page source -> input file, for messages
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # summary unit -> the agencies it shows
    nav: object = None
    files: object = None
    cache: PageCache | None = None
    checks: object = None  # checkcache.CheckStore when the cache outlives the build
    outcomes: list = field(default_factory=list)
    fingerprint: str = ""
    pieces: PieceStore | None = None


BUILD = PageBuild()


def start(config, clean: bool = False) -> Shard:
    """A new build: which shard it is (a malformed NIANBAO_SHARD stops it with the reason).
    `clean`: MkDocs is about to empty the site folder; the old one is deleted meanwhile instead."""
    from mkdocs.exceptions import PluginError

    global BUILD
    try:
        shard = parse_shard(os.environ.get("NIANBAO_SHARD"))
    except ValueError as err:
        raise PluginError(str(err)) from err
    BUILD = PageBuild(shard=shard)
    root, persistent = cache_root(Path(config.config_file_path).resolve().parent)
    try:  # a read-only repo or a full disk: told now, not half way
        probe(root)
    except OSError as err:
        raise PluginError(f"构建缓存目录无法写入：{describe(err, root)}（可用 NIANBAO_CACHE 指定别的目录，"
                          "或设 NIANBAO_CACHE=off 不保留缓存）") from err
    probe(Path(config.site_dir))
    BUILD.cache = PageCache(root, persistent)
    if persistent:
        from ..core.checkcache import CheckStore

        BUILD.checks = CheckStore(root)
        if clean:
            set_aside(Path(config.site_dir), root)
    return shard


def owns(unit: str | None, src_uri: str) -> bool:
    return BUILD.shard.owns(unit_of(src_uri, unit))


def add_page(config, page) -> object:
    """The MkDocs file for a generated page: deferred to the workers, and theirs if this shard's."""
    from .deferred import deferred_file

    file = deferred_file(config, page.src_uri, page.content)
    claim(page)
    return file


def add_data(page) -> None:
    if claim(page):
        BUILD.data[page.src_uri] = page


def claim(page) -> bool:
    """Put the page (or data file) in its unit if the unit is this shard's."""
    if not owns(page.unit, page.src_uri):
        return False
    BUILD.units.setdefault(unit_of(page.src_uri, page.unit), []).append(page.src_uri)
    BUILD.sources[page.src_uri] = page.source
    if page.members:
        BUILD.members[unit_of(page.src_uri, page.unit)] = page.members
    return True


def placeholder(config, src_uri: str) -> object:
    """A file another shard writes: links to it resolve, this build does not write it."""
    from .deferred import Deferred

    return Deferred.generated(config, src_uri, content="")


def prepare(nav, files, config) -> None:
    """Every deferred page gets its MkDocs page object (the nav made those of its own entries)."""
    from mkdocs.structure.pages import Page

    from .deferred import Deferred

    BUILD.nav, BUILD.files = nav, files
    for file in files:
        if isinstance(file, Deferred) and file.page is None and file.src_uri.endswith(".md"):
            Page(None, file, config)


def agency_inputs(result):
    """slug -> digest of the agency's folder (every file, by content) and its reports' problems."""
    import hashlib
    from collections import defaultdict

    by_agency = defaultdict(list)
    for report in result.corpus.reports:
        by_agency[report.agency].append(report)
    read = BUILD.checks.digests if BUILD.checks is not None else {}  # the folders the check has just hashed

    def inputs(slug: str) -> str:
        folder = read.get(slug) or folder_digest(Path(result.corpus.agencies[slug].path).parent)
        digest = hashlib.sha256(folder.encode())
        for report in sorted(by_agency[slug], key=lambda r: r.year):
            digest.update(f"{report.year}\0".encode())  # a preview keeps only some of the years
            for problem in result.by_report.get(report.key, []):
                digest.update(f"{problem.format()}\0{problem.acknowledged}\0".encode())
        return digest.hexdigest()

    return functools.cache(inputs)  # a region's pages ask for the same agencies again


def data_digest(result) -> str:
    """The report data the build read: every agency folder by content (the check's digests where it
    made them). Shards built from different data must not be merged, though each is consistent."""
    import hashlib

    read = BUILD.checks.digests if BUILD.checks is not None else {}
    digest = hashlib.sha256()
    for slug in sorted(result.corpus.agencies):
        folder = read.get(slug) or folder_digest(Path(result.corpus.root) / slug)
        digest.update(f"{slug}\0{folder}\0".encode())
    return digest.hexdigest()


def render(env, config, blocks: dict, result) -> None:
    """Render this build's units on every core (or take them from the cache); nothing is written
    to the site unless all succeed."""
    from mkdocs.exceptions import PluginError

    from .renderpool import Job, render_all

    docs = [f.src_uri for f in BUILD.files if f.src_dir == config.docs_dir and f.src_uri.endswith(".md")]
    BUILD.fingerprint = fingerprint(config.config_file_path, config.site_url, docs)
    jobs = job_count()
    started = time.monotonic()
    inputs = agency_inputs(result)
    BUILD.pieces = PieceStore(BUILD.cache.root, BUILD.fingerprint, inputs)
    job = Job(config, BUILD.files, BUILD.nav, env, BUILD.cache, BUILD.fingerprint, blocks, BUILD.sources, BUILD.data,
              inputs, BUILD.members, BUILD.files.documentation_pages(), BUILD.pieces)
    try:
        BUILD.outcomes = render_all(job, BUILD.units, jobs)
    except RuntimeError as err:
        BUILD.cache.close()
        raise PluginError(str(err)) from err
    rendered = [o for o in BUILD.outcomes if o.rendered]
    pages = sum(1 for o in rendered for uri in BUILD.units[o.unit] if uri not in BUILD.data)
    shard = "" if BUILD.shard is WHOLE else f"（分片 {BUILD.shard.label}）"
    log.info(f"生成页面{shard}：{len(BUILD.units)} 个单元，渲染 {len(rendered)} 个（{pages} 个页面及其数据文件），"
             f"{len(BUILD.outcomes) - len(rendered)} 个取自构建缓存；{jobs} 个进程，用时 {time.monotonic() - started:.1f} 秒")
    for outcome in rendered:
        log.debug(f"已渲染：{outcome.unit}")


def sitemap_pages(files) -> list:
    """The sitemap lists every page of the site, the deferred ones in their place among the others."""
    from .deferred import Deferred

    return [f for f in files if (f.is_documentation_page() or isinstance(f, Deferred))
            and f.inclusion.is_included() and f.page is not None]


def finish(config, preview: bool) -> None:
    """Copy the rendered units into the site; keep the cache to about one site's size."""
    from .renderpool import copy_units

    from mkdocs.exceptions import PluginError

    if BUILD.cache is None:
        return
    try:
        copy_units(BUILD.cache, BUILD.outcomes, config.site_dir)
    except OSError as err:
        BUILD.cache.close()
        raise PluginError(f"无法把生成的页面从构建缓存 {BUILD.cache.root} 放进网站（{err}）；"
                          "可能有另一个构建同时在用这个缓存，请重新构建") from err
    if BUILD.cache.persistent and not preview:
        BUILD.cache.prune({o.key for o in BUILD.outcomes})
        BUILD.checks.prune()
        BUILD.pieces.prune([page.content for page in BUILD.data.values() if isinstance(page.content, Parts)])
    BUILD.cache.close()


def hand_off(result, config) -> None:
    """A shard's search documents and stamp, for `nianbao merge` (a shard may own no agency at all)."""
    from .search import write_documents

    folder = Path(config.site_dir) / HANDOFF
    folder.mkdir(parents=True, exist_ok=True)
    write_documents(result, folder / "search", owns=lambda slug: BUILD.shard.owns(unit_of("", slug)),
                    shard=BUILD.shard.number)
    stamp = {"shard": BUILD.shard.number, "of": BUILD.shard.count, "fingerprint": BUILD.fingerprint,
             "reports": len(result.corpus.reports), "data": data_digest(result)}
    (folder / STAMP).write_text(json.dumps(stamp, ensure_ascii=False) + "\n", encoding="utf-8")


def abandon() -> None:
    if BUILD.cache is not None:
        BUILD.cache.close()
