"""A rebuild reads and checks only the agencies whose folders changed, with the same problems."""

from __future__ import annotations

import pickle
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO
from nianbao.core.check import check_path
from nianbao.core.checkcache import CheckStore, check_cached, store_on_every_core

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


def seen(result) -> tuple:
    """What a user of the result sees: every problem as printed, the reports, the agencies."""
    return ([p.format() for p in result.problems],
            [(r.key, r.path, r.kind, [c.text for *_, c in r.cells()]) for r in result.corpus.reports],
            {slug: (a.name, a.region) for slug, a in result.corpus.agencies.items()},
            {key: [p.format() for p in found] for key, found in result.by_report.items()})


@pytest.fixture
def reports(tmp_path) -> Path:
    root = tmp_path / "reports"
    generate(root, 40, seed=7, problem_share=0.3)
    shutil.copytree(REPO / "reports" / "luoyuan-songshan", root / "luoyuan-songshan")
    (root / "stray.txt").write_text("not an agency\n", encoding="utf-8")  # a problem outside every folder
    (root / "luoyuan-songshan" / "notes.txt").write_text("草稿\n", encoding="utf-8")  # one inside a folder
    return root


def test_cached_and_fresh_checks_find_the_same_problems(reports, tmp_path):
    store = CheckStore(tmp_path / "cache")
    cold = check_cached(reports, None, 1, store)
    assert (store.read, store.reused) == (len(cold.corpus.agencies), 0)
    again = CheckStore(tmp_path / "cache")
    warm = check_cached(reports, None, 1, again)
    assert (again.read, again.reused) == (0, len(cold.corpus.agencies))
    fresh = check_path(reports)
    assert any(p.level != "info" for p in fresh.problems)  # the corpus has problems to compare
    assert {"stray.txt", "notes.txt"} <= {Path(p.path).name for p in fresh.problems}
    assert seen(cold) == seen(warm) == seen(fresh)
    assert warm.corpus.reports[0].edition is fresh.corpus.reports[0].edition


def test_a_cold_check_on_every_core_is_read_and_stored_by_the_workers(tmp_path):
    root = tmp_path / "reports"
    generate(root, 600, seed=3, problem_share=0.3)  # enough agencies for the workers to be used
    (root / "stray.txt").write_text("not an agency\n", encoding="utf-8")
    store = CheckStore(tmp_path / "cache")
    keys = {folder.name: store.key(folder) for folder in sorted(root.iterdir()) if folder.is_dir()}
    assert len(keys) >= 100 and store_on_every_core(root, keys, 2, store)
    assert all(store.path(key).is_file() for key in keys.values())
    again = CheckStore(tmp_path / "cache")
    assert seen(check_cached(root, None, 2, again)) == seen(check_path(root)) and again.read == 0
    cold = CheckStore(tmp_path / "other-cache")  # the whole cold path, through the workers
    assert seen(check_cached(root, None, 2, cold)) == seen(check_path(root)) and cold.read == len(keys)


def test_a_changed_report_is_checked_again_and_its_new_problem_located(reports, tmp_path):
    check_cached(reports, None, 1, CheckStore(tmp_path / "cache"))
    target = sorted(reports.glob("*/2021.yml"))[0]
    lines = target.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("new_received:"))
    lines[at] = lines[at].replace("[", "[9000", 1)  # 3 → 90003: the row no longer adds up
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = CheckStore(tmp_path / "cache")
    warm = check_cached(reports, None, 1, store)
    assert store.read == 1
    assert seen(warm) == seen(check_path(reports))
    mine = [p for p in warm.problems if p.path.endswith(f"{target.parent.name}/2021.yml") and p.line == at + 1]
    assert mine, "the changed row's problem, at its line"


def test_a_damaged_entry_is_checked_again(reports, tmp_path):
    check_cached(reports, None, 1, CheckStore(tmp_path / "cache"))
    victim = sorted((tmp_path / "cache").rglob("*"))[-1]
    assert victim.is_file()
    victim.write_bytes(victim.read_bytes()[:100])
    store = CheckStore(tmp_path / "cache")
    assert seen(check_cached(reports, None, 1, store)) == seen(check_path(reports))
    assert store.read == 1


class Planted:
    def __reduce__(self):
        return (Path.touch, (Path(MARKER),))


MARKER = ""


def test_a_planted_entry_never_runs_its_code(reports, tmp_path):
    global MARKER
    MARKER = str(tmp_path / "ran")
    check_cached(reports, None, 1, CheckStore(tmp_path / "cache"))
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(pickle.dumps(Planted()))
    store = CheckStore(tmp_path / "cache")
    assert seen(check_cached(reports, None, 1, store)) == seen(check_path(reports))
    assert not Path(MARKER).exists()
    assert store.reused == 0
