"""Chinese full-text search that scales: a static, chunked Pagefind index built from the data.

Records come straight from the reports (no re-parsing of the built HTML): title, agency, region,
year and the narrative as plain text, with filters by year, region and agency kind. The browser
fetches only the index chunks and fragments a query needs.

Pagefind holds about 0.8 MB per report while it indexes, and a query's cost grows with the reports
its bundles hold (a word in every report: 285 KB and 0.37 s over 1,000 reports, 618 KB and 2.9 s
over 10,000 in one bundle). So no bundle holds more than NIANBAO_SEARCH_BUNDLE reports (1,000):
above that, each year is split into bundles of neighbouring regions, indexed side by side on
every core, and the search page searches one year (the newest unless the reader picks another,
or all years) and, if asked, one province, merging only those bundles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from html import escape
from pathlib import Path

from .buildcache import PageCache
from ..core import settings
from ..core.check import Result
from ..core.markup import plain_text
from ..core.model import Report
from ..site.pages import report_title
from ..site.searchkeys import keys
from ..core.parallel import job_count
from ..core.store import folder_digest
from ..site.urls import report_uri, url_of

log = logging.getLogger("mkdocs.plugins.nianbao")
BUNDLE = "pagefind"
BUNDLE_REPORTS = 1000  # Pagefind's indexing memory and a query's download both grow with a bundle
MANIFEST = "search-bundles.json"
PART = "nianbao-bundle-{shard}.json"  # beside a bundle's documents: what the search page says of it


def document(report: Report, agency) -> str:
    """A bare HTML page per report for Pagefind: the text to search, its metadata and filters."""
    title = report_title(report, agency)
    region = "/".join(agency.region)
    filters = [("年度", str(report.year)), ("地区", agency.region[0]), ("类型", agency.kind)]
    if len(agency.region) > 1:
        filters.append(("地区", "/".join(agency.region[:2])))
    text = plain_text(report.narrative)
    meta = [("agency", agency.name), ("year", str(report.year)), ("region", region), ("kind", agency.kind)]
    return "".join([
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title></head><body data-pagefind-body>",
        f"<h1 data-pagefind-meta=\"title\">{escape(title)}</h1>",
        *(f'<span data-pagefind-meta="{k}:{escape(v)}"></span>' for k, v in meta),
        *(f'<span data-pagefind-filter="{k}:{escape(v)}"></span>' for k, v in filters),
        f'<span data-pagefind-sort="year:{report.year}"></span>',
        f"<p>{escape(agency.name)} {escape(region)} {report.year}年</p>",
        "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip()),
        # Bigram keys (site/searchkeys.py), after the text: the search page cuts them off before it
        # shows an excerpt. The name's weigh most, so an agency's own reports come first for its name.
        f'<p data-pagefind-weight="10">{keys(agency.name)}</p>',
        f'<p data-pagefind-weight="5">{keys(" ".join(agency.region))} {report.year}</p>',
        f"<p>{keys(title + chr(10) + text)}</p>",
        "</body></html>",
    ])


PAGEFIND = ["--force-language", "zh", "--silent"]


def run_pagefind(folder: Path, output: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path", str(output),
                           *PAGEFIND], capture_output=True, text=True)
    entry = output / "pagefind-entry.json"
    if done.returncode != 0 or not entry.is_file():
        raise RuntimeError(f"Pagefind 未能生成搜索索引（退出码 {done.returncode}）：{done.stderr.strip()[:500]}")
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except ValueError as err:  # a cut-short entry file is an error, not a search that silently never answers
        raise RuntimeError(f"Pagefind 生成的 {entry.name} 不完整（{err}），请重新构建") from err


def bundle_limit() -> int:
    return settings.search_bundle(BUNDLE_REPORTS)


def bundles(result: Result) -> dict[str, list[Report]]:
    """Bundle name -> its reports: one bundle for a small repo, else each year in near-equal runs
    of neighbouring regions. Worked out from the whole corpus, so every shard agrees."""
    agencies = result.corpus.agencies
    reports = [r for r in result.corpus.reports if r.agency in agencies]
    limit = bundle_limit()
    if len(reports) <= limit:
        return {BUNDLE: reports}
    by_year: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)
    found = {}
    for year, members in sorted(by_year.items()):
        members.sort(key=lambda r: (agencies[r.agency].region, r.agency))
        parts = -(-len(members) // limit)
        for k in range(parts):
            name = f"{BUNDLE}-{year}" if parts == 1 else f"{BUNDLE}-{year}-{k + 1}"
            found[name] = members[k * len(members) // parts:(k + 1) * len(members) // parts]
    return found


def write_documents(result: Result, folder: Path, owns=lambda slug: True, shard: int = 1) -> None:
    """One bare page per report (of the agencies `owns` accepts) under folder/<bundle>/, and what
    the search page is to say of the bundle (its year, reports and provinces) beside them."""
    for name, reports in bundles(result).items():
        owned = [r for r in reports if owns(r.agency)]
        for report in owned:
            page = folder / name / url_of(report_uri(report)) / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(document(report, result.corpus.agencies[report.agency]), encoding="utf-8")
        if owned:
            regions = {result.corpus.agencies[r.agency].region[0] for r in owned}
            part = {"year": None if name == BUNDLE else owned[0].year, "reports": len(owned), "regions": sorted(regions)}
            (folder / name / PART.format(shard=shard)).write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")


def describe(folder: Path) -> dict:
    """A bundle's line of the manifest, from the parts its shards wrote."""
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob(PART.format(shard="*")))]
    return {"path": f"{folder.name}/", "year": parts[0]["year"] if parts else None,
            "reports": sum(p["reports"] for p in parts),
            "regions": sorted({region for p in parts for region in p["regions"]})}


