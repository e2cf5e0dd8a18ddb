"""YAML text -> plain values plus the line:col of every value and key.

libyaml (PyYAML's C parser) composes the node tree with marks at a fraction of the cost of a
round-trip loader, so every check can point at the exact cell without slowing a 10,000-report
corpus. We construct values ourselves from the nodes: only the plain YAML types, no tags, no
aliases, bounded depth, duplicate keys reported, and numbers keep the text they were written as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is shipped in PyYAML's wheels
    from yaml import SafeLoader as _Loader

MAX_BYTES = 1_000_000
MAX_DEPTH = 12

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "null", "bool", "timestamp", "seq", "map")}

# libyaml's English messages, for the most common mistakes editors make.
_SYNTAX_HINTS = [
    ("could not find expected ':'", "缺少冒号“:”，或者上一行的引号、括号没有闭合"),
    ("mapping values are not allowed here", "此处不能出现冒号“:”（值中含冒号时请加引号）"),
    ("did not find expected ',' or ']'", "方括号列表中缺少逗号“,”或右括号“]”"),
    ("did not find expected ',' or '}'", "花括号中缺少逗号“,”或右括号“}”"),
    ("found character that cannot start any token", "出现了不能开始任何内容的字符（例如制表符 Tab）"),
    ("did not find expected key", "缩进不一致，或缺少键"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合）"),
    ("found undefined alias", "使用了未定义的别名"),
    ("expected <block end>, but found", "缩进不一致"),
    ("found a tab character", "缩进中出现了制表符 Tab，请改用空格"),
]


@dataclass
class Issue:
    line: int
    col: int
    rule: str
    message: str


@dataclass
class Parsed:
    value: Any = None
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # value positions
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # key positions
    texts: dict[tuple, str] = field(default_factory=dict)  # scalar text as written
    ends: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # where each value ends
    issues: list[Issue] = field(default_factory=list)
    ok: bool = True


def decode(data: bytes) -> tuple[str | None, Issue | None]:
    """UTF-8 (with or without BOM); anything else is located at its first bad byte."""
    if len(data) > MAX_BYTES:
        return None, Issue(1, 1, "FMT-YAML", f"文件过大（{len(data)} 字节，上限 {MAX_BYTES} 字节）")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        col = err.start - (before.rfind(b"\n") + 1) + 1
        return None, Issue(line, col, "FMT-ENCODING", "文件不是 UTF-8 编码（请用 UTF-8 保存）")


def parse(text: str) -> Parsed:
    parsed = Parsed()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        parsed.issues.append(Issue(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                   "FMT-YAML", syntax_message(err)))
        parsed.ok = False
        return parsed
    except yaml.YAMLError as err:
        parsed.issues.append(Issue(1, 1, "FMT-YAML", f"YAML 无法解析：{err}"))
        parsed.ok = False
        return parsed
    if node is None:
        return parsed
    parsed.value = _construct(node, (), parsed, set(), 0)
    return parsed


def syntax_message(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or str(err)
    for english, chinese in _SYNTAX_HINTS:
        if english in problem or (err.context and english in err.context):
            return f"YAML 语法错误：{chinese}（{problem}）"
    return f"YAML 语法错误：{problem}"


def _construct(node: yaml.Node, path: tuple, parsed: Parsed, seen: set[int], depth: int) -> Any:
    parsed.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    parsed.ends[path] = (node.end_mark.line + 1, node.end_mark.column + 1)
    if id(node) in seen:
        # An alias composes to the anchored node itself, so its marks are the anchor's: point at
        # the key that holds the alias instead.
        line, col = parsed.key_marks.get(path, parsed.marks[path])
        parsed.marks[path] = (line, col)
        parsed.issues.append(Issue(line, col, "FMT-YAML", "不允许使用 YAML 别名（*引用）"))
        return None
    seen.add(id(node))
    if depth > MAX_DEPTH:
        _issue(parsed, node, "FMT-YAML", f"嵌套过深（超过 {MAX_DEPTH} 层）")
        return None
    if node.tag not in _PLAIN_TAGS:
        shown = node.tag.replace(_TAG, "!!")
        _issue(parsed, node, "FMT-YAML", f"不允许使用 YAML 标签 {shown}（只能写数字、文字、null、列表和映射）")
        return None
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, parsed, seen, depth)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, path + (i,), parsed, seen, depth + 1) for i, item in enumerate(node.value)]
    return _scalar(node, path, parsed)


def _mapping(node: yaml.MappingNode, path: tuple, parsed: Parsed, seen: set[int], depth: int) -> dict:
    result: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            _issue(parsed, key_node, "FMT-YAML", "键必须是简单的文字")
            continue
        key = key_node.value
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in result:
            first = parsed.key_marks[path + (key,)]
            _issue(parsed, key_node, "FMT-DUPKEY", f"键“{key}”重复（第 {first[0]} 行已出现）")
            continue
        parsed.key_marks[path + (key,)] = where
        result[key] = _construct(value_node, path + (key,), parsed, seen, depth + 1)
    return result


_INT = re.compile(r"^[-+]?[0-9]+$")


def _scalar(node: yaml.ScalarNode, path: tuple, parsed: Parsed) -> Any:
    text = node.value
    parsed.texts[path] = text
    tag = node.tag[len(_TAG):]
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag == "int":
        # YAML 1.1 also reads 0x.., 0o.., 1_000 and 1:30 as integers; a report never means those.
        return int(text) if _INT.match(text) else text
    if tag == "float":
        try:
            return float(text)
        except ValueError:
            return text
    return text  # str and timestamp keep their text


def _issue(parsed: Parsed, node: yaml.Node, rule: str, message: str) -> None:
    parsed.issues.append(Issue(node.start_mark.line + 1, node.start_mark.column + 1, rule, message))
