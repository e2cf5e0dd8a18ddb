"""The fast reader of canonical report YAML gives exactly what the full YAML reader gives."""

from __future__ import annotations

import sys

import pytest

from nianbao.core import fastpath, located, schema

from conftest import REPO, report_data, write_report

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


COMPARED: list[str] = []  # files whose cells were compared one by one


def same(text: str) -> bool:
    """True where the fast path took the file; it must then agree with the full reader exactly."""
    fast = fastpath.parse(text, located)
    if fast is None:
        return False
    full = located.parse(text, full=True)
    assert fast.value == full.value and fast.key_marks == full.key_marks
    # Rows the fast path made into cells leave their items out of marks and texts ...
    made = {path + (i,) for path, cells in fast.cells.items() for i in range(len(cells))}
    for attr in ("marks", "texts"):
        assert getattr(fast, attr) == {p: v for p, v in getattr(full, attr).items() if p not in made}, attr
    # ... and give exactly the cells the format check makes from the full reader's positions.
    slug, year = full.value.get("agency"), full.value.get("year")  # the file's own: no FMT-PATH to hide the rows
    fast_report = schema.check_report(fast, "r.yml", slug, year)
    full_report = schema.check_report(full, "r.yml", slug, year)
    assert fast_report.problems == full_report.problems
    if full_report.value is not None:
        COMPARED.append(text)
        for tid, rows in full_report.value["tables"].items():
            for row_id, cells in rows.items():
                got = fast_report.value["tables"][tid][row_id]
                assert [(c.value, c.text, c.line, c.col, c.number) for c in got] == \
                    [(c.value, c.text, c.line, c.col, c.number) for c in cells], (tid, row_id)
    return True


def test_generated_corpus_and_seed(tmp_path):
    generate(tmp_path / "corpus", 60, seed=7, problem_share=0.3)
    files = sorted((tmp_path / "corpus").rglob("*.yml")) + sorted((REPO / "reports").rglob("*.yml"))
    COMPARED.clear()
    taken = [same(f.read_text(encoding="utf-8")) for f in files]
    assert sum(taken) >= len(files) * 0.8  # the canonical majority takes the fast path
    assert len(COMPARED) >= len(files) * 0.7  # and most of those give a report whose cells are compared


@pytest.mark.parametrize("cells", [
    ["１２０"], ["/"], ["—"], ["无"], [-3], [1.250000], ["251000元"], [None], ["a, b"], ['say "hi"'],
    ["0x1F"], ["1_000"], ["yes"], ["# x"], ["- 1"], [" 3"], ["3 "], ["&a"], ["'q'"], ["1:30"],
])
def test_every_cell_form_agrees_or_falls_back(reports, cells):
    data = report_data()
    data["t2"]["coercion"] = cells
    path = write_report(reports, data)
    text = path.read_text(encoding="utf-8")
    same(text)
    for variant in (text.replace("coercion:            [", "coercion: ['", 1),
                    text.replace("licensing:", "licensing:   # 注释", 1),
                    text.replace("penalty:             [8]", "penalty: [8]  # 8 件", 1),
                    text.replace("year: 2022", "year: 2022\nyear: 2023", 1),
                    text.replace("title:", "title:\n  x:", 1)):
        same(variant)
