"""The 数据质量 pages: reports failing each rule, counted, linked and paged."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import report_data, write_report
from nianbao.site import qualitypages
from nianbao.core.check import check_path
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
    assert "| [T3\\-BAL](rules.md#t3-bal) |" in pages["quality.md"]  # labels escaped as text (urls.md_link)
    second = pages["quality/deadline/2.md"]
    assert "本页第 3–4 份（第 2 / 3 页）" in second
    assert "[上一页](index.md)" in second and "[下一页](3.md)" in second
    assert second.count("](../../town-") == 2


def test_the_built_quality_page_links_to_the_failing_report(built):  # noqa: F811
    soup = page(built, "quality")
    rows = {tr.find_all("td")[-1].get_text(): tr for tr in soup.select("article table tbody tr")}
    assert rows["BLANK"].find_all("td")[2].get_text() == "1"  # the seed's blank cells
    # In words first, the rule that finds most on top; the rule id last, for editors.
    first = soup.select("article table tbody tr")[0].find_all("td")
    assert first[0].get_text() == "应填数字的单元格空白或为占位符" and first[2].get_text() == "1"
    listing = BeautifulSoup((built / "site" / "quality" / "blank" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    links = [a["href"] for a in listing.select("article table a")]
    assert links == ["../../luoyuan-songshan/2019/#check"]


def test_the_agency_list_splits_by_region_when_it_would_grow_too_long(reports, monkeypatch):
    from nianbao.site import agencylists

    monkeypatch.setattr(agencylists, "PER_PAGE", 3)
    for n, region in enumerate(["甲省/一市", "甲省/一市", "甲省/二市", "乙省/三市"]):
        write_report(reports, report_data(slug=f"town-{n}", year=2022),
                     agency={"name": f"第{n}镇人民政府", "kind": "乡镇", "region": region})
    pages = {p.src_uri: p.content for p in agencylists.agencies_pages(check_path(reports))}
    assert sorted(pages) == ["agencies/index.md", "agencies/乙省/index.md", "agencies/甲省/index.md"]
    assert "| [甲省](%E7%94%B2%E7%9C%81/index.md) | 3 |" in pages["agencies/index.md"]  # percent-encoded
    province = pages["agencies/甲省/index.md"]
    assert "共 3 个机构" in province and "## 一市" in province and "## 二市" in province
    assert "- [第0镇人民政府](../../town-0/index.md)（乡镇）：[2022](../../town-0/2022.md)" in province
    assert "返回[全部地区](../index.md)" in province


def test_a_region_page_lists_a_bounded_number_of_units():
    from nianbao.site import datapages

    links = [(f"第{n}镇", f"../t{n}/2022/") for n in range(datapages.LIST_LIMIT + 5)]
    html = datapages.link_list("所属单位报告：", links, more="../../agencies/")
    assert html.count("<a ") == datapages.LIST_LIMIT + 1
    assert html.endswith('……（另有 5 个，全部单位见<a href="../../agencies/">按机构</a>）</p>')
