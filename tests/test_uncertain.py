"""A cell the importer could not read for sure stays marked in the YAML, is an error until an
editor decides, and is never published or exported as a blank (issue 27)."""

from __future__ import annotations

import shutil

import jsonschema
import pytest

from nianbao.cli import main
from nianbao.core import fastpath, located, schema
from nianbao.core.check import check_path
from nianbao.core.checkcache import CheckStore, check_cached
from nianbao.data import export
from nianbao.data.schemas import all_schemas
from nianbao.editing.fmt import format_file
from nianbao.editing.importer import import_report
from nianbao.site.render import render_table

from conftest import FIXTURES, REPO, line_of
from test_site import build, make_project

SAMPLE = FIXTURES / "samples" / "pingtan-2021.txt"  # 行政规范性文件 printed as 693665: three cells, no identity
MARKED = '{uncertain: "693665"}'
COLUMNS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}


@pytest.fixture
def draft(tmp_path):
    reports = tmp_path / "reports"
    import_report(SAMPLE, reports, "pingtan", 2021, name="平潭综合实验区管理委员会", region="福建省/平潭综合实验区")
    return reports


def uncertain_problems(reports):
    return [p for p in check_path(reports).problems if p.rule == "UNCERTAIN"]


def test_import_writes_the_marker_and_check_locates_each_cell(draft):
    yml = draft / "pingtan/2021.yml"
    line = next(row for row in yml.read_text(encoding="utf-8").splitlines() if "normative_documents:" in row)
    assert line.count(MARKED) == 3 and "null" not in line
    number = line_of(yml, "normative_documents:")
    result = check_path(draft)
    found = [p for p in result.problems if p.rule == "UNCERTAIN"]
    starts = [i + 1 for i in range(len(line)) if line.startswith(MARKED, i)]
    assert [(p.line, p.col, p.level) for p in found] == [(number, col, "error") for col in starts]
    for problem, label in zip(found, COLUMNS.values()):
        assert problem.message.startswith(f"表二“行政规范性文件”的“{label}”导入时未能确定")
        assert "“693665”" in problem.message and "null" in problem.message
    assert all(p in result.blocking for p in found)
    # never reported (nor shown) as a blank of the original
    assert not [p for p in result.problems if p.rule in ("BLANK", "NN") and p.line == number]


def test_an_editor_confirms_a_value_or_a_real_blank(draft):
    yml = draft / "pingtan/2021.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace(f"[{MARKED}, {MARKED}, {MARKED}]", "[69, 3, 665]"), encoding="utf-8")
    assert uncertain_problems(draft) == []
    report = check_path(draft).corpus.reports[0]
    assert [report.cell("t2", "normative_documents", c).number for c in COLUMNS] == [69, 3, 665]
    yml.write_text(text.replace(f"[{MARKED}, {MARKED}, {MARKED}]", "[69, null, 665]"), encoding="utf-8")
    result = check_path(draft)
    assert not [p for p in result.problems if p.rule == "UNCERTAIN"]
    assert [p.message for p in result.problems if p.rule == "BLANK"] == \
        ["“行政规范性文件”的“本年废止件数”空白（原文未填数字，不按 0 计算）"]


def test_the_marker_cannot_be_acknowledged(draft):
    yml = draft / "pingtan/2021.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "acknowledged:\n  - {rule: UNCERTAIN, reason: 看不清}\n",
                   encoding="utf-8")
    result = check_path(draft)
    assert any(p.rule == "FMT-VALUE" and "UNCERTAIN" in p.message and "不能确认" in p.message for p in result.blocking)


def test_fmt_both_readers_and_the_json_schema_keep_the_marker(draft):
    yml = draft / "pingtan/2021.yml"
    canonical = yml.read_text(encoding="utf-8")
    assert not format_file(yml).changed  # the importer writes the canonical layout, marker included
    # an editor's own spacing and an unquoted reading come back to the same canonical text
    yml.write_text(canonical.replace(f"[{MARKED}, ", "[ {uncertain: 693665},", 1), encoding="utf-8")
    outcome = format_file(yml)
    assert outcome.problems is None and outcome.text == canonical
    full, default = located.parse(canonical, full=True), located.parse(canonical)
    fast = fastpath.parse(canonical, located)
    assert fast is None or fast.value == full.value  # the fast path reads it exactly or leaves it to the full reader
    assert default.value == full.value and default.marks == full.marks and default.texts == full.texts
    cells = [schema.check_report(p, "r.yml", "pingtan", 2021).value["tables"]["t2"]["normative_documents"]
             for p in (full, default)]
    assert [(c.value.read, c.text, c.line, c.col, c.number, c.blank) for c in cells[0]] == \
        [(c.value.read, c.text, c.line, c.col, c.number, c.blank) for c in cells[1]] == \
        [("693665", "", c.line, c.col, None, False) for c in cells[0]]
    report_schema = all_schemas()["report-gov-2021.schema.json"]
    jsonschema.validate(full.value, report_schema)
    wrong = canonical.replace(MARKED, '{uncertain: "693665", value: 69}', 1)
    assert list(jsonschema.Draft202012Validator(report_schema).iter_errors(located.parse(wrong).value))
    found = schema.check_report(located.parse(wrong), "r.yml", "pingtan", 2021).problems
    assert [p.rule for p in found] == ["FMT-TYPE"] and "{uncertain: …}" in found[0].message


def test_the_check_cache_keeps_the_marker(draft, tmp_path):
    cold = check_cached(draft, None, 1, CheckStore(tmp_path / "cache"))
    again = CheckStore(tmp_path / "cache")
    warm = check_cached(draft, None, 1, again)
    assert again.reused == 1  # the entry holding the marked cells was read back, not refused
    assert [p.format() for p in warm.problems if p.rule == "UNCERTAIN"] == \
        [p.format() for p in cold.problems if p.rule == "UNCERTAIN"] != []


def test_never_drawn_or_exported_as_a_blank(draft, tmp_path, capsys):
    report = check_path(draft).corpus.reports[0]
    html = render_table(report, "t2")
    row = html[html.index("行政规范性文件"):html.index("第二十条第（五）项")]
    assert row.count('class="nb-num nb-uncertain"') == 3 and "原文空白" not in row
    # A visible ？ with its meaning in the legend above the table, not only in a tooltip.
    assert row.count(">？</td>") == 3 and "？ 导入时未能确定，尚待对照原文核对" in html[:html.index("<table")]
    with pytest.raises(export.Unconfirmed):
        export.long_rows(report)
    with pytest.raises(export.Unconfirmed):
        export.report_json(report, None, [])
    out = tmp_path / "cells.csv"
    assert main(["export", str(draft / "pingtan"), "--format", "csv-long", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("error[UNCERTAIN]") == 3 and "未导出" in err
    assert not out.exists()


def test_a_build_that_meets_one_stops_with_the_error(tmp_path, draft):
    project = make_project(tmp_path, seed=False)
    shutil.copytree(draft / "pingtan", project / "reports" / "pingtan")
    done = build(project)
    assert done.returncode != 0
    assert "UNCERTAIN" in done.stderr and "报告检查未通过" in done.stderr
    assert not (project / "site" / "pingtan" / "2021").exists()


def test_rules_page_documents_the_rule():
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "### UNCERTAIN {#uncertain}" in text
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "{uncertain:" in guide
