"""The 填报 page's preview: the report as its page will show it, run in the browser.

Made by the functions that make the published page (narrative.py places the tables in the
editor's narrative, render.py draws them with their flagged cells) on the form's files, read
back and checked in a scratch repo exactly as the build reads them (core/scratch.py). One
difference: the browser has no nh3 (the page's HTML cleaner), so raw HTML in the narrative, which
the published page passes through its allow-list, is shown here as text.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from ..core.check import check_path
from ..core.scratch import scratch_repo
from .narrative import Narrative, report_title


def preview(files: dict[str, str]) -> str:
    """The page's title and body for these files of one agency folder (one report year)."""
    with scratch_repo(files) as (root, slug):
        if slug is None:
            return ""
        result = check_path(Path("reports"), only={slug})
        reports = result.corpus.reports
        if not reports:  # its YAML does not read: the check's problems say why
            return '<p class="nb-tb-nopreview">报告文件有格式错误，改正后才能预览（见核验结果）。</p>'
        report = max(reports, key=lambda r: r.year)
        problems = [p for p in result.problems if p.path in (report.path, report.md_path)]
        title = report_title(report, result.corpus.agencies.get(slug))
        # No nh3 in the browser: raw HTML in the narrative is shown as text (narrative.blocks).
        return f"<h1>{escape(title)}</h1>\n" + Narrative(report, problems, clean=None).html()
