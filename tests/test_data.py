"""Open data and insight: exports round-trip, the datapackage validates, roll-ups add up, rates
follow their formulas, charts carry the same numbers as the tables."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from frictionless import Package

from nianbao.data import export
from nianbao.core import figures
from nianbao.core.check import check_path
from nianbao.cli import main

from conftest import REPO, report_data, write_report
from test_site import build, make_project, page


def test_long_csv_round_trips_every_cell_blanks_included(seed_copy):
    data = report_data()
    data["t2"]["coercion"] = ["/"]
    data["t3"]["granted"][4] = None
    data["t2"]["fees"] = [1.250000]
    write_report(seed_copy, data)
    result = check_path(seed_copy)
    text = export.long_csv(result.corpus.reports)
    assert text.startswith("\ufeffagency,year,")  # Excel on Chinese Windows needs the BOM to read UTF-8
    back = export.read_long_csv(text)
    expected = {}
    for report in result.corpus.reports:
        for tid, row, col, cell in export.cells(report):
            expected[(report.agency, report.year, tid, row, col.id)] = None if cell.blank else cell.text
    assert back == expected
    assert back[("test-town", 2022, "t2", "coercion", "decisions")] == "/"
    assert back[("luoyuan-songshan", 2019, "t3", "new_received", "legal")] is None
    assert back[("luoyuan-songshan", 2019, "t2", "procurement", "amount")] == "18160"
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["agency", "year", "edition", "table", "row", "column", "value", "number"]
    assert rows[1:] == sorted(rows[1:], key=lambda r: (r[0], int(r[1]), r[3], r[4], r[5]))
    assert ["luoyuan-songshan", "2019", "gov-2019", "t4", "cases", "review_upheld", "0", "0"] in rows
    assert ["test-town", "2022", "gov-2021", "t2", "coercion", "decisions", "/", ""] in rows


def test_export_command_writes_the_long_csv(tmp_path, capsys):
    out = tmp_path / "cells.csv"
    assert main(["export", "--format", "csv-long", "--out", str(out), str(REPO / "reports" / "luoyuan-songshan")]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))  # with the BOM Excel needs
    assert {r["agency"] for r in rows} == {"luoyuan-songshan"}
    seed = {(r["table"], r["row"], r["column"]): r for r in rows}
    assert seed[("t3", "granted", "commercial")]["value"] == ""  # a blank stays blank, never 0
    assert seed[("t2", "licensing", "decisions")]["number"] == "5"
    assert len(rows) == len(seed) == 22 + 23 * 7 + 15  # every cell of the seed: t2, t3, t4
    # Written whole, then renamed: no temporary file left, and readable as a file the user makes
    # is (an export is often published as it is; a temporary file's own mode is owner-only).
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["cells.csv"]


def test_wide_csv_has_bom_and_one_column_per_cell():
    result = check_path(REPO / "reports")
    text = export.wide_csv(result.corpus.reports, result.corpus.agencies)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(result.corpus.reports)
    row = next(r for r in rows if r[0] == "luoyuan-songshan")
    values = dict(zip(header, row))
    assert values["agency_name"] == "罗源县松山镇人民政府"
    assert values["t2.other_services.decisions"] == "325" and values["t3.new_received.total"] == ""
    assert "t3.other_no_fee.total" in header and "t2.procurement.amount" in header


def test_rates_follow_formats_md(reports):
    data = report_data()
    data["t4"]["cases"] = [2, 1, 0, 1, 4, 0, 1, 0, 0, 1, 1, 0, 0, 1, 2]
    write_report(reports, data)
    report = check_path(reports).corpus.reports[0]
    rates = {r.name: r for r in figures.rates(report)}
    assert rates["公开率"].value == pytest.approx(6 / 13)  # (5 + 1) / 13
    assert rates["复议纠错率"].value == pytest.approx(1 / 3)  # corrected 1 / (4 - 1)
    assert rates["诉讼纠错率"].value == pytest.approx(1 / 2)  # (1 + 0) / ((1 + 2) - (0 + 1))
    data = report_data(slug="no-cases")
    data["t4"]["cases"] = [0] * 15
    write_report(reports, data)
    other = next(r for r in check_path(reports).corpus.reports if r.agency == "no-cases")
    shown = {r.name: r.shown() for r in figures.rates(other)}
    assert shown["复议纠错率"] == shown["诉讼纠错率"] == ""  # denominator 0: no rate


@pytest.fixture(scope="module")
def region_site(tmp_path_factory):
    """A small test region: two towns and the county's own report, one town missing in 2023."""
    project = make_project(tmp_path_factory.mktemp("region"), seed=False)
    root = project / "reports"
    county = {"name": "测试县人民政府", "kind": "人民政府", "region": "测试省/测试市/测试县"}
    town_a = {"name": "测试县甲镇人民政府", "kind": "乡镇", "region": "测试省/测试市/测试县"}
    town_b = {"name": "测试县乙镇人民政府", "kind": "乡镇", "region": "测试省/测试市/测试县"}
    for slug, agency in (("ceshi-jia", town_a), ("ceshi-yi", town_b)):
        write_report(root, report_data(slug=slug, year=2022), agency=agency)
    write_report(root, report_data(slug="ceshi-jia", year=2023), agency=town_a)
    own = report_data(slug="ceshi-xian", year=2022)
    own["t3"]["new_received"] = [20, 4, 0, 0, 2, 0, 27]  # the two towns add up to 26
    own["acknowledged"] = [{"rule": "T3-ROW", "reason": "测试"}, {"rule": "T3-BAL", "reason": "测试"}]
    write_report(root, own, agency=county)
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project


