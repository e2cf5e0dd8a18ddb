"""`nianbao import`: from a published report (HTML, copied text, crawler text, PDF) to a draft in
the repo's format, with no number lost or invented.

Every cell is read by its place in the official layout. Cells that run together are split with
the statutory identities; a cell that more than one split allows is written as the marker
`{uncertain: "<what was read>"}` (never as a blank), listed in the summary, and an error of rule
UNCERTAIN until the editor writes the original's number or confirms a real blank with null.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...core import editions
from ...core.model import UNCERTAIN_KEY
from ...core.check import check_path
from ...core.atomic import write_text
from ..dump import Comments, Raw, report_yaml
from ...core.load import SLUG, load_corpus, reserved_slug
from ..scaffold import ScaffoldError, agency_text, edition_for_year, refuse_links, report_schema_comment
from . import solver
from .identity import Refused, agency_kind
from .narrative import narrative
from .base import NotAReport, Source
from .source import read_source
from .tables import cell_text, find_label, read_rows, sections, tokens

__all__ = ["ImportResult", "NotAReport", "Refused", "import_report", "read_report_source"]


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"certain": 0, "solved": 0, "uncertain": 0})
    uncertain: list[str] = field(default_factory=list)  # "t3.new_received.natural：…"
    problems: list = field(default_factory=list)
    edition: str = ""
    data: dict = field(default_factory=dict)
    markdown: str = ""
    comments: dict = field(default_factory=dict)  # (table, row) -> the "提示" comment of its line
    notes: list[str] = field(default_factory=list)  # rows placed by position (damaged labels)
    existing: list[Path] = field(default_factory=list)  # a dry run's targets that already exist


def detect_edition(text: str, year: int):
    if "本年制发件数" in text or "现行有效件数" in text:
        return editions.get("gov-2021")
    if "本年新制作数量" in text or "对外公开总数量" in text:
        return editions.get("gov-2019")
    return editions.for_year(year)


def read_report_source(source: Source, year: int, previous=None) -> ImportResult:
    """`previous`: the agency's report of the year before, if the repo has it (its 结转下年 is
    this year's 上年结转, one more constraint for run-together digits)."""
    spans = sections(source.text)
    missing = [no for no in ("二", "三", "四") if no not in spans]
    if missing:
        raise NotAReport("没有找到" + "、".join(f"第{no}部分" for no in missing) +
                         "（二、主动公开 / 三、收到和处理申请 / 四、行政复议和诉讼）：这不像是 2019 年以后格式的年度报告")
    edition = detect_edition(source.text[spans["二"][0]:spans["四"][1]], year)
    result = ImportResult(edition=edition.id)
    data: dict = {"edition": edition.id, "headers": {}}
    comments: dict = {}
    result.markdown = narrative(source.text, source.mode, source.meta.get("title"), edition)
    known = constraints(result.markdown, year, edition, previous)
    for no, tid in (("二", "t2"), ("三", "t3"), ("四", "t4")):
        start, end = spans[no]
        data[tid] = read_table(source, source.text[start:end], edition.tables[tid], result, comments, data, known)
    result.data = data
    result.comments = comments
    return result


def constraints(markdown: str, year: int, edition, previous) -> dict[tuple[str, str, str], str]:
    """Cells whose value is known from outside the table: a figure the narrative states about a
    single cell (收到申请70件), and last year's 结转下年 as this year's 上年结转."""
    from ...core.textrules import find_statements

    known: dict[tuple[str, str, str], str] = {}
    for statement in find_statements(markdown, year, edition):
        if len(statement.cells) == 1 and statement.value == statement.value.to_integral():
            known.setdefault(statement.cells[0], str(int(statement.value)))
    if previous is not None:
        for col in edition.tables["t3"].columns_of("carried_over"):
            cell = previous.cell("t3", "carried_forward", col.id)
            if cell is not None and isinstance(cell.number, int):
                known.setdefault(("t3", "carried_over", col.id), str(cell.number))
    return known


def constrained(options: list[tuple], tid: str, row_id: str, columns, known: dict) -> list[tuple]:
    """The splits that agree with what is known of the row; all of them if none does (a narrative
    that contradicts its table is TX-NUM's business, not a reason to guess)."""
    wanted = {i: known[(tid, row_id, col.id)] for i, col in enumerate(columns) if (tid, row_id, col.id) in known}
    kept = [o for o in options if all(o[i] == value for i, value in wanted.items())]
    return kept if wanted and kept else options


