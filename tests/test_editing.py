"""Editors' tools: `new` scaffolds, `fmt` keeps comments and values, the JSON Schemas stay in step."""

from __future__ import annotations

import json

import jsonschema

from nianbao.core import located
from nianbao.core.check import check_path
import pytest

from nianbao.cli import main
from nianbao.data.schemas import all_schemas, render

from conftest import REPO, report_data, write_report


def test_new_scaffolds_the_right_edition_with_every_row_empty(tmp_path, capsys):
    reports = tmp_path / "reports"
    code = main(["new", "lianjiang-pandu", "2023", "--name", "连江县潘渡乡人民政府",
                 "--region", "福建省/福州市/连江县", "--reports", str(reports)])
    assert code == 0
    folder = reports / "lianjiang-pandu"
    agency = (folder / "agency.yml").read_text(encoding="utf-8")
    assert "kind: 乡镇" in agency
    text = (folder / "2023.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../docs/schemas/report-gov-2021.schema.json")
    assert "edition: gov-2021" in text and "other_no_fee:" in text and " 0" not in text.split("t2:")[1]
    md = (folder / "2023.md").read_text(encoding="utf-8")
    assert "## 六、其他需要报告的事项" in md
    result = check_path(reports)
    # The blank scaffold is readable but not publishable: one EMPTY error at table 二's first row, until filled in.
    assert [(p.rule, p.line) for p in result.problems if p.level == "error"] == \
        [("EMPTY", next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("  regulations:")))]
    # A new report has no publication date yet: the deadline cannot be checked (a note, not a guess).
    assert [(p.rule, p.level) for p in result.problems if p.rule not in ("BLANK", "EMPTY")] == [("DEADLINE", "info")]
    tables = result.corpus.reports[0].tables.values()
    blanks = [p for p in result.problems if p.rule == "BLANK"]
    assert len(blanks) == sum(len(cells) for rows in tables for cells in rows.values()) == 200
    filled = text.replace("new_received:        [null,", "new_received:        [0,   ", 1)
    assert filled != text
    (folder / "2023.yml").write_text(filled, encoding="utf-8")
    assert not [p for p in check_path(reports).problems if p.level == "error"]


def test_new_refuses_to_overwrite_and_needs_name_for_new_agency(tmp_path, capsys):
    reports = tmp_path / "reports"
    assert main(["new", "x-town", "2019", "--reports", str(reports)]) == 2
    assert "--name" in capsys.readouterr().err
    assert main(["new", "x-town", "2019", "--name", "某镇人民政府", "--region", "某省", "--reports", str(reports)]) == 0
    assert "gov-2019" in (reports / "x-town" / "2019.yml").read_text(encoding="utf-8")
    assert main(["new", "x-town", "2019", "--reports", str(reports)]) == 2
    assert "已存在" in capsys.readouterr().err


def test_fmt_keeps_comments_and_values_byte_for_byte_and_is_idempotent(reports, capsys):
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8")
    text = text.replace("  fees:                [1.25]", "  fees: [1.250000]   # 原文保留六位小数")
    text = text.replace("  granted:", "  # 编辑注：已与原文 PDF 核对\n  granted:")
    text = text.replace("[4,  ", "[ 4 ,")
    path.write_text(text, encoding="utf-8")
    before = located.parse(text)
    assert main(["fmt", "--check", str(reports)]) == 1
    assert main(["fmt", str(reports)]) == 0
    once = path.read_text(encoding="utf-8")
    assert "  fees:" in once and "[1.250000]  # 原文保留六位小数" in once
    assert "  # 编辑注：已与原文 PDF 核对\n  granted:" in once
    after = located.parse(once)
    assert after.value == before.value
    assert {k: v for k, v in after.texts.items() if k[0] in ("t2", "t3", "t4")} == \
        {k: v for k, v in before.texts.items() if k[0] in ("t2", "t3", "t4")}
    capsys.readouterr()
    assert main(["fmt", "--check", str(reports)]) == 0
    assert path.read_text(encoding="utf-8") == once


