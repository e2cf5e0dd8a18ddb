"""The CLI reads a report as the 填报 page does, although the page has neither libyaml nor the CLI's
Unicode: where the CLI uses libyaml it reads exactly what PyYAML's pure-Python reader (the page's)
reads, and characters are judged by Unicode 16.0 (the page's Python) whichever Python runs."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from conftest import REPO
from nianbao.core import fields, located, unicode16

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

# What editors and attackers type into YAML, the constructs the two readers once read apart among them.
PIECES = list(":[]{},\"'#&*!|>-?%@`\t \n\r\\~=") + ["年", "x", "1", "\u3000", "\x85", "\ufeff", "\u2028",
                                                     "\x07", "- ", ": ", "? ", " #", "😀", "<<", "...", "---"]
KNOWN = ["  cases: [0,\t1]", "  cases: [0, 0:]", "  cases: [0, 0: , 1]", "  cases: [0?, 1]", "  cases: [?, 1]",
         "  cases: [!, 1]", "title: |#", "title: 年\ufeff度", "title: \"年度\x07报告\"", "  cases: [" + "[" * 600 + "]" * 600 + "]",
         "  cases: [" + "[" * 150 + "]" * 150 + "]"]


def reading(text: str) -> tuple:
    parsed = located.parse(text, full=True)
    return parsed.value, parsed.marks, parsed.key_marks, parsed.texts, [vars(i) for i in parsed.issues]


def pure_reading(text: str, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(located, "_Loader", located._PureLoader)  # as on the page: no libyaml
        return reading(text)


def mutated(texts: list[str], rng: random.Random) -> str:
    text = rng.choice(texts)
    for _ in range(rng.randint(1, 3)):
        i, piece = rng.randrange(len(text)), rng.choice(PIECES)
        text = [text[:i] + text[i + 1:], text[:i] + piece + text[i:], text[:i] + piece + text[i + 1:]][rng.randrange(3)]
    return text


def test_libyaml_reads_mutated_reports_as_the_pure_reader_does(tmp_path, monkeypatch):
    generate(tmp_path, 10, seed=3, problem_share=0.5)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.rglob("20*.yml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "reports").rglob("20*.yml"))]
    rng = random.Random(26)
    cases = [mutated(texts, rng) for _ in range(1000)] + [texts[0] + line + "\n" for line in KNOWN]
    differ = [text for text in cases if reading(text) != pure_reading(text, monkeypatch)]
    assert differ == []


@pytest.mark.parametrize("line", KNOWN)
def test_constructs_the_readers_read_apart_are_read_as_the_pure_reader_does(line, monkeypatch):
    text = f"agency: a\nyear: 2020\ntitle: 年度报告\nt4:\n{line}\n"
    assert located.divergent(text) or located.parse(text, full=True).issues, "libyaml would read it"
    assert reading(text) == pure_reading(text, monkeypatch)


def test_characters_are_judged_by_unicode_16():
    version = tuple(map(int, unicodedata.unidata_version.split(".")))
    assert version <= tuple(map(int, unicode16.VERSION.split("."))), \
        f"this Python knows Unicode {unicodedata.unidata_version}: extend core/unicode16.py, as the page must know it too"
    for start, end, category in zip(unicode16._STARTS, unicode16._ENDS, unicode16._CATEGORIES):
        for code in range(start, end + 1):
            native = unicodedata.category(chr(code))
            assert native in ("Cn", category), hex(code)  # unassigned here, or assigned as 16.0 has it
            assert fields.category(chr(code)) == category
    # A rare character of a place name (CJK Extension H, Unicode 15.0) is a letter everywhere; a
    # code point 16.0 leaves unassigned is still refused.
    assert fields.region_problem("福建省/\U00031350镇") is None
    assert "未分配" in fields.text_problem("年度\U000323B0报告", "title")
