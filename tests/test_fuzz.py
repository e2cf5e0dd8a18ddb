"""Malformed reports of every kind: `check` and the build locate a problem and never raise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.core.check import check_path
from nianbao.cli import main

from conftest import report_data, write_report
from test_site import build, make_project

VALID = None


def valid_text() -> str:
    global VALID
    if VALID is None:
        with tempfile.TemporaryDirectory() as folder:
            VALID = write_report(Path(folder), report_data()).read_text(encoding="utf-8")
    return VALID


def mutations(draw_text: str, data) -> tuple[bytes, bool]:
    """A malformed version of a valid report, and whether it must produce an error."""
    text = valid_text()
    kind = data.draw(st.sampled_from(["truncate", "insert", "cell", "encoding", "duplicate", "nest", "bytes"]))
    if kind == "truncate":
        cut = data.draw(st.integers(0, len(text) - 1))
        return text[:cut].encode("utf-8"), cut < text.index("t4:")
    if kind == "insert":
        at = data.draw(st.integers(0, len(text)))
        junk = data.draw(st.text(alphabet=":[]{}&*!|>'\"%@`#\t\n -,?０１２abc测试", min_size=1, max_size=8))
        return (text[:at] + junk + text[at:]).encode("utf-8"), False
    if kind == "cell":
        value = data.draw(st.sampled_from(["1" + "0" * 40, "-7", "3.5", "１２", "是", "yes", "[1, 2]",
                                           "{a: 1}", "!!binary aGk=", "*x", "&x 1", "''", "~", "1e400", "0x1F"]))
        return text.replace("[10,", f"[{value},", 1).encode("utf-8"), value in ("yes", "[1, 2]", "{a: 1}",
                                                                               "!!binary aGk=", "*x")
    if kind == "encoding":
        codec = data.draw(st.sampled_from(["gbk", "utf-16", "utf-8-sig", "crlf"]))
        if codec == "crlf":
            return text.replace("\n", "\r\n").encode("utf-8"), False
        return text.encode(codec), codec in ("gbk", "utf-16")
    if kind == "duplicate":
        lines = text.splitlines(keepends=True)
        keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
        i = data.draw(st.sampled_from(keyed))
        return "".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]).encode("utf-8"), True
    if kind == "nest":
        depth = data.draw(st.integers(10, 3000))
        return text.replace("[10,", "[" * depth + "10" + "]" * depth + ",", 1).encode("utf-8"), True
    return data.draw(st.binary(min_size=1, max_size=200)), False


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_check_never_raises_and_locates_every_problem(data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write_report(root, report_data())
        raw, must_fail = mutations("", data)
        path.write_bytes(raw)
        result = check_path(root)
        lines = raw.count(b"\n") + 2
        for problem in result.problems:
            assert problem.rule and problem.message
            assert 1 <= problem.line <= lines and problem.col >= 1, problem
        if must_fail:
            assert any(p.level == "error" for p in result.problems)


def test_cli_exit_codes_on_garbage(tmp_path, capsys):
    path = write_report(tmp_path, report_data())
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FMT-ENCODING" in out and "Traceback" not in out


def test_build_locates_malformed_input_without_traceback(tmp_path):
    text = valid_text()
    cases = {
        "truncated": text[: text.index("t3:") + 30].encode("utf-8"),
        "gbk": text.encode("gbk"),
        "nested": text.replace("[10,", "[" * 500 + "10" + "]" * 500 + ",", 1).encode("utf-8"),
    }
    project = make_project(tmp_path, seed=False)
    for name, raw in cases.items():
        path = write_report(project / "reports", report_data(slug=f"case-{name}"))
        path.write_bytes(raw)
    done = build(project)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    for name in cases:
        assert f"case-{name}/2022.yml:" in done.stderr
