"""Numbers no report prints (issue 26): 5,000 digits (int() refuses past 4,300), 1e1000000 (past
Decimal's exponent limit: a sum raises), 1e300000 (a float of infinity), the year 9999 (no
following year for the deadline). The check refuses each where it stands; with the check
bypassed, check, export and build still end without a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import line_of, report_data, write_report
from test_site import bypassed_build, make_project
from nianbao.cli import main

DIGITS = "9" * 5000
PAYLOADS = [
    ("licensing", DIGITS), ("new_received", DIGITS), ("fees", DIGITS), ("fees", f'"{DIGITS}"'),
    ("licensing", "1e1000000"), ("new_received", "1e1000000"), ("fees", "-1e1000000"), ("fees", "1e300000"),
    ("new_received", "1.5e400"), ("fees", "1e-1000000"), ("fees", f"0.{DIGITS}"), ("fees", "1000000000000000"),
    ("fees", '"１２３４５６７８９０１２３４５６７"'), ("fees", f'"{DIGITS}元"'),
]


def with_cell(reports: Path, key: str, payload: str, year: int = 2022) -> tuple[Path, int, int]:
    """A report whose first cell of row `key` is `payload`; the cell's line and column."""
    path = write_report(reports, report_data(slug="test-town", year=year))
    text, count = re.subn(rf"(\n *{key}: +\[)[^,\]]*", lambda m: m.group(1) + payload, path.read_text(encoding="utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")
    line = line_of(path, f"{key}:")
    return path, line, text.splitlines()[line - 1].index("[") + 2


@pytest.mark.parametrize("key, payload", PAYLOADS, ids=lambda v: v[:12])
def test_a_number_no_report_prints_is_a_located_error(reports, capsys, key, payload):
    path, line, col = with_cell(reports, key, payload)
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    assert f"2022.yml:{line}:{col}: error[FMT-VALUE]" in out, out[-2000:]
    assert "位数过多" in out or "超出范围" in out


@pytest.mark.parametrize("payload", ["123456789012345", "-5", "1.25", "99999999999999.5", '"251000元"', '"-"', "1e3"])
def test_numbers_a_report_prints_pass(reports, capsys, payload):
    with_cell(reports, "fees", payload)
    main(["check", str(reports)])
    assert "FMT-VALUE" not in capsys.readouterr().out


@pytest.mark.parametrize("year", [9999, 2100, 2007, 1000])
def test_a_year_outside_the_regulations_is_a_located_error(reports, capsys, year):
    data = report_data(slug="test-town", year=year) | {"published": "2023-01-20"}
    write_report(reports, data)
    assert main(["check", str(reports)]) == 1
    out = capsys.readouterr().out
    assert f"test-town/{year}.yml:1:1: error[FMT-PATH] 年度 {year} 不在 2008–2099 之间" in out


# -- with the check bypassed --------------------------------------------------------------------

@pytest.fixture
def bypassed(monkeypatch):
    """What a value could do had it got past the check: no number or year bound, no cache."""
    from nianbao.core import load, numbers, schema

    monkeypatch.setattr(schema.numbers, "number_problem", lambda text: None)
    monkeypatch.setattr(load.numbers, "YEARS", range(1, 10000))
    monkeypatch.setenv("NIANBAO_CACHE", "off")
    monkeypatch.setenv("NIANBAO_JOBS", "1")
    return numbers


@pytest.mark.parametrize("key, payload", PAYLOADS, ids=lambda v: v[:12])
def test_check_and_export_survive_a_number_past_the_bounds(reports, tmp_path, capsys, bypassed, key, payload):
    with_cell(reports, key, payload)
    assert main(["check", str(reports)]) in (0, 1)
    for form in ("csv-long", "csv-wide"):
        out = tmp_path / f"{form}.csv"
        assert main(["export", str(reports), "--format", form, "--out", str(out)]) in (0, 1)
        assert payload.strip('"') in out.read_text(encoding="utf-8-sig")  # the cell as printed


def test_check_survives_the_year_9999(reports, capsys, bypassed):
    write_report(reports, report_data(slug="test-town", year=9999) | {"published": "2023-01-20"})
    assert main(["check", str(reports)]) in (0, 1)
    assert "2023-01-20" not in capsys.readouterr().err


BYPASS = """
from nianbao.core import load, numbers, schema
schema.numbers.number_problem = lambda text: None
load.numbers.YEARS = range(1, 10000)
"""


@pytest.mark.parametrize("key, payload", [("new_received", "1e1000000"), ("fees", "1e300000"), ("licensing", DIGITS)],
                         ids=lambda v: v[:12])
def test_a_build_whose_check_was_bypassed_does_not_crash(tmp_path, key, payload):
    project = make_project(tmp_path, seed=False)
    path, line, col = with_cell(project / "reports", key, payload)
    # Every rule acknowledged that a figure past the bounds breaks, so that the build goes on to the pages.
    text = path.read_text(encoding="utf-8") + "acknowledged:\n" + "".join(
        f"  - rule: {rule}\n    reason: 测试\n" for rule in ("NN", "T3-ROW", "T3-RES", "T3-BAL", "PLAUSIBLE", "BLANK"))
    path.write_text(text, encoding="utf-8")
    done = bypassed_build(project, BYPASS, NIANBAO_CACHE="off")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    page = (project / "site" / "test-town" / "2022" / "index.html").read_text(encoding="utf-8")
    assert payload[:100] in page  # shown as printed
    data = json.loads((project / "site" / "test-town" / "2022" / "data.json").read_text(encoding="utf-8"))
    cell = data["tables"]["t3" if key == "new_received" else "t2"][key]
    assert next(iter(cell.values())) == {"value": payload, "number": None}  # as printed, no number made of it
