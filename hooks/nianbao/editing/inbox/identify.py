"""Whose report of which year an uploaded file is: from its own text first (the importer's
reading of its title and statistics period), then from its inbox/<file>.yml, then from the
agencies the repository already has.

The result is only a proposal: the importer checks it against the text again and refuses what
the text contradicts (a sidecar that says 2020 for a 2019 report is refused, not obeyed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.load import SLUG, Corpus, read_agency
from ..importer.identity import printed, same_agency


class Unknown(Exception):
    """What the text and the sidecar leave open, said so the editor knows what to write (Chinese)."""


@dataclass
class Identity:
    slug: str
    year: int
    name: str | None  # only for a new agency
    region: str | None
    kind: str | None
    new: bool


def identify(source, meta: dict, reports: Path, sidecar_name: str) -> Identity:
    said = printed(source)
    year = meta.get("year") or said.title_year or said.period_year
    if year is None:
        raise Unknown(f"原文中没有找到年度（标题或统计期限）：请在 inbox/{sidecar_name} 中写明 year")
    slug = meta.get("agency") or match_agency(said.agency, reports, sidecar_name)
    if slug is None:
        named = f"“{said.agency}”" if said.agency else "（原文标题中没有找到机构名称）"
        raise Unknown(f"仓库中没有与原文机构{named}同名的机构：新机构请在 inbox/{sidecar_name} 中写明 "
                      "agency（机构代码，小写拼音和连字符）、name（机构全称）和 region（所属地区）")
    if (reports / slug / "agency.yml").is_file():
        return Identity(slug, year, meta.get("name"), meta.get("region"), meta.get("kind"), new=False)
    name = meta.get("name") or said.agency or None
    if not (name and meta.get("region")):
        raise Unknown(f"机构 {slug} 是新机构：请在 inbox/{sidecar_name} 中写明 name（机构全称）和 region"
                      "（所属地区，如 福建省/福州市/罗源县）")
    return Identity(slug, year, name, meta["region"], meta.get("kind"), new=True)


def match_agency(name: str, reports: Path, sidecar_name: str) -> str | None:
    """The one existing agency the title names; several that fit are for the editor to choose."""
    if not name or not reports.is_dir():
        return None
    found = []
    corpus = Corpus(root=str(reports))  # only agency.yml of each folder is read: a few KB each
    for folder in sorted(reports.iterdir()):
        if SLUG.match(folder.name) and not folder.is_symlink() and (folder / "agency.yml").is_file():
            agency = read_agency(folder, corpus)
            if agency is not None and same_agency(name, agency.name):
                found.append(folder.name)
    if len(found) > 1:
        raise Unknown(f"原文机构“{name}”与仓库中多个机构相符（{'、'.join(found)}）：请在 inbox/{sidecar_name} "
                      "中写明 agency（机构代码）")
    return found[0] if found else None
