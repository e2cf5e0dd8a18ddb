"""`nianbao new`: an empty report of the right edition, ready to fill in."""

from __future__ import annotations

import os
from pathlib import Path

from ..core import editions
from .dump import Comments, report_yaml
from ..core.load import SLUG, reserved_slug
from ..data.schemas import file_name

SCHEMA_DIR = "docs/schemas"


class ScaffoldError(Exception):
    """A refusal the editor can act on (message in Chinese)."""


def guess_kind(name: str) -> str:
    if name.endswith(("镇人民政府", "乡人民政府")):
        return "乡镇"
    if name.endswith("街道办事处"):
        return "街道"
    if name.endswith("人民政府"):
        return "人民政府"
    return "政府部门"


def new_report(reports: Path, slug: str, year: int, name: str | None = None, region: str | None = None,
               kind: str | None = None) -> list[Path]:
    if not SLUG.match(slug) or reserved_slug(slug):
        raise ScaffoldError(f"机构代码“{slug}”不合规：只能用小写拼音字母、数字和连字符，如 luoyuan-songshan")
    edition = editions.for_year(year)
    if edition is None:
        raise ScaffoldError(f"{year} 年度没有适用的报告格式（gov-2019 适用于 2019–2020 年度）")
    folder = reports / slug
    yml, md = folder / f"{year}.yml", folder / f"{year}.md"
    for path in (yml, md):
        if path.exists():
            raise ScaffoldError(f"{path} 已存在，不会覆盖")
    written = []
    agency = folder / "agency.yml"
    if not agency.exists():
        if not (name and region):
            raise ScaffoldError("新机构需要 --name（机构全称）和 --region（如 福建省/福州市/罗源县）")
        folder.mkdir(parents=True, exist_ok=True)
        agency.write_text(f"# yaml-language-server: $schema={schema_link(folder, 'agency.schema.json')}\n"
                          f"name: {name}\nkind: {kind or guess_kind(name)}\nregion: {region}\n", encoding="utf-8")
        written.append(agency)
    yml.write_text(report_text(slug, year, edition, folder), encoding="utf-8")
    md.write_text(narrative_text(edition), encoding="utf-8")
    return written + [yml, md]


def schema_link(folder: Path, name: str) -> str:
    repo = folder.resolve().parent.parent
    return Path(os.path.relpath(repo / SCHEMA_DIR / name, folder.resolve())).as_posix()


def report_text(slug: str, year: int, edition, folder: Path) -> str:
    data = {"agency": slug, "year": year, "edition": edition.id}
    for tid, table in edition.tables.items():
        data[tid] = {row.id: [None] * len(table.columns_of(row.id)) for row in table.rows}
    header = [f"# yaml-language-server: $schema={schema_link(folder, file_name(edition.id))}",
              f"# {year} 年度报告（{edition.id}）：按原文逐格填写，原文空白的单元格保持 null，不要填 0"]
    return report_yaml(data, edition, comments=Comments(header=header), blank_meta=True)


def narrative_text(edition) -> str:
    parts = ["<!-- 前言：编制依据、统计期限、联系方式等，按原文粘贴。表二至表四会自动显示在相应标题之下。 -->", ""]
    for section in edition.sections:
        parts += [f"## {section['num']}、{section['title']}", ""]
    return "\n".join(parts)
