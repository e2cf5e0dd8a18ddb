"""Bad input of every kind gives located FMT-* problems, all of them, and never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nianbao.core.check import check_path
from nianbao.core.load import display_path

from conftest import line_of, report_data, write_report


def found(root):
    return [(p.rule, p.line, p.col) for p in check_path(root).problems if p.rule.startswith("FMT")]


def test_yaml_syntax_error_is_located_and_other_files_still_checked(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace("licensing:", "licensing", 1)
    path.write_text(text, encoding="utf-8")
    other = report_data(slug="other-town")
    other["t3"]["granted"][0] = 5
    write_report(reports, other)
    problems = check_path(reports).problems
    syntax = [p for p in problems if p.rule == "FMT-YAML"]
    assert len(syntax) == 1 and syntax[0].path.endswith("test-town/2022.yml")
    assert syntax[0].message.startswith("YAML 语法错误")
    assert syntax[0].line >= line_of(path, "licensing") - 1
    assert any(p.rule == "T3-ROW" and "other-town" in p.path for p in problems)


def test_duplicate_key(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8")
    text = text.replace("  partial:", "  granted:             [1, 0, 0, 0, 0, 0, 1]\n  partial:", 1)
    path.write_text(text, encoding="utf-8")
    [(rule, line, col)] = [f for f in found(reports) if f[0] == "FMT-DUPKEY"]
    assert (line, col) == (line_of(path, "granted:             [1, 0, 0, 0, 0, 0, 1]"), 3)


def test_unknown_key_suggests_the_right_one(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace("published:", "publised:")
    path.write_text(text, encoding="utf-8")
    problems = [p for p in check_path(reports).problems if p.rule == "FMT-KEY"]
    messages = " ".join(p.message for p in problems)
    assert "未知的键“publised”，是否想写“published”" in messages
    assert "缺少“published”" in messages
    assert any(p.line == line_of(path, "publised:") and p.col == 1 for p in problems)


def test_missing_row_extra_row_and_column_count_all_reported(reports):
    data = report_data()
    del data["t3"]["denied_law"]
    data["t3"]["denied_lwa"] = [0, 0, 0, 0, 0, 0, 0]
    data["t2"]["penalty"] = [8, 0]
    path = write_report(reports, data)
    rules = [f[0] for f in found(reports)]
    assert rules.count("FMT-ROW") == 2 and rules.count("FMT-COLS") == 1
    cols = [f for f in found(reports) if f[0] == "FMT-COLS"][0]
    assert cols[1] == line_of(path, "penalty:")


def test_row_that_is_not_a_list(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace("  coercion:            [0]", "  coercion: 0")
    path.write_text(text, encoding="utf-8")
    [(rule, line, col)] = found(reports)
    assert (rule, line, col) == ("FMT-TYPE", line_of(path, "coercion:"), 13)


def test_bool_cell_is_a_type_error(reports):
    data = report_data()
    data["t2"]["coercion"] = [True]
    path = write_report(reports, data)
    [(rule, line, _)] = [f for f in found(reports) if f[0] == "FMT-TYPE"]
    assert line == line_of(path, "coercion:")


def test_slug_and_year_must_match_path(reports):
    data = report_data()
    path = write_report(reports, data)
    text = path.read_text(encoding="utf-8").replace("agency: test-town", "agency: test-tonw")
    text = text.replace("year: 2022", "year: 2021")
    path.write_text(text, encoding="utf-8")
    problems = [p for p in check_path(reports).problems if p.rule == "FMT-PATH"]
    assert {p.line for p in problems} == {line_of(path, "agency:"), line_of(path, "year:")}


def test_bad_slug_and_missing_markdown(reports):
    write_report(reports, report_data(slug="Bad_Slug"))
    write_report(reports, report_data(slug="no-text"), narrative=None)
    problems = check_path(reports).problems
    assert any(p.rule == "FMT-PATH" and "Bad_Slug" in p.path for p in problems)
    assert any(p.rule == "FMT-MD" and p.path.endswith("no-text/2022.yml") for p in problems)


def test_alias_is_refused(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8")
    text = text.replace("  coercion:            [0]", "  coercion: *pen").replace(
        "  penalty:             [8]", "  penalty: &pen [8]")
    path.write_text(text, encoding="utf-8")
    [alias] = [p for p in check_path(reports).problems if p.rule == "FMT-YAML"]
    assert alias.line == line_of(path, "coercion:") and "别名" in alias.message


def test_tag_is_refused(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace("  coercion:            [0]",
                                                    "  coercion: !!python/tuple [0]")
    path.write_text(text, encoding="utf-8")
    [tag] = [p for p in check_path(reports).problems if p.rule == "FMT-YAML"]
    assert tag.line == line_of(path, "coercion:") and "标签 !!python/tuple" in tag.message


def test_wrong_encoding(reports):
    write_report(reports, report_data())
    (reports / "test-town" / "agency.yml").write_bytes("name: 测试\n".encode("gbk"))
    [problem] = check_path(reports).problems
    assert (problem.rule, problem.line, problem.col) == ("FMT-ENCODING", 1, 7)


def test_bom_and_crlf_are_fine(reports):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert check_path(reports).problems == []


def test_agency_file_problems(reports):
    write_report(reports, report_data(), agency={"name": "测试镇", "kind": "村委会", "region": "测试省"})
    problems = [p for p in check_path(reports).problems if p.path.endswith("agency.yml")]
    assert [(p.rule, p.line) for p in problems] == [("FMT-VALUE", 2)]
    assert "机构类型“村委会”无效" in problems[0].message


def test_stored_attachment_must_exist_and_be_named_plainly(reports):
    data = report_data()
    data["attachments"] = [{"title": "报告原文（PDF）", "url": "files/2022-original.pdf"},
                           {"title": "网页原文", "url": "https://www.example.gov.cn/nb/2022.html"}]
    path = write_report(reports, data)
    problems = [p for p in check_path(reports).problems]
    assert [(p.rule, p.line) for p in problems] == [("FMT-PATH", line_of(path, "files/2022-original.pdf"))]
    files = reports / "test-town" / "files"
    files.mkdir()
    (files / "2022-original.pdf").write_bytes(b"%PDF-1.4\n")
    (files / "原文.pdf").write_bytes(b"%PDF-1.4\n")
    problems = check_path(reports).problems
    assert [(p.rule, p.path.endswith("原文.pdf")) for p in problems] == [("FMT-PATH", True)]


def test_attachment_address_must_be_a_link_or_a_stored_file(reports):
    data = report_data()
    data["attachments"] = [{"title": "原文", "url": "../../etc/passwd"}]
    path = write_report(reports, data)
    [problem] = check_path(reports).problems
    assert (problem.rule, problem.line) == ("FMT-VALUE", line_of(path, "etc/passwd"))


def test_parse_cache_gives_the_same_located_problems_and_never_goes_stale(reports, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    data = report_data()
    data["t3"]["granted"][1] = 2
    path = write_report(reports, data)
    first = [p.format() for p in check_path(reports).problems]
    assert (tmp_path / "cache" / "parsed-v2.sqlite").exists()
    assert [p.format() for p in check_path(reports).problems] == first  # served from the cache
    path.write_text(path.read_text(encoding="utf-8").replace("granted:", "granted: ", 1), encoding="utf-8")
    moved = [p.format() for p in check_path(reports).problems]
    assert moved != first and any("T3-ROW" in m for m in moved)  # the edit is seen: positions moved
    monkeypatch.setenv("NIANBAO_CACHE", "off")
    assert [p.format() for p in check_path(reports).problems] == moved


@pytest.mark.parametrize("cwd", ["repo", "reports", "agency", "elsewhere"])
def test_problem_paths_are_shown_as_the_editor_typed_them(reports, tmp_path, monkeypatch, cwd):
    """Each file's path relative to the working folder where it lies inside it (the shown folder is
    worked out once per folder), else absolute, exactly as os.path.relpath would give it."""
    path = write_report(reports, report_data())
    places = {"repo": reports.parent, "reports": reports, "agency": path.parent, "elsewhere": tmp_path / "x"}
    places["elsewhere"].mkdir()
    monkeypatch.chdir(places[cwd])
    for target in (reports / "test-town" / "2022.yml", reports / "test-town" / "agency.yml", reports / "test-town",
                   reports, Path("..") if cwd != "elsewhere" else reports, Path(".")):
        relative = os.path.relpath(target)
        assert display_path(target) == (str(target) if relative.startswith("..") else relative), target
