"""The shape of agency.yml and <year>.yml, checked against the edition spec.

Every deviation is a located FMT-* problem; checking goes on past the first one so an editor
sees all of them at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from . import editions, fields, numbers
from .located import Parsed
from .model import UNCERTAIN_KEY, Cell, Problem, Uncertain

AGENCY_KINDS = ("人民政府", "政府部门", "乡镇", "街道", "其他")
AGENCY_KEYS = {"name": True, "kind": True, "region": True, "credit_code": False}
REPORT_KEYS = {
    "agency": True, "year": True, "edition": True, "title": False, "published": True,
    "source_url": False, "index_no": False, "doc_no": False, "attachments": False,
    "headers": False, "acknowledged": False, "t2": True, "t3": True, "t4": True,
}
KEY_NAMES = {
    "name": "机构名称", "kind": "机构类型", "region": "所属地区", "credit_code": "统一社会信用代码",
    "agency": "机构代码", "year": "年度", "edition": "格式版本", "title": "标题",
    "published": "发布日期", "source_url": "来源链接", "index_no": "索引号", "doc_no": "文号",
    "attachments": "附件", "headers": "表头原文", "acknowledged": "已确认的问题",
    "t2": "表二", "t3": "表三", "t4": "表四",
}
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\Z")
RULE_ID = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*\Z")
# Rules whose problems are never published as they stand, so cannot be acknowledged.
MUST_FIX = {"UNCERTAIN": "导入时未能确定的单元格（UNCERTAIN）不能确认：请对照原文把它改为原文的数字，原文确为空白时改为 null"}


@dataclass
class Found:
    value: Any = None
    problems: list[Problem] = field(default_factory=list)


class Checker:
    """Collects located problems for one parsed file."""

    def __init__(self, parsed: Parsed, path: str):
        self.parsed = parsed
        self.path = path
        self.problems: list[Problem] = []

    def at(self, where: tuple, rule: str, message: str, key: bool = False) -> None:
        marks = self.parsed.key_marks if key else self.parsed.marks
        probe = where
        while probe and probe not in marks:
            probe = probe[:-1]
        line, col = marks.get(probe) or self.parsed.marks.get(probe) or (1, 1)
        self.problems.append(Problem(self.path, line, col, "error", rule, message))

    def keys(self, mapping: dict, where: tuple, spec: dict[str, bool], what: str) -> None:
        for key in mapping:
            if key not in spec:
                hint = difflib.get_close_matches(str(key), list(spec), n=1)
                extra = f"，是否想写“{hint[0]}”？" if hint else ""
                self.at(where + (key,), "FMT-KEY", f"{what}中有未知的键“{key}”{extra}", key=True)
        for key, required in spec.items():
            if required and key not in mapping:
                self.at(where, "FMT-KEY", f"{what}缺少“{key}”（{KEY_NAMES.get(key, key)}）")

    def text(self, mapping: dict, key: str, where: tuple = ()) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            self.at(where + (key,), "FMT-TYPE", f"“{key}”（{KEY_NAMES.get(key, key)}）应为一段文字")
            return None
        return self.parsed.texts.get(where + (key,), str(value))

    def plain(self, mapping: dict, key: str, field: str, where: tuple = ()) -> str | None:
        """A one-line text that reaches pages (a name, a title): no markup, no invisible characters."""
        return self.checked(self.text(mapping, key, where), where + (key,), field,
                            f"“{key}”（{KEY_NAMES.get(key, key)}）")

    def checked(self, text: str | None, where: tuple, field: str, what: str) -> str | None:
        """`text` if it may reach a page, else None with a located FMT-TEXT problem."""
        found = None if text is None else fields.text_problem(text, field)
        if found is not None:
            self.at(where, "FMT-TEXT", f"{what}{found}")
            return None
        return text

    def mapping(self, value: Any, where: tuple, what: str) -> dict | None:
        if not isinstance(value, dict):
            self.at(where, "FMT-TYPE", f"{what}应为“键: 值”的映射")
            return None
        return value


def check_agency(parsed: Parsed, path: str) -> Found:
    c = Checker(parsed, path)
    data = c.mapping(parsed.value, (), "agency.yml")
    if data is None:
        return Found(None, c.problems)
    c.keys(data, (), AGENCY_KEYS, "agency.yml ")
    name, kind, region = c.plain(data, "name", "name"), c.text(data, "kind"), c.text(data, "region")
    code = c.text(data, "credit_code")
    if kind is not None and kind not in AGENCY_KINDS:
        c.at(("kind",), "FMT-VALUE", f"机构类型“{kind}”无效，应为：{'、'.join(AGENCY_KINDS)}")
    if code is not None and not CREDIT_CODE.match(code):
        c.at(("credit_code",), "FMT-VALUE", f"统一社会信用代码“{code}”格式不对（应为 18 位）")
    if region is not None and (why := fields.region_problem(region)):
        c.at(("region",), "FMT-REGION", f"所属地区“{region[:40]}”{why}")
    parts = region.split("/") if region else []
    if c.problems or not (name and kind and parts):
        return Found(None, c.problems)
    return Found({"name": name, "kind": kind, "region": parts, "credit_code": code}, c.problems)


def check_report(parsed: Parsed, path: str, slug: str, year: int) -> Found:
    c = Checker(parsed, path)
    data = c.mapping(parsed.value, (), f"{year}.yml")
    if data is None:
        return Found(None, c.problems)
    c.keys(data, (), REPORT_KEYS, f"{year}.yml ")
    check_identity(c, data, slug, year)
    edition = None
    edition_id = c.text(data, "edition")
    if edition_id is not None:
        edition = editions.get(edition_id)
        if edition is None:
            known = "、".join(editions.all_editions())
            c.at(("edition",), "FMT-VALUE", f"未知的格式版本“{edition_id}”，应为：{known}")
    meta = check_meta(c, data)
    headers = check_headers(c, data.get("headers"), edition)
    acknowledged = check_acknowledged(c, data.get("acknowledged"))
    tables = {}
    if edition is not None:
        for tid, table in edition.tables.items():
            if tid in data:
                tables[tid] = check_table(c, data[tid], table, edition)
    if c.problems:
        return Found(None, c.problems)
    value = {"edition": edition_id, "meta": meta, "tables": tables, "headers": headers,
             "acknowledged": acknowledged}
    return Found(value, c.problems)


def check_identity(c: Checker, data: dict, slug: str, year: int) -> None:
    agency = c.text(data, "agency")
    if agency is not None and agency != slug:
        c.at(("agency",), "FMT-PATH", f"机构代码“{agency}”与所在目录“{slug}”不一致")
    value = data.get("year")
    if "year" in data and (not isinstance(value, int) or isinstance(value, bool)):
        c.at(("year",), "FMT-TYPE", "年度应为四位数字")
    elif "year" in data and value != year:
        c.at(("year",), "FMT-PATH", f"年度 {value} 与文件名 {year}.yml 不一致")


def check_meta(c: Checker, data: dict) -> dict:
    meta = {key: c.plain(data, key, key) for key in ("title", "index_no", "doc_no")}
    meta |= {key: c.text(data, key) for key in ("published", "source_url")}
    published = meta["published"]
    if published is not None and (why := fields.date_problem(published)):
        c.at(("published",), "FMT-VALUE", f"发布日期“{published[:20]}”{why}")
    url = meta["source_url"]
    if url is not None and (why := fields.url_problem(url)):
        c.at(("source_url",), "FMT-VALUE", f"来源链接{why}")
    meta["attachments"] = check_attachments(c, data.get("attachments"))
    return meta


def records(c: Checker, value: Any, key: str, names: tuple[str, str], what: str):
    """The items of a list of two-field mappings, each with its YAML path and field texts."""
    if value is None:
        return
    if not isinstance(value, list):
        c.at((key,), "FMT-TYPE", f"{what}（{key}）应为列表，每项含 {names[0]} 和 {names[1]}")
        return
    for i, item in enumerate(value):
        where = (key, i)
        item = c.mapping(item, where, what)
        if item is None:
            continue
        c.keys(item, where, dict.fromkeys(names, True), what)
        yield where, c.text(item, names[0], where), c.text(item, names[1], where)


STORED_FILE = re.compile(r"^files/\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.pdf\Z")


def check_attachments(c: Checker, value: Any) -> list[dict]:
    """Each attachment is a link to the original (http…) or a file stored with the report
    (files/<year>-<name>.pdf in the agency folder)."""
    found = []
    for where, title, url in records(c, value, "attachments", ("title", "url"), "附件"):
        title = c.checked(title, where + ("title",), "attachment", "附件标题")
        if url and fields.url_problem(url) and not STORED_FILE.match(url):
            c.at(where + ("url",), "FMT-VALUE",
                 f"附件地址“{url}”应为 http(s):// 链接，或机构目录下的 files/<年度>-<名称>.pdf")
        elif title and url:
            found.append({"title": title, "url": url, "stored": bool(STORED_FILE.match(url)), "where": where})
    return found


def check_headers(c: Checker, value: Any, edition) -> dict[str, str]:
    if value is None:
        return {}
    value = c.mapping(value, ("headers",), "表头原文（headers）")
    if value is None:
        return {}
    headers = {}
    for key in value:
        text = c.plain(value, key, "header", ("headers",))
        parts = str(key).split(".")
        valid = edition is None or (
            len(parts) == 3 and parts[0] in edition.tables
            and any(col.id == parts[2] for col in edition.tables[parts[0]].columns_of(parts[1])))
        if not valid:
            c.at(("headers", key), "FMT-KEY",
                 f"表头“{key}”不存在：应写成 表.行.列，如 t2.licensing.previous", key=True)
        elif text is not None:
            headers[str(key)] = text
    return headers


def check_acknowledged(c: Checker, value: Any) -> dict[str, str]:
    found = {}
    for where, rule, reason in records(c, value, "acknowledged", ("rule", "reason"), "已确认的问题"):
        if rule in MUST_FIX:
            c.at(where + ("rule",), "FMT-VALUE", MUST_FIX[rule])
        elif rule is not None and (not RULE_ID.match(rule) or rule.startswith(("FMT-", "MD-"))):
            c.at(where + ("rule",), "FMT-VALUE", f"“{rule}”不是可以确认的规则代码（格式问题必须改正）")
        elif rule and c.checked(reason and reason.strip(), where + ("reason",), "reason", f"确认 {rule} 的原因"):
            found[rule] = reason
        elif rule is not None and not (reason or "").strip():
            c.at(where, "FMT-VALUE", f"确认 {rule} 时必须写明原因（reason）")
    return found


def check_table(c: Checker, value: Any, table, edition) -> dict[str, list[Cell]]:
    tid = table.id
    rows = c.mapping(value, (tid,), f"{tid}（{table.title}）")
    if rows is None:
        return {}
    expected = [row.id for row in table.rows]
    alternatives = table.alternatives
    present = set(rows)
    for alt, replaced in alternatives.items():
        if alt in present:
            expected = [r for r in expected if r not in replaced or r in present]
            if not present.isdisjoint(replaced):
                c.at((tid, alt), "FMT-ROW", f"“{alt}”与 {'、'.join(replaced)} 不能同时出现", key=True)
    for row_id in rows:
        if row_id not in expected and row_id not in alternatives:
            c.at((tid, row_id), "FMT-ROW", f"{tid} 中没有“{row_id}”这一行（{edition.id}）", key=True)
    for row_id in expected:
        if row_id not in rows:
            row = table.row(row_id)
            c.at((tid,), "FMT-ROW", f"{tid} 缺少“{row_id}”行（{row.label}）")
    cells = {}
    for row_id, values in rows.items():
        columns = table.columns_of(row_id) if table.row(row_id) else None
        if columns:
            cells[row_id] = check_row(c, values, (tid, row_id), columns)
    return cells


def check_row(c: Checker, values: Any, where: tuple, columns) -> list[Cell]:
    if not isinstance(values, list):
        c.at(where, "FMT-TYPE", f"“{where[1]}”应为一行 {len(columns)} 个值的列表：[{labels(columns)}]")
        return []
    if len(values) != len(columns):
        c.at(where, "FMT-COLS", f"“{where[1]}”应有 {len(columns)} 列（{labels(columns)}），实有 {len(values)} 列")
        return []
    made = c.parsed.cells.get(where)
    if made is not None:
        check_numbers(c, values, made, columns)
        return made
    cells = []
    marks, texts = c.parsed.marks, c.parsed.texts
    for i, value in enumerate(values):
        at = where + (i,)
        if isinstance(value, dict) and list(value) == [UNCERTAIN_KEY] and not isinstance(value[UNCERTAIN_KEY], (dict, list)):
            # the importer's marker: what it read stays with the cell (rule UNCERTAIN reports it)
            read = value[UNCERTAIN_KEY]
            read = "" if read is None else texts.get(at + (UNCERTAIN_KEY,), str(read))
            cells.append(Cell(Uncertain(read), "", *marks.get(at, (1, 1))))
            continue
        if isinstance(value, (dict, list, bool)):
            c.at(at, "FMT-TYPE", f"“{columns[i].label}”单元格应为数字、文字、null（空白），"
                                 f"或导入时标出的 {{{UNCERTAIN_KEY}: …}}")
            continue
        line, col = marks.get(at, (1, 1))
        cells.append(Cell(value, "" if value is None else texts.get(at) or str(value), line, col))
    check_numbers(c, values, cells, columns)
    return cells


def check_numbers(c: Checker, values: list, cells: list[Cell], columns) -> None:
    """A number no report prints — 16 digits or more, 1e1000000 — is refused where it stands."""
    labels = [col.label for col in columns] if len(cells) == len(columns) else None
    for cell, message in numbers.row_problems(values, cells, labels):
        c.problems.append(Problem(c.path, cell.line, cell.col, "error", "FMT-VALUE", message))


def labels(columns) -> str:
    return "、".join(col.label for col in columns)
