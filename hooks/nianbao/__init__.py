"""nianbao: publish and check 政府信息公开工作年度报告 as a static site.

The package is a plain library (load, check, render, pages); MkDocs reaches it only through the
thin hook file `hooks/nianbao_hooks.py`.
"""

__version__ = "0.1.0"
