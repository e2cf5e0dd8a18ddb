"""`nianbao import` splits headings from the text run into them (issue 27)."""

from __future__ import annotations

import json

import pytest

from nianbao.core import editions, located
from nianbao.core.check import check_path
from nianbao.editing.importer import import_report

from conftest import FIXTURES, REPO

SAMPLES = FIXTURES / "samples"


# -- headings ----------------------------------------------------------------------

def headings_of(edition_id: str) -> list[str]:
    return [f"{s['num']}、{s['title']}" for s in editions.get(edition_id).sections]


@pytest.mark.parametrize("name, slug, year, agency", [
    ("pingtan-2019", "pingtan", 2019, "平潭综合实验区管理委员会"), ("pingtan-2021", "pingtan", 2021, "平潭综合实验区管理委员会"),
    ("huaian-shizhengfu-2024", "huaian", 2024, "淮安市人民政府"),
    ("luoyuan-songshan-2019", "luoyuan-songshan", 2019, "罗源县松山镇人民政府")])
def test_every_heading_holds_its_heading_only(tmp_path, name, slug, year, agency):
    result = import_report(SAMPLES / f"{name}.txt", tmp_path / "reports", slug, year, name=agency, region="某省")
    md = (tmp_path / "reports" / slug / f"{year}.md").read_text(encoding="utf-8")
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == headings_of(result.edition)
    assert "附件下载" not in md and "当前位置" not in md


def test_the_text_run_into_section_six_is_its_paragraph(tmp_path):
    import_report(SAMPLES / "pingtan-2021.txt", tmp_path / "reports", "pingtan", 2021, name="平潭综合实验区管理委员会",
                  region="福建省/平潭综合实验区")
    md = (tmp_path / "reports/pingtan/2021.md").read_text(encoding="utf-8")
    assert md.endswith("\n## 六、其他需要报告的事项\n\n2021年，无收取信息处理费情况。\n")
    # the preamble the page's breadcrumbs ran into is kept, the breadcrumbs are not
    assert md.startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）、《福建省人民政府办公厅关于编制公布")


def test_a_heading_worded_otherwise_is_split_too(tmp_path):
    text = (SAMPLES / "pingtan-2021.txt").read_text(encoding="utf-8").replace("六、其他需要报告的事项", "六、其他需要报告事项")
    source = tmp_path / "varied.txt"
    source.write_text(text, encoding="utf-8")
    import_report(source, tmp_path / "reports", "pingtan", 2021, name="平潭综合实验区管理委员会", region="福建省/平潭综合实验区")
    md = (tmp_path / "reports/pingtan/2021.md").read_text(encoding="utf-8")
    assert md.endswith("\n## 六、其他需要报告事项\n\n2021年，无收取信息处理费情况。\n")


def test_committed_reports_have_clean_headings_and_the_published_numbers():
    for md in sorted((REPO / "reports").glob("*/*.md")):
        edition = located.parse(md.with_suffix(".yml").read_text(encoding="utf-8")).value["edition"]
        assert [line[3:] for line in md.read_text(encoding="utf-8").splitlines() if line.startswith("## ")] == \
            headings_of(edition), md
    for name, slug, year in [("pingtan-2019", "pingtan", 2019), ("pingtan-2021", "pingtan", 2021)]:
        expected = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        report = next(r for r in check_path(REPO / "reports", only={slug}).corpus.reports if r.year == year)
        for table, row, col, cell in report.cells():
            want = expected["t4"][col.id] if table.id == "t4" else expected[table.id][row][col.id]
            assert cell.text == str(want), (name, table.id, row, col.id)
