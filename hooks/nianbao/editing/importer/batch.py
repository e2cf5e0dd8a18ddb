"""`nianbao import --manifest sources.csv`: a region's published reports in one run.

Each row (source, agency, year, name, region, kind) is imported on its own; a source that fails
is recorded with its reason and the run goes on, so an office onboarding hundreds of reports
sees every outcome at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .base import NotAReport

COLUMNS = ("source", "agency", "year", "name", "region", "kind")


@dataclass
class Outcome:
    line: int  # in the manifest
    source: str
    target: str  # agency/year
    result: object | None = None  # ImportResult
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def read_manifest(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="gb18030")  # saved from Excel on a Chinese system
    rows = list(csv.DictReader(text.splitlines()))
    header = list(rows[0].keys()) if rows else next(csv.reader(text.splitlines()), [])
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise NotAReport(f"清单 {path.name} 缺少列：{'、'.join(missing)}（第一行应为 {','.join(COLUMNS)}）")
    return rows


def import_all(manifest: Path, reports: Path, force: bool = False, dry_run: bool = False) -> list[Outcome]:
    from . import import_report

    outcomes = []
    for number, row in enumerate(read_manifest(manifest), 2):
        source = (row.get("source") or "").strip()
        agency, year = (row.get("agency") or "").strip(), (row.get("year") or "").strip()
        outcome = Outcome(number, source, f"{agency}/{year}")
        path = Path(source) if Path(source).is_absolute() else manifest.parent / source
        try:
            if not year.isdigit():
                raise NotAReport(f"年度“{year}”应为四位数字")
            outcome.result = import_report(path, reports, agency, int(year), (row.get("name") or "").strip() or None,
                                           (row.get("region") or "").strip() or None,
                                           (row.get("kind") or "").strip() or None, force=force, dry_run=dry_run)
        except NotAReport as err:
            outcome.error = str(err)
        outcomes.append(outcome)
    return outcomes


def summary_line(outcome: Outcome) -> str:
    where = f"第 {outcome.line} 行 {outcome.source} → {outcome.target}"
    if not outcome.ok:
        return f"✗ {where}：{outcome.error}"
    result = outcome.result
    c = result.counts
    rules = sorted({p.rule for p in result.problems})
    broken = f"；违反规则 {'、'.join(rules)}" if rules else ""
    mark = "!" if c["uncertain"] or rules else "✓"
    return (f"{mark} {where}：{result.edition}，直接读出 {c['certain']}，拆分确定 {c['solved']}，"
            f"不确定 {c['uncertain']}{broken}")


def totals(outcomes: list[Outcome]) -> str:
    done = [o for o in outcomes if o.ok]
    cells = {k: sum(o.result.counts[k] for o in done) for k in ("certain", "solved", "uncertain")}
    return (f"共 {len(outcomes)} 个来源：{len(done)} 个已导入（其中 {sum(1 for o in done if o.result.counts['uncertain'])} "
            f"个有不确定的单元格），{len(outcomes) - len(done)} 个失败；单元格：直接读出 {cells['certain']}，"
            f"拆分确定 {cells['solved']}，不确定 {cells['uncertain']}")
