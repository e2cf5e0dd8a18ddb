"""The site's Jinja environment (templates/), autoescaping everything it prints.

Kept apart from render.py, which builds the statutory tables by plain string building: the 填报
page runs render.py in the browser (its preview) without shipping Jinja.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, select_autoescape


@functools.cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("nianbao.site", "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
