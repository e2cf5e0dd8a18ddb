"""The statutory tables in the official layout: every seed cell in its printed row and column."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from nianbao.core.check import check_path
from nianbao.site.render import render_table

from conftest import FIXTURES, REPO, report_data, write_report


def grid(table) -> dict[tuple[int, int], object]:
    """Expand rowspan/colspan into (row, column) -> cell, as a reader sees the printed table."""
    taken: dict[tuple[int, int], object] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for cell in tr.find_all(["th", "td"]):
            while (r, c) in taken:
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    taken[(r + dr, c + dc)] = cell
            c += int(cell.get("colspan", 1))
    return taken


def value_at(html: str, row_label: str, column_id: str) -> str:
    """The text of the cell in the row whose header reads `row_label`, under column `column_id`."""
    soup = BeautifulSoup(html, "html.parser")
    cells = grid(soup.table)
    header = soup.find(id=column_id)
    col = next(c for (r, c), cell in cells.items() if cell is header)
    row = next(r for (r, c), cell in cells.items() if cell.name == "th" and cell.get("scope") == "row"
               and cell.get_text() == row_label)
    return cells[(row, col)].get_text()


@pytest.fixture(scope="module")
def seed():
    result = check_path(REPO / "reports")
    report = next(r for r in result.corpus.reports if r.agency == "luoyuan-songshan" and r.year == 2019)
    return report, result.by_report[report.key]


@pytest.fixture(scope="module")
def expected():
    # A copy of shared/samples/expected/luoyuan-songshan-2019.json: every cell checked by hand
    # against the published page.
    return json.loads((FIXTURES / "luoyuan-songshan-2019.json").read_text(encoding="utf-8"))


def printed(value) -> str:
    """A cell as the page shows it: a blank one carries the visible mark 空白 (never a 0)."""
    return "空白" if value is None else str(value)


def test_seed_t3_every_cell_in_place(seed, expected):
    report, problems = seed
    html = render_table(report, "t3", problems)
    table = report.edition.tables["t3"]
    for row in table.rows:
        for col in table.columns_of(row.id):
            assert value_at(html, row.label, f"t3-c-{col.id}") == printed(expected["t3"][row.id][col.id]), \
                (row.id, col.id)


def test_seed_t2_cells_and_retitled_header(seed, expected):
    report, problems = seed
    html = render_table(report, "t2", problems)
    soup = BeautifulSoup(html, "html.parser")
    for block_no, block in enumerate(report.edition.tables["t2"].blocks):
        for row in block.rows:
            for col in block.columns:
                assert value_at(html, row.label, f"t2-b{block_no}-{col.id}") == \
                    printed(expected["t2"][row.id][col.id]), (row.id, col.id)
    retitled = [th.get_text() for th in soup.select("th.nb-retitled")]
    assert retitled == ["2019年项目数量"] * 3  # blocks （五）（六）（八）, as printed
    assert soup.find(id="t2-b0-made").get_text() == "本年新制作数量"


def test_seed_t4_and_blanks_stay_blank(seed, expected):
    report, problems = seed
    soup = BeautifulSoup(render_table(report, "t4", problems), "html.parser")
    cells = soup.select("tbody td")
    columns = report.edition.tables["t4"].columns_of("cases")
    assert [td.get_text() for td in cells] == [printed(expected["t4"][c.id]) for c in columns]
    for td, col in zip(cells, columns):
        assert f"t4-c-{col.id}" in td["headers"]
        assert ("nb-blank" in td["class"]) == (expected["t4"][col.id] is None)


def test_t3_official_layout(seed):
    report, problems = seed
    soup = BeautifulSoup(render_table(report, "t3", problems), "html.parser")
    corner = soup.select_one("thead td.nb-corner")
    assert "第一项加第二项之和，等于第三项加第四项之和" in corner.get_text()
    assert (corner["colspan"], corner["rowspan"]) == ("3", "3")
    groups = {th.get_text(): th for th in soup.select("tbody th[scope=rowgroup]")}
    assert groups["三、本年度办理结果"]["rowspan"] == "20"  # 19 result rows + （七）总计
    assert groups["（三）不予公开"]["rowspan"] == "8"
    assert soup.find(id="t3-g1").get_text() == "法人或其他组织" and soup.find(id="t3-g1")["colspan"] == "5"
    assert soup.table.caption.get_text() == "三、收到和处理政府信息公开申请情况"


def test_gov_2021_layout_and_alternative_row(reports):
    write_report(reports, report_data())
    data = report_data(slug="one-row")
    t3 = data["t3"]
    t3["other"] = [0, 0, 0, 0, 0, 0, 0]
    for key in ("other_no_correction", "other_no_fee", "other_else"):
        del t3[key]
    write_report(reports, data)
    result = check_path(reports)
    by_slug = {r.agency: r for r in result.corpus.reports}
    soup = BeautifulSoup(render_table(by_slug["test-town"], "t3"), "html.parser")
    groups = {th.get_text(): th["rowspan"] for th in soup.select("th[scope=rowgroup]")}
    assert groups["（六）其他处理"] == "3" and groups["三、本年度办理结果"] == "22"
    soup = BeautifulSoup(render_table(by_slug["one-row"], "t3"), "html.parser")
    assert "（六）其他处理" not in {th.get_text() for th in soup.select("th[scope=rowgroup]")}
    assert soup.find(id="t3-r-other")["colspan"] == "2"
    html = render_table(by_slug["test-town"], "t2")
    assert value_at(html, "行政规范性文件", "t2-b0-in_force") == "12"
    assert value_at(html, "行政事业性收费", "t2-b3-amount_wan_yuan") == "1.25"


def test_flagged_cell_carries_the_problem(reports):
    data = report_data()
    data["t4"]["cases"][4] = 0
    write_report(reports, data)
    result = check_path(reports)
    report = result.corpus.reports[0]
    soup = BeautifulSoup(render_table(report, "t4", result.by_report[report.key]), "html.parser")
    flagged = soup.select("td.nb-flag-error")
    assert len(flagged) == 1 and "t4-c-review_total" in flagged[0]["headers"]
    assert flagged[0]["title"] == "行政复议总计 0 ≠ 各项结果之和 1"
    # A visible mark, not only a tooltip: it links to the problem's line in 数据核验, which links back.
    mark = flagged[0].select_one("a.nb-flag-mark")
    assert mark.get_text() == "!" and flagged[0].get_text() == "0!"
    problem = result.by_report[report.key][0]
    assert mark["href"] == f"#p-yml-{problem.line}-{problem.col}" and flagged[0]["id"] == f"cell-{problem.line}-{problem.col}"
    assert "核验发现问题" in soup.select_one("p.nb-legend").get_text()


def test_blank_cells_are_marked_and_the_legend_says_so(seed):
    report, problems = seed
    soup = BeautifulSoup(render_table(report, "t3", problems), "html.parser")
    blanks = soup.select("td.nb-blank")
    assert blanks and all(td.get_text() == "空白" for td in blanks)
    assert soup.select_one("p.nb-legend").get_text().startswith("表中标记：空白 原文该格空白（不是 0")
