"""The 填报 page's engine, copied into the site by the build: Pyodide and the package's own Python.

Pyodide comes from its pinned npm package (package.json, package-lock.json; `npm ci` in
tests/run.sh installs it into node_modules/, which git ignores), so no multi-MB binary is kept in
git and nothing is fetched from a CDN. The Python the page runs is a zip of this package's
reading, checking and editing stages and the site modules its preview draws with, plus the pure-Python
parts of their dependencies, taken from the installed packages (PyYAML without its C extension,
ruamel.yaml, markdown-it-py, mdurl, MarkupSafe without its C speedups).
Written once per build, whatever the number of reports.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import zipfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.nianbao")

FOLDER = "tianbao/engine"
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# What the page runs: no scale/ or cli.py, and of site/ only what its preview draws with (no Jinja).
STAGES = ["__init__.py", "core", "data", "editing", "site/__init__.py", "site/narrative.py", "site/render.py",
          "site/preview.py"]
LIBRARIES = ["yaml", "ruamel", "markdown_it", "mdurl", "markupsafe"]
PYTHON_ZIP = "nianbao-python.zip"


def pyodide_folder(project: Path) -> Path | None:
    """node_modules/pyodide beside mkdocs.yml (where `npm ci` puts it): only there, so the site
    is the same whichever copy of this package builds it."""
    folder = project / "node_modules" / "pyodide"
    return folder if all((folder / name).is_file() for name in PYODIDE_FILES) else None


def python_sources() -> list[tuple[str, Path]]:
    """(name in the zip, file) for every .py and data file the page's Python needs."""
    package = Path(importlib.import_module("nianbao").__file__).parent
    roots = [(f"nianbao/{stage}", package / stage) for stage in STAGES]
    for name in LIBRARIES:
        module = importlib.import_module(name)
        roots.append((name, Path(module.__file__).parent if module.__file__ else Path(list(module.__path__)[0])))
    found = []
    for prefix, root in roots:
        if root.is_file():
            found.append((prefix, root))
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".so", ".pyd", ".pyc"):
                found.append((f"{prefix}/{path.relative_to(root).as_posix()}", path))
    return found


def write_python_zip(target: Path) -> None:
    # Fixed timestamps: the same code makes the same bytes, so builds stay byte-identical.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in python_sources():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def copy_engine(project: Path, site_dir: Path) -> bool:
    """Put the engine beside the page; False (and a warning) when Pyodide is not installed."""
    source = pyodide_folder(project)
    target = site_dir / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    write_python_zip(target / PYTHON_ZIP)
    if source is None:
        # Not a warning: `mkdocs build --strict` of a checkout without npm still publishes the rest.
        log.info("未找到 node_modules/pyodide：填报页的检查与导入不可用（在项目目录运行 `npm ci` 安装）")
        return False
    for name in PYODIDE_FILES:
        shutil.copyfile(source / name, target / name)
    return True
