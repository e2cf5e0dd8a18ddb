"""`nianbao check` split among worker processes prints exactly what one process prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


def check(reports: Path, jobs: int, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NIANBAO_JOBS=str(jobs), NIANBAO_CACHE="off")
    return subprocess.run([sys.executable, "-m", "nianbao", "check", *extra, str(reports)], env=env,
                          capture_output=True, text=True, timeout=300)


def test_workers_give_the_same_problems_in_the_same_order(tmp_path):
    reports = tmp_path / "reports"
    generate(reports, 520, seed=3, problem_share=0.2)  # 104 agencies, both editions, problems included
    broken = next(reports.glob("*/2021.yml"))
    broken.write_text(broken.read_text(encoding="utf-8").replace("year: 2021", "year: [2021"), encoding="utf-8")
    (reports / "stray.txt").write_text("not an agency folder\n", encoding="utf-8")
    one, three = check(reports, 1), check(reports, 3)
    assert one.returncode == three.returncode == 1
    assert one.stdout == three.stdout
    lines = one.stdout.splitlines()
    assert sum(1 for line in lines if "error[FMT-YAML]" in line and str(broken.name) in line) == 1
    assert sum(1 for line in lines if line.startswith(str(reports / "stray.txt"))) == 1  # reported once
    assert lines[-1].startswith("检查了 104 个机构的 519 份报告")


def test_the_builds_rule_workers_find_what_one_process_finds(tmp_path):
    """The build loads the corpus once and runs the rules in forked workers that share it."""
    from nianbao.core import check, parallel

    reports = tmp_path / "reports"
    generate(reports, 520, seed=4, problem_share=0.2)
    one, three = check.check_path(reports), parallel.check_path(reports, jobs=3)
    assert [p.format() for p in one.problems] == [p.format() for p in three.problems]
    assert len(one.problems) > 100
    assert {k: [p.format() for p in v] for k, v in one.by_report.items()} == \
        {k: [p.format() for p in v] for k, v in three.by_report.items()}
    assert [p.acknowledged for p in one.problems] == [p.acknowledged for p in three.problems]
