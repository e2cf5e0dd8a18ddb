"""The MkDocs file of a generated page: listed and linked by MkDocs, rendered by the workers.

MkDocs lists such a file (nav, sitemap, link resolution) but does not read or render it itself:
renderpool.py does, in worker processes, and its Markdown is made there too, when first read.
"""

from __future__ import annotations

import posixpath

from mkdocs.structure.files import File


class Deferred(File):
    """A generated page that MkDocs lists and links to but leaves to the workers."""

    def is_documentation_page(self) -> bool:
        return False  # keeps it out of MkDocs' own reading and rendering loops

    def copy_file(self, dirty: bool = False) -> None:
        pass  # not a static file either: its HTML comes from a worker or the cache

    maker = None  # makes the Markdown when first read: in the worker, not before the workers start

    @property
    def content_string(self) -> str:
        if self.maker is not None:
            self._content, self.maker = self.maker(), None
        return super().content_string


def deferred_file(config, src_uri: str, content) -> Deferred:
    file = Deferred.generated(config, src_uri, content="" if callable(content) else content)
    file.maker = content if callable(content) else None
    # MkDocs derives a page's destination only for documentation pages; give it the page's own.
    parent, name = posixpath.split(src_uri)
    stem = name[: -len(".md")]
    if stem == "index" or not config.use_directory_urls:
        file.dest_uri = posixpath.join(parent, stem + ".html")
    else:
        file.dest_uri = posixpath.join(parent, stem, "index.html")
    return file
