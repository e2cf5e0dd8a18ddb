"""YAML text -> plain values plus the line:col of every value and key.

libyaml (PyYAML's C parser) composes the node tree with marks at a fraction of the cost of a
round-trip loader, so every check can point at the exact cell without slowing a 10,000-report
corpus. We construct values ourselves from the nodes: only the plain YAML types, no tags, no
aliases, bounded depth, duplicate keys reported, and numbers keep the text they were written as.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import fastpath

try:
    from yaml import CBaseLoader as _CBaseLoader
except ImportError:  # PyYAML without libyaml: the 填报 page's Pyodide
    _CBaseLoader = None

_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}


class _PureLoader(yaml.BaseLoader):
    """PyYAML's own Python reader: the reference (see DIVERGENT). Tags of untagged nodes are the
    three defaults (no implicit resolution, no path resolvers), so skip the general resolver."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]


if _CBaseLoader is not None:
    class _Loader(_CBaseLoader):
        """libyaml composes the nodes, several times faster, where it reads as the reference does."""

        resolve = _PureLoader.resolve
else:  # pragma: no cover - libyaml is shipped in PyYAML's wheels
    _Loader = _PureLoader

# libyaml and PyYAML's pure-Python reader (the only one the 填报 page has, in Pyodide) do not read
# every text alike. Their errors are worded and placed differently (a control character: libyaml
# counts bytes, not characters), and on a few constructs one accepts what the other refuses or
# places a value a column apart: tabs, a BOM inside the text, "?", "!" tags, block scalar
# headers, anchors, a ":" inside a flow list. So that `nianbao check` and the page print the same
# lines, the pure reader's reading is the answer: libyaml reads only a text without any of these,
# and a text libyaml refuses is read again by the pure reader, whose error (or value) stands.
# (A "%" of a percent-escaped link stays with libyaml: the two read it alike.) tests/test_readers.py
# compares the two readers on mutated reports.
DIVERGENT = re.compile(r"[\t\ufeff\x85\u2028\u2029?!|>&*]")


def colon_in_flow(text: str) -> bool:
    """A ":" after a "[" and before the next "]" or line end. A scan, not a regex: from every "["
    of a long line the regex ran to the line's end (200,000 "[" took 48 s)."""
    for line in text.split("\n"):
        start = line.find("[")
        while start != -1:
            end = line.find("]", start)
            end = len(line) if end == -1 else end
            if line.find(":", start, end) != -1:
                return True
            start = line.find("[", end)
    return False


