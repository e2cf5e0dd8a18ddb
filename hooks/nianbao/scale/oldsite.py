"""The previous build's site folder, deleted while this build works instead of before it.

`mkdocs build` empties the site folder before anything else: a site of 10,000 reports has 37,000
files and 15,000 folders (1.75 s to delete), an archive's ten times that, all of it in the way of
an editor's one-report rebuild. The folder is renamed into the build cache's folder (a rename on
the same file system) and deleted there by a thread while the reports are read; MkDocs then finds
an empty folder. Where it cannot be renamed (another file system, a mount point, no permission),
nothing is done and MkDocs empties it as before. What a stopped build left there goes too.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

FOLDER = "old-sites"
log = logging.getLogger("mkdocs.plugins.nianbao")
_removal: threading.Thread | None = None


def set_aside(site_dir: Path, cache: Path) -> None:
    global _removal
    wait()  # the previous build's, in `mkdocs serve`
    try:
        if site_dir.is_symlink() or not site_dir.is_dir() or not any(site_dir.iterdir()):
            return
        scratch = cache / FOLDER
        scratch.mkdir(parents=True, exist_ok=True)
        old = Path(tempfile.mkdtemp(prefix="site-", dir=scratch))
        os.rename(site_dir, old / "site")
    except OSError:
        return  # MkDocs deletes the files itself
    try:
        site_dir.mkdir()
    except OSError:
        os.rename(old / "site", site_dir)  # as it was: MkDocs deletes the files itself
        return
    log.debug(f"上次构建的网站目录已移到 {old}，在构建的同时删除")
    _removal = threading.Thread(target=shutil.rmtree, args=(scratch,), kwargs={"ignore_errors": True},
                                name="nianbao-old-site")
    _removal.start()


def wait() -> None:
    """Until the old site is gone (the `mkdocs` command ends, or the next build begins)."""
    if _removal is not None:
        _removal.join()
