"""Where generated files land: inside the site, and never two of them (or one and a docs/ page)
at the same place.

Output paths are built from validated ids (slugs, years, region segments), and `nianbao check`
refuses a region that could climb out of its folder; this is the last guard before anything is
written, for a build whose inputs did not go through the check.
"""

from __future__ import annotations

import posixpath

from .urls import Page, url_of


def output_path(uri: str) -> str:
    """The file a page source becomes in the site (directory URLs, as in mkdocs.yml)."""
    return url_of(uri) + "index.html" if uri.endswith(".md") else uri


def contained(uri: str) -> bool:
    """A relative path with no empty, `.` or `..` segment and no backslash: it stays where it says."""
    if not uri or uri.startswith("/") or "\\" in uri or "\x00" in uri:
        return False
    return posixpath.normpath(uri) == uri and not uri.startswith("../") and uri != ".."


def output_problems(pages: list[Page], existing: dict[str, str]) -> list[str]:
    """Messages for generated files that would leave the site or share a path.

    `existing` maps output paths already taken (hand-written docs/ pages) to their sources.
    """
    taken = dict(existing)
    problems = []
    for page in pages:
        if not contained(page.src_uri):
            problems.append(f"{page.source}：生成的文件“{page.src_uri}”会写到网站目录之外或其他位置，已停止构建")
            continue
        target = output_path(page.src_uri)
        if target in taken:
            problems.append(f"{page.source} 与 {taken[target]} 会生成同一个文件 {target}，已停止构建")
        else:
            taken[target] = page.source
    return problems
