"""`nianbao new`: an empty report of the right edition, ready to fill in."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..core import editions, located, schema
from ..core.atomic import write_text
from .dump import Comments, report_yaml, scalar
from ..core.load import LINK, first_link, SLUG, display_path, reserved_slug
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
    if year > datetime.date.today().year:
        raise ScaffoldError(f"{year} 年度还没有到：年度报告在年度结束后编制，请检查年度")
    edition = edition_for_year(year)
    folder = reports / slug
    refuse_links(reports, folder)
    yml, md = folder / f"{year}.yml", folder / f"{year}.md"
    for path in (yml, md):
        if path.exists():
            raise ScaffoldError(f"{display_path(path)} 已存在，不会覆盖")
    agency = folder / "agency.yml"
    agency_text = None
    if agency.exists():
        same_agency(agency, name, region, kind)
    elif not (name and region):
        raise ScaffoldError("新机构需要 --name（机构全称）和 --region（如 福建省/福州市/罗源县）")
    else:
        agency_text = checked_agency(folder, name, region, kind or guess_kind(name))
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    if agency_text is not None:
        write_text(agency, agency_text)
        written.append(agency)
    write_text(yml, report_text(slug, year, edition, folder))
    write_text(md, narrative_text(edition))
    return written + [yml, md]


def refuse_links(reports: Path, folder: Path) -> None:
    """Written through a linked reports/ or agency folder, a draft would land outside the repo."""
    linked = first_link(reports, folder)
    if linked is not None:
        raise ScaffoldError(f"“{display_path(linked)}”{LINK}")


def edition_for_year(year: int):
    """The edition a report of `year` is written in; refused where none applies (new and import alike)."""
    edition = editions.for_year(year)
    if edition is None:
        raise ScaffoldError(f"{year} 年度没有适用的报告格式（gov-2019 适用于 2019–2020 年度）")
    return edition


def checked_agency(folder: Path, name: str, region: str, kind: str) -> str:
    """agency.yml for a new agency, refused with the check's own messages (FMT-TEXT, FMT-REGION, ...)
    if `nianbao check` would refuse it."""
    text = agency_text(folder, name, kind, region)
    parsed = located.parse(text)
    problems = [issue.message for issue in parsed.issues]
    if parsed.ok and not problems:
        problems = [p.message for p in schema.check_agency(parsed, "agency.yml").problems]
    if problems:
        raise ScaffoldError(f"机构信息不能使用：{'；'.join(problems)}（--name 为机构全称，--region 如 福建省/福州市/罗源县）")
    return text


def same_agency(path: Path, name: str | None, region: str | None, kind: str | None) -> None:
    """--name, --region and --kind for an agency that exists must agree with its agency.yml: they
    are not applied, and a silent difference would leave the editor believing they were."""
    if not (name or region or kind):
        return
    parsed = located.parse(path.read_text(encoding="utf-8"))
    stored = parsed.value if parsed.ok and isinstance(parsed.value, dict) else {}
    given = {"name": ("--name", name), "region": ("--region", region), "kind": ("--kind", kind)}
    differ = [f"{option}“{value}”与已有的“{stored.get(key)}”不同" for key, (option, value) in given.items()
              if value is not None and str(stored.get(key)) != value]
    if differ:
        raise ScaffoldError(f"机构已存在（{display_path(path)}），{'；'.join(differ)}：新建报告不会修改机构信息。"
                            "不加这些选项即可新建；机构信息确实有误的，请直接编辑 agency.yml")


def schema_link(folder: Path, name: str) -> str:
    repo = folder.resolve().parent.parent
    return Path(os.path.relpath(repo / SCHEMA_DIR / name, folder.resolve())).as_posix()


def schema_comment(folder: Path, name: str) -> str:
    """The first line of every YAML file `new` and `import` write: editors' YAML tooling finds the
    JSON Schema of `docs/schemas/<name>` through it."""
    return f"# yaml-language-server: $schema={schema_link(folder, name)}"


def report_schema_comment(folder: Path, edition) -> str:
    return schema_comment(folder, file_name(edition.id))


def agency_text(folder: Path, name: str, kind: str, region: str) -> str:
    return "\n".join([schema_comment(folder, "agency.schema.json")] +
                     [f"{key}: {scalar(value)}" for key, value in (("name", name), ("kind", kind), ("region", region))]) + "\n"


def report_text(slug: str, year: int, edition, folder: Path) -> str:
    data = {"agency": slug, "year": year, "edition": edition.id}
    for tid, table in edition.tables.items():
        data[tid] = {row.id: [None] * len(table.columns_of(row.id)) for row in table.rows}
    header = [report_schema_comment(folder, edition),
              f"# {year} 年度报告（{edition.id}）：按原文逐格填写，原文空白的单元格保持 null，不要填 0"]
    return report_yaml(data, edition, comments=Comments(header=header), blank_meta=True)


def narrative_text(edition) -> str:
    return edition.narrative_template()
