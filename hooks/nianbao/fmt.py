"""`nianbao fmt`: rewrite a report YAML into the canonical layout.

Values keep the exact text they were written with (1.250000 stays 1.250000), and an editor's own
comments go back beside the key or row they were written for; only the layout's own comments
(column labels, section titles) are regenerated. Formatting twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import editions, located, schema
from .dump import Comments, Raw, generated_comments, normalize, report_yaml
from .load import YEAR_FILE, display_path
from .model import Problem


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
    original = path.read_bytes()
    text, issue = located.decode(original)
    if issue:
        return Outcome(shown, problems=[Problem(shown, issue.line, issue.col, "error", issue.rule, issue.message)])
    parsed = located.parse(text, ends=True)
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


def editor_comments(text: str, parsed: located.Parsed, edition) -> Comments:
    lines = text.splitlines()
    generated = generated_comments(edition)
    anchors = {mark[0]: path for path, mark in parsed.key_marks.items() if len(path) <= 2}
    for path, mark in parsed.marks.items():
        if len(path) == 2 and isinstance(path[1], int):  # items of attachments / acknowledged
            anchors.setdefault(mark[0], path)
    comments = Comments()
    pending: list[str] = []
    first_anchor = min(anchors, default=len(lines) + 1)
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            if normalize(stripped) in generated:
                continue
            (comments.header if number < first_anchor else pending).append(stripped)
        elif number in anchors:
            path = anchors[number]
            if pending:
                comments.leading[path] = pending
                pending = []
            tail = trailing(line, parsed.ends.get(path) if parsed.marks.get(path, (0,))[0] == number else None,
                            number)
            if tail and normalize(tail) not in generated:
                comments.trailing[path] = tail
    comments.footer = pending  # comments after the last key stay at the end of the file
    return comments


def trailing(line: str, end: tuple[int, int] | None, number: int) -> str | None:
    """The comment after a key's value on its own line (or after the colon of a block key)."""
    if end is not None and end[0] == number:
        rest = line[end[1] - 1:]
    else:
        rest = line.split(":", 1)[1] if ":" in line else ""
    rest = rest.strip()
    return rest if rest.startswith("#") else None
