"""The 填报 page's Python side: the package's own check, import and writer, run in the browser.

The page runs this module in Pyodide (scale/engine.py ships it with the site), so the rules and the
importer exist once, in Python. Every call works in a fresh scratch repo in memory, exactly as the
CLI would on disk: the files are written under reports/<slug>/, then the same functions that
`nianbao check` and `nianbao import` call read them back. tests/test_tianbao.py compares the
answers with the CLI's, line for line and byte for byte.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from ..core import editions
from ..core.check import check_path
from ..core.load import SLUG, reserved_slug
from ..core.model import UNCERTAIN_KEY
from ..core.scratch import BadFiles, scratch_repo
from .dump import Comments, report_yaml, scalar
from .fmt import format_file
from ..data.schemas import file_name
from .scaffold import SCHEMA_DIR, guess_kind, narrative_text

FULL_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")


def check(files: dict[str, str]) -> list[str]:
    """The problem lines `nianbao check reports/<slug>` prints for these files, in its order."""
    with scratch_repo(files) as (root, slug):
        if slug is None:
            return []
        result = check_path(Path("reports"), only={slug})
        return [p.format() for p in sorted(result.problems, key=lambda p: p.sort_key)]


def import_text(text: str, agency: str, year: int, name: str | None = None, region: str | None = None,
                source: str = "原文.txt", existing: dict[str, str] | None = None) -> dict[str, str]:
    """The files `nianbao import <source> --agency … --year …` writes for `text` saved as `source`
    (a .txt) in a repo holding `existing`. A refusal raises NotAReport with the CLI's message."""
    from .importer import import_report

    if Path(source).name != source or not source.endswith(".txt"):
        raise BadFiles("来源文件名只能是一个 .txt 文件名")
    with scratch_repo(existing or {}) as (root, _):
        Path(source).write_text(text, encoding="utf-8")
        result = import_report(Path(source), Path("reports"), agency, int(year), name or None, region or None)
        return {path.as_posix(): path.read_text(encoding="utf-8") for path in result.written}


def form_import(text: str, state: dict) -> dict[str, str]:
    """粘贴全文 on the form: `nianbao import` of the text into the repository as far as the site
    knows it, so an agency the site has is found by its agency.yml and needs no name or region."""
    from .importer.identity import printed
    from .importer.source import from_text

    year = int(state.get("year") or 0)
    if not year:  # as the inbox does: the year from the title, else from the statistics period
        said = printed(from_text(text))
        year = said.title_year or said.period_year or 0
        if not year:
            raise BadFiles("原文中没有找到年度（标题或统计期限）：请先在上面填写年度")
    existing = {path: yaml for path, yaml in context_files(dict(state, year=year)).items()
                if path.endswith("/agency.yml")}
    if not existing and not (state.get("name") and state.get("region")):
        raise BadFiles("本站没有这个机构：新机构请先在上面填写机构全称和所属地区")
    return import_text(text, state["agency"], year, state.get("name") or None,
                       state.get("region") or None, existing=existing)


def cell_value(text, column):
    """A cell as typed or pasted into the form: blank stays None (unknown, never 0); full-width
    digits and thousands separators read as the importer reads printed numbers; an imported
    uncertain cell the editor has not touched stays uncertain ({"uncertain": what was read})."""
    from .importer import typed

    if isinstance(text, dict):
        return {UNCERTAIN_KEY: str(text.get(UNCERTAIN_KEY) or "") or None}
    piece = str(text or "").strip().translate(FULL_DIGITS)
    if piece == "":
        return None
    if THOUSANDS.fullmatch(piece):
        piece = piece.replace(",", "").replace("，", "")
    return typed(piece, column)


