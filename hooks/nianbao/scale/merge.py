"""`nianbao merge`: the shards of a build (NIANBAO_SHARD=K/N) put together into one site.

Each shard holds its own agencies' pages and summary pages, and the pages every shard makes
alike (hand-written pages, theme files, the sitemap). Files are copied as they are; a file that
two shards both hold must be byte for byte the same, else the shards came from different inputs
and the merge stops naming the files. The search index is made here, over all shards' documents,
so the merged site equals the one made by a single `mkdocs build`.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core import settings
from ..core.oserrors import describe
from .pagebuild import HANDOFF, STAMP


@dataclass
class Merged:
    files: int = 0
    bundles: list[str] = field(default_factory=list)
    indexed: int = 0  # bundles indexed by this merge; the others came from the build cache
    problems: list[str] = field(default_factory=list)


def read_stamps(folders: list[Path]) -> tuple[list[dict], list[str]]:
    stamps, problems = [], []
    for folder in folders:
        try:
            stamps.append(json.loads((folder / HANDOFF / STAMP).read_text(encoding="utf-8")))
        except FileNotFoundError:
            problems.append(f"{folder}：不是分片构建的输出（缺少 {HANDOFF}/{STAMP}；请用 NIANBAO_SHARD=K/N mkdocs build 构建）")
        except (OSError, ValueError) as err:
            problems.append(f"{folder}：{HANDOFF}/{STAMP} 无法读取（{err}）")
    return stamps, problems


def stamp_problems(folders: list[Path], stamps: list[dict]) -> list[str]:
    """All N shards, once each, of one build (the same code, config and reports)."""
    problems = []
    counts = {s.get("of") for s in stamps}
    if len(counts) != 1:
        return [f"各分片的总片数不一致：{sorted(map(str, counts))}"]
    count = counts.pop()
    numbers = [s.get("shard") for s in stamps]
    for number in range(1, count + 1):
        if numbers.count(number) != 1:
            places = [str(f) for f, n in zip(folders, numbers) if n == number]
            problems.append(f"分片 {number}/{count} " + (f"出现了 {len(places)} 次：{'、'.join(places)}" if places else "缺少"))
    problems += differing(folders, stamps, "fingerprint", "代码、配置或组件版本")
    problems += differing(folders, stamps, "data", "报告数据")
    if not problems:
        problems += differing(folders, stamps, "reports", "报告数")
    return problems


def differing(folders: list[Path], stamps: list[dict], key: str, what: str) -> list[str]:
    """The shards grouped by one field of their stamps, if they do not all agree."""
    groups: dict = {}
    for folder, stamp in zip(folders, stamps):
        groups.setdefault(stamp.get(key), []).append(f"分片 {stamp.get('shard')}（{folder}）")
    if len(groups) == 1:
        return []
    listed = "；".join("、".join(members) for members in groups.values())
    return [f"各分片的{what}不同，不能合并：{listed} 各自来自不同的{what}。请用同一提交重新构建全部分片"]


def copy_tree(source: Path, site: Path, owner: dict[str, Path], problems: list[str]) -> int:
    copied = 0
    for folder, dirs, names in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not (folder == str(source) and d == HANDOFF))
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(source).as_posix()
            target = site / relative
            if relative in owner:
                if not filecmp.cmp(path, target, shallow=False):
                    problems.append(f"{relative}：{owner[relative]} 与 {source} 中的内容不同（各分片应由同一提交构建）")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            owner[relative] = source
            copied += 1
    return copied


def merge(folders: list[Path], site: Path, search: bool = True) -> Merged:
    """Every problem is listed; the site is written only when the shards fit together."""
    result = Merged()
    stamps, result.problems = read_stamps(folders)
    if not result.problems:
        result.problems = stamp_problems(folders, stamps)
    resolved = site.resolve()
    for folder in folders:
        if resolved == folder.resolve() or resolved in folder.resolve().parents:
            result.problems.append(f"输出目录 {site} 不能是分片目录 {folder} 或其上级")
    if site.is_dir() and any(site.iterdir()) and not (site / "sitemap.xml").is_file():
        # It is emptied first, as `mkdocs build` empties its own: only ever a former site.
        result.problems.append(f"输出目录 {site} 已有内容且不是之前构建的网站，为免误删，请指定空目录或之前的网站目录")
    if result.problems:
        return result
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    owner: dict[str, Path] = {}
    for folder in folders:
        result.files += copy_tree(folder, site, owner, result.problems)
    if result.problems:  # no half-merged site is left to be published by mistake
        shutil.rmtree(site, ignore_errors=True)
        return result
    if search:
        result.bundles, result.indexed = merge_search(folders, site)
    return result


def merge_search(folders: list[Path], site: Path) -> tuple[list[str], int]:
    """The whole site's search index from the shards' documents. With a build cache (NIANBAO_CACHE,
    default .cache/nianbao/ in the current folder, as the workflow's merge job restores it), only
    the bundles whose documents changed are indexed again."""
    from .buildcache import PageCache, cache_root
    from .search import index_documents

    root, persistent = cache_root(Path.cwd())
    if not persistent:
        shutil.rmtree(root, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-merge-search-") as scratch:
        for folder in folders:
            documents = folder / HANDOFF / "search"
            if documents.is_dir():
                shutil.copytree(documents, scratch, dirs_exist_ok=True)
        return index_documents(Path(scratch), str(site), PageCache(root / "search") if persistent else None)


def add_command(commands) -> None:
    merge_cmd = commands.add_parser("merge", help="把分片构建（NIANBAO_SHARD=K/N）的输出合并为完整网站",
                                    description="合并各分片构建的输出目录，检查它们来自同一次构建，并生成整个网站的搜索索引")
    merge_cmd.add_argument("folders", nargs="+", metavar="分片目录", help="各分片 `mkdocs build -d` 的输出目录")
    merge_cmd.add_argument("-d", "--site-dir", required=True, metavar="网站目录", help="合并后的网站目录（已有内容会被清空）")
    merge_cmd.set_defaults(run=run)


def run(args) -> int:
    import sys

    folders = [Path(f) for f in args.folders]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        print(f"nianbao: 找不到分片目录“{'、'.join(missing)}”", file=sys.stderr)
        return 2
    search = settings.search() != "off"
    try:
        result = merge(folders, Path(args.site_dir), search=search)
    except RuntimeError as err:  # Pagefind failed
        print(f"nianbao: 合并失败：{err}", file=sys.stderr)
        return 1
    except OSError as err:  # the site folder or the cache cannot be written: the user's to fix
        print(f"nianbao: 合并失败：{describe(err, args.site_dir)}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(f"error[MERGE] {problem}", file=sys.stderr)
    if result.problems:
        print(f"未能合并：{len(result.problems)} 个问题", file=sys.stderr)
        return 1
    kept = len(result.bundles) - result.indexed
    index = (f"，搜索索引 {len(result.bundles)} 个索引包" + (f"（{kept} 个未改动，取自构建缓存）" if kept else "")
             if search else "，未生成搜索索引（NIANBAO_SEARCH=off）")
    print(f"已合并 {len(folders)} 个分片：{result.files} 个文件{index} → {args.site_dir}")
    return 0
