"""nianbao: publish and check 政府信息公开工作年度报告 as a static site.

The package is a plain library in stages: `core` reads and checks, `data` exports, `editing`
serves editors, `site` makes the pages, `scale` builds the site with MkDocs over workers, cache and
shards. Each imports only the stages beneath it: core ← data ← editing and site ← scale. MkDocs
reaches it only through the thin hook file `hooks/nianbao_hooks.py`, which imports
`scale/adapter.py` (README.md, 代码地图).
"""

__version__ = "0.1.0"
