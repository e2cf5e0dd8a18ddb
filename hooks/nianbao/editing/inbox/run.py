"""`nianbao inbox import`: each report file a pull request uploaded to inbox/, imported with
`nianbao import` into a scratch copy of its agency's folder and checked there; the drafts, a
manifest (inbox.json) and a Chinese summary (summary.md) are written to an output folder.

Everything read here comes from the pull request and is untrusted: names and sizes are checked
before a file is opened, no link is followed, and the importer only ever writes into the scratch
folder. Nothing here writes to the pull request's tree.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...core.check import check_path
from ...core.model import Problem
from ..importer import NotAReport, Refused, import_report
from ..importer.source import read_source
from ..review import git_changes
from . import paths, sidecar
from .identify import Unknown, identify

MANIFEST = "inbox.json"
SUMMARY = "summary.md"


@dataclass
class Entry:
    source: str  # inbox/<name>
    sidecar: str | None = None
    slug: str | None = None
    year: int | None = None
    edition: str = ""
    files: list[str] = field(default_factory=list)  # repo paths of the draft files
    error: str | None = None  # why no draft was made
    problems: list[Problem] = field(default_factory=list)  # of the sidecar, or the draft's check
    counts: dict = field(default_factory=dict)
    uncertain: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def failed_check(self) -> bool:
        return any(p.level == "error" and p.acknowledged is None for p in self.problems)


class Refuse(Exception):
    """An upload that is not read at all (Chinese message)."""


def changed_uploads(root: Path, base: str | None) -> list[str]:
    """Names under inbox/ the pull request added or changed since `base` (all of inbox/ without it)."""
    if base:
        return sorted(c.path[len(paths.INBOX) + 1:] for c in git_changes(base, cwd=str(root))
                      if c.mode != "000000" and paths.in_inbox(c.path))
    folder = root / paths.INBOX
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []


def read_upload(root: Path, name: str) -> bytes:
    why = paths.name_problem(name)
    if why:
        raise Refuse(why)
    folder = root / paths.INBOX
    if folder.is_symlink() or not folder.is_dir():
        raise Refuse("inbox 不是文件夹（可能是符号链接）")
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise Refuse("无法读取：文件不存在，或是符号链接") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refuse("不是普通文件")
        if info.st_size > paths.limit(name):
            raise Refuse(f"文件过大：{info.st_size} 字节，此类文件上限 {paths.limit(name)} 字节")
        return handle.read(paths.limit(name) + 1)


def find_sidecar(root: Path, name: str) -> sidecar.Meta:
    present = [n for n in paths.sidecar_names(name) if (root / paths.INBOX / n).exists() or
               (root / paths.INBOX / n).is_symlink()]
    if len(present) > 1:
        return sidecar.Meta(path=f"inbox/{present[0]}", problems=[Problem(
            f"inbox/{present[1]}", 1, 1, "error", sidecar.RULE, f"{name} 有两个补充信息文件，请只保留 {present[0]}")])
    if not present:
        return sidecar.Meta()
    shown = f"inbox/{present[0]}"
    try:
        return sidecar.read(shown, read_upload(root, present[0]))
    except Refuse as err:
        return sidecar.Meta(path=shown, problems=[Problem(shown, 1, 1, "error", sidecar.RULE, str(err))])


@contextlib.contextmanager
def working_folder(folder: Path):
    """The check names files relative to the working folder: in the scratch repo that is
    reports/<slug>/…, exactly as `nianbao check` prints them in the pull request's tree."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def import_uploads(root: Path, out: Path, base: str | None = None) -> list[Entry]:
    """Import every upload of the pull request checked out at `root` into `out`."""
    names = changed_uploads(root, base)
    documents = [n for n in names if paths.kind(n) not in ("sidecar", "own")]
    entries = []
    with tempfile.TemporaryDirectory(prefix="nianbao-inbox-") as scratch:
        repo, sources = Path(scratch) / "repo", Path(scratch) / "sources"
        (repo / "reports").mkdir(parents=True)
        sources.mkdir()
        taken: dict[tuple[str, int], str] = {}
        for name in documents:
            entry = import_one(root, name, repo, sources, taken)
            for path in entry.files:
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(repo / path, out / path)
            entries.append(entry)
    return entries


