"""Files written whole or not at all: into a temporary file beside the target, then renamed over it.

A report an editor formats or imports, an export, a cache entry: a build or a command stopped half
way leaves the old file or the new one, never half of one. The temporary file is made the way the
target would be (the user's umask, not mkstemp's 0600: an export is often served as it is).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def replace_file(path: Path, write) -> None:
    """`write(out)` (a binary file) into a temporary file beside `path`, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process and thread: forked workers and the build write into the same stores.
    temp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open(temp, "wb") as out:
            write(out)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    replace_file(path, lambda out: out.write(text.encode("utf-8")))
