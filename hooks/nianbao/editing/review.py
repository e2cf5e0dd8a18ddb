"""`nianbao review-paths`: what a pull request touches, before anything of it runs.

Configuration, hooks and templates run code at build time, so a change outside reports/ needs a
maintainer's review; under reports/ only the expected file names, no links and no huge files;
under inbox/ only the report files an editor uploads for import (inbox/paths.py), bounded in size.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from ..core.load import ATTACHMENT_TEXT, SLUG_TEXT
from ..core.model import Problem
from .inbox import paths as inbox

# The same names `check` accepts (load.py), with a size limit for each kind of file.
# Matched whole (fullmatch): "$" would accept a path ending in a line break.
_AGENCY = "reports/" + SLUG_TEXT
ALLOWED = [
    (re.compile(_AGENCY + r"/agency\.yml"), 64 * 1024),
    (re.compile(_AGENCY + r"/\d{4}\.yml"), 256 * 1024),
    (re.compile(_AGENCY + r"/\d{4}\.md"), 512 * 1024),
    (re.compile(_AGENCY + "/files/" + ATTACHMENT_TEXT), 30 * 1024 * 1024),
]
SYMLINK_MODE = "120000"
DELETED = "000000"  # git's mode of a deleted file


@dataclass
class Change:
    path: str
    mode: str  # git file mode of the new version (DELETED when deleted)
    size: int


def review(changes: list[Change]) -> list[Problem]:
    problems = []
    for change in changes:
        deleted = change.mode == DELETED
        if inbox.in_inbox(change.path):
            if not deleted:  # removing an upload adds nothing to the build
                problems += review_inbox_file(change)
            continue
        if not change.path.startswith("reports/"):
            # A deletion there needs review as much as a change: removing a CI workflow, a hook or
            # a template (or the setting that turns a check on) changes what the build runs.
            what = "删除" if deleted else "修改"
            problems.append(Problem(change.path, 1, 1, "warning", "PR-REVIEW",
                                    f"{what}了 reports/ 以外的文件（CI、配置、钩子或模板决定构建时运行什么），需要维护者审核"))
        elif not deleted:  # deleting a report's file adds nothing to the build
            problems += review_report_file(change)
    return problems


def review_report_file(change: Change) -> list[Problem]:
    path = change.path
    if change.mode == SYMLINK_MODE:
        return [Problem(path, 1, 1, "error", "PR-SYMLINK", "reports/ 下不允许符号链接")]
    if not path.isascii():
        return [Problem(path, 1, 1, "error", "PR-NAME", "文件名只能使用 ASCII 字符（拼音、数字、连字符）")]
    for pattern, limit in ALLOWED:
        if pattern.fullmatch(path):
            if change.size > limit:
                return [Problem(path, 1, 1, "error", "PR-SIZE",
                                f"文件过大：{change.size} 字节，此类文件上限 {limit} 字节")]
            return []
    return [Problem(path, 1, 1, "error", "PR-NAME",
                    "reports/ 下只接受 <机构代码>/agency.yml、<年度>.yml、<年度>.md 和 files/<年度>-<名称>.pdf")]


def review_inbox_file(change: Change) -> list[Problem]:
    """An upload to inbox/ is read only by the base branch's importer, never built or run."""
    path, name = change.path, change.path[len(inbox.INBOX) + 1:]
    if change.mode == SYMLINK_MODE:
        return [Problem(path, 1, 1, "error", "PR-SYMLINK", "inbox/ 下不允许符号链接")]
    why = inbox.name_problem(name)
    if why:
        return [Problem(path, 1, 1, "error", "PR-NAME", why)]
    found = inbox.kind(name)
    if found == "own":
        return [Problem(path, 1, 1, "warning", "PR-REVIEW", "修改了 inbox/ 的说明文件，需要维护者审核")]
    if found is None:
        return [Problem(path, 1, 1, "error", "PR-NAME", inbox.not_accepted(name))]
    if change.size > inbox.limit(name):
        return [Problem(path, 1, 1, "error", "PR-SIZE", f"文件过大：{change.size} 字节，此类文件上限 {inbox.limit(name)} 字节")]
    return []


def git_changes(base: str, cwd: str = ".") -> list[Change]:
    """Files changed since the merge base with `base`, with their new modes and sizes."""
    raw = subprocess.run(["git", "diff", "--raw", "-z", "--no-renames", f"{base}...HEAD"], cwd=cwd,
                         capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    fields = raw.split("\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        if not meta.startswith(":"):
            continue
        _, new_mode, _, new_sha, _ = meta[1:].split(" ", 4)
        size = 0
        if new_mode != DELETED:
            size = int(subprocess.run(["git", "cat-file", "-s", new_sha], cwd=cwd, capture_output=True,
                                      check=True, text=True).stdout)
        changes.append(Change(path, new_mode, size))
    return changes
