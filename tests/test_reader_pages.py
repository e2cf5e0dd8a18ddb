"""Smaller things a reader notices (issue 28): the 404 page and footer in Chinese, the search
page without JavaScript, one-year agencies without empty charts, rates with their denominators."""

from __future__ import annotations

from bs4 import BeautifulSoup

from test_site import built, page  # noqa: F401 — the shared built site


def test_the_404_page_and_every_footer_are_in_chinese(built):  # noqa: F811
    missing = BeautifulSoup((built / "site" / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert missing.h1.get_text() == "找不到这个页面（404）"
    assert "Not found" not in missing.get_text()
    assert any(a.get_text() == "搜索报告" for a in missing.select("article a"))
    for url in ("", "luoyuan-songshan/2019", "search"):
        assert "Made with" not in page(built, url).select_one("footer").get_text()


def test_the_search_page_without_javascript_offers_real_links(built):  # noqa: F811
    html = (built / "site" / "search" / "index.html").read_text(encoding="utf-8")
    noscript = BeautifulSoup(html[html.index("<noscript>"):html.index("</noscript>")], "html.parser")
    assert "](" not in noscript.get_text()  # no raw Markdown
    assert [a["href"] for a in noscript.select("a")] == ["../regions/", "../agencies/", "../years/"]


def test_an_agency_with_one_report_has_no_empty_charts_and_says_why_once(built):  # noqa: F811
    one = page(built, "luoyuan-songshan")  # the seed: 2019 only
    assert not one.select("article figure svg, article .nb-chart")
    text = one.select_one("article").get_text()
    assert "收录第二个年度后显示历年变化图" in text
    assert text.count("无法比较") == 0 and text.count("不与上年比较") == 1
    two = page(built, "ceshi-zhen")  # 2022 and 2023
    assert "收录第二个年度后显示历年变化图" not in two.get_text()


def test_a_rate_shows_its_numerator_and_denominator(built):  # noqa: F811
    cards = page(built, "ceshi-zhen").select("li.nb-kf")
    rate = next(c for c in cards if "公开率" in c.get_text())
    assert "6 ÷ 13 件" in rate.get_text()  # (予以公开 5 + 部分公开 1) ÷ 办理结果总计 13