def bundle_key(folder: Path) -> str:
    """Everything a bundle's index is made from: Pagefind's version and options, and every file of its
    folder (the documents and the shards' part descriptions), by the digest the check cache uses."""
    return hashlib.sha256(f"search-v2\0pagefind={version('pagefind')}\0{PAGEFIND}\0{folder.name}\0"
                          f"{folder_digest(folder)}".encode()).hexdigest()


def index_documents(folder: Path, site_dir: str, store: PageCache | None = None) -> tuple[list[str], int]:
    """Index each bundle folder under `folder` into the site, on every core; returns the bundle
    names and how many of them were indexed (the others came from the store).

    Pagefind's own command, not its Python service API: the service is stopped as soon as it
    answers that the files are written, and on a busy machine that has left files cut short (an
    empty pagefind-entry.json, a search that never answers); the command exits only when done.
    With a store (the build cache), a bundle whose documents did not change is copied from it: a
    rebuild after one report changed indexes one bundle of 1,000 reports, not the archive.
    A shard build writes its documents only; `nianbao merge` indexes all shards' together.
    The manifest lists the newest year first: the search page's default.
    """
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    site = Path(site_dir)
    for name in names:
        if (site / name).exists():
            shutil.rmtree(site / name)
    keys = {name: bundle_key(folder / name) for name in names} if store else {}
    stored = {name: store.files(key) for name, key in keys.items()} if store else {}
    todo = [name for name in names if stored.get(name) is None]
    outputs = {name: store.staging(keys[name]) / "files" if store else site / name for name in todo}
    with ThreadPoolExecutor(max_workers=max(1, min(job_count(), len(todo)))) as pool:
        list(pool.map(run_pagefind, [folder / name for name in todo], [outputs[name] for name in todo]))
    if store:
        for name in todo:
            stored[name] = store.store(keys[name], outputs[name].parent)
        for name in names:
            store.copy_into(keys[name], stored[name], site / name)
        if store.persistent:
            store.prune(set(keys.values()))
        kept = len(names) - len(todo)
        log.info(f"搜索索引包：重新生成 {len(todo)} 个" + (f"，{kept} 个未改动、取自构建缓存" if kept else ""))
    lines = sorted((describe(folder / name) for name in names), key=lambda b: (-(b["year"] or 0), len(b["path"]), b["path"]))
    (site / MANIFEST).write_text(json.dumps(lines, ensure_ascii=False) + "\n", encoding="utf-8")
    return names, len(todo)


def build_index(result: Result, site_dir: str, store: PageCache | None = None) -> tuple[list[str], int]:
    """Write the index bundle(s) into the built site; returns the names and how many were indexed."""
    with tempfile.TemporaryDirectory(prefix="nianbao-search-") as scratch:
        write_documents(result, Path(scratch))
        return index_documents(Path(scratch), site_dir, store)
