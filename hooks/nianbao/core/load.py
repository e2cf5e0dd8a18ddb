"""Read the reports folder into agencies and reports; every format problem is recorded, located.

A file that cannot be read is a recorded problem, never an exception that hides the other files.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import editions, located, markup, numbers, safety, schema
from .cache import ParseCache
from .model import Agency, Problem, Report

# Names are matched whole: \Z, as "$" would also accept a name ending in a line break ("2019.yml\n").
SLUG_TEXT = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG = re.compile(rf"\A{SLUG_TEXT}\Z")
YEAR_FILE = re.compile(r"\A(\d{4})\.(yml|md)\Z")
# Top-level names the site itself uses (its sections, the theme's assets, the search index, the
# schemas, the 填报 page, a shard's hand-off); an agency slug may not take them, nor a prefix's.
# tests/test_site.py checks that every top-level name of a built site is reserved here.
RESERVED_SLUGS = frozenset({"agencies", "years", "assets", "search", "stylesheets", "javascripts",
                            "rules", "about", "data", "downloads", "404", "regions", "compare", "quality",
                            "guide", "pagefind", "schemas", "sitemap", "tianbao", "inbox", "reports", "files",
                            "index", "nianbao", "images"})
RESERVED_PREFIXES = ("pagefind-", "search-", "nianbao-")


def reserved_slug(slug: str) -> bool:
    return slug in RESERVED_SLUGS or slug.startswith(RESERVED_PREFIXES)
IGNORED = frozenset({".DS_Store", "Thumbs.db", ".gitkeep", "README.md"})
ATTACHMENT_TEXT = r"\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.pdf"
ATTACHMENT_NAME = re.compile(rf"\A{ATTACHMENT_TEXT}\Z")
LINK = "是符号链接：报告目录中不能有链接（它可能指向仓库以外的文件，构建会把那里的内容发布出去），请换成文件本身"


def first_link(*paths: Path) -> Path | None:
    """The first of `paths` that is a symbolic link (what a command about to read or write them refuses)."""
    return next((p for p in paths if p.is_symlink()), None)
MAX_YAML_BYTES = 256_000  # a report's YAML is ~4 KB; a bound on what one file can cost the check


@dataclass
class Corpus:
    root: str
    agencies: dict[str, Agency] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    attachments: list[Path] = field(default_factory=list)  # original PDFs stored with reports
    cache: ParseCache | None = None  # open while loading


def display_path(path: Path) -> str:
    """Paths as the editor typed them: relative to the working folder where possible."""
    folder, name = os.path.split(path)
    if name not in ("", ".", ".."):
        cwd = os.getcwd()
        shown = shown_folder(cwd, folder)
        if shown.startswith(".."):
            # outside the working folder, unless this is the working folder itself
            return "." if shown == ".." and name == os.path.basename(cwd) else str(path)
        return name if shown == "." else os.path.join(shown, name)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


@functools.lru_cache(maxsize=256)
def shown_folder(cwd: str, folder: str) -> str:
    """The folder relative to `cwd` ("..." for another drive), worked out once per folder: a
    report's files share theirs, and relpath reads the working folder again each time."""
    try:
        return os.path.relpath(folder or ".", cwd)
    except ValueError:  # another drive on Windows
        return "..."


def load_corpus(root: str | os.PathLike, only: set[str] | None = None) -> Corpus:
    """Read every agency folder under `root` (or only the slugs in `only`)."""
    root = Path(root)
    corpus = Corpus(root=str(root))
    if root.is_symlink():
        corpus.problems.append(Problem(display_path(root), 1, 1, "error", "FMT-PATH", f"报告目录{LINK}"))
        return corpus
    if not root.is_dir():
        corpus.problems.append(Problem(display_path(root), 1, 1, "error", "FMT-PATH",
                                       "找不到报告目录"))
        return corpus
    with reading(corpus):
        for entry, folder in root_entries(root):
            problem = entry_problem(entry, folder)
            if folder and only is not None and entry.name not in only:
                continue  # what is not a folder is reported whatever is selected: it lies beside them all
            if problem:
                corpus.problems.append(problem)
            else:
                load_agency_dir(entry, corpus)
    return corpus