def row_labels(table, text: str) -> list[tuple[str, str]]:
    ids = [row.id for row in table.rows]
    for alt, replaced in table.alternatives.items():
        # A gov-2021 report that prints （六） as one row: its sub-row labels are absent.
        first = table.row(replaced[0])
        if find_label(text, first.label, 0) is None:
            at = ids.index(replaced[0])
            ids = ids[:at] + [alt] + [r for r in ids[at:] if r not in replaced]
    return [(row_id, table.row(row_id).label) for row_id in ids]


def read_table(source: Source, text: str, table, result: ImportResult, comments: dict, data: dict,
               known: dict | None = None) -> dict:
    if table.id == "t4":
        # Table 四 has one unlabelled row after its header, which ends with the third 总计
        # (PDF text may break the header anywhere, even inside 总计).
        ends = [m.end() for m in re.finditer(r"总\s*计", text)]
        rows = [("cases", cell_text(text[ends[-1]:], source.mode) if ends else "")]
    else:
        labels = row_labels(table, text)
        found = read_rows(text, labels, source.mode, {r: len(table.columns_of(r)) for r, _ in labels})
        rows = [(r.row, r.text) for r in found]
        for r in found:
            if r.note:
                result.notes.append(f"{table.id}.{r.row}：{r.note}")
                comments[(table.id, r.row)] = f"# 提示：{r.note}"
        if table.id == "t2":
            record_headers(text, table, data)
    parsed: dict[str, solver.Cells] = {}
    options: dict[str, list[tuple]] = {}
    for row_id, printed in rows:
        columns = table.columns_of(row_id)
        pieces = tokens(printed, source.mode)
        if len(pieces) > len(columns) and not any(pieces[len(columns):]):
            pieces = pieces[:len(columns)]  # blank lines before the next heading are not cells
        groups = identity_groups(table.id, len(columns))
        if len(pieces) == len(columns):
            options[row_id], how = [tuple(pieces)], "certain"
        elif source.mode == "flow" and 0 < len(pieces) < len(columns) and all(p is not None for p in pieces):
            options[row_id], _ = solver.candidates(pieces, len(columns), groups)
            options[row_id] = constrained(options[row_id], table.id, row_id, columns, known or {})
            how = "solved"
        else:
            options[row_id], how = [], "uncertain"
        parsed[row_id] = solver.Cells([None] * len(columns), set(range(len(columns))), how,
                                      read=" ".join(p or "（空白）" for p in pieces))
    if table.id == "t3":
        results = [r for r in options if table.row(r).result]
        solutions = solver.joint({r: o for r, o in options.items() if o},
                                 lambda t: solver.t3_columns_hold(t, results))
        if solutions:
            options = {r: sorted({s[r] for s in solutions}) if r in solutions[0] else o for r, o in options.items()}
    out = {}
    for row_id, cells in parsed.items():
        columns = table.columns_of(row_id)
        if options[row_id]:
            cells.values, cells.uncertain = solver.agree(options[row_id], len(columns))
        # A cell with more than one reading keeps what was read, marked: never a blank (rule UNCERTAIN).
        out[row_id] = [{UNCERTAIN_KEY: cells.read} if i in cells.uncertain else typed(v, col)
                       for i, (v, col) in enumerate(zip(cells.values, columns))]
        count(result, cells, len(columns))
        result.uncertain += [f"{table.id}.{row_id}.{columns[i].id}：原文为“{cells.read}”" for i in sorted(cells.uncertain)]
    return out


def identity_groups(tid: str, n: int) -> list[tuple[list[int], int]]:
    if tid == "t3" and n == 7:
        return [([0, 1, 2, 3, 4, 5], 6)]
    if tid == "t4" and n == 15:
        return [([g, g + 1, g + 2, g + 3], g + 4) for g in (0, 5, 10)]
    return []


def count(result: ImportResult, cells: solver.Cells, n: int) -> None:
    uncertain = len(cells.uncertain)
    result.counts["uncertain"] += uncertain
    result.counts["solved" if cells.how == "solved" else "certain"] += n - uncertain


def typed(piece: str | None, column):
    """As printed: integers as numbers, decimals keep their digits, anything else as text."""
    if piece is None:
        return None
    if column.kind == "money":
        return piece  # money is kept as printed, with or without its unit
    # ASCII digits only: int() also reads ৪ (Bengali four, which looks like 8) as 4; such a cell
    # stays text, for the check to flag.
    if re.fullmatch(r"-?[0-9]+", piece):
        return int(piece)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", piece) and column.kind in ("money", "decimal"):
        return Raw(piece)
    return piece