def form_files(state: dict) -> dict[str, str]:
    """The files of the form's content, as `nianbao fmt` writes them (and `nianbao new` for a new
    agency's agency.yml): `state` holds agency, year, meta, cells (table -> row -> texts),
    acknowledged, narrative, and name/region/kind for a new agency."""
    slug, year = state["agency"], int(state["year"])
    if not SLUG.match(slug) or reserved_slug(slug):
        raise BadFiles(f"机构代码“{slug}”不合规：只能用小写拼音字母、数字和连字符，如 luoyuan-songshan")
    edition = editions.for_year(year)
    if edition is None:
        raise BadFiles(f"{year} 年度没有适用的报告格式")
    data: dict = {"agency": slug, "year": year, "edition": edition.id}
    for key, value in (state.get("meta") or {}).items():
        if key in ("title", "published", "source_url", "index_no", "doc_no") and str(value).strip():
            data[key] = str(value).strip()
    if state.get("headers"):  # headers printed differently from the format, as the importer records them
        data["headers"] = {str(k): str(v) for k, v in state["headers"].items()}
    if state.get("acknowledged"):
        data["acknowledged"] = [{"rule": a["rule"], "reason": a["reason"]} for a in state["acknowledged"]]
    cells = state.get("cells") or {}
    for tid, table in edition.tables.items():
        rows = {}
        for row in table.rows:
            columns = table.columns_of(row.id)
            typed_in = list(cells.get(tid, {}).get(row.id, []))[:len(columns)]
            typed_in += [""] * (len(columns) - len(typed_in))
            rows[row.id] = [cell_value(t, col) for t, col in zip(typed_in, columns)]
        data[tid] = rows
    folder = f"reports/{slug}"
    # The schema line `nianbao new` writes (editors' YAML tools complete and check with it).
    schema = f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{file_name(edition.id)}"
    text = report_yaml(data, edition, comments=Comments(header=[schema]))
    files = {f"{folder}/{year}.yml": formatted(text, slug, year),
             f"{folder}/{year}.md": state.get("narrative") or narrative_text(edition)}
    if state.get("name"):
        files[f"{folder}/agency.yml"] = agency_yaml(state["name"], state.get("region"), state.get("kind"))
    return files


def agency_yaml(name: str, region: str | None, kind: str | None = None) -> str:
    """agency.yml as `nianbao new` writes it."""
    name, region = name.strip(), (region or "").strip()
    return (f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/agency.schema.json\n" +
            "".join(f"{k}: {scalar(v)}\n" for k, v in (("name", name), ("kind", kind or guess_kind(name)),
                                                       ("region", region))))


def formatted(text: str, slug: str, year: int) -> str:
    """`text` as `nianbao fmt` leaves it (the writer is fmt's own; this makes it so by construction)."""
    with scratch_repo({f"reports/{slug}/{year}.yml": text}) as (root, _):
        outcome = format_file(Path("reports", slug, f"{year}.yml"))
        return text if outcome.problems else outcome.text


def form_check(state: dict) -> dict:
    """The form's files and their problems, each with the form cell it points at ("t3.row.2").

    For an agency the site has, `state["context"]` holds what the site publishes of it: its
    name, region and kind (agency.yml is in the repository, not in the form) and the year
    before's data.json, so the cross-year rules (XY-CARRY, XY-STOCK) compare with the published
    report as `nianbao check` does in the repository. Only the form's own files' problems are shown."""
    files = form_files(state)
    checked = dict(files) | context_files(state)
    with scratch_repo(checked) as (root, slug):
        result = check_path(Path("reports"), only={slug})
        # A report its schema refuses (no date yet, a bad cell) loads no tables: its cells are then
        # located in the YAML the form wrote, and the page shows its own table arithmetic beside
        # these problems, so a wrong sum stays flagged.
        own = [report for report in result.corpus.reports if report.path in files]
        cells = loaded_cells(own) if own else written_cells(files)
        problems = [{"text": p.format(), "rule": p.rule, "level": p.level, "path": p.path,
                     "acknowledged": p.acknowledged, "cell": cells.get((p.path, p.line, p.col))}
                    for p in sorted(result.problems, key=lambda p: p.sort_key) if p.path in files]
    return {"files": files, "problems": problems, "loaded": bool(own)}


def loaded_cells(reports) -> dict[tuple[str, int, int], str]:
    """(path, line, col) of every table cell of loaded reports -> its form cell."""
    return {(report.path, cell.line, cell.col): f"{tid}.{row}.{i}"
            for report in reports for tid, rows in report.tables.items()
            for row, values in rows.items() for i, cell in enumerate(values)}