def test_region_rollup_equals_hand_computed_sum_and_lists_missing_unit(region_site):
    soup = page(region_site, "regions/测试省/测试市/测试县")
    rows = {tr.find("a").get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in soup.select("article table tbody tr") if tr.find("a")}
    # 2022: 甲镇 13 + 乙镇 13 new applications; 办结 13 + 13
    assert rows["2022"][:5] == ["2022", "2", "无", "26", "26"]
    assert rows["2023"][:3] == ["2023", "1", "测试县乙镇人民政府"]
    detail = page(region_site, "regions/测试省/测试市/测试县/2022")
    new = detail.find(id="t3-r-new_received").find_parent("tr")
    assert [td.get_text() for td in new.find_all("td")] == ["20", "4", "0", "0", "2", "0", "26"]
    diff = detail.find("h2", string="与本级政府报告比较").find_next("table")
    assert ["t3", "一、本年新收政府信息公开申请数量", "总计", "27", "26"] in [
        [td.get_text() for td in tr.find_all("td")] for tr in diff.select("tbody tr")]
    # Numbers right-aligned, and the table scrolls by itself on a phone instead of widening the page.
    assert [td.get_text() for td in diff.select("tbody tr:first-child td.nb-num")] == \
        [td.get_text() for td in diff.select("tbody tr:first-child td")][3:]
    assert "nb-table-scroll" in diff.parent["class"] and diff.parent["role"] == "region"


def test_agency_chart_numbers_match_the_tables(region_site):
    soup = page(region_site, "ceshi-jia")
    figure = soup.select_one("figure.nb-chart")
    table = figure.select_one("table.nb-chart-data")
    assert [th.get_text() for th in table.select("thead th")][1:] == ["2022", "2023"]
    granted = next(tr for tr in table.select("tbody tr") if tr.th.get_text() == "予以公开")
    assert [td.get_text() for td in granted.find_all("td")] == ["5", "5"]
    bars = [r for r in figure.select("svg rect") if r.title and r.title.get_text().startswith("2022 予以公开")]
    assert bars and bars[0].title.get_text() == "2022 予以公开：5"
    assert figure.svg["role"] == "img"


