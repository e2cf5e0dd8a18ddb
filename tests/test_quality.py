"""The 数据质量 pages: reports failing each rule, counted, linked and paged."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import report_data, write_report
from nianbao import qualitypages
from nianbao.check import check_path
from test_site import built, page  # noqa: F401  (the module's built site)


def test_each_rule_lists_its_reports_in_pages_of_bounded_size(reports, monkeypatch):
    monkeypatch.setattr(qualitypages, "PAGE_SIZE", 2)
    for n in range(5):
        write_report(reports, report_data(slug=f"town-{n}", year=2022) | {"published": "2023-03-01"})
    write_report(reports, report_data(slug="town-ok", year=2022))
    pages = {p.src_uri: p.content for p in qualitypages.quality_pages(check_path(reports))}
    assert sorted(pages) == ["quality.md", "quality/deadline/2.md", "quality/deadline/3.md",
                             "quality/deadline/index.md"]
    assert "共 6 份报告，其中 1 份（17%）没有未确认的错误或警告" in pages["quality.md"]
    assert "| [DEADLINE](rules.md#deadline) |" in pages["quality.md"] and "[5](quality/deadline/index.md)" in pages["quality.md"]
    assert "| [T3-BAL](rules.md#t3-bal) |" in pages["quality.md"]
    second = pages["quality/deadline/2.md"]
    assert "本页第 3–4 份（第 2 / 3 页）" in second
    assert "[上一页](index.md)" in second and "[下一页](3.md)" in second
    assert second.count("](../../town-") == 2


def test_the_built_quality_page_links_to_the_failing_report(built):  # noqa: F811
    soup = page(built, "quality")
    rows = {tr.find("td").get_text(): tr for tr in soup.select("article table tbody tr")}
    assert rows["BLANK"].find_all("td")[-1].get_text() == "1"  # the seed's blank cells
    listing = BeautifulSoup((built / "site" / "quality" / "blank" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    links = [a["href"] for a in listing.select("article table a")]
    assert links == ["../../luoyuan-songshan/2019/#check"]
