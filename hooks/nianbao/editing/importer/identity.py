"""Whose report of which year a source is, as it says itself, checked against the command line.

A report's title names its agency and year ("平潭综合实验区2021年度政府信息公开工作年度报告") and its
preamble states the statistics period ("统计期限自2021年1月1日起"). An import whose --year, agency
name or kind contradicts them is refused, saying what differs: a 2019 text filed as 2021 would
otherwise be published under the wrong year with exit 0. The agency's kind comes from what is
known (--kind, agency.yml, the title) before a guess from the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..scaffold import guess_kind
from .source import NotAReport, Source


class Refused(NotAReport):
    """The command contradicts the source, or asks for what `nianbao new` refuses: a usage error
    (exit 2), to be corrected or, after checking the original, overridden with --force."""


# Bounded gaps only: a title or preamble is untrusted text, and no pattern here may backtrack over it.
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s{0,3}年度?\s{0,3}(?:政府信息公开|政务公开|信息公开)")
PERIOD = re.compile(r"统计(?:期限|期间|时限|区间)\D{0,6}?((?:19|20)\d{2})\s{0,3}年\s{0,3}0?1\s{0,3}月\s{0,3}0?1\s{0,3}日")
# How the name in a title ends, and what kind of agency that makes (most specific first).
ENDINGS = [
    # a zone's committee may be its government, a department or neither
    (("管理委员会", "管委会", "开发区", "园区", "高新区"), None),
    (("镇人民政府", "乡人民政府", "镇政府", "乡政府"), "乡镇"),
    (("街道办事处", "街道"), "街道"),
    (("人民政府", "政府"), "人民政府"),
    (("镇", "乡"), "乡镇"),
    # a region's name alone titles the report of its government (平潭综合实验区, 淮安市)
    (("省", "市", "县", "区", "州", "盟", "旗"), "人民政府"),
    (("局", "厅", "委员会", "委", "办公室", "办", "中心", "署", "院", "馆", "所", "站", "队"), "政府部门"),
]
NAME_ENDINGS = ("人民政府", "管理委员会", "管委会", "政府")


@dataclass
class Printed:
    """What the source says of itself."""

    title: str = ""
    agency: str = ""  # the name in the title, before its year
    title_year: int | None = None
    period_year: int | None = None

    @property
    def kind(self) -> str | None:
        return kind_of(self.agency)


def printed(source: Source) -> Printed:
    found = Printed(title=" ".join((source.meta.get("title") or "").split()))
    match = TITLE_YEAR.search(found.title)
    if match:
        found.title_year = int(match.group(1))
        found.agency = found.title[:match.start()].strip(" ：:_-|").removesuffix("关于")
    match = PERIOD.search(source.text[:20000])
    if match:
        found.period_year = int(match.group(1))
    return found


def kind_of(name: str) -> str | None:
    for endings, kind in ENDINGS:
        if name.endswith(endings):
            return kind
    return None


def core(name: str) -> str:
    name = "".join(name.split())
    for ending in NAME_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def same_agency(a: str, b: str) -> bool:
    """罗源县松山镇 is 罗源县松山镇人民政府; 松山镇 is 罗源县松山镇; 平潭综合实验区 is its 管理委员会."""
    a, b = core(a), core(b)
    return bool(a and b) and (a in b or b in a)


def agency_kind(source: Source, year: int, slug: str, known, name: str | None, kind: str | None,
                force: bool) -> str:
    """The kind to file the agency under, after checking the command against the source and the
    existing agency.yml (`known`, an Agency or None). Raises Refused with every difference."""
    said = printed(source)
    differences = []
    evidence = {}  # year -> where the source says so
    if said.title_year is not None:
        evidence.setdefault(said.title_year, []).append(f"标题“{said.title}”")
    if said.period_year is not None:
        evidence.setdefault(said.period_year, []).append(f"统计期限自 {said.period_year} 年 1 月 1 日起")
    for found, where in evidence.items():
        if found != year:
            differences.append(f"原文为 {found} 年度报告，--year 为 {year}（{'，'.join(where)}）")
    if known is not None and name and name != known.name:
        differences.append(f"机构 {slug} 的 agency.yml 中名称为“{known.name}”，--name 为“{name}”")
    if known is not None and kind and kind != known.kind:
        differences.append(f"机构 {slug} 的 agency.yml 中类型为{known.kind}，--kind 为{kind}")
    agency_name = known.name if known is not None else name
    if said.agency and agency_name and not same_agency(said.agency, agency_name):
        differences.append(f"原文是“{said.agency}”的报告（标题“{said.title}”），机构 {slug} 为“{agency_name}”")
    filed = known.kind if known is not None else kind
    if said.kind and filed and said.kind != filed:
        where = f"机构 {slug} 的 agency.yml 中类型为" if known is not None else "--kind 为"
        differences.append(f"原文是{said.kind}的报告（标题“{said.title}”），{where}{filed}")
    if differences and not force:
        raise Refused("；".join(differences) + "。请核对原文和命令；确认无误时加 --force 导入")
    return filed or said.kind or guess_kind(agency_name or "")
