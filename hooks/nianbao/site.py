"""The adapter between the library and MkDocs (or its drop-in fork ProperDocs).

Only this module and the hook file know MkDocs' objects; under `properdocs` the `mkdocs.*`
imports are redirected to ProperDocs by ProperDocs itself.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from .check import Result, check_path
from .pages import REPORT_URI, home_summary, site_pages
from .urls import SiteInfo
from .safety import clean_html

log = logging.getLogger("mkdocs.plugins.nianbao")


def reports_dir(config) -> Path:
    """`reports/` beside mkdocs.yml; NIANBAO_REPORTS points a build elsewhere."""
    override = os.environ.get("NIANBAO_REPORTS")
    if override:
        return Path(override)
    return Path(config.config_file_path).resolve().parent / "reports"


def pin_build_date(config) -> None:
    """Reproducible builds: the date MkDocs stamps (sitemap, gzip) is the last commit's, not now."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    folder = Path(config.config_file_path).resolve().parent
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=folder, capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return
    if done.returncode == 0 and done.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = done.stdout.strip()


def check_reports(config) -> Result:
    """Check everything before anything is written; a blocking problem stops the build."""
    from mkdocs.exceptions import PluginError

    result = check_path(reports_dir(config))
    for problem in result.problems:
        line = problem.format()
        if problem.level == "error" and problem.acknowledged is None:
            log.error(line)
        elif problem.acknowledged is not None:
            log.info(line)
        else:
            # Published reports are full of blanks; their warnings belong on the report page,
            # not in a --strict build's warning count.
            log.debug(line)
    log.info(result.summary())
    blocking = result.blocking
    if blocking:
        first = blocking[0]
        raise PluginError(f"报告检查未通过：{len(blocking)} 个错误（第一个：{first.format()}）。"
                          "请先运行 `nianbao check` 并改正，或在报告 YAML 的 acknowledged 中确认按原文发布的问题。")
    return result


def add_pages(files, config, result: Result):
    from mkdocs.structure.files import File, InclusionLevel

    info = SiteInfo(name=config.site_name, url=config.site_url or None)
    for page in site_pages(result, info):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, page.src_uri, content=page.content)
        # Report and agency pages stay out of the global nav: MkDocs renders the nav into every
        # page, which is quadratic in the number of reports.
        file.inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(file)
    add_attachments(files, config, result)
    return files


def add_attachments(files, config, result: Result) -> None:
    """Original PDFs stored with the reports are published beside them: /<slug>/files/<name>."""
    from mkdocs.structure.files import File

    root = Path(result.corpus.root)
    for path in result.corpus.attachments:
        files.append(File(path.relative_to(root).as_posix(), str(root), config.site_dir,
                          config.use_directory_urls))


def home_markdown(markdown: str, page, result: Result | None) -> str:
    if result is None or page.file.src_uri != "index.md":
        return markdown
    return markdown + "\n" + home_summary(result)


def clean_report_page(html: str, page) -> str:
    """Report pages carry editors' Markdown: only allow-listed markup reaches the reader."""
    if REPORT_URI.match(page.file.src_uri):
        return clean_html(html)
    return html


def build_search(config, result: Result | None) -> None:
    """The Pagefind index over the finished site (NIANBAO_SEARCH=off skips it, e.g. for previews)."""
    if result is None or os.environ.get("NIANBAO_SEARCH", "").lower() in ("off", "0", "no", "false"):
        log.info("未生成搜索索引（NIANBAO_SEARCH=off）")
        return
    from .search import build_index

    bundles = build_index(result, config.site_dir)
    log.info(f"搜索索引：{len(result.corpus.reports)} 份报告，{len(bundles)} 个索引包")
