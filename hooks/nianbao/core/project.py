"""Where the project is: the folder holding mkdocs.yml, found upward from the working folder the
way git finds its repository, so that every command works the same from any of its subfolders.

The reports live in `reports/` beside mkdocs.yml (NIANBAO_REPORTS points the build and the
commands elsewhere); the JSON Schemas in `docs/schemas/`.
"""

from __future__ import annotations

from pathlib import Path

from .load import YEAR_FILE

CONFIG = "mkdocs.yml"
SCHEMAS = Path("docs", "schemas")


class ProjectError(Exception):
    """The project or its reports folder cannot be found (message in Chinese, says what to do)."""


def find_root(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest folder at or above `start` (default: the working folder) holding mkdocs.yml."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def root() -> Path:
    found = find_root()
    if found is None:
        raise ProjectError(f"不在 nianbao 项目中：{Path.cwd()} 及其上级目录都没有 {CONFIG}；"
                           "请到项目目录（或其子目录）中运行，或直接给出报告目录的路径")
    return found


def reports_dir(project: Path) -> Path:
    """The project's reports folder: NIANBAO_REPORTS if set (as the build reads it), else reports/."""
    from . import settings

    return settings.reports(project / "reports")


def default_reports() -> Path:
    """The reports folder of the project around the working folder (for commands given no path)."""
    return reports_dir(root())


def schemas_dir() -> Path:
    return root() / SCHEMAS


def is_reports_dir(folder: Path) -> bool:
    """The reports folder of the project around `folder`; outside any project (a scratch folder),
    a folder that is no agency itself and is named reports/ or holds agency folders."""
    folder = folder.resolve()
    project = find_root(folder)
    if project is not None:
        return folder in (project / "reports", reports_dir(project).resolve())
    if looks_like_agency(folder):
        return False
    return folder.name == "reports" or any(entry.is_dir() and looks_like_agency(entry) for entry in folder.iterdir())


def looks_like_agency(folder: Path) -> bool:
    """An agency folder: its agency.yml, or a report of some year."""
    return (folder / "agency.yml").is_file() or any(YEAR_FILE.match(entry.name) for entry in folder.iterdir())
