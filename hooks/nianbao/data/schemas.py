"""JSON Schemas of agency.yml and <year>.yml (one per edition), generated from the edition spec,
and of the metadata file an editor may put beside a report uploaded to inbox/.

Editors' YAML tooling (yaml-language-server) reads them for completion and inline errors; the
site publishes them with the data downloads.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core import editions
from ..core.load import SLUG_TEXT
from ..core.model import UNCERTAIN_KEY
from ..core.numbers import LIMIT, YEARS
from ..core.editions import Edition
from ..core.schema import AGENCY_KINDS, KEY_NAMES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# A cell as printed, or the importer's marker of one it could not read for sure (model.Uncertain).
CELL = {"anyOf": [
    {"type": ["integer", "number"], "exclusiveMinimum": -LIMIT, "exclusiveMaximum": LIMIT},  # numbers.py
    {"type": ["string", "null"]},
    {"type": "object", "additionalProperties": False, "required": [UNCERTAIN_KEY],
     "description": "导入时未能确定的单元格：对照原文改为数字，原文确为空白时改为 null（检查规则 UNCERTAIN）",
     "properties": {UNCERTAIN_KEY: {"type": ["string", "number", "null"], "description": "导入时读到的原文"}}},
]}


# A region segment as fields.region_problem allows it, in what every JSON Schema tool reads (no \\p{L}):
# no ASCII punctuation but brackets, no space, no control character. The check says the rest.
REGION_SEGMENT = r"[^\x00-\x27\x2a-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+"
REGION_PATTERN = rf"^{REGION_SEGMENT}(?:/{REGION_SEGMENT}){{0,4}}$"


def file_name(edition_id: str) -> str:
    return f"report-{edition_id}.schema.json"


def text_field(key: str, **extra) -> dict:
    return {"type": ["string", "null"], "description": KEY_NAMES[key], **extra}


def report_schema(edition: Edition) -> dict:
    tables = {tid: table_schema(edition, tid) for tid in edition.tables}
    return {
        "$schema": DRAFT,
        "$id": file_name(edition.id),
        "title": f"政府信息公开工作年度报告（{edition.id}，{edition.document}）",
        "$defs": {"cell": CELL},
        "type": "object",
        "additionalProperties": False,
        "required": ["agency", "year", "edition", "published", "t2", "t3", "t4"],
        "properties": {
            "agency": {"type": "string", "pattern": f"^{SLUG_TEXT}$", "description": "机构代码（与所在目录名相同）"},
            "year": {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[-1], "description": "年度（与文件名相同）"},
            "edition": {"const": edition.id, "description": f"格式版本：{edition.name}"},
            "title": text_field("title"),
            "published": text_field("published", pattern=r"^\d{4}-\d{2}-\d{2}$"),
            "source_url": text_field("source_url", pattern=r"^https?://"),
            "index_no": text_field("index_no"),
            "doc_no": text_field("doc_no"),
            "attachments": records("附件", "title", "url"),
            "headers": {"type": "object", "description": "原文表头与格式不同之处：表.行.列 → 原文表头",
                        "propertyNames": {"pattern": r"^t[234]\.[a-z_]+\.[a-z_]+$"},
                        "additionalProperties": {"type": "string"}},
            "acknowledged": records("已核对原文、按原文发布的问题", "rule", "reason"),
            **tables,
        },
    }


def records(description: str, first: str, second: str) -> dict:
    return {"type": "array", "description": description,
            "items": {"type": "object", "additionalProperties": False, "required": [first, second],
                      "properties": {first: {"type": "string"}, second: {"type": "string"}}}}


def table_schema(edition: Edition, tid: str) -> dict:
    table = edition.tables[tid]
    alternatives = table.alternatives
    replaced = {row for rows in alternatives.values() for row in rows}
    properties = {}
    for row in table.rows + [table.alt_row(alt) for alt in alternatives]:
        columns = table.columns_of(row.id)
        properties[row.id] = {
            "type": "array", "minItems": len(columns), "maxItems": len(columns),
            "description": f"{row.label}：[{'、'.join(c.name for c in columns)}]",
            "prefixItems": [{"$ref": "#/$defs/cell", "description": c.name} for c in columns],
        }
    return {"type": "object", "description": table.title, "additionalProperties": False,
            "required": [r.id for r in table.rows if r.id not in replaced], "properties": properties}


def agency_schema() -> dict:
    return {
        "$schema": DRAFT, "$id": "agency.schema.json", "title": "机构信息（agency.yml）", "type": "object",
        "additionalProperties": False, "required": ["name", "kind", "region"],
        "properties": {
            "name": {"type": "string", "description": "机构全称，如 罗源县松山镇人民政府"},
            "kind": {"enum": list(AGENCY_KINDS), "description": "机构类型"},
            "region": {"type": "string", "pattern": REGION_PATTERN,
                       "description": "所属地区，如 福建省/福州市/罗源县（汉字、字母、数字、间隔号和括号，以“/”分级）"},
            "credit_code": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
                            "description": "统一社会信用代码"},
        },
    }


# The keys of inbox/<file>.yml (editing/inbox/sidecar.py checks them with located messages).
INBOX_KEYS = {
    "agency": "机构代码（小写拼音和连字符，如 luoyuan-songshan）",
    "year": "年度（四位数字）",
    "name": "机构全称（新机构必填）",
    "region": "所属地区（新机构必填，如 福建省/福州市/罗源县）",
    "kind": "机构类型：" + "、".join(AGENCY_KINDS),
}


def inbox_schema() -> dict:
    return {
        "$schema": DRAFT, "$id": "inbox.schema.json", "title": "inbox/ 中报告文件的补充信息（<文件名>.yml）",
        "type": ["object", "null"], "additionalProperties": False,
        "properties": {
            "agency": {"type": ["string", "null"], "pattern": f"^{SLUG_TEXT}$", "description": INBOX_KEYS["agency"]},
            "year": {"type": ["integer", "null"], "minimum": 1000, "maximum": 9999, "description": INBOX_KEYS["year"]},
            "name": {"type": ["string", "null"], "description": INBOX_KEYS["name"]},
            "region": {"type": ["string", "null"], "description": INBOX_KEYS["region"]},
            "kind": {"enum": [*AGENCY_KINDS, None], "description": INBOX_KEYS["kind"]},
        },
    }


def all_schemas() -> dict[str, dict]:
    found = {"agency.schema.json": agency_schema(), "inbox.schema.json": inbox_schema()}
    for edition in editions.all_editions().values():
        found[file_name(edition.id)] = report_schema(edition)
    return found


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
