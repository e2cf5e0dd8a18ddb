"""Every page a step down and a step up (issue 28): breadcrumbs, region pages that lead to their
sub-regions and agencies, a report's other years, and any report within three clicks of home."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup

from test_site import built_site



@pytest.fixture(scope="module", params=["samples", "generated"])
def built(request, tmp_path_factory) -> Path:
    return built_site(tmp_path_factory.mktemp(f"nav-{request.param}"), request.param, 150, seed=11)


def soup(project: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / unquote(url) / "index.html").read_text(encoding="utf-8"), "html.parser")


def content_links(project: Path, url: str) -> set[str]:
    """Where the page's own content links to (not the header tabs), as site URLs."""
    body = soup(project, url).select_one("article")
    found = set()
    for a in body.select("a[href]"):
        target = urljoin("http://site/" + url, a["href"]).split("#")[0]
        if target.startswith("http://site/") and target.endswith("/"):
            found.add(unquote(target[len("http://site/"):]))
    return found


def reports_of(project: Path) -> dict[str, tuple]:
    from nianbao.core.check import check_path

    corpus = check_path(project / "reports").corpus
    return {f"{r.agency}/{r.year}/": (corpus.agencies[r.agency], r.year) for r in corpus.reports}


def test_every_report_is_three_clicks_from_home_through_region_pages(built):
    reports = reports_of(built)
    depth = {"": 0}
    queue = deque([""])
    while queue:
        url = queue.popleft()
        if depth[url] == 3 or url in reports:
            continue
        # Only region pages lead on: the route a reader takes from 全国 down to a town.
        if url and not url.startswith("regions/"):
            continue
        for target in content_links(built, url):
            if target not in depth and (built / "site" / target / "index.html").is_file():
                depth[target] = depth[url] + 1
                queue.append(target)
    far = sorted(r for r in reports if r not in depth)
    assert far == [], f"{len(far)} reports more than 3 clicks from home, e.g. {far[:3]}"


def trail(project: Path, url: str) -> list[tuple[str, str | None]]:
    crumbs = soup(project, url).select_one("nav.nb-crumbs")
    assert crumbs is not None, url
    return [(li.get_text(), li.a["href"] if li.a else None) for li in crumbs.select("li")]


def test_breadcrumbs_lead_up_from_report_agency_and_region_pages(built):
    for url, (agency, year) in sorted(reports_of(built).items())[:20]:
        steps = trail(built, url)
        assert [text for text, _ in steps] == ["全国", *agency.region, agency.name, f"{year} 年度"]
        assert steps[-1][1] is None  # the page itself
        for text, href in steps[:-1]:  # each step up is a page that exists
            assert (built / "site" / unquote(urljoin(url, href)) / "index.html").is_file(), (url, text, href)
        agency_steps = trail(built, f"{agency.slug}/")
        assert [t for t, _ in agency_steps] == ["全国", *agency.region, agency.name]
        region = "regions/" + "/".join(agency.region) + "/"
        assert [t for t, _ in trail(built, region)] == ["全国", *agency.region]


def test_a_region_page_lists_its_sub_regions_and_its_agencies_with_their_reports(built):
    reports = reports_of(built)
    by_region: dict[tuple, set] = {}
    for url, (agency, _) in reports.items():
        by_region.setdefault(tuple(agency.region), set()).add(url)
    for region, urls in sorted(by_region.items())[:10]:
        links = content_links(built, "regions/" + "/".join(region) + "/")
        assert urls <= links, region  # every report of the agencies placed here, one click away
        if len(region) > 1:
            parent = content_links(built, "regions/" + "/".join(region[:-1]) + "/")
            assert "regions/" + "/".join(region) + "/" in parent


def test_a_report_switches_years_and_links_its_tables_by_stable_anchors(built):
    reports = reports_of(built)
    for url, (agency, year) in sorted(reports.items())[:20]:
        page = soup(built, url)
        years = page.select_one("nav.nb-years")
        own = sorted(y for u, (a, y) in reports.items() if a.slug == agency.slug)
        assert [li.get_text() for li in years.select("ol")[0].select("li")] == [str(y) for y in own]
        assert years.select_one('[aria-current="page"]').get_text() == str(year)
        for anchor in ("table-t2", "table-t3", "table-t4", "check"):
            assert years.select_one(f'a[href="#{anchor}"]') is not None
            assert page.find(id=anchor) is not None, (url, anchor)
