"""CSV formula injection (issue 26): a text that Excel or LibreOffice would run as a formula —
= + - @, a tab or a carriage return first — is refused by the check wherever it stands (metadata
FMT-TEXT, table cells FMT-VALUE), and no CSV the project writes holds one even when the check was
bypassed: the writer puts an apostrophe before it (OWASP), and reading the long CSV undoes that."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import line_of, report_data, write_report
from test_site import bypassed_build, make_project
from nianbao.cli import main
from nianbao.core.fields import formula_start
from nianbao.data import export

DDE = "-2+3+cmd|' /C calc'!A0"
FORMULAS = ["=1+1", DDE, "+cmd|' /C notepad'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1",
            "-5元", "=HYPERLINK(\"https://evil.example\",\"点击\")"]
NOT_FORMULAS = ["-", "--", " - ", "-5", "+1.25", "-12.5%", "—", "－", "无", "/", "12", "251000元", "1-2", "a=b", "'x"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_found(text):
    assert formula_start(text)


@pytest.mark.parametrize("text", NOT_FORMULAS)
def test_numbers_and_placeholders_are_not_formulas(text):
    assert not formula_start(text)


@pytest.mark.parametrize("key", ["title", "index_no", "doc_no"])
@pytest.mark.parametrize("value", [DDE, "-x", "\t=1", " @x"])
def test_a_formula_in_a_metadata_text_is_a_located_error(reports, capsys, key, value):
    path = write_report(reports, report_data(slug="test-town", year=2022) | {key: value})
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"2022\.yml:{line_of(path, key + ':')}:\d+: error\[FMT-TEXT\] .*会被当作公式执行", out), out


@pytest.mark.parametrize("value", [DDE, "-x"])
def test_a_formula_in_an_agency_name_or_region_is_a_located_error(reports, capsys, value):
    path = write_report(reports, report_data(slug="test-town", year=2022),
                        agency={"name": json.dumps(value), "kind": "乡镇", "region": json.dumps("测试省/" + value)})
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    agency = path.parent / "agency.yml"
    assert f"agency.yml:{line_of(agency, 'name:')}:7: error[FMT-TEXT]" in out
    assert f"agency.yml:{line_of(agency, 'region:')}:9: error[FMT-REGION]" in out


def with_cell(reports, value: str, ack: bool = False):
    path = write_report(reports, report_data(slug="test-town", year=2022))
    text = re.sub(r"(\n *fees: +\[)[^\]]*", lambda m: m.group(1) + json.dumps(value, ensure_ascii=False),
                  path.read_text(encoding="utf-8"))
    if ack:  # the cell is no number: NN, acknowledged so that a build goes on
        text += "acknowledged:\n  - rule: NN\n    reason: 测试\n"
    path.write_text(text, encoding="utf-8")
    line = line_of(path, "fees:")
    return path, line, text.splitlines()[line - 1].index("[") + 2


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_in_a_table_cell_is_a_located_error(reports, capsys, value):
    _, line, col = with_cell(reports, value, ack=True)
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    assert f"2022.yml:{line}:{col}: error[FMT-VALUE]" in out and "会被当作公式执行" in out, out


@pytest.mark.parametrize("value", ["-", "—", "无", "251000元", "-5"])
def test_placeholders_and_numbers_in_cells_pass(reports, capsys, value):
    with_cell(reports, value)
    main(["check", str(reports)])
    assert "FMT-VALUE" not in capsys.readouterr().out


def test_csv_writer_neutralizes_and_reading_undoes_it():
    values = FORMULAS + NOT_FORMULAS + ["'=1+1", "''-x", "'"]
    text = export.csv_lines([values])
    fields = next(csv.reader(io.StringIO(text, newline="")))
    assert [f for f in fields if formula_start(f)] == []
    assert [export.read_text(f) for f in fields] == values
    assert fields[values.index("-")] == "-" and fields[values.index("-5")] == "-5"  # the record as printed


def test_a_carriage_return_cannot_start_a_row_of_its_own():
    """csv quotes "\n" but not a lone "\r", where a spreadsheet starts a new row."""
    text = export.csv_lines([["a", "x\r=1+1", "b"], ["c", "d", "e"]])
    assert '"x\r=1+1"' in text  # inside quotes: the same field, the same row
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "x\r=1+1", "b"], ["c", "d", "e"]]


@pytest.mark.parametrize("value", ["x\r=1+1", "12\n=1+1", "\u202e21", "1\x1b"])
def test_a_control_character_in_a_table_cell_is_a_located_error(reports, capsys, value):
    _, line, col = with_cell(reports, value, ack=True)
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    assert f"2022.yml:{line}:{col}: error[FMT-VALUE]" in out and "字符" in out, out


# -- every CSV of a build whose check was bypassed ------------------------------------------

BYPASS = """
from nianbao.core import fields, numbers
for name in ("text_problem", "region_problem"):
    setattr(fields, name, lambda *args, **kwargs: None)
numbers.cell_text_problem = lambda text: None
"""


def test_no_csv_of_the_site_holds_a_formula_when_the_check_was_bypassed(tmp_path):
    project = make_project(tmp_path, seed=False)
    path, _, _ = with_cell(project / "reports", DDE, ack=True)
    (path.parent / "agency.yml").write_text(
        f"name: {json.dumps('@SUM(1+1)*cmd', ensure_ascii=False)}\nkind: 乡镇\nregion: 测试省/测试县\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace("title: ", 'title: "=HYPERLINK(1)"  # ', 1)
    path.write_text(text, encoding="utf-8")
    done = bypassed_build(project, BYPASS, NIANBAO_CACHE="off")
    assert done.returncode == 0, done.stderr[-3000:]
    files = list((project / "site").rglob("*.csv"))
    assert len(files) >= 4  # the long and wide tables, the report's tables.csv, the year's summary
    seen = set()
    for file in files:
        for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"), newline="")):
            assert [f for f in row if formula_start(f)] == [], file
            seen.update(f for f in row if f.startswith("'"))
    assert {"'" + DDE, "'@SUM(1+1)*cmd", "'=HYPERLINK(1)"} <= seen
    long = next(f for f in files if f.name.endswith("cells-long.csv"))
    cells = export.read_long_csv(long.read_text(encoding="utf-8"))
    assert cells[("test-town", 2022, "t2", "fees", "amount_wan_yuan")] == DDE  # read back as printed
