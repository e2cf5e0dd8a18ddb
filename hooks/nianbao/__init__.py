"""nianbao: publish and check 政府信息公开工作年度报告 as a static site.

The package is a plain library in stages: `core` reads and checks, `site` makes the pages, `scale`
spreads a build over workers, cache and shards, `editing` and `data` serve editors and readers.
MkDocs reaches it only through the thin hook file `hooks/nianbao_hooks.py`.
"""

__version__ = "0.1.0"
