"""Pasted-text layouts seen on real portals, damaged PDF text, and batch import: the seed still
imports cell for cell, and nothing is read wrong without a flag."""

from __future__ import annotations

import re

import pytest

from nianbao.cli import main
from nianbao.importer import import_report

from conftest import FIXTURES
from test_import import same_tables_as_seed

SEED = (FIXTURES / "samples" / "luoyuan-songshan-2019.txt").read_text(encoding="utf-8")
HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})


def split(text: str) -> tuple[str, list[str], str]:
    """The text before the tables, the tables' cells one by one, and the text after."""
    start, end = text.index("二、主动公开政府信息情况"), text.index("五、存在的主要问题")
    cells = [line.strip(" ") for line in text[start:end].split("\n") if line != ""]
    return text[:start], cells, text[end:]


def pipes(text: str) -> str:
    """Every cell followed by a line holding only “|”; half-width punctuation in the labels."""
    head, cells, tail = split(text)
    return head + "".join(f"{c.translate(HALF_WIDTH)}\n|\n" for c in cells) + tail


def blank_lines(text: str) -> str:
    """Cells separated by blank lines, with leading spaces; long labels broken over two lines."""
    head, cells, tail = split(text)
    out = []
    for cell in cells:
        if len(cell) > 12 and not re.fullmatch(r"[\d\s\u00a0]+", cell):
            cell = cell[:len(cell) // 2] + "\n   " + cell[len(cell) // 2:]
        out.append("    " + cell)
    return head + "\n\n".join(out) + "\n\n" + tail


def tabs(text: str) -> str:
    """A spreadsheet pasted as text: the cells of each printed row separated by tabs."""
    head, cells, tail = split(text)
    rows, row = [], []
    for cell in cells:
        if row and not re.fullmatch(r"[\d\s\u00a0]*", cell):
            rows.append(row)
            row = []
        row.append(cell.strip() if cell.strip(" \u00a0") else "")
    rows.append(row)
    return head + "\n".join("\t".join(r) for r in rows) + "\n" + tail


def import_text(tmp_path, text: str, name: str = "layout.txt"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_report(source, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                         region="福建省/福州市/罗源县")


@pytest.mark.parametrize("layout", [pipes, blank_lines, tabs])
def test_each_pasted_layout_imports_the_seed_cell_for_cell(tmp_path, layout):
    result = import_text(tmp_path, layout(SEED))
    assert result.counts == {"certain": 198, "solved": 0, "uncertain": 0}
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
    md = (tmp_path / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    assert "我镇主动公开政府信息16条" in md and "## 五、存在的主要问题及改进情况" in md


def test_table_four_header_broken_over_a_dozen_lines_still_gives_its_row(tmp_path):
    head, cells, tail = split(SEED)
    at = cells.index("行政复议")
    header = "".join(c for c in cells[at:at + 19])
    broken = [header[i:i + 3] for i in range(0, len(header), 3)]  # PDF text: three characters a line
    text = head + "\n\n".join("  " + c for c in cells[:at] + broken + cells[at + 19:]) + "\n\n" + tail
    result = import_text(tmp_path, text)
    assert result.counts["uncertain"] == 0
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
