"""The search index's bundles: bounded, one year each, and described alike whichever shards wrote them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from nianbao.core.check import check_path

    reports = tmp_path_factory.mktemp("search") / "reports"
    generate(reports, 300, seed=7)
    return check_path(reports)


def test_a_large_repo_is_split_into_bounded_bundles_of_one_year(result, monkeypatch):
    from nianbao.scale import search

    monkeypatch.setenv("NIANBAO_SEARCH_BUNDLE", "25")
    bundles = search.bundles(result)
    agencies = result.corpus.agencies
    placed = [r for members in bundles.values() for r in members]
    assert sorted(id(r) for r in placed) == sorted(id(r) for r in result.corpus.reports)  # each exactly once
    for name, members in bundles.items():
        assert 0 < len(members) <= 25
        assert {r.year for r in members} == {int(name.split("-")[1])}
        order = [(agencies[r.agency].region, r.agency) for r in members]
        assert order == sorted(order)  # neighbouring regions: a province's reports share few bundles
    per_year = {year: [n for n in bundles if n.startswith(f"pagefind-{year}")] for year in {r.year for r in placed}}
    sizes = [len(bundles[n]) for names in per_year.values() for n in names]
    assert max(sizes) - min(sizes) <= 25 // 2 + 1  # near-equal runs, not one full bundle and a remainder


def test_a_small_repo_is_one_bundle_for_all_years(result, monkeypatch):
    from nianbao.scale import search

    monkeypatch.setenv("NIANBAO_SEARCH_BUNDLE", "1000")
    assert list(search.bundles(result)) == ["pagefind"]


def test_shards_describe_a_bundle_as_the_whole_build_does(result, monkeypatch, tmp_path):
    """Each shard writes its own agencies' documents and its part of each bundle's line; the
    manifest `nianbao merge` writes from them equals the one-build manifest."""
    from nianbao.scale import search

    monkeypatch.setenv("NIANBAO_SEARCH_BUNDLE", "40")
    whole, shards = tmp_path / "whole", tmp_path / "shards"
    search.write_documents(result, whole)
    slugs = sorted(result.corpus.agencies)
    for number in (1, 2, 3):
        search.write_documents(result, shards, owns=lambda slug: slugs.index(slug) % 3 == number - 1, shard=number)
    for folder in sorted(whole.iterdir()):
        line = search.describe(folder)
        assert line == search.describe(shards / folder.name)
        assert line["reports"] == sum(1 for _ in folder.rglob("index.html")) <= 40
        assert line["year"] == int(folder.name.split("-")[1])
        regions = {result.corpus.agencies[r.agency].region[0] for r in search.bundles(result)[folder.name]}
        assert line["regions"] == sorted(regions)
    assert len(list(shards.glob("*/" + search.PART.format(shard="*")))) > len(list(whole.iterdir()))


def test_the_manifest_lists_the_newest_year_first(result, monkeypatch, tmp_path):
    from nianbao.scale import search

    monkeypatch.setenv("NIANBAO_SEARCH_BUNDLE", "40")
    monkeypatch.setattr(search, "run_pagefind", lambda folder, output: output.mkdir(parents=True))
    search.write_documents(result, tmp_path / "docs")
    site = tmp_path / "site"
    site.mkdir()
    names, indexed = search.index_documents(tmp_path / "docs", str(site))
    assert indexed == len(names)  # no store: every bundle is indexed
    manifest = json.loads((site / search.MANIFEST).read_text(encoding="utf-8"))
    assert sorted(line["path"] for line in manifest) == sorted(f"{name}/" for name in names)
    assert [line["year"] for line in manifest] == sorted((line["year"] for line in manifest), reverse=True)
    years = [line["path"] for line in manifest if line["year"] == manifest[0]["year"]]
    assert years[:2] == [f"pagefind-{manifest[0]['year']}-1/", f"pagefind-{manifest[0]['year']}-2/"]
    assert all((site / name).is_dir() for name in names)


def test_no_documents_no_bundle(result, tmp_path):
    from nianbao.scale import search

    site = tmp_path / "site"
    site.mkdir()
    assert search.index_documents(tmp_path / "nothing", str(site)) == ([], 0)
    assert json.loads((site / search.MANIFEST).read_text(encoding="utf-8")) == []
    assert not list(Path(site).glob("pagefind*"))
