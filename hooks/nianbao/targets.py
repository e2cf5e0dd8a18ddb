"""What a path given to `check`, `export` or `fmt` names: the project (its reports/), the reports
folder, an agency folder or one report (or, for `check`, an agency.yml).

Every path is resolved before anything is read, so a wrong one is a usage error naming it and
saying what the command accepts, never "0 reports" with exit 0; paths that name the same reports
(twice, or a report inside a folder also given) are read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core import project
from .core.load import LINK, first_link, YEAR_FILE, display_path


class UsageError(Exception):
    """A path the command cannot use (message in Chinese: the path, what is accepted)."""


@dataclass(frozen=True)
class Target:
    root: Path  # the reports folder
    agency: str | None = None  # None: every agency of root
    year: int | None = None  # None: the whole agency
    agency_file: bool = False  # only the agency's agency.yml (check)

    @property
    def parts(self) -> tuple:
        if self.agency is None:
            return ()
        if self.year is None and not self.agency_file:
            return (self.agency,)
        return (self.agency, self.year if not self.agency_file else "agency.yml")

    def covers(self, other: Target) -> bool:
        return self.root == other.root and other.parts[:len(self.parts)] == self.parts

    def describe(self) -> str:
        if self.agency is None:
            return f"{shown(self.root)}/ 下的全部机构"
        folder = self.root / self.agency
        if self.agency_file:
            return f"{shown(folder / 'agency.yml')}"
        if self.year is None:
            return f"机构目录 {shown(folder)}/"
        return f"{shown(folder)}/{self.year} 年度报告"


def shown(path: Path) -> str:
    return display_path(path)


ACCEPTS = {
    "check": "项目目录、reports/、机构目录（reports/<机构代码>/）、报告文件（<年度>.yml 或 <年度>.md）或 agency.yml",
    "export": "项目目录、reports/、机构目录（reports/<机构代码>/）或报告数据文件 <年度>.yml",
    "fmt": "项目目录、reports/、机构目录（reports/<机构代码>/）或报告数据文件 <年度>.yml",
}


def resolve(arguments: list[str], command: str) -> list[Target]:
    """The targets the arguments name (the project's reports/ when there are none), overlaps removed."""
    if not arguments:
        folder = project.default_reports()
        if not folder.is_dir():
            raise UsageError(f"找不到报告目录 {shown(folder)}：请在项目目录中创建 reports/，或给出报告目录的路径")
        targets = [Target(folder.resolve())]
    else:
        targets = [target_of(Path(argument), command) for argument in arguments]
    kept: list[Target] = []
    for target in targets:
        if not any(other.covers(target) for other in kept):
            kept = [other for other in kept if not target.covers(other)] + [target]
    return kept


def target_of(path: Path, command: str) -> Target:
    accepts = f"nianbao {command} 接受{ACCEPTS[command]}"
    if not path.exists():
        raise UsageError(f"找不到“{path}”（{accepts}）")
    # Resolved through a link, a path would name files anywhere on the machine (load.py refuses links too).
    linked = first_link(*((path, path.parent) if path.is_file() else (path,)))
    if linked is not None:
        raise UsageError(f"“{linked}”{LINK}")
    resolved = path.resolve()
    if resolved.is_dir():
        return folder_target(path, resolved, accepts)
    if not resolved.is_file():
        raise UsageError(f"“{path}”不是普通文件或目录（{accepts}）")
    return file_target(path, resolved, command, accepts)


def folder_target(path: Path, folder: Path, accepts: str) -> Target:
    if (folder / project.CONFIG).is_file():
        reports = project.reports_dir(folder)
        if not reports.is_dir():
            raise UsageError(f"项目目录“{path}”中没有报告目录 reports/")
        return Target(reports.resolve())
    if project.is_reports_dir(folder):
        return Target(folder)
    if project.is_reports_dir(folder.parent) or project.looks_like_agency(folder):
        return Target(folder.parent, folder.name)
    raise UsageError(f"“{path}”不是报告目录或机构目录（{accepts}）")


def file_target(path: Path, file: Path, command: str, accepts: str) -> Target:
    match = YEAR_FILE.match(file.name)
    folder = file.parent
    if match or file.name == "agency.yml":
        if project.is_reports_dir(folder):
            raise UsageError(f"“{path}”直接放在了报告目录中：每个机构一个目录，应为 "
                             f"{shown(folder)}/<机构代码>/{file.name}，请移入所属机构的目录")
    if file.name == "agency.yml" and command == "check":
        return Target(folder.parent, folder.name, agency_file=True)
    if match and (match.group(2) == "yml" or command == "check"):
        return Target(folder.parent, folder.name, int(match.group(1)))
    if match:
        why = f"是报告正文，报告数据在 {match.group(1)}.yml"
    elif file.name == "agency.yml":
        why = "是机构信息文件"
    else:
        why = "不是报告文件"
    raise UsageError(f"“{path}”{why}：{accepts}")


def by_root(targets: list[Target]) -> dict[Path, list[Target]]:
    grouped: dict[Path, list[Target]] = {}
    for target in targets:
        grouped.setdefault(target.root, []).append(target)
    return grouped


def in_scope(target: Target, path: Path) -> bool:
    """Whether a file (a problem's, resolved) lies within what the target names."""
    folder = target.root / (target.agency or "")
    if target.agency_file:
        return path == folder / "agency.yml"
    if target.year is not None:
        return path in (folder / f"{target.year}.yml", folder / f"{target.year}.md")
    return folder in path.parents


def names_report(target: Target, slug: str, year: int) -> bool:
    return target.agency in (None, slug) and target.year in (None, year) and not target.agency_file


@dataclass
class Checked:
    problems: list
    agencies: int = 0
    reports: int = 0


def check_targets(targets: list[Target]) -> Checked:
    """The problems within the targets, the agencies and reports read. A report is checked with its
    whole agency (the cross-year rules need the year before); only its own problems are kept."""
    from .core.check import check_corpus
    from .core.load import load_folders
    from .core.parallel import check_tally

    checked = Checked([])
    for root, group in by_root(targets).items():
        if group[0].agency is None:  # the whole folder covers any other target of it
            tally = check_tally(root)
            checked.problems += tally.problems
            checked.agencies += tally.agencies
            checked.reports += tally.reports
            continue
        # only the named agency folders are read, never the rest of the folder they lie in
        result = check_corpus(load_folders(root, sorted({t.agency for t in group})))
        checked.problems += [p for p in result.problems
                             if any(in_scope(t, Path(p.path).resolve()) for t in group)]
        checked.agencies += len(result.corpus.agencies)
        checked.reports += sum(1 for r in result.corpus.reports if any(names_report(t, r.agency, r.year) for t in group))
    return checked


def load_targets(targets: list[Target]) -> tuple[list, dict, list]:
    """The reports the targets name, their agencies, and the format errors met reading them."""
    from .core.load import load_corpus, load_folders

    reports, agencies, errors = [], {}, []
    for root, group in by_root(targets).items():
        whole = group[0].agency is None
        corpus = load_corpus(root) if whole else load_folders(root, sorted({t.agency for t in group}))
        reports += [r for r in corpus.reports if any(names_report(t, r.agency, r.year) for t in group)]
        agencies.update(corpus.agencies)
        errors += [p for p in corpus.problems if p.level == "error"
                   and (whole or any(in_scope(t, Path(p.path).resolve()) for t in group))]
    return reports, agencies, errors


def report_files(targets: list[Target]) -> list[Path]:
    """The report data files (<year>.yml) the targets name, in order."""
    files = []
    for target in targets:
        folder = target.root / (target.agency or "")
        if target.year is not None:
            files.append(folder / f"{target.year}.yml")
        elif target.agency is not None:
            files += sorted(p for p in folder.glob("*.yml") if YEAR_FILE.match(p.name))
        else:
            files += sorted(p for p in folder.glob("*/*.yml") if YEAR_FILE.match(p.name))
    return files
