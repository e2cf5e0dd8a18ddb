"""The adapter between the library and MkDocs (or its drop-in fork ProperDocs).

Only the modules of this folder (this one, pagebuild.py, renderpool.py and deferred.py: the
generated pages' share of the build) and the hook file know MkDocs' objects; site/ makes the pages
as plain text. Under `properdocs` the `mkdocs.*` imports are redirected to ProperDocs by ProperDocs
itself.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import subprocess
import time
from pathlib import Path

from . import oldsite, pagebuild
from .contents import with_headings
from ..core import oserrors, project, settings
from .engine import copy_engine
from ..core.check import Result
from ..core.checkcache import check_cached
from ..core.parallel import check_path, job_count
from ..site.csp import add_policy
from ..site.outputs import output_problems
from ..site.pages import home_summary, site_pages
from ..site.tianbao import TIANBAO_PAGE
from ..site.urls import SiteInfo, heading_id
from ..core.safety import clean_html

log = logging.getLogger("mkdocs.plugins.nianbao")
BLOCKS: dict = {}  # page source -> its deferred HTML fragments (see urls.Blocks)
GENERATED: set[str] = set()  # source URIs of the pages made from report data


def reports_dir(config) -> Path:
    """`reports/` beside mkdocs.yml; NIANBAO_REPORTS points a build elsewhere."""
    return project.reports_dir(Path(config.config_file_path).resolve().parent)


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


def own_heading_ids(config) -> None:
    config["mdx_configs"].setdefault("toc", {})["slugify"] = heading_id


def report_year(path: str) -> int | None:
    name = Path(path).name
    return int(name[:4]) if name[:4].isdigit() and name[4:] in (".yml", ".md") else None


def preview_target() -> tuple[str | None, int | None]:
    """NIANBAO_ONLY=slug or slug/year limits a build to one agency or one report (fast previews)."""
    return settings.only()


def told(step):
    """An OS error of a build step (a read-only folder, a full disk) stops the build with one line
    naming the path, as MkDocs shows a plugin's error, not a traceback."""
    @functools.wraps(step)
    def run(*args, **kwargs):
        try:
            return step(*args, **kwargs)
        except OSError as err:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"构建停止：{oserrors.describe(err)}") from err
    return run


@told
def check_reports(config, clean: bool = False) -> Result:
    """Check everything before anything is written; a blocking problem stops the build."""
    from mkdocs.exceptions import PluginError

    gc.unfreeze()  # a previous build of `mkdocs serve`: its objects may be collected now
    try:
        settings.validate()
    except ValueError as err:  # a bad NIANBAO_* value
        raise PluginError(str(err)) from err
    pagebuild.start(config, clean)
    only, year = preview_target()
    folder, wanted = reports_dir(config), {only} if only else None
    if pagebuild.BUILD.checks is None:
        result = check_path(folder, only=wanted, jobs=job_count())
    else:  # only the agencies whose folders changed since the last build are read and checked
        result = check_cached(folder, wanted, job_count(), pagebuild.BUILD.checks)
        log.info(f"读取并检查了 {pagebuild.BUILD.checks.read} 个机构的报告，"
                 f"{pagebuild.BUILD.checks.reused} 个机构未改动，检查结果取自构建缓存")
    if only:
        missing = settings.missing_preview(result.corpus, only, year)
        if missing:
            raise PluginError(missing)
        keep = {year, year - 1} if year else None  # the year before, for the cross-year rules
        if keep:
            result.corpus.reports = [r for r in result.corpus.reports if r.year in keep]
            result.problems = [p for p in result.problems if report_year(p.path) in keep | {None}]
        log.info(f"预览模式（NIANBAO_ONLY={os.environ['NIANBAO_ONLY']}）：只构建这一机构"
                 f"{'的 ' + str(year) + ' 年度报告' if year else ''}，不要发布此次构建的结果")
    for problem in result.problems:
        line = problem.format()
        if problem.level == "error" and problem.acknowledged is None:
            log.error(line)
        else:
            # Published reports are full of blanks and acknowledged inconsistencies: they belong on
            # the report page (and in `nianbao check`), not in a --strict build's warning count.
            log.debug(line)
    log.info(result.summary())
    for report in result.corpus.reports:
        report.marks = {}  # every problem is located now; a large corpus needs the memory back
    # The reports stay to the end of the build: out of the collector's way, its full passes do not
    # walk their millions of objects again (each such pass 0.75 s at 10,000 reports).
    gc.freeze()
    blocking = result.blocking
    if blocking:
        first = blocking[0]
        raise PluginError(f"报告检查未通过：{len(blocking)} 个错误（第一个：{first.format()}）。"
                          "请先运行 `nianbao check` 并改正，或在报告 YAML 的 acknowledged 中确认按原文发布的问题。")
    return result