def record_headers(text: str, table, data: dict) -> None:
    """A header printed differently from the format (e.g. 2019年项目数量 for 上一年项目数量)."""
    for block in table.blocks:
        for col in block.columns:
            if col.id == "previous" and "上一年项目数量" not in text:
                printed = re.search(r"\d{4}年项目数量", text)
                if printed:
                    for row in block.rows:
                        data["headers"][f"t2.{row.id}.{col.id}"] = printed.group(0)


def refuse_target(folder: Path, name: str | None, region: str | None) -> None:
    if not SLUG.match(folder.name) or reserved_slug(folder.name):
        raise NotAReport(f"机构代码“{folder.name}”不合规：只能用小写拼音字母、数字和连字符")
    try:
        refuse_links(folder.parent, folder)
    except ScaffoldError as err:
        raise NotAReport(str(err)) from None
    if not (folder / "agency.yml").exists() and not (name and region):
        raise NotAReport("新机构需要 --name（机构全称）和 --region（如 福建省/福州市/罗源县）")


def refuse_overwrite(targets: list[Path]) -> None:
    existing = [p for p in targets if p.exists()]
    if existing:
        raise NotAReport(f"{existing[0]} 已存在；确认要覆盖请加 --force")


def import_report(path: Path, reports: Path, slug: str, year: int, name: str | None = None,
                  region: str | None = None, kind: str | None = None, force: bool = False,
                  dry_run: bool = False) -> ImportResult:
    """Import one source; `dry_run` reads, checks and counts everything, an existing report too,
    but writes nothing to `reports` (the draft is checked in a scratch copy of the agency's folder).
    `force` overwrites an existing report and imports a source that contradicts the command."""
    try:
        edition_for_year(year)
    except ScaffoldError as err:  # the years `nianbao new` refuses
        raise Refused(str(err)) from None
    folder = reports / slug
    targets = [folder / f"{year}.yml", folder / f"{year}.md"]
    refuse_target(folder, name, region)
    source = read_source(path)
    corpus = load_corpus(reports, only={slug}) if folder.is_dir() else None  # read only: no rules needed
    known = corpus.agencies.get(slug) if corpus else None
    kind = agency_kind(source, year, slug, known, name, kind, force)  # a wrong --year first, then "已存在"
    if not (force or dry_run):
        refuse_overwrite(targets)
    previous = next((r for r in corpus.reports if r.year == year - 1), None) if corpus else None
    result = read_report_source(source, year, previous)
    if not dry_run:
        return write_draft(result, source, path, reports, slug, year, (name, kind, region))
    existing = [t for t in targets if t.exists()]
    with tempfile.TemporaryDirectory(prefix="nianbao-import-") as scratch:
        if folder.is_dir():
            shutil.copytree(folder, Path(scratch) / slug)
        result = write_draft(result, source, path, Path(scratch), slug, year, (name, kind, region))
    result.written, result.existing = [], existing
    return result


def write_draft(result: ImportResult, source: Source, path: Path, reports: Path, slug: str, year: int,
                agency: tuple) -> ImportResult:
    """The draft's files (and a new agency's agency.yml) written into `reports`, then checked."""
    folder = reports / slug
    targets = [folder / f"{year}.yml", folder / f"{year}.md"]
    data = dict(result.data)
    data.update({"agency": slug, "year": year, "title": source.meta.get("title")})
    for key in ("published", "source_url", "index_no", "doc_no"):
        if source.meta.get(key):
            data[key] = source.meta[key]
    edition = editions.get(result.edition)
    folder.mkdir(parents=True, exist_ok=True)
    text = report_yaml(data, edition, comments=Comments(
        header=[report_schema_comment(folder, edition), f"# 由 nianbao import 从 {path.name} 导入：请逐格对照原文核对",
                f"# 写作 {{{UNCERTAIN_KEY}: …}} 的单元格导入时未能确定：改为原文的数字，原文确为空白时改为 null"],
        trailing=result.comments), blank_meta=True)
    if not (folder / "agency.yml").exists():
        name, kind, region = agency
        write_text(folder / "agency.yml", agency_text(folder, name, kind, region))
        result.written.append(folder / "agency.yml")
    write_text(targets[0], text)
    write_text(targets[1], result.markdown)
    result.written += targets
    checked = check_path(reports, only={slug})
    result.problems = [p for p in checked.problems if Path(p.path).name in (targets[0].name, targets[1].name)
                       and p.rule not in ("BLANK", "UNCERTAIN")]  # uncertain cells are listed on their own
    return result
