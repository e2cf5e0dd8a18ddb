"""Chinese full-text search that scales: a static, chunked Pagefind index built from the data.

Records come straight from the reports (no re-parsing of the built HTML): title, agency, region,
year and the narrative as plain text, with filters by year, region and agency kind. The browser
fetches only the index chunks and fragments a query needs.

Pagefind holds about 0.8 MB per report while it indexes, and a query's cost grows with the reports
its bundles hold (a word in every report: 285 KB and 0.37 s over 1,000 reports, 618 KB and 2.9 s
over 10,000 in one bundle). So no bundle holds more than NIANBAO_SEARCH_BUNDLE reports (1,000):
above that, each year is split into bundles of neighbouring regions, indexed side by side on
every core (indexing.py), and the search page searches one year (the newest unless the reader picks another,
or all years) and, if asked, one province, merging only those bundles.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from html import escape
from pathlib import Path

from ..core.check import Result
from ..core.model import Report
from .pages import report_title
from .urls import report_uri, url_of

BUNDLE = "pagefind"
BUNDLE_REPORTS = 1000  # Pagefind's indexing memory and a query's download both grow with a bundle
MANIFEST = "search-bundles.json"
PART = "nianbao-bundle-{shard}.json"  # beside a bundle's documents: what the search page says of it


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


def bundle_limit() -> int:
    setting = os.environ.get("NIANBAO_SEARCH_BUNDLE", "").strip()
    return int(setting) if setting.isdigit() and int(setting) > 0 else BUNDLE_REPORTS


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
    the search page is to say of each bundle beside them."""
    for name, reports in bundles(result).items():
        write_bundle(result, folder, name, reports, owns, shard)


def write_bundle(result: Result, folder: Path, name: str, reports: list[Report], owns=lambda slug: True,
                 shard: int = 1) -> int:
    """A bundle's documents, and what the search page is to say of it (its year, reports and
    provinces); returns how many documents it wrote."""
    owned = [r for r in reports if owns(r.agency)]
    for report in owned:
        page = folder / name / url_of(report_uri(report)) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(document(report, result.corpus.agencies[report.agency]), encoding="utf-8")
    if owned:
        regions = {result.corpus.agencies[r.agency].region[0] for r in owned}
        part = {"year": None if name == BUNDLE else owned[0].year, "reports": len(owned), "regions": sorted(regions)}
        (folder / name / PART.format(shard=shard)).write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    return len(owned)


def describe(folder: Path) -> dict:
    """A bundle's line of the manifest, from the parts its shards wrote."""
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob(PART.format(shard="*")))]
    return {"path": f"{folder.name}/", "year": parts[0]["year"] if parts else None,
            "reports": sum(p["reports"] for p in parts),
            "regions": sorted({region for p in parts for region in p["regions"]})}
