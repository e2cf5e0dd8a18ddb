"""Rendered pages stored by content, so a rebuild renders only the units whose inputs changed.

An entry is keyed by everything its HTML is made from: the build's fingerprint (code, theme,
mkdocs.yml, engine versions, site address), each page's source and the HTML fragments filled into
it. Equal keys mean equal pages, so an entry is reused as it stands. Each entry lists the SHA-256 of
its files; one that does not match (a damaged disk, a cut-short copy, a hand edit) is removed and
rendered again, never served. The entry also lists each file's size and modification time as
stored: a file showing both unchanged is taken without reading it (a rebuild would otherwise
read and hash the whole site, 1.2 GB at 10,000 reports); any other is hashed, so a cache restored
with new times is still used. As with git's index, only damage that keeps both size and time (a
bit flipped on the disk itself) goes unseen. Entries are written to a scratch folder and renamed into place, so
a build stopped half way leaves no half entry.

NIANBAO_CACHE sets the folder (default `.cache/nianbao/` beside mkdocs.yml); NIANBAO_CACHE=off
keeps the entries in a temporary folder for this build only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..core import settings

LAYOUT = "pages-v1"
MANIFEST = "manifest.json"


def stat_of(path: str) -> list[int]:
    """What shows a file changed without reading it: [size, modification time in ns]."""
    found = os.stat(path)
    return [found.st_size, found.st_mtime_ns]


def cache_root(config_dir: Path) -> tuple[Path, bool]:
    """The cache folder and whether it outlives the build."""
    folder = settings.cache(config_dir / ".cache" / "nianbao")
    if folder is None:
        return Path(tempfile.mkdtemp(prefix="nianbao-pages-")), False
    return folder, True


def unit_key(fingerprint: str, unit: str, parts: list[tuple[str, str, list[str]]]) -> str:
    """parts: (source URI, Markdown source, filled-in fragments) of each page of the unit."""
    digest = hashlib.sha256(f"{fingerprint}\0{unit}\0".encode())
    for uri, markdown, fragments in parts:
        for piece in (uri, markdown, *fragments):
            data = piece.encode("utf-8", errors="surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)  # length-prefixed: no two splits collide
        digest.update(b"\1")
    return digest.hexdigest()


def write_chunks(path: Path, chunks) -> str:
    """Write text (or bytes already encoded) piece by piece: a data file may be larger than
    memory. Its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for chunk in chunks:
            data = chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
            digest.update(data)
            out.write(data)
    return digest.hexdigest()


def file_sha256(path: str | Path) -> str:
    """Read in blocks: the long CSV of an archive is larger than a worker may hold (1.2 GB at 100,000 reports)."""
    with open(path, "rb") as stored:
        return hashlib.file_digest(stored, "sha256").hexdigest()


def link(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:  # `mkdocs build --dirty` into the last site: the same file, or an older one
        if not os.path.samefile(source, target):
            os.unlink(target)
            link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class PageCache:
    def __init__(self, root: Path, persistent: bool = True):
        self.root = root
        self.persistent = persistent
        self.entries = root / LAYOUT

    def entry(self, key: str) -> Path:
        return self.entries / key[:2] / key

    def files(self, key: str) -> list[str] | None:
        """The entry's files if it is complete and every file is what was stored, else None
        (and a damaged entry is removed so that it is written again)."""
        folder = self.entry(key)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            listed, stats = manifest["files"], manifest.get("stats", {})
            files = os.path.join(folder, "files")
            for name, digest in listed.items():
                path = os.path.join(files, name)
                if stats.get(name) == stat_of(path):
                    continue  # as stored
                if file_sha256(path) != digest:
                    raise ValueError(name)
        except FileNotFoundError:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return sorted(listed)

    def staging(self, key: str) -> Path:
        """A fresh folder to render the unit into; `store` moves it into place."""
        scratch = self.root / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{key[:16]}-", dir=scratch))
        (folder / "files").mkdir()
        return folder

    def store(self, key: str, staging: Path) -> list[str]:
        written = sorted(p.relative_to(staging / "files").as_posix()
                         for p in (staging / "files").rglob("*") if p.is_file())
        listed = {name: file_sha256(staging / "files" / name) for name in written}
        stats = {name: stat_of(os.path.join(staging, "files", name)) for name in written}  # a rename keeps them
        (staging / MANIFEST).write_text(json.dumps({"files": listed, "stats": stats}, ensure_ascii=False,
                                                   sort_keys=True), encoding="utf-8")
        target = self.entry(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # a concurrent build stored the same pages: equal key, equal content
            shutil.rmtree(staging, ignore_errors=True)
        else:
            try:
                os.rename(staging, target)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
        return written

    def copy_into(self, key: str, names: list[str], site_dir: Path, made: set | None = None) -> None:
        """Hard links where the file system allows (the site is rebuilt by deleting, never by
        writing into a file, and a changed entry would fail its check anyway), else copies.
        `made`: folders already there (a site has tens of thousands; each is made once)."""
        # Strings, not Path objects: a rebuild links some 40,000 files of 20,000 folders.
        source, site = os.path.join(self.entry(key), "files"), os.fspath(site_dir)
        made = set() if made is None else made
        for name in names:
            target = os.path.join(site, name)
            parent = os.path.dirname(target)
            if parent not in made:
                try:
                    os.mkdir(parent)  # one call where its parent is there, as it mostly is
                except FileExistsError:
                    pass
                except FileNotFoundError:
                    os.makedirs(parent, exist_ok=True)
                made.add(parent)
            link(os.path.join(source, name), target)

    def prune(self, used: set[str]) -> int:
        """Drop entries this build did not use, so the cache holds about one site."""
        removed = 0
        if not self.entries.is_dir():
            return removed
        for bucket in self.entries.iterdir():
            for folder in (bucket.iterdir() if bucket.is_dir() else ()):
                if folder.name not in used:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
        shutil.rmtree(self.root / "tmp", ignore_errors=True)
        return removed

    def close(self) -> None:
        if not self.persistent:
            shutil.rmtree(self.root, ignore_errors=True)
