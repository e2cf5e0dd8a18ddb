"""The 填报 page's Python side: the package's own check, import and writer, run in the browser.

The page runs this module in Pyodide (scale/engine.py ships it with the site), so the rules and the
importer exist once, in Python. Every call works in a fresh scratch repo in memory, exactly as the
CLI would on disk: the files are written under reports/<slug>/, then the same functions that
`nianbao check` and `nianbao import` call read them back. tests/test_tianbao.py compares the
answers with the CLI's, line for line and byte for byte.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..core import editions
from ..core.check import check_path
from ..core.load import SLUG, reserved_slug
from ..core.model import UNCERTAIN_KEY
from .dump import Comments, report_yaml, scalar
from .fmt import format_file
from ..data.schemas import file_name
from .scaffold import SCHEMA_DIR, guess_kind, narrative_text

# The page may only write an agency folder's own files: agency.yml, <year>.yml, <year>.md.
FILE = re.compile(r"reports/([a-z0-9][a-z0-9-]*)/(agency\.yml|\d{4}\.(?:yml|md))")
FULL_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
THOUSANDS = re.compile(r"-?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?")


class BadFiles(ValueError):
    """Files the page must not write (a path outside one agency folder): a usage error."""


@contextmanager
def scratch_repo(files: dict[str, str]):
    """A fresh repo holding `files`, as the working directory, for one call."""
    slugs = set()
    for path in files:
        match = FILE.fullmatch(path)
        if not match:
            raise BadFiles(f"只能检查 reports/<机构代码>/ 下的 agency.yml、<年度>.yml 和 <年度>.md：{path}")
        slugs.add(match.group(1))
    if len(slugs) > 1:
        raise BadFiles("一次只能检查一个机构目录")
    before = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="nianbao-page-") as root:
        for path, text in files.items():
            target = Path(root, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        os.chdir(root)
        try:
            yield Path(root), next(iter(slugs), None)
        finally:
            os.chdir(before)


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
        name, region = state["name"].strip(), (state.get("region") or "").strip()
        kind = state.get("kind") or guess_kind(name)
        files[f"{folder}/agency.yml"] = (f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/agency.schema.json\n" +
                                         "".join(f"{k}: {scalar(v)}\n" for k, v in
                                                 (("name", name), ("kind", kind), ("region", region))))
    return files


def formatted(text: str, slug: str, year: int) -> str:
    """`text` as `nianbao fmt` leaves it (the writer is fmt's own; this makes it so by construction)."""
    with scratch_repo({f"reports/{slug}/{year}.yml": text}) as (root, _):
        outcome = format_file(Path("reports", slug, f"{year}.yml"))
        return text if outcome.problems else outcome.text


def form_check(state: dict) -> dict:
    """The form's files and their problems, each with the form cell it points at ("t3.row.2")."""
    files = form_files(state)
    with scratch_repo(files) as (root, slug):
        result = check_path(Path("reports"), only={slug})
        cells = {}
        for report in result.corpus.reports:
            for tid, rows in report.tables.items():
                for row, values in rows.items():
                    for i, cell in enumerate(values):
                        cells[(report.path, cell.line, cell.col)] = f"{tid}.{row}.{i}"
        problems = [{"text": p.format(), "rule": p.rule, "level": p.level, "path": p.path,
                     "acknowledged": p.acknowledged, "cell": cells.get((p.path, p.line, p.col))}
                    for p in sorted(result.problems, key=lambda p: p.sort_key)]
    return {"files": files, "problems": problems}


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