def entry_problem(entry: Path, folder: bool) -> Problem | None:
    """What is wrong with an entry of reports/ before it is read as an agency folder."""
    if entry.is_symlink():
        return Problem(display_path(entry), 1, 1, "error", "FMT-PATH", f"“{entry.name}”{LINK}")
    if not folder:
        hint = "（报告文件应放在 reports/<机构代码>/ 中）" if YEAR_FILE.match(entry.name) or entry.name == "agency.yml" else ""
        return Problem(display_path(entry), 1, 1, "error", "FMT-PATH",
                       f"reports/ 下只能放机构目录（reports/<机构代码>/）{hint}")
    if entry.name == "reports":
        return Problem(display_path(entry), 1, 1, "error", "FMT-PATH",
                       "reports/ 中又有一个 reports/ 目录：机构目录应直接放在 reports/ 下，请把其中的内容移出来")
    return None


def load_folders(root: str | os.PathLike, names: list[str]) -> Corpus:
    """These agency folders of `root` and nothing else of it (a share of `nianbao check`)."""
    corpus = Corpus(root=str(root))
    with reading(corpus):
        for name in names:
            load_agency_dir(Path(root, name), corpus)
    return corpus


@contextlib.contextmanager
def reading(corpus: Corpus):
    corpus.cache = ParseCache()
    try:
        yield
    finally:
        corpus.cache.close()
        corpus.cache = None


def root_entries(root: Path):
    """(entry, is it a folder) of what lies in reports/, in reading order; hidden and ignored names
    aside. A link is no folder, whatever it points at."""
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(".") and entry.name not in IGNORED:
            yield entry, entry.is_dir() and not entry.is_symlink()


def load_agency_dir(folder: Path, corpus: Corpus) -> None:
    slug = folder.name
    shown = display_path(folder / "agency.yml")
    if not SLUG.match(slug):
        corpus.problems.append(Problem(shown, 1, 1, "error", "FMT-PATH",
                                       f"机构目录名“{slug}”不合规：只能用小写拼音字母、数字和连字符，如 luoyuan-songshan"))
    elif reserved_slug(slug):
        corpus.problems.append(Problem(shown, 1, 1, "error", "FMT-PATH",
                                       f"机构目录名“{slug}”与网站自身的栏目或文件重名，请换一个"))
    agency = read_agency(folder, corpus)
    if agency is not None:
        corpus.agencies[slug] = agency
    years: dict[int, set[str]] = {}
    for entry in sorted(folder.iterdir()):
        match = YEAR_FILE.match(entry.name)
        if entry.name in IGNORED or entry.name.startswith("."):
            continue
        if entry.is_symlink():
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH", f"“{entry.name}”{LINK}"))
            continue
        if entry.name == "agency.yml":
            continue
        if entry.name == "files" and entry.is_dir():
            read_attachments(entry, corpus)
            continue
        if not match or not entry.is_file():
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH",
                                           "机构目录中只能有 agency.yml、<年度>.yml 和 <年度>.md"))
            continue
        year = int(match.group(1))
        if year not in numbers.YEARS:
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH",
                                           f"年度 {year} 不在 {numbers.YEARS[0]}–{numbers.YEARS[-1]} 之间"
                                           "（《政府信息公开条例》2008 年起施行）"))
            continue
        years.setdefault(year, set()).add(match.group(2))
    for year, kinds in sorted(years.items()):
        yml, md = folder / f"{year}.yml", folder / f"{year}.md"
        narrative = read_narrative(md, corpus) if "md" in kinds else None
        if "yml" not in kinds:
            corpus.problems.append(Problem(display_path(md), 1, 1, "error", "FMT-MD",
                                           f"有 {year}.md 但缺少报告数据文件 {year}.yml"))
            continue
        report = read_report(yml, slug, year, corpus)
        if report is None:
            continue
        if narrative is None:
            corpus.problems.append(Problem(report.path, 1, 1, "error", "FMT-MD",
                                           f"缺少报告正文文件 {year}.md"))
        report.narrative = narrative or ""
        corpus.reports.append(report)


def read_attachments(folder: Path, corpus: Corpus) -> None:
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH", f"“{entry.name}”{LINK}"))
        elif not entry.is_file() or not ATTACHMENT_NAME.match(entry.name):
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH",
                                           "files/ 中只能放 <年度>-<名称>.pdf 原文附件，如 2019-original.pdf"))
        elif (problem := attachment_problem(entry)) is not None:
            corpus.problems.append(Problem(display_path(entry), 1, 1, "error", "FMT-PATH", problem))
        else:
            corpus.attachments.append(entry)


