"""The fast reader of canonical report YAML gives exactly what the full YAML reader gives."""

from __future__ import annotations

import sys

import pytest

from nianbao import fastpath, located

from conftest import REPO, report_data, write_report

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


def same(text: str) -> bool:
    """True where the fast path took the file; it must then agree with the full reader exactly."""
    fast = fastpath.parse(text, located)
    if fast is None:
        return False
    full = located.parse(text, full=True)
    for attr in ("value", "marks", "key_marks", "texts"):
        assert getattr(fast, attr) == getattr(full, attr), attr
    return True


def test_generated_corpus_and_seed(tmp_path):
    generate(tmp_path / "corpus", 60, seed=7, problem_share=0.3)
    files = sorted((tmp_path / "corpus").rglob("*.yml")) + sorted((REPO / "reports").rglob("*.yml"))
    taken = [same(f.read_text(encoding="utf-8")) for f in files]
    assert sum(taken) >= len(files) * 0.8  # the canonical majority takes the fast path


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
