"""`inbox/<file>.yml`: what an uploaded report's own text does not say (its agency code, say).

Every key is optional; each is checked here and located (`path:line:col`), and what it says is
checked again by the importer against the report's text and by `nianbao check` on the draft.
The same keys are described as JSON Schema in docs/schemas/inbox.schema.json (data/schemas.py,
where they are listed once).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...core import located
from ...core.load import SLUG, reserved_slug
from ...core.model import Problem
from ...core.schema import AGENCY_KINDS
from ...data.schemas import INBOX_KEYS

RULE = "INBOX-META"
KEYS = INBOX_KEYS


@dataclass
class Meta:
    path: str | None = None  # repo path of the sidecar, None when there is none
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read(path: str, data: bytes) -> Meta:
    meta = Meta(path=path)
    text, issue = located.decode(data)
    if issue is None:
        parsed = located.parse(text, full=True)
        issue = parsed.issues[0] if parsed.issues else None
    if issue is not None:
        meta.problems.append(Problem(path, issue.line, issue.col, "error", RULE, issue.message))
        return meta
    if parsed.value is None:
        return meta  # an empty file says nothing
    if not isinstance(parsed.value, dict):
        meta.problems.append(Problem(path, 1, 1, "error", RULE, "应为“键: 值”的列表，可用的键：" + "、".join(KEYS)))
        return meta
    for key, value in parsed.value.items():
        line, col = parsed.key_marks.get((key,), (1, 1))
        why = problem(key, value)
        if why:
            if key in KEYS:
                line, col = parsed.marks.get((key,), (line, col))
            meta.problems.append(Problem(path, line, col, "error", RULE, why))
        elif value is not None:
            meta.values[key] = value
    return meta


def problem(key, value) -> str | None:
    if key not in KEYS:
        return f"未知的键“{str(key)[:40]}”；可用的键：" + "、".join(f"{k}（{what}）" for k, what in KEYS.items())
    if value is None:
        return None
    if key == "year":
        return None if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999 else \
            f"year 应为四位数字的年度，如 2024；此处为“{str(value)[:40]}”"
    if not isinstance(value, str):
        return f"{key} 应为文字；此处为“{str(value)[:40]}”"
    if key == "agency" and (not SLUG.match(value) or reserved_slug(value)):
        return f"机构代码“{value[:40]}”不合规：只能用小写拼音字母、数字和连字符，且不能与网站的栏目同名"
    if key == "kind" and value not in AGENCY_KINDS:
        return f"机构类型应为{'、'.join(AGENCY_KINDS)}之一；此处为“{value[:40]}”"
    return None

