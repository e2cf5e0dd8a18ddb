"""Planted mistakes, one or more for every rule `nianbao check reports/<slug>` can report on one
agency folder: each spoils a copy of a valid generated folder (tests/spoil.py) the way an editor,
or an attacker, might, so that the check must report its rule. tests/test_tianbao.py plants them
across generated reports of both editions and asks the 填报 page and the CLI for their lines.

Rules out of scope, because no agency folder's agency.yml, <year>.yml and <year>.md — the only
files the page can be given (core/scratch.FILE) — can make them:
  PR-NAME, PR-SIZE, PR-SYMLINK, PR-REVIEW  `nianbao review` judges a pull request's changed paths
                 (editing/review.py), not a folder's content;
  INBOX-META     the inbox's own metadata (editing/inbox/), not a report;
  FMT-ENCODING   bytes that are no UTF-8: the page is given text (JavaScript strings) and writes
                 it as UTF-8, so it cannot be handed such a file.
Variants of in-scope rules that need other files are out of scope for the page too: FMT-PATH for a
symbolic link, an attachment in files/ that is no PDF or is misnamed, any other file in the folder,
a file or a nested reports/ directly in reports/ (the page writes the three kinds of file only,
under the one reports/<slug>/ it makes itself).
Some mutations are there because the page and the CLI once answered them differently: YAML that
libyaml and PyYAML's pure-Python reader read apart (a tab, a control character after Chinese
text, lists nested hundreds deep), and a character Unicode assigned after 14.0 (core/unicode16.py).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from spoil import (Plant, Spoiler, add_ack, add_lines, agency, bump, column, copy_last_year, empty_tables, items, md,
                   one_other_row, other_edition, remove, renamed, row_pattern, set_cell, set_key, set_row, stated, yml,
                   yml_for, year_out_of_range)

IN_SCOPE = {
    "FMT-YAML", "FMT-DUPKEY", "FMT-KEY", "FMT-TYPE", "FMT-VALUE", "FMT-TEXT", "FMT-REGION", "FMT-ROW", "FMT-COLS",
    "FMT-PATH", "FMT-MD", "MD-HTML", "MD-URL", "T3-ROW", "T3-RES", "T3-BAL", "T4-SUM", "NN", "BLANK", "UNCERTAIN",
    "PLAUSIBLE", "EDITION", "LAYOUT", "EMPTY", "XY-CARRY", "XY-STOCK", "TX-NUM", "DEADLINE", "DUP", "ACK-UNUSED",
}
OUT_OF_SCOPE = {"PR-NAME", "PR-SIZE", "PR-SYMLINK", "PR-REVIEW", "INBOX-META", "FMT-ENCODING"}


@dataclass(frozen=True)
class Mutation:
    rule: str  # the rule the CLI must report for it, in the file the spoiler names
    name: str
    spoil: Spoiler
    when: Callable[[Plant], bool] = lambda p: True  # e.g. only a gov-2021 report
    pair: bool = False  # a cross-year rule: the year before must be there and unspoilt


M = Mutation
LATER = lambda p: p.year > 2019  # noqa: E731  (the folder has the year before)
NEW = lambda p: p.gov2021()  # noqa: E731
STOCK = lambda p: p.gov2021() and p.year > 2021  # noqa: E731  (the year before is gov-2021 too)
OLD = lambda p: not p.gov2021()  # noqa: E731
NESTED = lambda n: "[" * n + "]" * n  # noqa: E731

MUTATIONS = [
    # the table arithmetic, the cells, the cross-year and narrative rules
    M("T3-ROW", "a row's total off", yml(lambda t: bump(t, "granted", 6, by=2))),
    M("T3-RES", "a result counted twice", column(lambda t, c: bump(t, "granted", c, 6))),
    M("T3-BAL", "a new application more", column(lambda t, c: bump(t, "new_received", c, 6))),
    M("T4-SUM", "a review group's total off", yml(lambda t: bump(t, "cases", 4, by=3))),
    M("NN", "a negative count", column(lambda t, c: set_cell(t, "granted", c, "-3"))),
    M("NN", "full-width digits", column(lambda t, c: set_cell(t, "new_received", c, "１２"))),
    M("NN", "a word for a number", column(lambda t, c: set_cell(t, "partial", c, "若干"))),
    M("NN", "a fraction of a count", yml(lambda t: set_cell(t, "cases", 0, "2.5"))),
    M("NN", "a colon after a number", yml(lambda t: set_cell(t, "cases", 2, "0:"))),
    M("BLANK", "a blank cell", column(lambda t, c: set_cell(t, "denied_law", c, "null"))),
    M("BLANK", "a slash", yml(lambda t: set_cell(t, "cases", 2, "/"))),
    M("BLANK", "a dash", column(lambda t, c: set_cell(t, "carried_forward", c, "—"))),
    M("UNCERTAIN", "an import's unsure cell", yml(lambda t: set_cell(t, "licensing", 0, '{uncertain: "1203"}'))),
    M("PLAUSIBLE", "digits typed twice", yml(lambda t: set_cell(t, "penalty", -1, 29292929292))),
    M("PLAUSIBLE", "a decrease past last year's", yml(lambda t: set_row(t, "licensing", [3, -9, 4])), when=OLD),
    M("EDITION", "the other edition's tables", other_edition),
    M("LAYOUT", "（六） printed as one row", yml(one_other_row), when=NEW),
    M("EMPTY", "a draft never filled in", yml(empty_tables)),
    M("XY-CARRY", "carried over from nowhere", column(lambda t, c: bump(t, "carried_over", c, 6)), when=LATER, pair=True),
    M("XY-STOCK", "documents in force off", yml(lambda t: bump(t, "normative_documents", 2, by=4)), when=STOCK, pair=True),
    M("TX-NUM", "applications stated wrong", stated("全年共收到政府信息公开申请{}件。", "new_received", 6, 7)),
    M("TX-NUM", "reviews stated wrong", stated("本年度发生政府信息公开行政复议{}件。", "cases", 4, 2)),
    M("TX-NUM", "carried forward stated wrong", stated("另有{}件申请结转下年度继续办理。", "carried_forward", 6, 1)),
    M("DEADLINE", "published in May", yml_for(lambda t, p: set_key(t, "published", f"{p.year + 1}-05-{p.rng.randint(10, 31)}"))),
    M("DEADLINE", "no date", yml(lambda t: set_key(t, "published", "null"))),
    M("DUP", "last year's narrative again", copy_last_year, when=LATER, pair=True),
    M("ACK-UNUSED", "acknowledged what holds", yml(lambda t: add_ack(t, "T4-SUM"))),
    M("ACK-UNUSED", "acknowledged no rule", yml(lambda t: add_ack(t, "T9-SUM"))),
    # YAML that does not read
    M("FMT-YAML", "a row's bracket left open", yml(lambda t: t.replace("]\n", "\n", 1))),
    M("FMT-YAML", "a missing colon", yml(lambda t: t.replace("published:", "published", 1))),
    M("FMT-YAML", "a colon in a title", yml(lambda t: set_key(t, "title", "关于: 年度报告"))),
    M("FMT-YAML", "a quote left open", yml(lambda t: set_key(t, "title", '"年度报告'))),
    M("FMT-YAML", "a tab for indentation", yml(lambda t: t.replace("\n  carried_over:", "\n\tcarried_over:", 1))),
    M("FMT-YAML", "a tab inside a row", yml(lambda t: set_cell(t, "cases", 1, "\t0"))),
    M("FMT-YAML", "an alias", yml(lambda t: add_lines(t, "source_url: &u https://example.org/a", "index_no: *u"))),
    M("FMT-YAML", "a tag", yml(lambda t: set_key(t, "published", "!!timestamp 2020-01-08"))),
    M("FMT-YAML", "a control character", yml(lambda t: set_key(t, "title", '"年度\x07报告"'))),
    M("FMT-YAML", "a list as a key", yml(lambda t: add_lines(t, "[t2, t3]: 1"))),
    M("FMT-YAML", "lists nested too deep", yml(lambda t: set_cell(t, "cases", 1, NESTED(14)))),
    M("FMT-YAML", "lists nested a hundred deep", yml(lambda t: set_cell(t, "cases", 1, NESTED(100)))),
    M("FMT-YAML", "lists nested six hundred deep", yml(lambda t: set_cell(t, "cases", 1, NESTED(600)))),
    M("FMT-YAML", "a file too large", yml(lambda t: add_lines(t, *["# " + "备注" * 100] * 900))),
    # keys, types, values, texts, rows and paths
    M("FMT-DUPKEY", "a row written twice", yml(lambda t: re.sub(r"^(  granted:.*\n)", r"\1\1", t, count=1, flags=re.M))),
    M("FMT-DUPKEY", "a title written twice", yml(lambda t: add_lines(t, "title: 又一个标题"))),
    M("FMT-KEY", "a misspelt key", yml(lambda t: t.replace("published:", "publised:", 1))),
    M("FMT-KEY", "an unknown key", yml(lambda t: add_lines(t, "remark: 备注"))),
    M("FMT-KEY", "a header of no cell", yml(lambda t: add_lines(t, "headers:", "  t2.nothing.previous: 上年数"))),
    M("FMT-TYPE", "a row as one number", yml(lambda t: row_pattern("penalty").sub("  penalty: 5", t, count=1))),
    M("FMT-TYPE", "yes in a cell", yml(lambda t: set_cell(t, "granted", 0, "yes"))),
    M("FMT-TYPE", "the year in words", yml(lambda t: set_key(t, "year", "二〇二〇"))),
    M("FMT-TYPE", "a title as a list", yml(lambda t: set_key(t, "title", "[甲, 乙]"))),
    M("FMT-VALUE", "an unknown edition", yml(lambda t: set_key(t, "edition", "gov-2030"))),
    M("FMT-VALUE", "no such date", yml(lambda t: set_key(t, "published", "2020-02-30"))),
    M("FMT-VALUE", "a date in words", yml(lambda t: set_key(t, "published", "2020年1月8日"))),
    M("FMT-VALUE", "a link without its site", yml(lambda t: add_lines(t, "source_url: www.example.org/nb"))),
    M("FMT-VALUE", "an attachment by ftp", yml(lambda t: add_lines(t, "attachments:", "  - {title: 原文, url: ftp://e.cn/a}"))),
    M("FMT-VALUE", "UNCERTAIN acknowledged", yml(lambda t: add_ack(t, "UNCERTAIN"))),
    M("FMT-VALUE", "a format rule acknowledged", yml(lambda t: add_ack(t, "FMT-ROW"))),
    M("FMT-VALUE", "acknowledged without a reason", yml(lambda t: add_ack(t, "T3-ROW", '""'))),
    M("FMT-VALUE", "sixteen digits", yml(lambda t: set_cell(t, "cases", 3, "1" * 16))),
    M("FMT-VALUE", "a number past any bound", yml(lambda t: set_cell(t, "licensing", 0, "1e400"))),
    M("FMT-VALUE", "a formula in a cell", yml(lambda t: set_cell(t, "coercion", 0, "=1+2"))),
    M("FMT-TEXT", "markup in the title", yml(lambda t: set_key(t, "title", "年度报告<b>"))),
    M("FMT-TEXT", "a rare character, then markup", yml(lambda t: set_key(t, "title", "\U00031350镇年度报告<b>"))),
    M("FMT-TEXT", "a zero-width space", yml(lambda t: t.replace("年度报告", "年度\u200b报告", 1))),
    M("FMT-TEXT", "a formula as doc_no", yml(lambda t: add_lines(t, "doc_no: =HYPERLINK(1)"))),
    M("FMT-TEXT", "an index_no too long", yml(lambda t: add_lines(t, "index_no: " + "X" * 81))),
    M("FMT-TEXT", "markup in a header", yml(lambda t: add_lines(t, "headers:", "  t3.new_received.natural: 自然人>"))),
    M("FMT-TEXT", "markup in a reason", yml(lambda t: add_ack(t, "T4-SUM", "见<附件>"))),
    M("FMT-ROW", "a row left out", yml(lambda t: re.sub(r"^  denied_law:.*\n", "", t, count=1, flags=re.M))),
    M("FMT-ROW", "a row of no table", yml(lambda t: t.replace("\nt2:\n", "\nt2:\n  bogus: [1, 2, 3]\n", 1))),
    M("FMT-ROW", "（六） both ways", yml(lambda t: t.replace("\n  total:", "\n  other: [0, 0, 0, 0, 0, 0, 0]\n  total:", 1)),
      when=NEW),
    M("FMT-COLS", "a cell left out", yml(lambda t: set_row(t, "granted", items(t, "granted")[:-1]))),
    M("FMT-PATH", "another agency's code", yml(lambda t: set_key(t, "agency", "other-agency"))),
    M("FMT-PATH", "another year", yml(lambda t: set_key(t, "year", "2018"))),
    M("FMT-PATH", "an attachment not stored",
      yml_for(lambda t, p: add_lines(t, "attachments:", f"  - {{title: 原文, url: files/{p.year}-original.pdf}}"))),
    # the narrative
    M("FMT-MD", "no narrative", remove("{year}.md", "{year}.yml")),
    M("FMT-MD", "no data", remove("{year}.yml", "{year}.md")),
    M("FMT-MD", "a narrative of too many lines", md("\n" * 5001)),
    M("FMT-MD", "a narrative too large", md("公开" * 90000)),
    M("FMT-MD", "too much markup", md("*" * 10001)),
    M("FMT-MD", "links never closed", md("[a](" * 3000 + "长" * 1000)),  # each destination read to the line's end
    M("MD-HTML", "a script", md("\n<script>alert(1)</script>\n")),
    M("MD-HTML", "an image", md("\n见![原图](https://example.org/a.png)。\n")),
    M("MD-HTML", "a class", md('\n<span class="md-header">注</span>\n')),
    M("MD-HTML", "an event handler", md('\n<div onclick="x()">点击</div>\n')),
    M("MD-HTML", "a comment left open", md("\n<!-- 待补充\n")),
    M("MD-HTML", "a tag left open", md('\n<div title="x\n')),
    M("MD-HTML", "the site's own id", md('\n<p id="nb-top">注</p>\n')),
    M("MD-URL", "a javascript: link", md("\n[详情](javascript:alert(1))\n")),
    M("MD-URL", "a data: link", md("\n<data:text/html,x>\n[原文](data:text/html;base64,PHNjcmlwdD4=)\n")),
    M("MD-URL", "a disguised scheme", md("\n[详情](jav&#x61;script:alert(1))\n")),
]

# Each spoils a whole folder (agency.yml, the folder's name, a year's files), so it has a folder to itself.
FOLDER_MUTATIONS = [
    M("FMT-REGION", "an empty level", agency(lambda t: set_key(t, "region", "福建省//罗源县"))),
    M("FMT-REGION", "a rare character, then a space", agency(lambda t: set_key(t, "region", "福建/\U00031350镇/ 罗源"))),
    M("FMT-REGION", "markup in a region", agency(lambda t: set_key(t, "region", "福建省/罗源县[x]"))),
    M("FMT-VALUE", "an unknown kind", agency(lambda t: set_key(t, "kind", "委员会"))),
    M("FMT-VALUE", "a short credit code", agency(lambda t: add_lines(t, "credit_code: 12345"))),
    M("FMT-TEXT", "markup in the name", agency(lambda t: set_key(t, "name", "某某<局>"))),
    M("FMT-KEY", "a misspelt key in agency.yml", agency(lambda t: t.replace("name:", "nmae:", 1))),
    M("FMT-TYPE", "a name as a list", agency(lambda t: set_key(t, "name", "[甲, 乙]"))),
    M("FMT-YAML", "a broken agency.yml", agency(lambda t: t.replace("kind:", "kind", 1))),
    M("FMT-PATH", "no agency.yml", remove("agency.yml", "agency.yml")),
    M("FMT-PATH", "a folder name with two hyphens", renamed("bad--name")),
    M("FMT-PATH", "a folder name the site uses", renamed("search")),
    M("FMT-PATH", "a year before the regulations", year_out_of_range),
]


def plant_all(reports: Path, rng: random.Random) -> dict[str, list[tuple[Mutation, str, int]]]:
    """Spoil the generated agency folders under `reports`: a folder mutation in each of the first
    folders, then report mutations round-robin over the years of the others (one report in ten
    left as it is). -> slug -> [(mutation, the file its rule is reported in, year)]."""
    folders = sorted(p for p in reports.iterdir() if p.is_dir())
    planted: dict[str, list[tuple[Mutation, str, int]]] = {}
    for mutation, folder in zip(FOLDER_MUTATIONS, folders):
        p = Plant(folder, 2019, rng, {})
        reported = mutation.spoil(p)
        planted[p.folder.name] = [(mutation, reported, 0)]
    queue = list(MUTATIONS)
    rng.shuffle(queue)
    for folder in folders[len(FOLDER_MUTATIONS):]:
        original = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
        spoilt: set[int] = set()
        for year in sorted(int(name[:4]) for name in original if re.fullmatch(r"\d{4}\.yml", name)):
            p = Plant(folder, year, rng, original)
            clean_before = year - 1 not in spoilt and f"{year - 1}.yml" in original
            fit = next((m for m in queue if m.when(p) and (clean_before or not m.pair)), None)
            if fit is None or rng.random() < 0.1:
                continue
            queue.remove(fit)
            queue.append(fit)  # to the back: every mutation is planted before any is planted twice
            planted.setdefault(folder.name, []).append((fit, fit.spoil(p), year))
            spoilt.add(year)
    return planted
