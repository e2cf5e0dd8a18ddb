"""机构直达: every agency and region by name, for the search page to show above the full-text results.

A reader who types an agency's name (罗源县松山镇人民政府) or part of it (松山镇) wants that
agency's page, and one who types a place (平潭) wants that place. Pagefind ranks reports by words;
this list matches names as text (exact, then prefix, then anywhere in the name), so the named
agency or region comes first whatever the reports say.

The list is split into buckets by the bigrams of each name (site/searchkeys.py): the search page
takes the longest run of Chinese characters of the query, loads the one bucket of its first
bigram — every name that holds the query holds that bigram — and matches names in it. A bucket
holds about BUCKET_ENTRIES names whatever the archive's size, so a query downloads a few kilobytes
of a national archive's few hundred thousand names.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict

from ..core.check import Result
from .searchkeys import grams
from .urls import Page, agency_uri, region_uri, report_uri, url_of

FOLDER = "search/names"
BUCKET_ENTRIES = 400  # names per bucket on average


def bucket_of(gram: str, buckets: int) -> int:
    """FNV-1a over the code points: the search page computes the same (`nameBucket`)."""
    h = 2166136261
    for ch in gram:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h % buckets


def records(result: Result) -> list[list]:
    """[kind, name, url, detail, latest year, latest report url] per agency and region."""
    corpus = result.corpus
    latest = {}
    for report in corpus.reports:
        if report.agency in corpus.agencies and (report.agency not in latest or report.year > latest[report.agency].year):
            latest[report.agency] = report
    out = []
    for slug in sorted(corpus.agencies):
        agency = corpus.agencies[slug]
        report = latest.get(slug)
        out.append(["机构", agency.name, url_of(agency_uri(slug)), f"{agency.kind} · {'/'.join(agency.region)}",
                    report.year if report else None, url_of(report_uri(report)) if report else None])
    counts: dict[tuple, int] = defaultdict(int)
    for agency in corpus.agencies.values():
        for depth in range(1, len(agency.region) + 1):
            counts[tuple(agency.region[:depth])] += 1
    for region in sorted(counts):
        out.append(["地区", region[-1], url_of(region_uri(region)), f"{'/'.join(region)} · {counts[region]} 个机构",
                    None, None])
    return out


def directory_files(result: Result) -> list[Page]:
    """search/names/index.json (how many buckets) and one JSON file per non-empty bucket."""
    found = records(result)
    entries = sum(len(grams(r[1])) for r in found)
    buckets = 1
    while entries / buckets > BUCKET_ENTRIES:
        buckets *= 2
    content = {}
    for number, record in enumerate(found):
        for gram in grams(record[1]):
            content.setdefault(bucket_of(gram, buckets), []).append(number)
    # Keyed by what they hold (no `members`): editing a report's text changes no name, so a
    # rebuild finds them in the cache.
    pages = [Page(f"{FOLDER}/index.json", json.dumps({"buckets": buckets}) + "\n")]
    for bucket in sorted(content):
        numbers = sorted(set(content[bucket]))
        pages.append(Page(f"{FOLDER}/{bucket}.json", functools.partial(bucket_json, [found[n] for n in numbers])))
    return pages


def bucket_json(items: list[list]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) + "\n"
