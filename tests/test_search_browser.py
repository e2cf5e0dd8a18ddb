"""Search that finds (issue 28): a query set with known answers, through the search page in Chromium,
on the repo's real reports and on a generated archive.

The answers come from the data, not from the index: an agency's full name and a town's short name
find that agency (机构直达, first) and its own reports first; a statutory term of the edition spec
finds exactly the reports whose text holds it; a place finds its reports and no others.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from conftest import REPO
from test_browser import browser, serve  # noqa: F401 — the shared Chromium fixture
from test_site import built_site


# Statutory terms, each printed in the edition spec (asserted below), and a part of one (复议).
# 依申请公开 is tested by tests/test_browser.py on a built report.
TERMS = ["行政复议", "复议", "行政诉讼", "政府信息公开申请", "不予公开", "主动公开"]
WIDTHS = {"desktop": 1366, "phone": 390}


def corpus_of(project: Path):
    from nianbao.core.check import check_path
    from nianbao.core.markup import plain_text
    from nianbao.site.pages import report_title

    result = check_path(project / "reports")
    agencies = result.corpus.agencies
    texts = {}
    for r in result.corpus.reports:
        a = agencies[r.agency]
        # What the report's search document says (scale/search.py): title, name, region, narrative.
        texts[f"{r.agency}/{r.year}/"] = report_title(r, a) + a.name + "/".join(a.region) + plain_text(r.narrative)
    return agencies, texts


def short_name(name: str) -> str | None:
    """A town's or street's own name: 罗源县松山镇人民政府 -> 松山镇."""
    found = re.search(r"[县区市]([^县区市]{1,6}?(?:镇|乡|街道))", name)
    return found.group(1) if found else None


@pytest.fixture(scope="module", params=["samples", "generated"])
def site(request, tmp_path_factory):
    project = built_site(tmp_path_factory.mktemp(f"search-{request.param}"), request.param, 100, seed=7)
    httpd, url = serve(project / "site")
    yield project, url
    httpd.shutdown()


@pytest.fixture(params=list(WIDTHS))
def page(request, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def ask(page, url: str, query: str) -> tuple[list[str], list[str], list[str]]:
    """Open search/?q=… as the header box does; returns the 机构直达 links, the results the page
    shows first, and every report the index finds for the query as the page sends it."""
    page.goto(url + "search/?q=" + quote(query))
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=20000)
    page.wait_for_timeout(400)
    direct = page.eval_on_selector_all(".nb-direct li > a:first-child", "els => els.map(e => e.getAttribute('href'))")
    shown = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    every = page.evaluate("""async (q) => {
        const pf = await import(new URL('pagefind/pagefind.js', document.baseURI.replace(/search\\/.*$/, '')).href);
        await pf.options({});
        const found = await pf.search(window.nianbaoGramQuery(q));
        return (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
    }""", query)
    base = url.rstrip("/")
    strip = lambda h: re.sub(r"^(\.\./)+|^/", "", h.replace(base, ""))  # noqa: E731
    return [strip(h) for h in direct], [strip(h) for h in shown], [strip(h) for h in every]


def test_the_terms_are_the_edition_specs():
    spec = "".join(p.read_text(encoding="utf-8") for p in (REPO / "hooks/nianbao/core/editions").glob("gov-*.yml"))
    assert all(term in spec for term in TERMS)


def test_an_agency_is_found_by_its_full_and_short_name_first(site, page):
    project, url = site
    agencies, texts = corpus_of(project)
    chosen = sorted(agencies)[:: max(1, len(agencies) // 6)]
    for slug in chosen:
        agency = agencies[slug]
        own = {u for u in texts if u.startswith(slug + "/")}
        direct, shown, every = ask(page, url, agency.name)
        assert direct[0] == f"{slug}/", (agency.name, direct)
        assert shown and shown[0] in own, (agency.name, shown)
        assert set(every[:len(own)]) == own, (agency.name, every[:len(own)])  # its own reports before any other
        short = short_name(agency.name)
        if short:
            namesakes = {s for s, a in agencies.items() if short in a.name}
            direct, shown, every = ask(page, url, short)
            assert set(direct[:len(namesakes)]) == {f"{s}/" for s in namesakes}, (short, direct)
            theirs = {u for u in texts if u.split("/")[0] in namesakes}
            assert set(every[:len(theirs)]) == theirs, (short, every[:len(theirs)])


def test_a_statutory_term_finds_every_report_that_holds_it(site, page):
    project, url = site
    _, texts = corpus_of(project)
    for term in TERMS:
        holding = {u for u, text in texts.items() if term in text}
        assert holding, term
        _, shown, every = ask(page, url, term)
        assert set(every) == holding, (term, sorted(set(every) ^ holding)[:5])
        assert shown[0] in holding


def test_a_place_finds_its_reports_and_no_others(site, page):
    project, url = site
    agencies, texts = corpus_of(project)
    places = ["平潭"] if "pingtan" in agencies else sorted({a.region[-1] for a in agencies.values()})[:2]
    for place in places:
        holding = {u for u, text in texts.items() if place in text}
        direct, shown, every = ask(page, url, place)
        assert set(every) == holding, (place, sorted(set(every) ^ holding)[:5])
        # 机构直达: the place itself first (a region, or an agency named after it).
        first = unquote(direct[0]).rstrip("/")
        assert place in first.split("/")[-1] or place in agencies[first].name, (place, direct)


def test_the_page_spells_the_query_as_the_index_does(site, page):
    """The browser's bigram keys equal the build's (site/searchkeys.py), character for character."""
    from nianbao.site.searchkeys import key

    _, url = site
    page.goto(url + "search/")
    page.wait_for_function("() => window.nianbaoGramQuery")
    text = "罗源县松山镇 2019 镇 𠀋𠀍 复议"
    expected = " ".join([key(a + b) for a, b in zip("罗源县松山", "源县松山镇")] + ["2019", "镇",
                         key("𠀋𠀍"), key("复议")])
    assert page.evaluate("(q) => window.nianbaoGramQuery(q)", text) == expected
