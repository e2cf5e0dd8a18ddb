"""What may sit in inbox/: the report files an editor uploads with the hosting site's web page,
each with an optional `<file>.yml` beside it, and nothing else.

The names are the editor's own (often Chinese, as Word saved them), so they are not held to the
slug rules of reports/; they only must be plain file names one level under inbox/, never hidden,
never a link, and each kind of file has a size limit checked before anything reads it.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

INBOX = "inbox"
# Suffix -> size limit in bytes; the importer reads these (PDF and Word by what their bytes are).
DOCUMENTS = {".docx": 30 * 1024 * 1024, ".pdf": 30 * 1024 * 1024, ".html": 5 * 1024 * 1024,
             ".htm": 5 * 1024 * 1024, ".txt": 2 * 1024 * 1024}
SIDECAR_SUFFIX = ".yml"
SIDECAR_LIMIT = 8 * 1024
# Files that belong to inbox/ itself (its instructions shown by the hosting site's folder view).
OWN_FILES = frozenset({"README.md", ".gitkeep"})
MAX_NAME_BYTES = 200


def in_inbox(path: str) -> bool:
    return path.startswith(INBOX + "/")


def name_problem(name: str) -> str | None:
    """Why an uploaded file's name cannot be used (Chinese), or None."""
    if not name or "/" in name or "\\" in name:
        return "inbox/ 中只能直接放文件，不能有子文件夹"
    if name.startswith("."):
        return "文件名不能以“.”开头（隐藏文件）"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"文件名过长（超过 {MAX_NAME_BYTES} 字节），请改短"
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        return "文件名含控制字符或不可见字符，请重新命名"
    return None


def kind(name: str) -> str | None:
    """'document', 'sidecar', 'own' or None (not accepted in inbox/)."""
    if name in OWN_FILES:
        return "own"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in DOCUMENTS:
        return "document"
    if suffix == SIDECAR_SUFFIX and PurePosixPath(name).stem:
        return "sidecar"
    return None


def limit(name: str) -> int:
    suffix = PurePosixPath(name).suffix.lower()
    return DOCUMENTS.get(suffix, SIDECAR_LIMIT)


def sidecar_names(document: str) -> tuple[str, str]:
    """The two names a document's metadata file may have: `报告.docx.yml` or `报告.yml`."""
    return document + SIDECAR_SUFFIX, str(PurePosixPath(document).with_suffix(SIDECAR_SUFFIX))


ACCEPTED = "、".join(DOCUMENTS) + "（报告原文）和同名的 .yml（机构代码、年度等，可选）"


def not_accepted(name: str) -> str:
    """What to do with a file inbox/ does not take (Chinese)."""
    if PurePosixPath(name).suffix.lower() in (".doc", ".wps"):
        return "旧版 Word 或 WPS 文档不能在 CI 中读取：请用 Word 或 WPS “另存为 .docx”后上传"
    return f"inbox/ 下只接受 {ACCEPTED}"