def written_cells(files: dict[str, str]) -> dict[tuple[str, int, int], str]:
    """(path, line, col) of every table cell as the form's YAML writes it -> its form cell."""
    from ..core import located

    found = {}
    for path, text in files.items():
        if path.endswith(".yml") and not path.endswith("/agency.yml"):
            for where, (line, col) in located.parse(text, full=True).marks.items():
                if len(where) == 3 and where[0] in ("t2", "t3", "t4") and isinstance(where[2], int):
                    found[(path, line, col)] = ".".join(map(str, where))
    return found


def context_files(state: dict) -> dict[str, str]:
    """The repository's files of an agency the site has, as far as the site publishes them."""
    context = state.get("context") or {}
    slug, found = state["agency"], {}
    agency = context.get("agency")
    if agency and not state.get("name"):
        found[f"reports/{slug}/agency.yml"] = agency_yaml(agency.get("name") or "", agency.get("region"),
                                                          agency.get("kind"))
    previous = context.get("previous")
    if previous and previous.get("agency") == slug and int(previous.get("year") or 0) < int(state["year"]):
        path = f"reports/{slug}/{int(previous['year'])}.yml"
        found[path] = published_yaml(json.dumps(previous, ensure_ascii=False, sort_keys=True))
    return found


@functools.lru_cache(maxsize=8)
def published_yaml(data: str) -> str:
    """A published data.json's report as its <year>.yml, written once: the page checks on every
    pause in typing, against the same year before (writing it costs ~20 ms, more in Pyodide)."""
    state = published_state(json.loads(data))
    return form_files(state)[f"reports/{state['agency']}/{state['year']}.yml"]


def published_state(data: dict) -> dict:
    """A published report's data.json (data/export.py) as the form's state."""
    edition = editions.for_year(int(data["year"]))
    tables = data.get("tables") or {}
    cells = {tid: {row.id: [form_text((tables.get(tid, {}).get(row.id, {}).get(col.id) or {}).get("value"))
                            for col in table.columns_of(row.id)] for row in table.rows}
             for tid, table in edition.tables.items()} if edition else {}
    return {"agency": data["agency"], "year": int(data["year"]), "cells": cells,
            "meta": {k: data.get(k) or "" for k in ("title", "published", "source_url", "index_no", "doc_no")},
            "headers": data.get("headers_as_printed") or {},
            "acknowledged": [{"rule": r, "reason": why} for r, why in (data.get("acknowledged") or {}).items()]}


def form_state(files: dict[str, str]) -> dict:
    """The form's content for these files (an import's draft, a published report): every cell's
    text as written, an uncertain cell as {"uncertain": what was read}."""
    from ..core import located
    from .fmt import raw_data

    state: dict = {"meta": {}, "cells": {}, "headers": {}, "acknowledged": [], "narrative": ""}
    for path, text in files.items():
        if path.endswith(".md"):
            state["narrative"] = text
        elif path.endswith(".yml") and not path.endswith("agency.yml"):
            parsed = located.parse(text, full=True)
            if not parsed.ok or not isinstance(parsed.value, dict):
                raise BadFiles(f"{path} 不是可读的报告 YAML")
            data = raw_data(parsed)
            state["meta"] = {k: str(data[k]) for k in ("title", "published", "source_url", "index_no", "doc_no")
                             if data.get(k) is not None}
            state["headers"] = dict(data.get("headers") or {})
            state["acknowledged"] = list(data.get("acknowledged") or [])
            state["cells"] = {tid: {row: [form_text(v) for v in values] for row, values in rows.items()}
                              for tid, rows in data.items() if tid in ("t2", "t3", "t4")}
    return state


def form_text(value):
    if value is None:
        return ""
    if isinstance(value, dict) and list(value) == [UNCERTAIN_KEY]:
        return {UNCERTAIN_KEY: "" if value[UNCERTAIN_KEY] is None else str(value[UNCERTAIN_KEY])}
    return str(value)
