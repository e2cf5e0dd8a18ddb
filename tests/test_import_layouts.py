"""Pasted-text layouts seen on real portals, damaged PDF text, and batch import: the seed still
imports cell for cell, and nothing is read wrong without a flag."""

from __future__ import annotations

import re

import pytest

from nianbao.cli import main
from nianbao.editing.importer import import_report

from conftest import FIXTURES, REPO
from test_import import same_tables_as_seed

SEED = (FIXTURES / "samples" / "luoyuan-songshan-2019.txt").read_text(encoding="utf-8")
HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})


def split(text: str) -> tuple[str, list[str], str]:
    """The text before the tables, the tables' cells one by one, and the text after."""
    start, end = text.index("二、主动公开政府信息情况"), text.index("五、存在的主要问题")
    cells = [line.strip(" ") for line in text[start:end].split("\n") if line != ""]
    return text[:start], cells, text[end:]


def pipes(text: str) -> str:
    """Every cell followed by a line holding only “|”; half-width punctuation in the labels."""
    head, cells, tail = split(text)
    return head + "".join(f"{c.translate(HALF_WIDTH)}\n|\n" for c in cells) + tail


def blank_lines(text: str) -> str:
    """Cells separated by blank lines, with leading spaces; long labels broken over two lines."""
    head, cells, tail = split(text)
    out = []
    for cell in cells:
        if len(cell) > 12 and not re.fullmatch(r"[\d\s\u00a0]+", cell):
            cell = cell[:len(cell) // 2] + "\n   " + cell[len(cell) // 2:]
        out.append("    " + cell)
    return head + "\n\n".join(out) + "\n\n" + tail


def tabs(text: str) -> str:
    """A spreadsheet pasted as text: the cells of each printed row separated by tabs."""
    head, cells, tail = split(text)
    rows, row = [], []
    for cell in cells:
        if row and not re.fullmatch(r"[\d\s\u00a0]*", cell):
            rows.append(row)
            row = []
        row.append(cell.strip() if cell.strip(" \u00a0") else "")
    rows.append(row)
    return head + "\n".join("\t".join(r) for r in rows) + "\n" + tail


def import_text(tmp_path, text: str, name: str = "layout.txt"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_report(source, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                         region="福建省/福州市/罗源县")


@pytest.mark.parametrize("layout", [pipes, blank_lines, tabs])
def test_each_pasted_layout_imports_the_seed_cell_for_cell(tmp_path, layout):
    result = import_text(tmp_path, layout(SEED))
    assert result.counts == {"certain": 198, "solved": 0, "uncertain": 0}
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
    md = (tmp_path / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    assert "我镇主动公开政府信息16条" in md and "## 五、存在的主要问题及改进情况" in md


def test_table_four_header_broken_over_a_dozen_lines_still_gives_its_row(tmp_path):
    head, cells, tail = split(SEED)
    at = cells.index("行政复议")
    header = "".join(c for c in cells[at:at + 19])
    broken = [header[i:i + 3] for i in range(0, len(header), 3)]  # PDF text: three characters a line
    text = head + "\n\n".join("  " + c for c in cells[:at] + broken + cells[at + 19:]) + "\n\n" + tail
    result = import_text(tmp_path, text)
    assert result.counts["uncertain"] == 0
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")


def test_a_damaged_label_is_placed_by_position_with_a_note(tmp_path, capsys):
    text = SEED.replace("2.其他法律行政法规禁止公开", "2.其他法▯▯▯止")  # PDF text lost most of the label
    source = tmp_path / "damaged.txt"
    source.write_text(text, encoding="utf-8")
    code = main(["import", str(source), "--agency", "luoyuan-songshan", "--year", "2019", "--name",
                 "罗源县松山镇人民政府", "--region", "福建省/福州市/罗源县", "--reports", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 0 and "0 个不确定" in out
    assert "提示 t3.denied_law：行名原文为“2.其他法▯▯▯止”，与格式的“2.其他法律行政法规禁止公开”不符" in out
    yml = tmp_path / "reports/luoyuan-songshan/2019.yml"
    same_tables_as_seed(yml)
    line = next(x for x in yml.read_text(encoding="utf-8").splitlines() if x.strip().startswith("denied_law:"))
    assert "# 提示：行名原文为“2.其他法▯▯▯止”" in line


SAMPLES = FIXTURES / "samples"


@pytest.mark.parametrize("name, slug, year", [("pingtan-2019", "pingtan", 2019), ("pingtan-2021", "pingtan", 2021),
                                              ("huaian-shizhengfu-2024", "huaian", 2024)])
def test_damaged_labels_in_crawler_and_pdf_text_never_give_a_wrong_cell(tmp_path, name, slug, year):
    import json

    from nianbao.core.check import check_path

    text = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    text = text.replace("其他法律行政法规禁止公开", "其他法▯▯▯止").replace("属于行政查询事项", "属▯查▯")
    source = tmp_path / "damaged.txt"
    source.write_text(text, encoding="utf-8")
    agency = {"pingtan": "平潭综合实验区管理委员会", "huaian": "淮安市人民政府"}[slug]
    result = import_report(source, tmp_path / "reports", slug, year, name=agency, region="某省/某市")
    report = check_path(tmp_path / "reports").corpus.reports[0]
    expected = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    flagged = {u.split("：")[0] for u in result.uncertain}
    wrong = []
    for table, row, col, cell in report.cells():
        tid, key = table.id, f"{table.id}.{row}.{col.id}"
        want = expected["t4"][col.id] if tid == "t4" else expected[tid][row][col.id]
        if key not in flagged and (None if cell.blank else cell.text) != (None if want is None else str(want)):
            wrong.append((key, want, cell.text))
    assert wrong == []


def test_a_run_together_row_is_solved_with_a_figure_the_narrative_states(tmp_path):
    text = (SAMPLES / "pingtan-2021.txt").read_text(encoding="utf-8").replace("行政规范性文件693665", "行政规范性文件1203")

    def imported(extra: str, folder: str):
        source = tmp_path / f"{folder}.txt"
        source.write_text(text.replace("（二）依申请公开方面。", extra + "（二）依申请公开方面。"), encoding="utf-8")
        result = import_report(source, tmp_path / folder, "pingtan", 2021, name="平潭综合实验区管理委员会",
                               region="福建省/平潭综合实验区")
        return result, result.data["t2"]["normative_documents"]

    # 1203 reads as 12|0|3 or 1|20|3: without more to go on, the row stays uncertain
    result, row = imported("", "without")
    assert row == [{"uncertain": "1203"}, {"uncertain": "1203"}, 3]  # both readings end in 3
    assert [u.split("：")[0] for u in result.uncertain if "normative" in u] == [
        "t2.normative_documents.issued", "t2.normative_documents.repealed"]
    # the narrative says 12 were issued: one reading is left, and it is taken
    result, row = imported("全年制发行政规范性文件12件。", "with")
    assert row == [12, 0, 3]
    assert not any(u.startswith("t2.normative_documents") for u in result.uncertain)


def test_last_years_carry_forward_is_a_constraint(tmp_path):
    from nianbao.core import editions
    from nianbao.editing.importer import constraints
    from nianbao.core.model import Cell, Report

    edition = editions.get("gov-2021")
    previous = Report(agency="x", year=2020, edition=edition, path="", md_path="", meta={}, headers={},
                      acknowledged={}, marks={},
                      tables={"t3": {"carried_forward": [Cell(v, str(v), 1, 1) for v in (1, 0, 0, 0, 0, 0, 1)]}})
    known = constraints("本年度共收到政府信息公开申请13件。", 2021, edition, previous)
    assert known[("t3", "new_received", "total")] == "13"
    assert [known[("t3", "carried_over", c)] for c in ("natural", "commercial", "total")] == ["1", "0", "1"]


def test_manifest_imports_good_uncertain_and_broken_sources_and_reports_each(tmp_path, capsys):
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil_copy = __import__("shutil").copy
    shutil_copy(SAMPLES / "luoyuan-songshan-2019.txt", folder / "songshan.txt")
    shutil_copy(SAMPLES / "pingtan-2021.txt", folder / "pingtan.txt")
    (folder / "notice.txt").write_text("关于开展政务公开培训的通知\n", encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    manifest = folder / "sources.csv"
    manifest.write_text(
        "source,agency,year,name,region,kind\n"
        "songshan.txt,luoyuan-songshan,2019,罗源县松山镇人民政府,福建省/福州市/罗源县,乡镇\n"
        "pingtan.txt,pingtan,2021,平潭综合实验区管理委员会,福建省/平潭综合实验区,人民政府\n"
        "notice.txt,some-town,2022,某镇人民政府,某省,乡镇\n"
        "missing.txt,other-town,2022,另一镇人民政府,某省,乡镇\n"
        "old.doc,old-town,2022,旧镇人民政府,某省,乡镇\n", encoding="utf-8")
    reports = tmp_path / "reports"
    args = ["import", "--manifest", str(manifest), "--reports", str(reports)]
    assert main(args + ["--dry-run"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert not reports.exists()  # a dry run writes nothing
    assert out[0].startswith("✓ 第 2 行 songshan.txt → luoyuan-songshan/2019：gov-2019，直接读出 198")
    assert out[1].startswith("! 第 3 行 pingtan.txt → pingtan/2021：gov-2021") and "不确定 3" in out[1]
    assert out[2].startswith("✗ 第 4 行 notice.txt → some-town/2022：没有找到第二部分")
    assert out[3].startswith("✗ 第 5 行 missing.txt → other-town/2022：找不到文件")
    assert out[4].startswith("✗ 第 6 行 old.doc → old-town/2022：old.doc 是Word 97–2003 文档（.doc）")
    assert out[5].startswith("共 5 个来源：2 个已导入（其中 1 个有不确定的单元格），3 个失败") and "dry-run" in out[5]
    assert main(args) == 1
    capsys.readouterr()
    assert sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*.yml")) == [
        "luoyuan-songshan/2019.yml", "luoyuan-songshan/agency.yml", "pingtan/2021.yml", "pingtan/agency.yml"]


def cell_verdicts(tmp_path, report, narrative: str, layout: str) -> dict[str, int]:
    """right / flagged / wrong for every statutory cell of `report` imported from `layout`."""
    from layouts import write_layout
    from nianbao.data import export
    from nianbao.core.check import check_path
    from nianbao.site.pages import report_title

    folder = tmp_path / layout
    folder.mkdir()
    agency = check_path(REPO / "reports", only={report.agency}).corpus.agencies[report.agency]
    source = write_layout(report, narrative, layout, folder, report_title(report, agency))
    result = import_report(source, folder / "reports", report.agency, report.year, name=agency.name,
                           region="/".join(agency.region))
    flagged = {u.split("：")[0] for u in result.uncertain}
    new = check_path(folder / "reports").corpus.reports[0]
    verdicts = {"right": 0, "flagged": 0, "wrong": 0}
    for tid, row, col, cell in export.cells(report):
        got = new.cell(tid, row, col.id)
        if f"{tid}.{row}.{col.id}" in flagged:
            verdicts["flagged"] += 1
        elif got is not None and got.text == cell.text:
            verdicts["right"] += 1
        else:
            verdicts["wrong"] += 1
    return verdicts


REPORTS = [("luoyuan-songshan", 2019), ("pingtan", 2019), ("pingtan", 2021), ("huaian", 2024)]


@pytest.mark.parametrize("layout", ["docx", "pipes", "blank", "tabs"])
@pytest.mark.parametrize("slug, year", REPORTS)
def test_every_sample_imports_cell_for_cell_from_every_layout(tmp_path, slug, year, layout):
    from nianbao.core.check import check_path

    report = next(r for r in check_path(REPO / "reports", only={slug}).corpus.reports if r.year == year)
    narrative = (REPO / "reports" / slug / f"{year}.md").read_text(encoding="utf-8")
    verdicts = cell_verdicts(tmp_path, report, narrative, layout)
    assert verdicts == {"right": sum(1 for _ in report.cells()), "flagged": 0, "wrong": 0}