def import_one(root: Path, name: str, repo: Path, sources: Path, taken: dict) -> Entry:
    entry = Entry(source=f"inbox/{name}")
    if paths.kind(name) != "document" or paths.name_problem(name):
        entry.error = paths.name_problem(name) or paths.not_accepted(name)
        return entry
    meta = find_sidecar(root, name)
    entry.sidecar, entry.problems = meta.path, meta.problems
    if meta.problems:
        entry.error = "补充信息文件有误（见下）"
        return entry
    try:
        copy = sources / name
        copy.write_bytes(read_upload(root, name))
        ident = identify(read_source(copy), meta.values, root / "reports", paths.sidecar_names(name)[0])
        entry.slug, entry.year = ident.slug, ident.year
        if (ident.slug, ident.year) in taken:
            raise Refuse(f"与 {taken[ident.slug, ident.year]} 是同一机构、同一年度的报告：每份报告只上传一个文件")
        if ident.new and (root / "reports" / ident.slug).exists():
            raise Refuse(f"reports/{ident.slug} 已存在，但没有 agency.yml")
        agency = root / "reports" / ident.slug
        if agency.is_dir() and not agency.is_symlink() and not (repo / "reports" / ident.slug).exists():
            shutil.copytree(agency, repo / "reports" / ident.slug, symlinks=True)  # a link stays a link: the check refuses it
        result = import_report(copy, repo / "reports", ident.slug, ident.year, ident.name, ident.region, ident.kind)
    except Refused as err:  # the importer's identity checks speak of the command's options
        entry.error = (f"{err}（这里的 --year、--name、--kind 即 {paths.sidecar_names(name)[0]} 中的 year、name、kind；"
                       "inbox 导入不会强制导入，请核对原文后改正或删去 .yml 中的这一项）")
        return entry
    except (Refuse, Unknown, NotAReport) as err:
        entry.error = str(err)
        existing = [f"reports/{entry.slug}/{entry.year}.{ext}" for ext in ("yml", "md")
                    if entry.slug and (root / "reports" / entry.slug / f"{entry.year}.{ext}").exists()]
        if existing and "已存在" in str(err):  # the importer's refusal speaks of --force
            entry.error = (f"{existing[0]} 已存在：inbox 不覆盖已有的报告。要更正它，直接编辑该文件；要用新上传的文件"
                           "重新导入本拉取请求中的草稿，先在分支上删去草稿的 .yml 和 .md")
        return entry
    taken[ident.slug, ident.year] = entry.source
    entry.edition, entry.counts, entry.uncertain = result.edition, dict(result.counts), list(result.uncertain)
    entry.files = sorted(path.relative_to(repo).as_posix() for path in result.written)
    with working_folder(repo):
        checked = check_path(Path("reports"), only={ident.slug})
    entry.problems = sorted((p for p in checked.problems if p.path in entry.files), key=lambda p: p.sort_key)
    return entry


def write_outputs(entries: list[Entry], out: Path) -> str:
    """inbox.json for the commit step and summary.md for people; returns the summary."""
    from .summary import summary

    remove = removable(entries)
    manifest = {"version": 1, "remove": remove, "entries": [
        {"source": e.source, "sidecar": e.sidecar, "slug": e.slug, "year": e.year, "ok": e.ok,
         "files": e.files, "check": [p.format() for p in e.problems], "error": e.error} for e in entries]}
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = summary(entries)
    (out / SUMMARY).write_text(text, encoding="utf-8")
    return text


def removable(entries: list[Entry]) -> list[str]:
    """The uploads that became drafts, and each sidecar no failed upload still needs."""
    done = [e for e in entries if e.ok]
    needed = {e.sidecar for e in entries if not e.ok}
    return sorted({e.source for e in done} | {e.sidecar for e in done if e.sidecar and e.sidecar not in needed})
