"""How a build is divided: render units, shards and the fingerprint of everything but the data.

A unit is what one worker renders at a time and what the build cache stores: an agency (its
report pages and its own page, named by its slug) or one summary page (named by its source).
A shard is the set of units whose stable hash falls on it, so an agency's pages always live in
one shard and a shard's share does not move when other agencies are added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core import settings
from ..core.store import PACKAGE, package_digest

ENGINE_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "segno",
                   "jinja2", "markupsafe")


@dataclass(frozen=True)
class Shard:
    number: int  # 1-based, as written in NIANBAO_SHARD=K/N
    count: int

    def owns(self, unit: str) -> bool:
        return self.count == 1 or shard_index(unit, self.count) == self.number - 1

    @property
    def label(self) -> str:
        return f"{self.number}/{self.count}"


WHOLE = Shard(1, 1)


def shard_index(unit: str, count: int) -> int:
    # sha256 rather than hash(): Python salts str hashes per process, and every machine of a
    # sharded build must agree on the split.
    return int.from_bytes(hashlib.sha256(unit.encode("utf-8")).digest()[:8], "big") % count


def parse_shard(value: str | None) -> Shard:
    """NIANBAO_SHARD=K/N (1 ≤ K ≤ N); unset or empty is the whole site. Raises ValueError in Chinese."""
    numbers = settings.shard_numbers(value)
    return WHOLE if numbers is None else Shard(*numbers)


def unit_of(src_uri: str, unit: str | None) -> str:
    return f"agency:{unit}" if unit else f"page:{src_uri}"


def fingerprint(config_file: str, site_url: str | None, docs: list[str]) -> str:
    """Everything besides a page's own source that its HTML depends on: this tool's code, theme and
    templates, mkdocs.yml, the engine's versions, the site address and the hand-written pages'
    names (links to them resolve or not). A change to any of them invalidates every cached page."""
    from importlib import metadata  # here, not at the top: `nianbao check` starts without it

    digest = hashlib.sha256(package_digest().encode())
    hook = PACKAGE.parent / "nianbao_hooks.py"
    for path in (Path(config_file), hook):
        if path.is_file():
            digest.update(path.read_bytes() + b"\0")
    for name in ENGINE_PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    import mkdocs  # under ProperDocs this is ProperDocs, whose version the pages name as generator

    digest.update(f"engine={mkdocs.__name__}-{mkdocs.__version__}\0site={site_url or ''}\0".encode())
    digest.update("\0".join(sorted(docs)).encode())
    return digest.hexdigest()
