"""An operating-system error as one Chinese line that names the path and says what to do.

Commands write reports, exports, schemas and caches where the user points them: a read-only
folder, a full disk or a folder where a file was meant is the user's to fix, and is told so
(exit 2), never shown as a traceback.
"""

from __future__ import annotations

import contextlib
import errno
from pathlib import Path

ADVICE = {
    errno.EACCES: "没有权限：请检查该位置的读写权限，或换一个可写的位置",
    errno.EPERM: "没有权限：请检查该位置的读写权限，或换一个可写的位置",
    errno.EROFS: "所在的文件系统是只读的：请换一个可写的位置",
    errno.ENOSPC: "磁盘空间已满：请清理空间后重试",
    errno.EDQUOT: "超出磁盘配额：请清理空间后重试",
    errno.EISDIR: "这是一个目录，这里需要文件路径",
    errno.ENOTDIR: "路径中有一段不是目录：请检查路径",
    errno.ENOENT: "路径不存在：请检查路径",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "路径太长：请换一个短一些的路径",
    errno.ENOTEMPTY: "目录不是空的",
}


class CannotWrite(Exception):
    """Writing `path` failed (message in Chinese)."""


def file_in_the_way(path: Path) -> Path | None:
    """The first folder of `path` that exists and is a file (a folder cannot be made there)."""
    for folder in reversed(path.parents):
        if folder.exists() and not folder.is_dir():
            return folder
    return None


def describe(err: OSError, path: str | Path | None = None, doing: str = "写入") -> str:
    path = path if path is not None else err.filename
    advice = ADVICE.get(err.errno, err.strerror or str(err))
    return f"无法{doing}“{path}”：{advice}" if path else f"{doing}失败：{advice}"


def probe(folder: Path) -> None:
    """Raise the OS error that writing into `folder` would raise, before any work is done (a
    read-only repo, a full disk): a file is made and removed there, or in the nearest folder
    above it that exists (nothing is left behind, no folder made)."""
    import os
    import tempfile

    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
    try:
        handle, name = tempfile.mkstemp(prefix=".nianbao-probe-", dir=existing)
    except OSError as err:
        raise type(err)(err.errno, err.strerror, str(folder)) from err
    os.close(handle)
    os.unlink(name)


@contextlib.contextmanager
def writing(path: str | Path):
    """Any OS error inside becomes CannotWrite naming `path` (not a temporary file beside it)."""
    try:
        yield
    except OSError as err:
        raise CannotWrite(describe(err, path)) from err
