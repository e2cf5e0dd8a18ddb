"""A Content-Security-Policy on every page, as a <meta> tag so that it works on any static host.

Scripts run only from the site itself, plus the theme's own inline scripts, allowed by their
sha256 hashes. The hashes are taken from each page as the theme wrote it, before the generated
blocks are filled in, and every page made from report data has passed the allow-list cleaner
(which removes scripts): so no inline script that came from a report can be hashed.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Inline <script> elements whose content runs: no src, and no type, or a JavaScript type.
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+(?!src\b)[a-z-]+(?:=\"[^\"]*\")?)*)\s*>(?P<body>.*?)</script>",
                           re.S | re.I)
DATA_TYPE = re.compile(r"\stype=\"(?!text/javascript|module)[^\"]+\"", re.I)
CHARSET = '<meta charset="utf-8">'

POLICY = [
    ("default-src", ["'self'"]),
    ("script-src", ["'self'", "'wasm-unsafe-eval'"]),  # Pagefind runs its index as WebAssembly
    ("style-src", ["'self'"]),
    ("img-src", ["'self'", "data:"]),  # the theme's icons are data: SVGs in its stylesheet
    ("object-src", ["'none'"]),
    ("base-uri", ["'self'"]),
    ("form-action", ["'self'"]),
]


def script_hashes(html: str) -> list[str]:
    found = []
    for match in INLINE_SCRIPT.finditer(html):
        if DATA_TYPE.search(match.group("attrs")):
            continue  # JSON configuration, not run
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        token = f"'sha256-{base64.b64encode(digest).decode()}'"
        if token not in found:
            found.append(token)
    return found


def policy(hashes: list[str]) -> str:
    parts = []
    for name, sources in POLICY:
        parts.append(" ".join([name] + sources + (hashes if name == "script-src" else [])))
    return "; ".join(parts)


def add_policy(html: str) -> str:
    """The page with its policy as the first thing after the charset, ahead of every script."""
    if CHARSET not in html:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes(html))}">'
    return html.replace(CHARSET, CHARSET + "\n    " + tag, 1)
