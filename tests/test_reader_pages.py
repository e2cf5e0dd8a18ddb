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


def test_a_missing_year_is_a_gap_in_the_charts_not_a_line_across_it(reports):
    from conftest import report_data, write_report
    from nianbao.core.check import check_path
    from nianbao.site.indexpages import agency_charts

    for year in (2021, 2023):  # no 2022 report
        write_report(reports, report_data(year=year))
    result = check_path(reports)
    agency = result.corpus.agencies["test-town"]
    html = agency_charts(agency, sorted(result.corpus.reports, key=lambda r: r.year))
    soup = BeautifulSoup(html, "html.parser")
    rates = soup.select_one("figure.nb-line-chart")
    assert "2022 无报告" in rates.get_text() and "2022 年没有报告，图中空缺" in soup.get_text()
    assert rates.select("circle") and not rates.select("line[stroke-width=\"2.5\"]")  # points, no segment across 2022
    bars = soup.select_one("figure.nb-chart:not(.nb-line-chart)")
    assert not [r for r in bars.select("rect title") if r.get_text().startswith("2022")]
    assert not bars.select("rect[fill-opacity]")  # every year in the legend's colours


def test_a_region_chart_draws_a_year_with_blank_cells_as_far_as_it_is_known(reports):
    from conftest import report_data, write_report
    from nianbao.core.check import check_path
    from nianbao.site.datapages import region_page
    from nianbao.core import figures
    from nianbao.site.urls import Blocks

    data = report_data(slug="a-town", year=2022)
    data["t3"]["granted"][6] = None  # one unit's 予以公开 total left blank
    write_report(reports, data, agency={"name": "甲镇人民政府", "kind": "乡镇", "region": "测试省/测试县"})
    write_report(reports, report_data(slug="b-town", year=2022),
                 agency={"name": "乙镇人民政府", "kind": "乡镇", "region": "测试省/测试县"})
    result = check_path(reports)
    entries = [e for (region, _), e in figures.region_rollups(result.corpus).items() if region == ("测试省",)]
    blocks = Blocks()
    text = blocks.fill(region_page(("测试省",), entries, result, blocks).replace("\n\n", "\n"))
    soup = BeautifulSoup("".join(blocks.made()), "html.parser")
    chart = soup.select_one("#chart-region-outcomes")
    granted = [t.get_text() for t in chart.select("rect title") if "予以公开" in t.get_text()]
    assert granted == ["2022 予以公开：5"]  # b-town's 5; a-town's blank is not counted, and not drawn as 0
    assert "2022 年有单位的部分单元格空白" in chart.get_text() and text


def test_a_region_chart_explains_bars_that_differ_from_the_handled_total(reports):
    from conftest import report_data, write_report
    from nianbao.core import figures
    from nianbao.core.check import check_path
    from nianbao.site.datapages import region_page
    from nianbao.site.urls import Blocks

    data = report_data(slug="a-town", year=2022)
    data["t3"]["total"] = [11, 2, 0, 0, 1, 0, 14]  # printed total 14, its outcomes add up to 13
    data["acknowledged"] = [{"rule": "T3-RES", "reason": "原文如此"}]
    write_report(reports, data, agency={"name": "甲镇人民政府", "kind": "乡镇", "region": "测试省/测试县"})
    result = check_path(reports)
    entries = [e for (region, _), e in figures.region_rollups(result.corpus).items() if region == ("测试省",)]
    blocks = Blocks()
    region_page(("测试省",), entries, result, blocks)
    chart = BeautifulSoup("".join(blocks.made()), "html.parser").select_one("#chart-region-outcomes")
    assert "2022 年各项结果之和 13，办结合计 14" in chart.get_text()


def test_the_quality_page_says_where_the_problems_are(built):  # noqa: F811
    quality = page(built, "quality")
    headings = [h.get_text() for h in quality.select("article h2")]
    assert headings[:2] == ["按年度", "按省份"] and headings[2].startswith("问题最多的")
    tables = quality.select("article table")
    years = {tr.find_all("td")[0].get_text(): [td.get_text() for td in tr.find_all("td")[1:]]
             for tr in tables[1].select("tbody tr")}
    assert years["2019"] == ["1", "1"]  # the seed, with its blank cells (BLANK warnings)
    worst = tables[3].select("tbody tr")[0]
    assert worst.a.get_text() == "罗源县松山镇人民政府" and worst.a["href"].endswith("luoyuan-songshan/")


def test_numbers_in_generated_tables_are_right_aligned(built):  # noqa: F811
    """Markdown's column alignment survives the page cleaner as align="right" (no style="": CSP)."""
    quality = page(built, "quality").select("article table")[0].select("tbody tr")[0].find_all("td")
    assert [td.get("align") for td in quality] == ["left", "left", "right", "left"]
    region = page(built, "regions/测试省").select("article table")[0].select("tbody tr")[0].find_all("td")
    assert region[1].get("align") == region[3].get("align") == "right"