def divergent(text: str) -> bool:
    """Whether `text` holds a construct the two readers may read apart (left to the pure reader)."""
    return DIVERGENT.search(text) is not None or colon_in_flow(text)


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text` as PyYAML's pure-Python reader composes it (libyaml where the two agree)."""
    if _Loader is not _PureLoader and not divergent(text):
        try:
            return yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            pass  # the pure reader's own error, worded and placed as on the page
    return yaml.compose(text, Loader=_PureLoader)


MAX_BYTES = 1_000_000
LINE_BREAK = re.compile("\r\n|\r|\n")  # YAML's line breaks, as its readers count lines
MAX_DEPTH = 12

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "seq", "map")}  # BaseLoader gives every plain value the str tag

# The pure reader's English messages (the ones reported: compose), for the most common mistakes editors make.
_SYNTAX_HINTS = [
    ("could not find expected ':'", "缺少冒号“:”，或者上一行的引号、括号没有闭合"),
    ("mapping values are not allowed here", "此处不能出现冒号“:”（值中含冒号时请加引号）"),
    ("expected ',' or ']'", "方括号列表中缺少逗号“,”或右括号“]”"),
    ("expected ',' or '}'", "花括号中缺少逗号“,”或右括号“}”"),
    ("that cannot start any token", "出现了不能开始任何内容的字符（例如制表符 Tab）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合）"),
    ("found undefined alias", "使用了未定义的别名"),
    ("expected <block end>, but found", "缩进不一致，或缺少键"),
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
    # Rows the fast reader made into cells itself (row path -> cells); their items have no marks or texts.
    cells: dict[tuple, list] = field(default_factory=dict)
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


def parse(text: str, full: bool = False) -> Parsed:
    """`full`: always the full YAML reader, never the fast path (the tests compare the two)."""
    if not full:
        fast = fastpath.parse(text, sys.modules[__name__])
        if fast is not None:
            return fast
    parsed = Parsed()
    deep = too_deep(text)
    if deep is not None:
        parsed.issues.append(Issue(deep[0], deep[1], "FMT-YAML", f"嵌套过深（超过 {MAX_DEPTH} 层）"))
        parsed.ok = False
        return parsed
    try:
        # BaseLoader resolves no implicit tags in Python: plain scalars are typed below, faster.
        node = compose(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = in_text(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        parsed.issues.append(Issue(line, col, "FMT-YAML", syntax_message(err)))
        parsed.ok = False
        return parsed
    except yaml.reader.ReaderError as err:  # a character YAML forbids: located by its offset
        line = text.count("\n", 0, err.position) + 1
        col = err.position - text.rfind("\n", 0, err.position)
        parsed.issues.append(Issue(line, col, "FMT-YAML", f"YAML 不允许的字符 U+{err.character:04X}（控制字符），请删去"))
        parsed.ok = False
        return parsed
    except yaml.YAMLError as err:
        parsed.issues.append(Issue(1, 1, "FMT-YAML", f"YAML 无法解析：{err}"))
        parsed.ok = False
        return parsed
    if node is None:
        return parsed
    parsed.value = _Constructor(parsed).construct(node, (), 0)
    return parsed


# Both readers compose nested collections by recursion: libyaml in C, where tens of thousands of
# "[" crash the process; the pure reader in Python, about three frames a level against Python's
# limit of 1,000 (a few hundred levels raise RecursionError, on the page as in the CLI). Nesting
# needs one of these characters a level (an indented block mapping needs the indentation instead,
# quadratic in its depth, which the file size bounds far below any danger), so a text with fewer
# than NESTING_SCAN of them composes safely; any other is first read as events, without recursion.
NESTING = "[{-?"
NESTING_SCAN = 200  # a report has ~50


def too_deep(text: str) -> tuple[int, int] | None:
    """line:col where the collections nest deeper than MAX_DEPTH, read as events (no recursion) by
    the pure reader, the reference (DIVERGENT)."""
    if sum(text.count(ch) for ch in NESTING) < NESTING_SCAN:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_PureLoader):
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH + 1:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
    except yaml.YAMLError:
        return None  # compose reports it, located
    return None


def syntax_message(err: yaml.MarkedYAMLError) -> str:
    """The pure reader's error (compose), with a hint in Chinese for the common ones."""
    problem = err.problem or str(err)
    for english, chinese in _SYNTAX_HINTS:
        if english in problem or (err.context and english in err.context):
            return f"YAML 语法错误：{chinese}（{problem}）"
    return f"YAML 语法错误：{problem}"


_INT = re.compile(r"^[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?\Z|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {v: True for v in ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y")}
_BOOLS.update({v: False for v in ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N")})
_PLAIN = _TAG + "str"


class _Constructor:
    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self.seen: set[int] = set()

    def construct(self, node: yaml.Node, path: tuple, depth: int):
        parsed = self.parsed
        parsed.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # An alias composes to the anchored node itself, so its marks are the anchor's: point at
            # the key that holds the alias instead.
            line, col = parsed.key_marks.get(path, parsed.marks[path])
            parsed.marks[path] = (line, col)
            parsed.issues.append(Issue(line, col, "FMT-YAML", "不允许使用 YAML 别名（*引用）"))
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            _issue(parsed, node, "FMT-YAML", f"嵌套过深（超过 {MAX_DEPTH} 层）")
            return None
        if node.tag not in _PLAIN_TAGS:
            shown = node.tag.replace(_TAG, "!!")
            _issue(parsed, node, "FMT-YAML", f"不允许使用 YAML 标签 {shown}（只能写数字、文字、null、列表和映射）")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, path, depth)
        return self.scalar(node, path)

    def sequence(self, node: yaml.SequenceNode, path: tuple, depth: int) -> list:
        # A table row is a flow list of plain scalars: the hot path, kept free of recursion.
        out = []
        marks, seen, scalar = self.parsed.marks, self.seen, self.scalar
        for i, item in enumerate(node.value):
            if type(item) is yaml.ScalarNode and item.tag == _PLAIN and id(item) not in seen:
                seen.add(id(item))
                where = path + (i,)
                mark = item.start_mark
                marks[where] = (mark.line + 1, mark.column + 1)
                out.append(scalar(item, where))
            else:
                out.append(self.construct(item, path + (i,), depth + 1))
        return out

    def mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        parsed, result = self.parsed, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _PLAIN:
                _issue(parsed, key_node, "FMT-YAML", "键必须是简单的文字")
                continue
            key = key_node.value
            if key in result:
                first = parsed.key_marks[path + (key,)]
                _issue(parsed, key_node, "FMT-DUPKEY", f"键“{key}”重复（第 {first[0]} 行已出现）")
                continue
            parsed.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.construct(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode, path: tuple):
        text = node.value
        self.parsed.texts[path] = text
        if node.style:  # quoted or block (libyaml gives plain scalars an empty style): always text
            return text
        return plain_value(text)


def plain_value(text: str):
    """A plain scalar, typed as YAML 1.1 does for the types a report uses. 1_000, 0x1F and 1:30
    stay text: a report never means them as numbers."""
    if text in _NULLS:
        return None
    if _INT.match(text):
        try:
            return int(text)
        except ValueError:  # past 4,300 digits: the check refuses it as text (numbers.py)
            return text
    if text in _BOOLS:
        return _BOOLS[text]
    if _FLOAT.match(text) and "_" not in text:
        try:
            return float(text)
        except ValueError:
            return text
    return text


def in_text(text: str, line: int, col: int) -> tuple[int, int]:
    """A libyaml mark kept inside the file: at the end of the stream it counts a line break the
    file may not have (a file ending in a lone \r), and an editor cannot go to a line past the last."""
    lines = LINE_BREAK.split(text)
    if line <= len(lines):
        return line, col
    return len(lines), len(lines[-1]) + 1


def _issue(parsed: Parsed, node: yaml.Node, rule: str, message: str) -> None:
    parsed.issues.append(Issue(node.start_mark.line + 1, node.start_mark.column + 1, rule, message))
