"""`nianbao import` checks the command against the source, reads an existing report in a dry
run, writes what `nianbao new` writes, and splits headings from the text run into them (issue 27)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nianbao.cli import main
from nianbao.core import editions, located
from nianbao.core.check import check_path
from nianbao.editing.importer import import_report

from conftest import FIXTURES, REPO

SAMPLES = FIXTURES / "samples"
PINGTAN = ["--name", "平潭综合实验区管理委员会", "--region", "福建省/平潭综合实验区"]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo_reports(tmp_path) -> Path:
    reports = tmp_path / "repo" / "reports"
    shutil.copytree(REPO / "reports", reports)
    return reports


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


# -- the command against the source ------------------------------------------------

def test_a_source_of_another_year_is_refused_unless_forced(tmp_path, capsys):
    reports = tmp_path / "reports"
    code, out, err = run(capsys, SAMPLES / "pingtan-2019.txt", "--agency", "pingtan", "--year", "2021", *PINGTAN,
                         "--reports", reports)
    assert code == 2
    assert "原文为 2019 年度报告，--year 为 2021" in err and "--force" in err
    assert not reports.exists()
    code, out, err = run(capsys, SAMPLES / "pingtan-2019.txt", "--agency", "pingtan", "--year", "2021", *PINGTAN,
                         "--reports", reports, "--force")
    assert code == 0 and (reports / "pingtan/2021.yml").exists()


def test_a_year_new_refuses_is_refused_alike(tmp_path, capsys):
    reports = tmp_path / "reports"
    assert main(["new", "pingtan", "1999", *PINGTAN, "--reports", str(reports)]) != 0
    refused_by_new = capsys.readouterr().err.split("nianbao: ")[1].strip()
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "1999", *PINGTAN,
                         "--reports", reports, "--force")
    assert code == 2 and refused_by_new in err
    assert not reports.exists()


def test_another_agencys_report_is_refused(repo_reports, capsys):
    before = tree(repo_reports)
    code, out, err = run(capsys, SAMPLES / "huaian-shizhengfu-2024.txt", "--agency", "pingtan", "--year", "2024",
                         "--reports", repo_reports)
    assert code == 2
    assert "原文是“淮安市人民政府”的报告" in err and "平潭综合实验区管理委员会" in err
    assert tree(repo_reports) == before


def test_the_kind_comes_from_the_source_not_a_guess(tmp_path, capsys):
    reports = tmp_path / "reports"
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021", *PINGTAN,
                         "--reports", reports)
    assert code == 0
    agency = located.parse((reports / "pingtan/agency.yml").read_text(encoding="utf-8")).value
    assert agency["kind"] == "人民政府"  # the title names the zone alone: its government's report
    assert "DEADLINE" not in out  # published 2022-02-08, within a government's 31 March
    assert not [p for p in check_path(reports).problems if p.rule == "DEADLINE"]
    # a --kind the source contradicts is refused, saying both
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan-b", "--year", "2021", *PINGTAN,
                         "--kind", "政府部门", "--reports", reports)
    assert code == 2 and "原文是人民政府的报告" in err and "--kind 为政府部门" in err
    assert not (reports / "pingtan-b").exists()


def test_the_existing_agency_file_decides_and_is_checked(repo_reports, capsys):
    agency_yml = repo_reports / "pingtan/agency.yml"
    agency_yml.write_text(agency_yml.read_text(encoding="utf-8").replace("kind: 人民政府", "kind: 政府部门"),
                          encoding="utf-8")
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021",
                         "--reports", repo_reports, "--force", "--dry-run")
    assert code == 0  # forced: the agency.yml stands
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021",
                         "--reports", repo_reports, "--dry-run")
    assert code == 2 and "agency.yml 中类型为政府部门" in err and "原文是人民政府的报告" in err
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021",
                         "--name", "平潭县人民政府", "--reports", repo_reports, "--dry-run")
    assert code == 2 and "agency.yml 中名称为“平潭综合实验区管理委员会”，--name 为“平潭县人民政府”" in err


def test_the_name_decides_only_where_the_source_says_nothing(tmp_path):
    text = (SAMPLES / "pingtan-2021.txt").read_text(encoding="utf-8")
    source = tmp_path / "untitled.txt"  # the title names a committee: a government or a department
    source.write_text(text.replace("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区管委会2021年度政府信息公开工作年度报告"),
                      encoding="utf-8")
    import_report(source, tmp_path / "reports", "pingtan", 2021, name="平潭综合实验区管理委员会", region="福建省/平潭综合实验区")
    assert "kind: 政府部门" in (tmp_path / "reports/pingtan/agency.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("title, agency, kind, year", [
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区", "人民政府", 2021),
    ("淮安市人民政府2024 年政府信息公开工作年度报告", "淮安市人民政府", "人民政府", 2024),
    ("罗源县松山镇2019年政府信息公开工作年度报告", "罗源县松山镇", "乡镇", 2019),
    ("鼓楼区温泉街道2020年政府信息公开工作年度报告", "鼓楼区温泉街道", "街道", 2020),
    ("福州市教育局2021年政府信息公开工作年度报告", "福州市教育局", "政府部门", 2021),
    ("福州市人民政府办公厅关于2021年政府信息公开工作年度报告", "福州市人民政府办公厅", "政府部门", 2021),
    ("福州经济技术开发区2021年政府信息公开工作年度报告", "福州经济技术开发区", None, 2021),
    ("2021年政府信息公开工作年度报告_福州市", "", None, 2021),
])
def test_what_a_title_says_of_its_agency(title, agency, kind, year):
    from nianbao.editing.importer.identity import printed
    from nianbao.editing.importer.source import Source

    said = printed(Source(text="", mode="flow", meta={"title": title}))
    assert (said.agency, said.kind, said.title_year) == (agency, kind, year)


def test_titles_and_periods_are_read_in_linear_time():
    import time

    from nianbao.editing.importer.identity import printed
    from nianbao.editing.importer.source import Source

    started = time.perf_counter()
    printed(Source(text="统计期限" + "自 2021 年" * 20000, mode="flow", meta={"title": "2021 年度 " * 20000}))
    assert time.perf_counter() - started < 2  # a generous budget: a backtracking pattern takes minutes


# -- a dry run reads an existing report --------------------------------------------

def test_a_dry_run_reads_and_checks_a_report_that_exists(repo_reports, capsys):
    before = tree(repo_reports.parent)
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021",
                         "--reports", repo_reports, "--dry-run")
    assert code == 0, err
    assert "格式 gov-2021；单元格：4 个直接读出，193 个按勾稽关系拆分确定，3 个不确定" in out
    assert "不确定 t2.normative_documents.in_force：原文为“693665”" in out
    assert f"已有 {repo_reports / 'pingtan/2021.yml'}" in out and "已写入" not in out
    assert tree(repo_reports.parent) == before
    # without --dry-run it is still refused
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021",
                         "--reports", repo_reports)
    assert code == 1 and "已存在" in err


# -- the schema line ---------------------------------------------------------------

def test_imported_files_start_as_new_files_do(tmp_path, capsys):
    reports = tmp_path / "reports"
    assert main(["new", "other-town", "2021", "--name", "某县某镇人民政府", "--region", "某省/某县",
                 "--reports", str(reports)]) == 0
    code, out, err = run(capsys, SAMPLES / "pingtan-2021.txt", "--agency", "pingtan", "--year", "2021", *PINGTAN,
                         "--reports", reports)
    assert code == 0
    for name in ("agency.yml", "2021.yml"):
        first = (reports / "pingtan" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == (reports / "other-town" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../../docs/schemas/")
