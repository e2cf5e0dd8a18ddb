"""The NIANBAO_* environment variables, each read and validated in one place.

A value that cannot be meant (NIANBAO_JOBS=abc, NIANBAO_SEARCH=of, NIANBAO_CACHE naming a file)
stops the command or the build with a message saying what is wrong and what is accepted; it is
never ignored in favour of a default. Unset or empty means the default.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

OFF = ("off", "0", "no", "false")
ON = ("on", "1", "yes", "true")
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # as load.SLUG (which this module may not import)


class SettingError(ValueError):
    """An environment variable with a value that cannot be used (message in Chinese)."""


def raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def bad(name: str, value: str, expected: str) -> SettingError:
    return SettingError(f"环境变量 {name}=“{value[:80]}”无效：{expected}")


def positive(name: str, default: int) -> int:
    value = raw(name)
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise bad(name, value, "应为正整数；不设置即用默认值")
    return int(value)


def jobs() -> int:
    """NIANBAO_JOBS: worker processes (default: the machine's cores)."""
    return positive("NIANBAO_JOBS", os.cpu_count() or 1)


def search_bundle(default: int) -> int:
    """NIANBAO_SEARCH_BUNDLE: at most this many reports in one search index bundle."""
    return positive("NIANBAO_SEARCH_BUNDLE", default)


def search() -> str:
    """NIANBAO_SEARCH: "on", "off" or "auto" (unset: a build indexes, a large preview does not)."""
    value = raw("NIANBAO_SEARCH").lower()
    if not value:
        return "auto"
    if value in OFF:
        return "off"
    if value in ON:
        return "on"
    raise bad("NIANBAO_SEARCH", value, "应为 on 或 off；不设置即默认（构建时生成搜索索引）")


def shard_numbers(value: str | None) -> tuple[int, int] | None:
    """NIANBAO_SHARD=K/N (1 ≤ K ≤ N) as (K, N); None for the whole site (unset or empty)."""
    value = (value or "").strip()
    if not value:
        return None
    number, slash, count = value.partition("/")
    if not (slash and number.isascii() and count.isascii() and number.isdigit() and count.isdigit()
            and 1 <= int(number) <= int(count)):
        raise bad("NIANBAO_SHARD", value, "应写成“第几片/共几片”，如 2/4，且 1 ≤ K ≤ N")
    return int(number), int(count)


def cache(default: Path) -> Path | None:
    """NIANBAO_CACHE: the build cache's folder, None for off. A path naming anything but a folder
    (or a folder yet to be made) is refused."""
    value = raw("NIANBAO_CACHE")
    if value.lower() in OFF:
        return None
    folder = Path(value) if value else default
    for probe in (folder, *folder.parents):
        if probe.exists():
            if not probe.is_dir():
                raise bad("NIANBAO_CACHE", value or str(default),
                          f"{probe} 不是目录；应为缓存目录的路径（不存在时自动创建）或 off")
            break
    return folder


def only() -> tuple[str | None, int | None]:
    """NIANBAO_ONLY=slug or slug/year: a preview of one agency or one report."""
    value = raw("NIANBAO_ONLY").strip("/")
    if not value:
        return None, None
    slug, slash, year = value.partition("/")
    if not SLUG.match(slug) or (slash and not (year.isascii() and year.isdigit() and len(year) == 4)):
        raise bad("NIANBAO_ONLY", value, "应为机构代码或“机构代码/年度”，如 luoyuan-songshan 或 luoyuan-songshan/2019")
    return slug, int(year) if slash else None


def reports(default: Path) -> Path:
    """NIANBAO_REPORTS: the reports folder to build and check instead of reports/ beside mkdocs.yml."""
    value = raw("NIANBAO_REPORTS")
    if not value:
        return default
    folder = Path(value).resolve()
    if not folder.is_dir():
        raise bad("NIANBAO_REPORTS", value, f"找不到目录 {folder}；应为报告目录的路径，不设置即用 mkdocs.yml 旁的 reports/")
    return folder


CHECKS = {
    "NIANBAO_JOBS": jobs,
    "NIANBAO_SEARCH": search,
    "NIANBAO_SEARCH_BUNDLE": lambda: search_bundle(1),
    "NIANBAO_SHARD": lambda: shard_numbers(raw("NIANBAO_SHARD")),
    "NIANBAO_CACHE": lambda: cache(Path(".cache", "nianbao")),
    "NIANBAO_ONLY": only,
    "NIANBAO_REPORTS": lambda: reports(Path("reports")),
}


def validate(names=tuple(CHECKS)) -> None:
    """Every variable that is set, checked at once; the first bad one raises."""
    for name in names:
        CHECKS[name]()


def missing_preview(corpus, slug: str, year: int | None) -> str | None:
    """Why NIANBAO_ONLY names nothing in the reports read (an empty preview is never built)."""
    import difflib

    if slug not in corpus.agencies and not any(r.agency == slug for r in corpus.reports):
        root = Path(corpus.root)
        known = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []
        near = difflib.get_close_matches(slug, known, n=3)
        hint = f"，是否想写：{'、'.join(near)}" if near else (f"；现有机构：{'、'.join(known[:10])}" if known else "")
        return f"NIANBAO_ONLY={slug}：{corpus.root} 中没有这个机构{hint}"
    years = sorted(r.year for r in corpus.reports if r.agency == slug)
    if year is not None and year not in years:
        have = "、".join(map(str, years)) or "没有报告"
        return f"NIANBAO_ONLY={slug}/{year}：机构 {slug} 没有 {year} 年度的报告（有：{have}）"
    return None
