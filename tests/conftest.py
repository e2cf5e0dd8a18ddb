"""Shared fixtures: small, consistent reports written in the repo's own format."""

from __future__ import annotations

import copy
import os
import tempfile
import shutil
from pathlib import Path

import pytest

from nianbao.editing import dump
from nianbao.core import editions

REPO = Path(__file__).resolve().parent.parent


_TEST_CACHE: list[str] = []


def pytest_configure(config):
    # Keep the parse cache of the tests away from the user's own (~/.cache/nianbao).
    if "NIANBAO_CACHE" not in os.environ:
        _TEST_CACHE.append(tempfile.mkdtemp(prefix="nianbao-cache-"))
        os.environ["NIANBAO_CACHE"] = _TEST_CACHE[0]


def pytest_unconfigure(config):
    for folder in _TEST_CACHE:  # one per test run, not left behind in /tmp
        shutil.rmtree(folder, ignore_errors=True)
FIXTURES = Path(__file__).resolve().parent / "fixtures"

T3_2021 = {
    # natural, commercial, research, social, legal, other, total
    "new_received": [10, 2, 0, 0, 1, 0, 13],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [4, 1, 0, 0, 0, 0, 5],
    "partial": [1, 0, 0, 0, 0, 0, 1],
    "denied_secret": [0, 0, 0, 0, 0, 0, 0],
    "denied_law": [0, 0, 0, 0, 0, 0, 0],
    "denied_safety": [0, 0, 0, 0, 0, 0, 0],
    "denied_third_party": [1, 0, 0, 0, 0, 0, 1],
    "denied_internal": [0, 0, 0, 0, 0, 0, 0],
    "denied_process": [0, 0, 0, 0, 0, 0, 0],
    "denied_case_file": [0, 0, 0, 0, 0, 0, 0],
    "denied_query": [0, 0, 0, 0, 0, 0, 0],
    "unable_no_info": [3, 1, 0, 0, 1, 0, 5],
    "unable_create": [0, 0, 0, 0, 0, 0, 0],
    "unable_unclear": [0, 0, 0, 0, 0, 0, 0],
    "ignored_petition": [1, 0, 0, 0, 0, 0, 1],
    "ignored_repeat": [0, 0, 0, 0, 0, 0, 0],
    "ignored_publication": [0, 0, 0, 0, 0, 0, 0],
    "ignored_massive": [0, 0, 0, 0, 0, 0, 0],
    "ignored_confirm": [0, 0, 0, 0, 0, 0, 0],
    "other_no_correction": [0, 0, 0, 0, 0, 0, 0],
    "other_no_fee": [0, 0, 0, 0, 0, 0, 0],
    "other_else": [0, 0, 0, 0, 0, 0, 0],
    "total": [10, 2, 0, 0, 1, 0, 13],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}


def report_data(slug: str = "test-town", year: int = 2022) -> dict:
    """A gov-2021 report whose every identity holds."""
    return {
        "agency": slug, "year": year, "edition": "gov-2021",
        "title": f"测试镇{year}年政府信息公开工作年度报告", "published": f"{year + 1}-01-20",
        "t2": {"regulations": [0, 0, 0], "normative_documents": [3, 1, 12], "licensing": [120],
               "penalty": [8], "coercion": [0], "fees": [1.25]},
        "t3": copy.deepcopy(T3_2021),
        "t4": {"cases": [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]},
    }


def write_report(root: Path, data: dict, narrative: str | None = "## 一、总体情况\n\n本年度工作情况。\n",
                 agency: dict | None = None) -> Path:
    folder = root / data["agency"]
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "agency.yml").exists():
        agency = agency or {"name": "测试县测试镇人民政府", "kind": "乡镇", "region": "测试省/测试市/测试县"}
        (folder / "agency.yml").write_text("".join(f"{k}: {v}\n" for k, v in agency.items()), encoding="utf-8")
    edition = editions.get(data["edition"])
    path = folder / f"{data['year']}.yml"
    path.write_text(dump.report_yaml(data, edition), encoding="utf-8")
    if narrative is not None:
        path.with_suffix(".md").write_text(narrative, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def reports(tmp_path) -> Path:
    root = tmp_path / "reports"
    root.mkdir()
    return root


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A reports/ folder holding a copy of the hand-entered seed."""
    target = tmp_path / "reports"
    shutil.copytree(REPO / "reports" / "luoyuan-songshan", target / "luoyuan-songshan")
    return target
