"""Where the commands look: the project found from any subfolder, what a path argument names, and
what each command says it read."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from nianbao.cli import main

from conftest import REPO


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the repo's project files (config, docs, reports), the working folder at its root."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)
    shutil.copy(REPO / "README.md", root)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "reports", root / "reports")
    monkeypatch.chdir(root)
    monkeypatch.delenv("NIANBAO_REPORTS", raising=False)
    return root


def run(capsys, *args) -> tuple[int, list[str], str]:
    code = main(list(map(str, args)))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def summary_of(capsys, *args) -> tuple[int, str, str]:
    code, out, err = run(capsys, *args)
    return code, out[-1] if out else "", err


def agencies_and_reports() -> tuple[int, int]:
    folders = [p for p in (REPO / "reports").iterdir() if p.is_dir()]
    return len(folders), sum(1 for f in folders for _ in f.glob("[0-9][0-9][0-9][0-9].yml"))


def test_check_reads_the_same_reports_from_the_root_reports_and_any_subfolder(project, capsys, monkeypatch):
    agencies, reports = agencies_and_reports()
    expected = f"检查了 {agencies} 个机构的 {reports} 份报告："
    code, line, err = summary_of(capsys, "check", ".")  # the repo root is the project, not an agency
    assert code == 0 and line.startswith(expected), line
    assert "mkdocs.yml" not in err and "reports/ 下的全部机构" in err
    assert summary_of(capsys, "check", "reports")[1].startswith(expected)
    for folder in ("docs", "docs/schemas", "reports/pingtan"):
        monkeypatch.chdir(project / folder)
        code, line, err = summary_of(capsys, "check")
        assert code == 0 and line.startswith(expected), (folder, line, err)


def test_new_and_schema_from_a_subfolder_write_to_the_project(project, capsys, monkeypatch):
    monkeypatch.chdir(project / "reports")
    code, out, _ = run(capsys, "new", "luoyuan-songshan", "2020")
    assert code == 0
    assert (project / "reports" / "luoyuan-songshan" / "2020.yml").is_file()
    assert not (project / "reports" / "reports").exists()
    assert out[0] == "已创建 luoyuan-songshan/2020.yml"  # shown relative to where the editor stands
    (project / "docs" / "schemas" / "agency.schema.json").unlink()
    monkeypatch.chdir(project / "docs")
    assert run(capsys, "schema")[0] == 0
    assert (project / "docs" / "schemas" / "agency.schema.json").is_file()
    assert not (project / "docs" / "docs").exists()


def test_a_command_outside_any_project_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["fmt"], ["export", "--out", "x.csv"], ["schema"], ["new", "a-town", "2020"]):
        code, out, err = run(capsys, *command)
        assert code == 2 and "不在 nianbao 项目中" in err and "mkdocs.yml" in err, command
    assert not (tmp_path / "reports").exists() and not (tmp_path / "docs").exists()


@pytest.mark.parametrize("command", ["check", "fmt", "export"])
def test_a_file_that_is_no_report_is_a_usage_error_saying_what_is_accepted(project, capsys, command):
    extra = ["--out", "x.csv"] if command == "export" else []
    code, out, err = run(capsys, command, *extra, "README.md" if command == "check" else "docs/index.md")
    assert code == 2 and "不是报告文件" in err and "接受" in err and not out
    assert not Path("x.csv").exists()


@pytest.mark.parametrize("name, what", [("2019.md", "是报告正文，报告数据在 2019.yml"), ("agency.yml", "是机构信息文件")])
def test_export_of_a_narrative_or_agency_file_says_what_it_takes(project, capsys, name, what):
    code, out, err = run(capsys, "export", "--out", "x.csv", f"reports/pingtan/{name}")
    assert code == 2 and what in err and "<年度>.yml" in err
    assert not Path("x.csv").exists()


def test_a_report_copied_straight_into_reports_gets_one_message(project, capsys):
    shutil.copy(project / "reports" / "pingtan" / "2021.yml", project / "reports" / "2021.yml")
    code, out, err = run(capsys, "check")
    problems = [line for line in out[:-1] if "error[" in line]
    assert code == 1 and len(problems) == 1, out
    assert problems[0].startswith("reports/2021.yml:1:1: error[FMT-PATH]")
    assert not any("mkdocs.yml" in line or "pingtan/" in line and "error" in line for line in out)
    code, out, err = run(capsys, "check", "reports/2021.yml")
    assert code == 2 and "直接放在了报告目录中" in err and "reports/<机构代码>/2021.yml" in err


def test_a_nested_reports_folder_never_passes_as_zero_reports(project, capsys):
    nested = project / "reports" / "reports"
    nested.mkdir()
    shutil.move(project / "reports" / "pingtan", nested / "pingtan")
    code, out, err = run(capsys, "check")
    assert code == 1 and any("reports/reports/" in line and "error[" in line for line in out)
    code, out, err = run(capsys, "check", "reports/reports")
    assert code != 0
    assert not out or "0 份报告" not in out[-1] or "未通过" in out[-1]


def test_duplicate_and_overlapping_paths_are_counted_once(project, capsys):
    code, line, _ = summary_of(capsys, "check", "reports/pingtan", "reports/pingtan/", "reports/pingtan/2021.yml",
                               "reports/pingtan/2021.md")
    assert code == 0 and line.startswith("检查了 1 个机构的 2 份报告："), line
    code, line, _ = summary_of(capsys, "check", "reports/pingtan/2021.yml", "reports/pingtan/2021.md")
    assert line.startswith("检查了 1 个机构的 1 份报告：")
    agencies, reports = agencies_and_reports()
    code, line, _ = summary_of(capsys, "check", ".", "reports", "reports/pingtan")
    assert line.startswith(f"检查了 {agencies} 个机构的 {reports} 份报告：")


def test_export_as_the_readme_writes_it_and_from_every_kind_of_path(project, capsys):
    """`nianbao export --format csv-long --out cells.csv` (README) stopped with AttributeError."""
    agencies, reports = agencies_and_reports()
    code, _, err = run(capsys, "export", "--format", "csv-long", "--out", "cells.csv")
    assert code == 0 and f"已导出 {reports} 份报告" in err and "cells.csv" in err
    rows = list(csv.DictReader(io.StringIO(Path("cells.csv").read_text(encoding="utf-8-sig"))))
    assert {(r["agency"], r["year"]) for r in rows} == {(p.parent.name, p.stem) for p in Path("reports").glob("*/*.yml")
                                                       if p.stem.isdigit()}
    assert run(capsys, "export", "--format", "csv-wide", "--out", "wide.csv", "reports")[0] == 0
    wide = list(csv.DictReader(io.StringIO(Path("wide.csv").read_text(encoding="utf-8-sig"))))
    assert len(wide) == reports
    code, out, err = run(capsys, "export", "--out", "-", ".")
    assert code == 0 and len(out) == len(rows) + 1
    code, out, err = run(capsys, "export", "--out", "-", "reports/pingtan/2021.yml", "reports/pingtan/2021.yml")
    assert code == 0 and {line.split(",")[:2][1] for line in out[1:]} == {"2021"} and "已导出 1 份报告" in err


def test_export_refuses_to_overwrite_without_force_and_to_write_into_a_folder(project, capsys):
    Path("cells.csv").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "export", "--out", "cells.csv")
    assert code == 2 and "已存在，不会覆盖" in err and "--force" in err
    assert Path("cells.csv").read_text(encoding="utf-8") == "mine"
    assert run(capsys, "export", "--out", "cells.csv", "--force")[0] == 0
    assert Path("cells.csv").read_text(encoding="utf-8-sig").startswith("agency,year,")
    code, _, err = run(capsys, "export", "--out", "docs")
    assert code == 2 and "是目录" in err and "docs/cells.csv" in err


def test_export_refuses_reports_it_cannot_read_rather_than_leaving_them_out(project, capsys):
    broken = project / "reports" / "pingtan" / "2019.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("t2:", "t2"), encoding="utf-8")
    code, _, err = run(capsys, "export", "--out", "cells.csv")
    assert code == 1 and "reports/pingtan/2019.yml:" in err and "未导出" in err
    assert not Path("cells.csv").exists()


def test_schema_out_naming_a_file_is_a_usage_error(project, capsys):
    before = Path("mkdocs.yml").read_bytes()
    code, _, err = run(capsys, "schema", "--out", "mkdocs.yml")
    assert code == 2 and "是文件" in err and Path("mkdocs.yml").read_bytes() == before