def attachment_problem(path: Path) -> str | None:
    """An attachment is published as it is: a .pdf must be a PDF. One that starts with "%PDF-" is
    sniffed as a PDF by every browser, never as HTML, and cannot parse as a script."""
    try:
        with path.open("rb") as file:
            head = file.read(5)
    except OSError as err:
        return f"无法读取附件：{err.strerror}"
    if head != b"%PDF-":
        return "附件不是 PDF 文件（PDF 文件以“%PDF-”开头）：请放入原文的 PDF，不要改扩展名"
    return None


def read_narrative(path: Path, corpus: Corpus) -> str:
    """The narrative Markdown, with its unsafe markup recorded as problems."""
    text = read_text(path, corpus) or ""
    corpus.problems.extend(safety.check_markdown(text, display_path(path)))
    return text


def read_bytes(path: Path, corpus: Corpus, limit: int, rule: str) -> bytes | None:
    """A report file's bytes; a link, a missing or unreadable file, or one over `limit` bytes is a
    located problem (its size is known before it is read)."""
    shown = display_path(path)
    try:
        if path.is_symlink():
            corpus.problems.append(Problem(shown, 1, 1, "error", "FMT-PATH", f"“{path.name}”{LINK}"))
            return None
        size = path.stat().st_size
        if size > limit:
            corpus.problems.append(Problem(shown, 1, 1, "error", rule,
                                           f"文件过大（{size:,} 字节，上限 {limit:,} 字节）"))
            return None
        return path.read_bytes()
    except FileNotFoundError:
        corpus.problems.append(Problem(shown, 1, 1, "error", "FMT-PATH", "缺少文件"))
    except OSError as err:
        corpus.problems.append(Problem(shown, 1, 1, "error", "FMT-PATH", f"无法读取文件：{err.strerror}"))
    return None


def read_yaml(path: Path, corpus: Corpus) -> located.Parsed | None:
    corpus.files += 1
    shown = display_path(path)
    data = read_bytes(path, corpus, MAX_YAML_BYTES, "FMT-YAML")
    if data is None:
        return None
    text, issue = located.decode(data)
    if issue:
        corpus.problems.append(Problem(shown, issue.line, issue.col, "error", issue.rule, issue.message))
        return None
    parsed = corpus.cache.parse(data, text) if corpus.cache else located.parse(text)
    for issue in parsed.issues:
        corpus.problems.append(Problem(shown, issue.line, issue.col, "error", issue.rule, issue.message))
    return parsed if parsed.ok else None


def read_text(path: Path, corpus: Corpus) -> str | None:
    data = read_bytes(path, corpus, markup.MAX_BYTES, "FMT-MD")
    if data is None:
        return None
    text, issue = located.decode(data)
    if issue:
        corpus.problems.append(Problem(display_path(path), issue.line, issue.col, "error", issue.rule,
                                       issue.message))
    return text


def read_agency(folder: Path, corpus: Corpus) -> Agency | None:
    path = folder / "agency.yml"
    parsed = read_yaml(path, corpus)
    if parsed is None:
        return None
    found = schema.check_agency(parsed, display_path(path))
    corpus.problems.extend(found.problems)
    if found.value is None:
        return None
    return Agency(slug=folder.name, path=display_path(path), **found.value)


def read_report(path: Path, slug: str, year: int, corpus: Corpus) -> Report | None:
    parsed = read_yaml(path, corpus)
    if parsed is None:
        return None
    shown = display_path(path)
    found = schema.check_report(parsed, shown, slug, year)
    corpus.problems.extend(found.problems)
    if found.value is None:
        return None
    value = found.value
    for item in value["meta"]["attachments"]:
        if item["stored"] and not (path.parent / item["url"]).is_file():
            line, col = parsed.marks.get(item["where"] + ("url",), (1, 1))
            corpus.problems.append(Problem(shown, line, col, "error", "FMT-PATH",
                                           f"附件文件 {item['url']} 不存在（应放在 {slug}/files/ 下）"))
    return Report(
        agency=slug,
        year=year,
        edition=editions.get(value["edition"]),
        path=shown,
        md_path=display_path(path.with_suffix(".md")),
        meta=value["meta"],
        tables=value["tables"],
        headers=value["headers"],
        acknowledged=value["acknowledged"],
        marks=outside_cells(parsed.marks, value["tables"]),
    )


def outside_cells(marks: dict, tables: dict) -> dict:
    """The positions rules may still ask for: cells carry their own, and a province's archive holds
    millions of them."""
    return {path: at for path, at in marks.items()
            if not (len(path) == 3 and path[0] in tables and isinstance(path[2], int))}