@told
def add_pages(files, config, result: Result):
    from mkdocs.structure.files import InclusionLevel

    linked = linked_sources(files, config)
    if linked:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{linked[0]} 是符号链接或指向 docs/ 之外：网站的页面和文件只能是 docs/ 中的文件本身"
                          f"（共 {len(linked)} 个）")
    info = SiteInfo(name=config.site_name, url=config.site_url or None, repo=config.repo_url or None)
    BLOCKS.clear()
    pages = site_pages(result, info)
    problems = output_problems(pages, {file.dest_uri: f"docs/{file.src_uri}" for file in files})
    if problems:
        from mkdocs.exceptions import PluginError

        for problem in problems:
            log.error(problem)
        raise PluginError(f"生成的文件位置有 {len(problems)} 个问题（第一个：{problems[0]}）")
    GENERATED.clear()
    for page in pages:
        if page.blocks is not None:
            BLOCKS[page.src_uri] = page.blocks
        if page.src_uri.endswith(".md"):
            GENERATED.add(page.src_uri)
            file = pagebuild.add_page(config, page)
        else:
            # Data files are written by the workers with their unit (see pagebuild.py). MkDocs
            # needs to know only those under data/, which docs/data/index.md links to.
            pagebuild.add_data(page)
            if not page.src_uri.startswith("data/"):
                continue
            file = pagebuild.placeholder(config, page.src_uri)
        # Report and agency pages stay out of the global nav: MkDocs renders the nav into every
        # page, which is quadratic in the number of reports.
        file.inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(file)
    add_attachments(files, config, result)
    return files


def linked_sources(files, config) -> list[str]:
    """The hand-written pages and files that are links or lie outside docs/: MkDocs would publish
    whatever they point at (reports/ is checked by the loader itself)."""
    docs = Path(config.docs_dir).resolve()
    linked = []
    for file in files:
        source = getattr(file, "abs_src_path", None)
        if source is None or not file.src_dir or Path(file.src_dir).resolve() != docs:
            continue  # generated, or the theme's own
        path = Path(source)
        if path.is_symlink() or not path.resolve().is_relative_to(docs):
            linked.append(f"docs/{file.src_uri}")
    return linked


def add_attachments(files, config, result: Result) -> None:
    """Original PDFs stored with the reports are published beside them: /<slug>/files/<name>."""
    from mkdocs.structure.files import File

    root = Path(result.corpus.root)
    for path in result.corpus.attachments:
        if not pagebuild.owns(path.relative_to(root).parts[0], ""):
            continue
        files.append(File(path.relative_to(root).as_posix(), str(root), config.site_dir,
                          config.use_directory_urls))


def prepare_pages(nav, config, files):
    pagebuild.prepare(nav, files, config)
    return nav


@told
def render_pages(env, config, result: Result):
    """The generated pages, on every core, before MkDocs writes anything (see renderpool.py)."""
    pagebuild.render(env, config, BLOCKS, result)
    return env


def template_context(context, name: str):
    if name == "sitemap.xml" and pagebuild.BUILD.files is not None:
        context["pages"] = pagebuild.sitemap_pages(pagebuild.BUILD.files)
    return context