def test_fmt_leaves_the_repo_unchanged():
    assert main(["fmt", "--check", str(REPO / "reports")]) == 0


def test_fmt_refuses_a_broken_file(reports, capsys):
    path = write_report(reports, report_data())
    path.write_text(path.read_text(encoding="utf-8").replace("licensing:", "licensing"), encoding="utf-8")
    original = path.read_bytes()
    assert main(["fmt", str(reports)]) == 1
    assert "FMT-YAML" in capsys.readouterr().out
    assert path.read_bytes() == original


def test_committed_schemas_are_current():
    for name, schema in all_schemas().items():
        assert (REPO / "docs" / "schemas" / name).read_text(encoding="utf-8") == render(schema), \
            f"run `nianbao schema` to refresh docs/schemas/{name}"


def test_schema_accepts_the_seed_and_rejects_a_wrong_row():
    schemas = all_schemas()
    seed = located.parse((REPO / "reports" / "luoyuan-songshan" / "2019.yml").read_text(encoding="utf-8")).value
    jsonschema.validate(seed, schemas["report-gov-2019.schema.json"])
    agency = located.parse((REPO / "reports" / "luoyuan-songshan" / "agency.yml").read_text(encoding="utf-8"))
    jsonschema.validate(agency.value, schemas["agency.schema.json"])
    broken = json.loads(json.dumps(seed))
    broken["t3"]["granted"] = [0, 0]
    errors = list(jsonschema.Draft202012Validator(schemas["report-gov-2019.schema.json"]).iter_errors(broken))
    assert errors


def test_schema_accepts_gov_2021_reports_with_either_other_layout(reports):
    schema = all_schemas()["report-gov-2021.schema.json"]
    data = report_data()
    jsonschema.validate(located.parse(write_report(reports, data).read_text(encoding="utf-8")).value, schema)
    t3 = data["t3"]
    t3["other"] = [0] * 7
    for key in ("other_no_correction", "other_no_fee", "other_else"):
        del t3[key]
    data["agency"] = "one-row"
    jsonschema.validate(located.parse(write_report(reports, data).read_text(encoding="utf-8")).value, schema)


def test_fmt_tells_comments_from_text_that_looks_like_one(reports):
    """A quoted value may hold “#”, and a line of it may start with one; only real comments move."""
    path = write_report(reports, report_data())
    text = path.read_text(encoding="utf-8").replace(
        "title: 测试镇2022年政府信息公开工作年度报告",
        'title: "测试镇2022年 #1 号\n  # 政府信息公开工作年度报告"  # 原标题分两行')
    path.write_text(text, encoding="utf-8")
    assert main(["fmt", str(reports)]) == 0
    once = path.read_text(encoding="utf-8")
    assert 'title: "测试镇2022年 #1 号 # 政府信息公开工作年度报告"  # 原标题分两行' in once
    assert located.parse(once).value["title"] == "测试镇2022年 #1 号 # 政府信息公开工作年度报告"


@pytest.mark.parametrize("text", ["2020-13-45", "2021-02-30", "0000-00-00"])
def test_fmt_of_text_that_looks_like_a_date_but_is_none_quotes_it(reports, capsys, text):
    """An unquoted 2020-13-45 is text to the check; fmt used to stop with a traceback on it, and
    the form's writer wrote it unquoted."""
    from nianbao.editing import browser

    path = write_report(reports, report_data())
    path.write_text(path.read_text(encoding="utf-8").replace("\nt2:", f"\ndoc_no: {text}\nt2:", 1), encoding="utf-8")
    assert main(["fmt", str(reports)]) == 0
    assert f'doc_no: "{text}"' in path.read_text(encoding="utf-8")
    assert main(["fmt", "--check", str(reports)]) == 0
    state = {"agency": "ceshi-zhen", "year": 2022, "meta": {"published": "2023-01-15", "doc_no": text},
             "cells": {"t3": {"new_received": [text]}}}
    written = browser.form_files(state)["reports/ceshi-zhen/2022.yml"]
    assert f'doc_no: "{text}"' in written and f'["{text}"' in written.replace(" ", "")
