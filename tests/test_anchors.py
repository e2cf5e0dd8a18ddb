"""Names are matched whole (issue 26): in Python, "$" also matches before a final line break, so a
pattern ending in "$" accepts "2019.yml\\n", "luoyuan-songshan\\n" or "…/2019-x.pdf\\n". Every
pattern of the package ends in \\Z (or runs with fullmatch, or is multi-line on purpose); each
name check refuses a name with a line break at its end."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import report_data, write_report
from test_linear import package_patterns
from nianbao.cli import main
from nianbao.core.check import check_path
from nianbao.editing.review import Change, review


def ends_at_dollar(pattern: str) -> bool:
    """Whether a pattern uses "$" as an anchor (outside a character class, not escaped)."""
    plain = re.sub(r"\\.", "", pattern)  # escaped characters: \$ is a dollar sign
    plain = re.sub(r"\[\^?\]?[^\]]*\]", "", plain)  # character classes
    return "$" in plain


def test_no_pattern_of_the_package_anchors_with_dollar():
    offenders = [(where, pattern) for where, pattern, flags in package_patterns()
                 if ends_at_dollar(pattern) and not flags & re.MULTILINE]
    assert offenders == []


def test_the_audit_finds_a_dollar_anchor():
    assert ends_at_dollar(r"^\d{4}\.yml$") and ends_at_dollar(r"a$|^b")
    assert not ends_at_dollar(r"^\d{4}\.yml\Z") and not ends_at_dollar(r"[$]x\$")


def test_a_report_file_name_with_a_line_break_is_refused(reports):
    path = write_report(reports, report_data(slug="test-town", year=2022))
    sneaky = path.parent / "2023.yml\n"
    sneaky.write_text(path.read_text(encoding="utf-8").replace("year: 2022", "year: 2023"), encoding="utf-8")
    (path.parent / "2023.md\n").write_text("## 一、总体情况\n\n正文。\n", encoding="utf-8")
    problems = check_path(reports).problems
    refused = sorted(p.path.rsplit("/", 1)[-1] for p in problems if p.rule == "FMT-PATH")
    assert refused == ["2023.md\n", "2023.yml\n"], problems
    assert all(p.line == 1 and p.col == 1 for p in problems if p.rule == "FMT-PATH")


def test_an_attachment_name_with_a_line_break_is_refused(reports):
    path = write_report(reports, report_data(slug="test-town", year=2022))
    (path.parent / "files").mkdir()
    (path.parent / "files" / "2022-original.pdf\n").write_bytes(b"%PDF-1.4 test\n")
    problems = [p for p in check_path(reports).problems if p.rule == "FMT-PATH"]
    assert len(problems) == 1 and problems[0].path.endswith("files/2022-original.pdf\n")


def test_an_agency_folder_with_a_line_break_is_refused(reports):
    write_report(reports, report_data(slug="test-town", year=2022))
    shutil.copytree(reports / "test-town", reports / "other-town\n")
    problems = [p for p in check_path(reports).problems if p.rule == "FMT-PATH"]
    assert any("other-town\n" in p.path and "机构目录名" in p.message for p in problems), problems


@pytest.mark.parametrize("path", ["reports/test-town/2019.yml\n", "reports/test-town/agency.yml\n",
                                  "reports/test-town\n/2019.md", "reports/test-town/files/2019-a.pdf\n"])
def test_review_paths_refuses_a_path_with_a_line_break(path):
    assert [p.rule for p in review([Change(path, "100644", 10)])] == ["PR-NAME"]


def test_new_refuses_a_slug_with_a_line_break(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    code = main(["new", "test-town\n", "2022", "--reports", str(tmp_path / "reports"), "--name", "测试镇人民政府", "--kind", "乡镇", "--region", "测试省/测试县"])
    assert code != 0
    assert not any((tmp_path / "reports").iterdir())
