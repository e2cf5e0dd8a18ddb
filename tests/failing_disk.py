"""Writes under one folder fail as a read-only folder, a read-only file system or a full disk would.

The tests run as root, whom permission bits do not stop, and no test may fill a disk: an audit
hook (PEP 578) refuses every write-like operation under the folder with the operating system's
own error, in the process being tested, before it touches the disk. Reading stays possible.

In a subprocess: `python -c "import failing_disk; failing_disk.install(folder, errno.ENOSPC); ..."`.
"""

from __future__ import annotations

import os
import sys

WRITES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.link", "os.symlink", "os.truncate",
          "shutil.copyfile", "shutil.copytree", "shutil.rmtree", "os.chmod", "os.utime"}


def writes(event: str, args: tuple) -> list:
    """The paths a write-like event would change (none for reads)."""
    if event == "open":
        path, mode, flags = args
        if isinstance(mode, str):
            changing = any(c in mode for c in "wax+")
        else:
            changing = bool((flags or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
        return [path] if changing else []
    if event in WRITES:
        return [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
    return []


def install(folder: str | os.PathLike, code: int) -> None:
    top = os.path.realpath(folder)

    def hook(event: str, args: tuple) -> None:
        for path in writes(event, args):
            if isinstance(path, int):
                continue
            full = os.path.realpath(os.fsdecode(path))
            if full == top or full.startswith(top + os.sep):
                raise OSError(code, os.strerror(code), os.fsdecode(path))

    sys.addaudithook(hook)
