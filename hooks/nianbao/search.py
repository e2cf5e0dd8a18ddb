"""Chinese full-text search that scales: a static, chunked Pagefind index built from the data.

Records come straight from the reports (no re-parsing of the built HTML): title, agency, region,
year and the narrative as plain text, with filters by year, region and agency kind. The browser
fetches only the index chunks and fragments a query needs. Large corpora are split into one index
per year (each within Pagefind's memory at build time); the search page merges them.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from collections import defaultdict
from pathlib import Path

from .check import Result
from .model import Report
from .pages import report_title
from .urls import report_uri, url_of

log = logging.getLogger("mkdocs.plugins.nianbao")
BUNDLE = "pagefind"
SHARD_ABOVE = 3000  # reports; above this, one index per year


def plain_text(markdown: str) -> str:
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\{\{\s*t[234]\s*\}\}", " ", text)
    text = re.sub(r"^[#>\-*+\s]+", "", text, flags=re.M)
    return re.sub(r"[*_`|]+", "", text)


def document(report: Report, agency) -> str:
    """A bare HTML page per report for Pagefind: the text to search, its metadata and filters."""
    title = report_title(report, agency)
    region = "/".join(agency.region)
    filters = [("年度", str(report.year)), ("地区", agency.region[0]), ("类型", agency.kind)]
    if len(agency.region) > 1:
        filters.append(("地区", "/".join(agency.region[:2])))
    meta = [("agency", agency.name), ("year", str(report.year)), ("region", region), ("kind", agency.kind)]
    return "".join([
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title></head><body data-pagefind-body>",
        f"<h1 data-pagefind-meta=\"title\">{escape(title)}</h1>",
        *(f'<span data-pagefind-meta="{k}:{escape(v)}"></span>' for k, v in meta),
        *(f'<span data-pagefind-filter="{k}:{escape(v)}"></span>' for k, v in filters),
        f'<span data-pagefind-sort="year:{report.year}"></span>',
        f"<p>{escape(agency.name)} {escape(region)} {report.year}年</p>",
        "".join(f"<p>{escape(p)}</p>" for p in plain_text(report.narrative).split("\n") if p.strip()),
        "</body></html>",
    ])


def run_pagefind(folder: Path, output: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path", str(output),
                           "--force-language", "zh", "--silent"], capture_output=True, text=True)
    entry = output / "pagefind-entry.json"
    if done.returncode != 0 or not entry.is_file():
        raise RuntimeError(f"Pagefind 未能生成搜索索引（退出码 {done.returncode}）：{done.stderr.strip()[:500]}")
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except ValueError as err:  # a cut-short entry file is an error, not a search that silently never answers
        raise RuntimeError(f"Pagefind 生成的 {entry.name} 不完整（{err}），请重新构建") from err


def shards(result: Result) -> dict[str, list[Report]]:
    reports = [r for r in result.corpus.reports if r.agency in result.corpus.agencies]
    if len(reports) <= SHARD_ABOVE:
        return {BUNDLE: reports}
    by_year: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_year[f"{BUNDLE}-{report.year}"].append(report)
    return dict(by_year)


def write_documents(result: Result, folder: Path, owns=lambda slug: True) -> None:
    """One bare page per report (of the agencies `owns` accepts) under folder/<bundle>/."""
    for name, reports in shards(result).items():
        for report in reports:
            if owns(report.agency):
                page = folder / name / url_of(report_uri(report)) / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(document(report, result.corpus.agencies[report.agency]), encoding="utf-8")


def index_documents(folder: Path, site_dir: str) -> list[str]:
    """Index each bundle folder under `folder` into the site; returns the bundle names.

    Pagefind's own command, not its Python service API: the service is stopped as soon as it
    answers that the files are written, and on a busy machine that has left files cut short (an
    empty pagefind-entry.json, a search that never answers); the command exits only when done.
    A shard build writes its documents only; `nianbao merge` indexes all shards' together.
    """
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for name in names:  # no reports, no index
        output = Path(site_dir) / name
        if output.exists():
            shutil.rmtree(output)
        run_pagefind(folder / name, output)
    (Path(site_dir) / "search-bundles.json").write_text(
        json.dumps([f"{name}/" for name in names]) + "\n", encoding="utf-8")
    return names


def build_index(result: Result, site_dir: str) -> list[str]:
    """Write the index bundle(s) into the built site; returns the bundle folder names."""
    with tempfile.TemporaryDirectory(prefix="nianbao-search-") as scratch:
        write_documents(result, Path(scratch))
        return index_documents(Path(scratch), site_dir)
