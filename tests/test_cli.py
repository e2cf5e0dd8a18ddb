"""`nianbao check` as an editor runs it: output lines, summary, exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from nianbao.cli import main

from conftest import REPO, line_of, report_data, write_report

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning|info)\[(?P<rule>[A-Z0-9-]+)\] .+")


def run(capsys, *args):
    code = main(["check", *map(str, args)])
    out = capsys.readouterr().out.splitlines()
    return code, out


def test_clean_report_exits_0(capsys, reports):
    write_report(reports, report_data())
    code, out = run(capsys, reports)
    assert code == 0
    assert out == ["检查了 1 个机构的 1 份报告：0 个错误，0 个警告，0 个提示。通过。"]


def test_every_problem_one_line_sorted_then_summary(capsys, reports):
    data = report_data()
    data["t3"]["granted"][1] = 2
    data["t2"]["coercion"] = [None]
    write_report(reports, data)
    code, out = run(capsys, reports)
    assert code == 1
    problems, summary = out[:-1], out[-1]
    assert all(LINE.match(line) for line in problems)
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in map(LINE.match, problems)]
    assert keys == sorted(keys)
    assert {LINE.match(line)["rule"] for line in problems} == {"T3-ROW", "T3-RES", "BLANK"}
    assert summary.startswith("检查了 1 个机构的 1 份报告：") and summary.endswith("未通过。")


def test_warnings_alone_do_not_fail(capsys, reports):
    data = report_data()
    data["t2"]["coercion"] = [None]
    write_report(reports, data)
    code, out = run(capsys, reports)
    assert code == 0 and "1 个警告" in out[-1]


def test_github_format(capsys, reports):
    data = report_data()
    data["t4"]["cases"][4] = 0
    path = write_report(reports, data)
    code = main(["check", "--format", "github", str(reports)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith("::error file=")
    assert f",line={line_of(path, 'cases:')}," in out[0] and ",title=T4-SUM::" in out[0]


def test_single_file_still_checks_across_years(capsys, reports):
    write_report(reports, report_data(year=2022))
    data = report_data(year=2023)
    data["t3"]["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    data["t3"]["new_received"] = [9, 2, 0, 0, 1, 0, 12]
    path = write_report(reports, data)
    code, out = run(capsys, path)
    assert code == 0
    assert any("[XY-CARRY]" in line for line in out)
    assert all("2022.yml" not in line for line in out)


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    code = main(["check", str(tmp_path / "nope")])
    assert code == 2
    assert "找不到" in capsys.readouterr().err


def test_changed_seed_cell_fails_at_that_line(capsys, seed_copy):
    """Done-when of issue 2: one 自然人 cell changed -> the T3 rules fail at that cell's line."""
    path = seed_copy / "luoyuan-songshan" / "2019.yml"
    text = path.read_text(encoding="utf-8")
    row = next(row for row in text.splitlines() if row.strip().startswith("new_received:"))
    path.write_text(text.replace(row, row.replace("[0,", "[3,", 1)), encoding="utf-8")
    code, out = run(capsys, seed_copy)
    assert code == 1
    line = line_of(path, "new_received:")
    failing = [LINE.match(line) for line in out if " error[" in line]
    assert {m["rule"] for m in failing} == {"T3-BAL"}
    assert all(int(m["line"]) == line for m in failing)


def test_console_script_runs_in_repo():
    env = dict(os.environ, PYTHONPATH=str(REPO / "hooks"))
    done = subprocess.run([sys.executable, "-m", "nianbao", "check"], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].endswith("通过。")


def test_output_cut_short_by_head_is_no_traceback(tmp_path):
    """`nianbao check | head -1`: the reader closes the pipe after one line."""
    reports = tmp_path / "reports"
    generate(reports, 600, seed=3, problem_share=1.0)  # problem lines well past a pipe's 64 KB
    env = dict(os.environ, PYTHONPATH=str(REPO / "hooks"))
    with subprocess.Popen([sys.executable, "-m", "nianbao", "check", str(reports)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.readline()
        process.stdout.close()  # what `head -1` does
        stderr = process.stderr.read().decode("utf-8")
        process.wait(timeout=60)
    assert "Traceback" not in stderr, stderr
