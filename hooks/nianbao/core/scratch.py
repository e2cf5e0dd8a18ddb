"""A fresh repo in a temporary folder holding one agency folder's files, for one call.

The 填报 page runs the package in the browser (editing/browser.py, site/preview.py): each call
writes the form's files under reports/<slug>/ here, then reads them back with the same functions
the CLI and the build call on disk, so the page answers exactly as they do.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

# The page may only write an agency folder's own files: agency.yml, <year>.yml, <year>.md.
FILE = re.compile(r"reports/([a-z0-9][a-z0-9-]*)/(agency\.yml|\d{4}\.(?:yml|md))\Z")


class BadFiles(ValueError):
    """Files the page must not write (a path outside one agency folder): a usage error."""


@contextmanager
def scratch_repo(files: dict[str, str]):
    """A fresh repo holding `files`, as the working directory: yields (root, the agency's slug or None)."""
    slugs = set()
    for path in files:
        match = FILE.match(path)
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
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError as err:  # half of a character pair, from a JavaScript string
                raise BadFiles(f"{path} 中有无法保存的字符（第 {err.start + 1} 个字符）：请删去后重新输入") from None
            target.write_bytes(data)
        os.chdir(root)
        try:
            yield Path(root), next(iter(slugs), None)
        finally:
            os.chdir(before)
