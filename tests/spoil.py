"""How tests/planted.py spoils a copy of a generated agency folder: small edits of the report YAML,
the narrative and agency.yml, in the canonical layout `nianbao fmt` and benchmarks/generate.py write
(one `  row: [a, b, c]` line per table row, one `key: value` line per top-level value). Each
spoiler returns the name of the file the check should report the mistake in."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Plant:
    """One report (or, for a folder mutation, one agency folder) about to be spoilt."""
    folder: Path
    year: int
    rng: random.Random
    original: dict[str, str]  # the folder's files as generated, before any mutation

    @property
    def yml(self) -> Path:
        return self.folder / f"{self.year}.yml"

    @property
    def md(self) -> Path:
        return self.folder / f"{self.year}.md"

    def edit(self, change: Callable[[str], str], path: Path | None = None) -> None:
        path = path or self.yml
        before = path.read_text(encoding="utf-8")
        after = change(before)
        # A mutation that no longer finds what it edits (the layout changed) must not pass silently.
        assert after != before, f"{path.name}: the mutation changed nothing"
        path.write_text(after, encoding="utf-8")

    def gov2021(self) -> bool:
        return "edition: gov-2021" in self.yml.read_text(encoding="utf-8")


Spoiler = Callable[[Plant], str]

# -- the report YAML as text ---------------------------------------------------------------


def row_pattern(row: str) -> re.Pattern:
    return re.compile(rf"^  {row}: +\[(.*)\]$", re.M)


def items(text: str, row: str) -> list[str]:
    return [item.strip() for item in row_pattern(row).search(text).group(1).split(",")]


def set_row(text: str, row: str, values: list) -> str:
    line = f"  {row}: [{', '.join(map(str, values))}]"
    return row_pattern(row).sub(lambda m: line, text, count=1)


def set_cell(text: str, row: str, i: int, value) -> str:
    values = items(text, row)
    values[i] = value
    return set_row(text, row, values)


def bump(text: str, row: str, *columns: int, by: int = 1) -> str:
    values = items(text, row)
    for i in columns:
        values[i] = int(values[i]) + by
    return set_row(text, row, values)


def set_key(text: str, key: str, value: str) -> str:
    return re.sub(rf"^{key}:.*$", lambda m: f"{key}: {value}", text, count=1, flags=re.M)


def add_lines(text: str, *lines: str) -> str:
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def add_ack(text: str, rule: str, reason: str = "已与原文核对") -> str:
    item = f"  - {{rule: {rule}, reason: {reason}}}"
    if re.search(r"^acknowledged:", text, re.M):  # the generator acknowledged a problem already
        return re.sub(r"^acknowledged:\n", lambda m: m.group(0) + item + "\n", text, count=1, flags=re.M)
    return add_lines(text, "acknowledged:", item)


def empty_tables(text: str) -> str:
    """Every cell null, as `nianbao new` leaves a draft."""
    return re.sub(r"^(  [a-z_0-9]+: +)\[(.*)\]$",
                  lambda m: m.group(1) + "[" + ", ".join(["null"] * len(m.group(2).split(","))) + "]", text, flags=re.M)


def one_other_row(text: str) -> str:
    """（六）其他处理 printed as one row in a gov-2021 report, as some agencies still do."""
    parts = ("other_no_correction", "other_no_fee", "other_else")
    total = [sum(int(items(text, row)[i]) for row in parts) for i in range(7)]
    text = set_row(text, parts[0], total).replace("  other_no_correction:", "  other:")
    return re.sub(r"^  other_(no_fee|else):.*\n", "", text, flags=re.M)


# -- spoilers --------------------------------------------------------------------------------

def yml(change: Callable[[str], str]) -> Spoiler:
    def spoil(p: Plant) -> str:
        p.edit(change)
        return p.yml.name
    return spoil


def yml_for(change: Callable[[str, Plant], str]) -> Spoiler:
    """A change that needs the report: its year, or a random choice."""
    return lambda p: yml(lambda text: change(text, p))(p)


def column(change: Callable[[str, int], str]) -> Spoiler:
    """A change to table 三 in one applicant column (0-5) picked at random."""
    return yml_for(lambda text, p: change(text, p.rng.randrange(6)))


def md(addition: str) -> Spoiler:
    def spoil(p: Plant) -> str:
        p.edit(lambda text: text + addition, p.md)
        return p.md.name
    return spoil


def stated(sentence: str, row: str, i: int, off: int) -> Spoiler:
    """A sentence of the narrative stating a table figure, `off` from what the table says."""
    def spoil(p: Plant) -> str:
        figure = int(float(items(p.yml.read_text(encoding="utf-8"), row)[i])) + off
        return md("\n" + sentence.format(figure) + "\n")(p)
    return spoil


def other_edition(p: Plant) -> str:
    """The other edition's tables, from a sibling year as generated, under this year."""
    source = 2021 if p.year < 2021 else 2020
    text = p.original[f"{source}.yml"].replace(f"year: {source}", f"year: {p.year}")
    p.yml.write_text(text.replace(f"{source}年政府信息", f"{p.year}年政府信息"), encoding="utf-8")
    return p.yml.name


def copy_last_year(p: Plant) -> str:
    p.md.write_text(p.original[f"{p.year - 1}.md"], encoding="utf-8")
    return p.md.name


def remove(name: str, reported: str) -> Spoiler:
    def spoil(p: Plant) -> str:
        (p.folder / name.format(year=p.year)).unlink()
        return reported.format(year=p.year)
    return spoil


def agency(change: Callable[[str], str]) -> Spoiler:
    def spoil(p: Plant) -> str:
        p.edit(change, p.folder / "agency.yml")
        return "agency.yml"
    return spoil


def renamed(name: str) -> Spoiler:
    """The folder renamed: its slug is checked, then every report's `agency` against it."""
    def spoil(p: Plant) -> str:
        p.folder = p.folder.rename(p.folder.with_name(name))
        return "agency.yml"
    return spoil


def year_out_of_range(p: Plant) -> str:
    for suffix in (".yml", ".md"):
        shutil.copyfile(p.folder / f"2019{suffix}", p.folder / f"2007{suffix}")
    return "2007.yml"
