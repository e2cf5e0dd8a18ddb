"""A build holds each checked report light: its numbers answer as its cells do, and its cells and
narrative come back from the check cache (or the folder) exactly as read."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO
from nianbao.core import figures, held
from nianbao.core.check import check_path
from nianbao.core.checkcache import CheckStore, check_cached

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("held") / "reports"
    generate(root, 40, seed=11, problem_share=0.3)
    shutil.copytree(REPO / "reports" / "luoyuan-songshan", root / "luoyuan-songshan")
    # One 2021-edition report prints （六） as the single row 其他处理, in place of its three rows.
    table = next(p for p in sorted(root.glob("*/2022.yml")) if "other_else:" in p.read_text(encoding="utf-8"))
    text = re.sub(r"\n  other_no_correction: .*\n  other_no_fee: .*\n  other_else: (.*)",
                  r"\n  other: \1", table.read_text(encoding="utf-8"), count=1)
    table.write_text(text, encoding="utf-8")
    return root


def every_key(report):
    for tid, table in report.edition.tables.items():
        for row in [r.id for r in table.rows] + list(table.alternatives):
            for col in table.columns_of(row):
                yield tid, row, col.id


def test_checked_reports_are_light_and_give_back_their_cells_as_read(reports, tmp_path):
    fresh = check_path(reports)
    for damaged in (False, True):
        store = CheckStore(tmp_path / f"cache-{damaged}")
        light = check_cached(reports, None, 1, store)
        if damaged:  # entries whose cells cannot be read: the folders are read again
            for entry in store.folder.rglob("*"):
                if entry.is_file():
                    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size * 2 // 3])
        assert len(light.corpus.reports) == len(fresh.corpus.reports) > 30
        for mine, theirs in zip(light.corpus.reports, fresh.corpus.reports):
            assert mine.__dict__["_tables"] is None and mine.__dict__["_narrative"] is None
            assert mine.narrative == theirs.narrative and mine.narrative
            assert [(t.id, r, c.id, x.value, x.text, x.line, x.col) for t, r, c, x in mine.cells()] == \
                   [(t.id, r, c.id, x.value, x.text, x.line, x.col) for t, r, c, x in theirs.cells()]
            assert mine.__dict__["_tables"] is None  # nothing kept once asked
        held.use(None)


def test_a_light_reports_numbers_answer_as_its_cells_do(reports, tmp_path):
    fresh = check_path(reports)
    light = check_cached(reports, None, 1, CheckStore(tmp_path / "cache"))
    merged = 0
    for mine, theirs in zip(light.corpus.reports, fresh.corpus.reports):
        keys = list(every_key(theirs))
        assert [mine.number(*k) for k in keys] == [theirs.number(*k) for k in keys]
        assert any(theirs.number(*k) is not None for k in keys)
        assert mine.row_ids("t3") == theirs.row_ids("t3")
        assert list(mine.numbered()) == list(theirs.numbered())
        assert figures.key_values(mine) == figures.key_values(theirs)
        assert [(r.name, r.value) for r in figures.rates(mine)] == [(r.name, r.value) for r in figures.rates(theirs)]
        assert figures.outcomes(mine) == figures.outcomes(theirs)
        merged += theirs.edition.id == "gov-2021" and "other" in theirs.row_ids("t3")
    assert merged == 1  # the report printing （六） as one row
    sums = figures.cell_sums(light.corpus.reports), figures.cell_sums(fresh.corpus.reports)
    assert {k: (t.value, t.complete, t.terms) for k, t in sums[0].items()} == \
           {k: (t.value, t.complete, t.terms) for k, t in sums[1].items()}
    # Whole numbers are packed 4 bytes each; a fee such as 373.47 is kept beside them as a Decimal.
    kinds = {type(r.numbers).__name__ for r in light.corpus.reports}
    assert kinds == {"array", "tuple"} and all(len(r.numbers) == 2 for r in light.corpus.reports
                                               if type(r.numbers) is tuple)
    # Reports printed the same way share one layout: a province's archive holds a handful.
    assert len({id(r.layout) for r in light.corpus.reports}) < len(light.corpus.reports) / 10
    held.use(None)