def test_report_page_links_data_and_compares_with_previous_year(region_site):
    soup = page(region_site, "ceshi-jia/2023")
    links = {a.get_text(): a["href"] for a in soup.select(".nb-meta a")}
    assert links["data.json"] == "data.json" and links["tables.csv"] == "tables.csv"
    data = json.loads((region_site / "site" / "ceshi-jia" / "2023" / "data.json").read_text(encoding="utf-8"))
    assert data["tables"]["t3"]["new_received"]["total"] == {"value": "13", "number": 13}
    table = soup.find(id="compare").find_next("table")
    first = [cell.get_text() for cell in table.select("tbody tr")[0].find_all(["th", "td"])]
    assert first == ["新收申请", "13", "13", "持平"]


def test_datapackage_validates_with_frictionless(region_site):
    report = Package(str(region_site / "site" / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_year_and_compare_pages_show_rates_with_formulas_and_csv(region_site):
    soup = page(region_site, "compare")
    table = soup.select_one("table.nb-summary-table")
    header = [th.get_text() for th in table.select("thead th")]
    assert header[:4] == ["机构", "年度", "地区", "类型"] and "公开率" in header and "诉讼纠错率" in header
    assert "（予以公开 + 部分公开）÷ 办理结果总计" in soup.select_one(".nb-note").get_text()
    # The page holds the latest year's first rows; every year is in the chunks the browser loads.
    rows = table.select("tbody tr")
    assert rows and all(r.select("td")[0].get_text() == "2023" for r in rows)
    box = soup.select_one(".nb-paged")
    index_path = (region_site / "site" / "compare" / box["data-index"]).resolve()
    index = json.loads(index_path.read_text(encoding="utf-8"))
    assert sorted({c["year"] for c in index["chunks"]}) == [2022, 2023]
    assert sum(c["rows"] for c in index["chunks"]) == 4
    chunk = next(c for c in index["chunks"] if c["year"] == 2022)
    data = json.loads((index_path.parent / chunk["file"]).read_text(encoding="utf-8"))
    town = next(r for r in data if "甲镇" in r[1])
    rate = town[index["columns"].index("公开率")]
    assert round(rate, 4) == round(6 / 13, 4)  # (5 + 1) / 13, shown as 46.2%
    csv_link = soup.select_one(".nb-note a[download]")["href"]
    text = (region_site / "site" / "compare" / csv_link).resolve().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("机构代码,机构名称,地区,类型,年度,新收申请")  # one language


def test_summary_csv_has_each_reports_key_figures_however_it_is_pieced(seed_copy, monkeypatch):
    """The figures CSV (data/nianbao-summary.csv, years/<年>.csv, <机构>/summary.csv) is written in
    pieces so that an archive's rows are never held at once; the pieces make the same file."""
    from nianbao.site import summaryrows
    data = report_data()
    data["t3"]["new_received"][6] = None  # a blank total stays blank in the CSV, never 0
    write_report(seed_copy, data)
    write_report(seed_copy, report_data(year=2021))
    result = check_path(seed_copy)
    reports = sorted(result.corpus.reports, key=lambda r: (r.agency, r.year))
    whole = "".join(summaryrows.reports_csv(reports, result))
    monkeypatch.setattr(summaryrows, "CSV_PIECE", 1)
    assert "".join(summaryrows.reports_csv(reports, result)) == whole
    assert whole.startswith("\ufeff机构代码,机构名称,地区,类型,年度,新收申请,")
    rows = list(csv.DictReader(io.StringIO(whole.lstrip("\ufeff"))))
    assert [(r["机构代码"], r["年度"]) for r in rows] == [(r.agency, str(r.year)) for r in reports]
    by_key = {(r["机构代码"], r["年度"]): r for r in rows}
    for report in reports:
        expected = figures.key_values(report)["办结"]
        assert by_key[(report.agency, str(report.year))]["办结"] == ("" if expected is None else str(expected))
    assert by_key[("test-town", "2022")]["新收申请"] == ""
    assert by_key[("test-town", "2021")]["新收申请"] != ""