@told
def finish_site(config, result: Result | None, serving: bool) -> None:
    """After MkDocs' own pages: the generated ones, the data files, then search (or, for a shard,
    what `nianbao merge` needs to make it)."""
    pagebuild.finish(config, preview=preview_target()[0] is not None)
    if pagebuild.owns(None, TIANBAO_PAGE):
        copy_engine(Path(config.config_file_path).resolve().parent, Path(config.site_dir))
    if result is not None and pagebuild.BUILD.shard is not pagebuild.WHOLE:
        pagebuild.hand_off(result, config)
        log.info(f"分片 {pagebuild.BUILD.shard.label} 不生成搜索索引：`nianbao merge` 合并各分片时生成")
        return
    build_search(config, result, serving=serving)


def abandon() -> None:
    """A failed build leaves no scratch folders behind (a temporary cache is one)."""
    pagebuild.abandon()


def shut_down() -> None:
    """The `mkdocs` command is ending. Python's exit would walk the build's objects (millions at an
    archive's size) in several garbage collections, 3.6 s after a 10,000-report build; frozen,
    they are left to the end of the process, which frees them all at once."""
    oldsite.wait()
    gc.freeze()


def home_markdown(markdown: str, page, result: Result | None) -> str:
    if result is None or page.file.src_uri != "index.md":
        return markdown
    return markdown + "\n" + home_summary(result)


def page_content(html: str, page) -> str:
    """Pages made from report data (and the home page, which lists reports) pass the allow-list
    cleaner: metadata in them is escaped but untrusted. A report's narrative is not in its page's
    Markdown (see site/narrative.py): its headings join the page's table of contents here."""
    blocks = BLOCKS.get(page.file.src_uri)
    if blocks is not None and blocks.toc is not None:
        page.toc = with_headings(page.toc, blocks.toc())
    if page.file.src_uri in GENERATED or page.file.src_uri == "index.md":
        return clean_html(html)
    return html


def page_output(output: str, page) -> str:
    """The page's security policy (hashing the theme's scripts, see csp.py), then the generated
    tables take the places reserved for them, only now that the page is being written: MkDocs
    keeps every page's content in memory until the end."""
    output = add_policy(output)
    blocks = BLOCKS.pop(page.file.src_uri, None)
    return blocks.fill(output) if blocks else output


def template_output(output: str, name: str) -> str:
    """Pages the theme makes without a source (404.html) carry the same policy."""
    return add_policy(output) if name.endswith(".html") else output


SERVE_INDEX_LIMIT = 500  # reports; a larger preview skips the search index unless asked


def build_search(config, result: Result | None, serving: bool = False) -> None:
    """The Pagefind index over the finished site. NIANBAO_SEARCH=off skips it; `mkdocs serve` of a
    large repo skips it too unless NIANBAO_SEARCH=on, so an editor's preview rebuilds in seconds."""
    setting = settings.search()
    if result is None or setting == "off":
        log.info("未生成搜索索引（NIANBAO_SEARCH=off）")
        return
    if serving and setting != "on" and len(result.corpus.reports) > SERVE_INDEX_LIMIT:
        log.info(f"预览 {len(result.corpus.reports)} 份报告时不生成搜索索引（NIANBAO_SEARCH=on 可开启）")
        return
    from .buildcache import PageCache
    from .search import build_index

    from mkdocs.exceptions import PluginError

    cache = pagebuild.BUILD.cache
    # A throwaway cache (NIANBAO_CACHE=off) is gone already; a preview keeps the full build's bundles.
    store = None if cache is None or not cache.persistent else \
        PageCache(cache.root / "search", persistent=preview_target()[0] is None)
    started = time.monotonic()
    try:
        bundles, _ = build_index(result, config.site_dir, store)
    except (RuntimeError, ValueError, OSError) as err:  # a failed or cut-short index stops the build
        raise PluginError(str(err)) from err
    log.info(f"搜索索引：{len(result.corpus.reports)} 份报告，{len(bundles)} 个索引包，"
             f"用时 {time.monotonic() - started:.2f} 秒")
