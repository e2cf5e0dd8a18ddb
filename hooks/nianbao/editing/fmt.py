"""`nianbao fmt`: rewrite a report YAML into the canonical layout.

Values keep the exact text they were written with (1.250000 stays 1.250000), and an editor's own
comments go back beside the key or row they were written for; only the layout's own comments
(column labels, section titles) are regenerated. Formatting twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.tokens import CommentToken

from ..core import editions, located, schema
from .dump import Comments, Raw, generated_comments, normalize, report_yaml
from ..core.load import LINK, first_link, YEAR_FILE, display_path
from ..core.model import Problem


@dataclass
class Outcome:
    path: str
    changed: bool = False
    text: str | None = None
    problems: list[Problem] | None = None


def format_file(path: Path) -> Outcome:
    shown = display_path(path)
    match = YEAR_FILE.match(path.name)
    if not match or match.group(2) != "yml":
        return Outcome(shown, problems=[Problem(shown, 1, 1, "error", "FMT-PATH", "只能格式化 <年度>.yml 报告文件")])
    linked = first_link(path, path.parent)
    if linked is not None:  # read through it, a file from anywhere on the machine would reach the log
        return Outcome(shown, problems=[Problem(shown, 1, 1, "error", "FMT-PATH", f"“{linked.name}”{LINK}")])
    original = path.read_bytes()
    text, issue = located.decode(original)
    if issue:
        return Outcome(shown, problems=[Problem(shown, issue.line, issue.col, "error", issue.rule, issue.message)])
    parsed = located.parse(text, full=True)  # every number's text as written, cells included
    problems = [Problem(shown, i.line, i.col, "error", i.rule, i.message) for i in parsed.issues]
    if parsed.ok and not problems:
        problems = schema.check_report(parsed, shown, path.parent.name, int(match.group(1))).problems
    if problems:
        return Outcome(shown, problems=problems)
    edition = editions.get(parsed.value["edition"])
    formatted = report_yaml(raw_data(parsed), edition, comments=editor_comments(text, parsed, edition))
    return Outcome(shown, changed=formatted.encode("utf-8") != original, text=formatted)


def raw_data(parsed: located.Parsed) -> dict:
    """The report's values with every number as written in the source."""
    def raw(value, path):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Raw(parsed.texts[path])
        if isinstance(value, dict):  # the importer's {uncertain: …} marker (schema.check_row)
            return {key: raw(inner, path + (key,)) for key, inner in value.items()}
        return value

    data = {key: raw(value, (key,)) for key, value in parsed.value.items()
            if not isinstance(value, (dict, list))}
    for key in ("attachments", "acknowledged"):
        if key in parsed.value:
            data[key] = parsed.value[key]
    if "headers" in parsed.value:
        data["headers"] = parsed.value["headers"]
    for tid in ("t2", "t3", "t4"):
        data[tid] = {row: [raw(v, (tid, row, i)) for i, v in enumerate(values)]
                     for row, values in parsed.value[tid].items()}
    return data


class TextConstructor(RoundTripConstructor):
    """Only the comments are read here: a value that looks like a date stays text (an unquoted
    2020-13-45, which the check reads as text, would make ruamel raise)."""


TextConstructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def comment_lines(text: str) -> dict[int, tuple[str, bool]]:
    """line number -> (comment, whether it follows a value on that line), for every comment.

    ruamel.yaml's round-trip parser keeps comments as tokens with their positions: a `#` inside a
    quoted value is not a comment, and one token may hold the comment lines that follow it.
    """
    lines = text.splitlines()
    found: dict[int, tuple[str, bool]] = {}
    reader = YAML(typ="rt")
    reader.Constructor = TextConstructor
    for token in comment_tokens(reader.load(text)):
        line, col = token.start_mark.line, token.start_mark.column
        for i, part in enumerate(token.value.split("\n")):
            part = part.strip()
            if part.startswith("#") and line + i < len(lines):
                after_value = i == 0 and lines[line][:col].strip() != ""
                found[line + i + 1] = (part, after_value)
    return found


def comment_tokens(node):
    """Every comment token ruamel.yaml attached anywhere in a loaded document."""
    seen = set()

    def tokens(value):
        if isinstance(value, CommentToken):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from tokens(item)

    stack = [node]
    while stack:
        current = stack.pop()
        ca = getattr(current, "ca", None)
        if ca is not None:
            for token in tokens([ca.comment, list(ca.items.values()), ca.end]):
                if id(token) not in seen:
                    seen.add(id(token))
                    yield token
        if isinstance(current, dict):
            stack += list(current.values())
        elif isinstance(current, list):
            stack += current


def editor_comments(text: str, parsed: located.Parsed, edition) -> Comments:
    """The editor's comments (not the layout's own), keyed by the line of the key they belong to:
    above a key, after its value, before the first key, or after the last."""
    generated = generated_comments(edition)
    anchors = {mark[0]: path for path, mark in parsed.key_marks.items() if len(path) <= 2}
    for path, mark in parsed.marks.items():
        if len(path) == 2 and isinstance(path[1], int):  # items of attachments / acknowledged
            anchors.setdefault(mark[0], path)
    comments = Comments()
    first_anchor = min(anchors, default=len(text) + 1)
    for number, (comment, after_value) in sorted(comment_lines(text).items()):
        if normalize(comment) in generated:
            continue
        if after_value:
            # after the value that ends on this line, which may have started lines above
            holder = max((n for n in anchors if n <= number), default=None)
            if holder is not None:
                comments.trailing[anchors[holder]] = comment
        elif number < first_anchor:
            comments.header.append(comment)
        else:
            following = min((n for n in anchors if n > number), default=None)
            if following is None:
                comments.footer.append(comment)
            else:
                comments.leading.setdefault(anchors[following], []).append(comment)
    return comments
