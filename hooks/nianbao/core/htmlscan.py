"""Raw HTML read the way a browser reads it: start tags with their attributes, and comments.

The check must see what a browser would make of an editor's raw HTML, not what a lenient parser
makes of it: `<meta/@ http-equiv=refresh …>` is no tag to CommonMark or to Python's HTMLParser,
but a <meta> element to every browser. This follows the tokenizer of the HTML standard (§13.2.5:
tag open, tag name, attribute name and value states, self-closing, comments, bogus comments) for
everything up to the first element outside the allow-list — whose presence is already an error
— so a narrative that passes the check is tokenized exactly as a browser tokenizes it. (The
raw-text states that <script>, <style>, <textarea>, <title> … switch to are never reached
without such an error.) It runs in one linear pass; each run below is matched possessively.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

SPACE = "\t\n\f\r "
SPACES = re.compile(r"[\t\n\f\r ]*+")
TAG_NAME = re.compile(r"[^\t\n\f\r />]*+")
ATTR_NAME = re.compile(r".[^\t\n\f\r />=]*+", re.S)  # the first character may be "=" (the standard says so)
UNQUOTED = re.compile(r"[^\t\n\f\r >]*+")
COMMENT_END = re.compile(r"--!?>")


@dataclass
class Tag:
    name: str  # lower case
    offset: int  # of "<"
    attrs: list[tuple[str, str]] = field(default_factory=list)  # names lower case, values unescaped
    end: bool = False  # an end tag (</x>)
    closed: bool = True  # False: the text ended inside the tag (a browser drops it, or swallows what follows)
    stop: int = 0  # just after its ">"


@dataclass
class Comment:
    offset: int
    closed: bool
    stop: int


def scan(text: str):
    """Tags and comments of `text`, in order."""
    pos, size = 0, len(text)
    while True:
        at = text.find("<", pos)
        if at < 0 or at + 1 >= size:
            return
        nxt = text[at + 1]
        if nxt.isascii() and nxt.isalpha():
            tag = _tag(text, at, at + 1, end=False)
            pos = tag.stop
            yield tag
        elif nxt == "/":
            third = text[at + 2:at + 3]
            if third.isascii() and third.isalpha():
                tag = _tag(text, at, at + 2, end=True)
                pos = tag.stop
                yield tag
            elif third == ">":
                pos = at + 3
            else:  # a bogus comment, to the next ">"
                close = text.find(">", at + 2)
                pos = size if close < 0 else close + 1
        elif nxt == "!":
            if text.startswith("<!--", at):
                start = at + 4
                if text.startswith(">", start) or text.startswith("->", start):  # <!--> and <!--->
                    pos = text.find(">", start) + 1
                    yield Comment(at, True, pos)
                    continue
                close = COMMENT_END.search(text, start)
                pos = size if close is None else close.end()
                yield Comment(at, close is not None, pos)
            else:
                close = text.find(">", at + 2)
                pos = size if close < 0 else close + 1
        elif nxt == "?":
            close = text.find(">", at + 2)
            pos = size if close < 0 else close + 1
        else:
            pos = at + 1


def _tag(text: str, at: int, start: int, end: bool) -> Tag:
    """The tag whose name starts at `start`, up to where the data state resumes (`stop`)."""
    size = len(text)
    name = TAG_NAME.match(text, start)
    tag = Tag(name.group(0).lower(), at, end=end)
    pos = name.end()
    while True:
        pos = SPACES.match(text, pos).end()
        if pos >= size:
            tag.closed, tag.stop = False, size
            return tag
        ch = text[pos]
        if ch == ">":
            tag.stop = pos + 1
            return tag
        if ch == "/":  # self-closing start tag state: anything but ">" is read as an attribute
            pos += 1
            continue
        found = ATTR_NAME.match(text, pos)
        attr, pos = found.group(0).lower(), found.end()
        pos = SPACES.match(text, pos).end()
        value = ""
        if pos < size and text[pos] == "=":
            pos = SPACES.match(text, pos + 1).end()
            if pos < size and text[pos] in "\"'":
                close = text.find(text[pos], pos + 1)
                if close < 0:
                    tag.closed, tag.stop = False, size
                    return tag
                value, pos = text[pos + 1:close], close + 1
            else:
                raw = UNQUOTED.match(text, pos)
                value, pos = raw.group(0), raw.end()
        if attr not in (a for a, _ in tag.attrs):  # a repeated attribute is ignored by browsers
            tag.attrs.append((attr, html.unescape(value)))


def text_of(fragment: str) -> str:
    """The text of an HTML fragment without its tags and comments (for the search index)."""
    out, pos = [], 0
    for item in scan(fragment):
        out.append(fragment[pos:item.offset])
        pos = item.stop
    out.append(fragment[pos:])
    return html.unescape(" ".join(out))
