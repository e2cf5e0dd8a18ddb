"""Search keys that mean the same at index time and at query time: overlapping pairs of Chinese
characters (bigrams), each spelled as one plain ASCII word.

Pagefind segments Chinese twice, differently: jieba (through charabia) when it indexes, the
browser's Intl.Segmenter (ICU) when it reads the query. The two disagree on names and terms —
罗源县松山镇人民政府, 行政复议 — so a query's words are often not the index's words and a report
that holds the phrase is not found (measured in tests/test_search_browser.py). A bigram key has no
segmentation to disagree on: the index holds every pair of neighbouring Han characters of the
text, the search page (docs/javascripts/nianbao.js, `gramKeys`) turns the query into its pairs the
same way, and a report is found when it holds them all — what a Chinese reader expects of a
search box (any run of two or more characters is found where it is written).

A key is "zq" and four letters per character (base 26 of its code point): one lower-case ASCII
word, which neither segmenter splits and no stemmer changes. The JavaScript twin must agree with
`key()` letter for letter; the browser test asserts it does.
"""

from __future__ import annotations

PREFIX = "zq"


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F


def letters(cp: int) -> str:
    out = []
    for _ in range(4):
        cp, digit = divmod(cp, 26)
        out.append(chr(97 + digit))
    return "".join(reversed(out))


def key(gram: str) -> str:
    return PREFIX + "".join(letters(ord(ch)) for ch in gram)


def grams(text: str) -> list[str]:
    """Every pair of neighbouring Han characters, in order of first appearance, each once."""
    seen: dict[str, None] = {}
    previous = ""
    for ch in text:
        if is_han(ch):
            if previous:
                seen.setdefault(previous + ch, None)
            previous = ch
        else:
            previous = ""
    return list(seen)


def keys(text: str) -> str:
    """The text's bigram keys as one line of words, for a search document."""
    return " ".join(key(g) for g in grams(text))
