"""Linear time on any input (issue 26): every regular expression of the package, and every reader
of a report file, against adversarial input — a pull request may add any number of hostile files,
so one may cost CI no more than a few seconds.

The audit finds the expressions itself (every literal pattern passed to `re.*` anywhere in the
package, and the TX-NUM phrase patterns of editions/statements.yaml), so a new one is audited
the day it is written. Each runs on runs and pairs of the characters it names and of the
characters reports are made of, with nothing at the end that lets it match: a backtracking
pattern takes seconds there, a linear one milliseconds.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import re
import time
from pathlib import Path

import pytest

from conftest import REPO, report_data, write_report
from nianbao.cli import main
from nianbao.core.textrules import families

PACKAGE = REPO / "hooks" / "nianbao"
FUNCTIONS = {"compile", "sub", "subn", "match", "search", "findall", "finditer", "split", "fullmatch"}
N = 20_000
BUDGET = 0.3  # CPU seconds (other processes' load does not count) for one pattern on one 20,000-character input: a linear one takes ~2 ms, a quadratic one seconds
BASE = list(" \t\n\r\"'\\[]{}()<>#-.,:;|*_`/!?=&%a0一件年元、，。（）“”")
# Patterns built at run time: read by hand, each with why it is linear.
NOT_LITERAL = {
    "core/textrules.py": "the statements.yaml patterns (audited below); STOP is a character class of the STOPS "
                         "literal; keyword_index() is an alternation of escaped literal words (no quantifier)",
    "editing/importer/base.py": "a literal label (索引号, 文号) followed by a literal pattern with one quantifier",
    "editing/importer/tables.py": "a literal numeral (一 … 六) followed by [、.．]\\s*",
}


def package_patterns() -> list[tuple[str, str, int]]:
    """(where, pattern, flags) of every pattern passed to re.* in the package."""
    found = []
    for path in sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = importlib.import_module("nianbao." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
                                         .removesuffix(".__init__"))
        names = {node.targets[0].id: node.value for node in ast.walk(tree)
                 if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)}
        uses: dict[str, set] = {}  # NAME -> the methods called on it (NAME.match(...), NAME.finditer(...))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                uses.setdefault(node.value.id, set()).add(node.attr)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in FUNCTIONS and node.args):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Name) and arg.id in names:
                arg = names[arg.id]
            relative = str(path.relative_to(PACKAGE))
            try:  # a literal, or one made of the module's constants
                value = eval(compile(ast.Expression(arg), str(path), "eval"), vars(module))  # noqa: S307
            except Exception:  # noqa: BLE001 — made of a function's own variables
                value = None
            if isinstance(value, str):
                # A pattern only ever anchored (re.match, re.fullmatch, or a compiled one whose every use is
                # .match/.fullmatch) is run anchored; any other may be searched.
                target = next((name for name, value in names.items() if value is node), None)
                anchored = node.func.attr in ("match", "fullmatch") or (
                    node.func.attr == "compile" and target is not None
                    and uses.get(target, {"search"}) <= {"match", "fullmatch"})
                found.append((f"{relative}:{node.lineno}{' (anchored)' if anchored else ''}", value, flag_value(node)))
            elif relative not in NOT_LITERAL:
                raise AssertionError(f"{relative}:{node.lineno}: a pattern that is not a literal — audit it and add it "
                                     "to NOT_LITERAL with the reason it is linear")
    return found


def flag_value(call: ast.Call) -> int:
    flags = 0
    for node in list(call.args[1:]) + [k.value for k in call.keywords if k.arg == "flags"]:
        for name in ("M", "S", "I", "X", "MULTILINE", "DOTALL", "IGNORECASE", "VERBOSE"):
            if name in ast.unparse(node).replace("re.", "").split(" | "):
                flags |= getattr(re, name)
    return flags


PATTERNS = package_patterns() + [(f"statements.yaml:{family.id}", p.pattern, p.flags)
                                 for family in families() for p in family.patterns]


def test_the_audit_sees_the_package_patterns():
    assert len(PATTERNS) > 60
    assert any("fastpath.py" in where for where, _, _ in PATTERNS)
    assert any(where.startswith("statements.yaml") for where, _, _ in PATTERNS)


def inputs(pattern: str):
    named = sorted({ch for ch in pattern if not ch.isalnum() or ord(ch) > 127} - set("^$()?+*{}|\\"))[:12]
    words = re.findall(r"[\u4e00-\u9fff]{2,}", pattern)[:4]
    chars = BASE + [ch for ch in named if ch not in BASE]
    # What stops a match: nothing the pattern knows, or a character it excludes (a quote, a "#" …).
    ends = ["\x00"] + [ch for ch in "\"'#],\n" if ch in pattern][:2]
    for end in ends:
        for ch in chars:
            yield ch * N + end
    for a, b in itertools.permutations(named + ["a", "0", " "], 2):
        yield (a + b) * (N // 2) + ends[-1]
    # A prefix the pattern names, then a run: "#" and 20,000 spaces (two quantifiers over the same run).
    for a, b in itertools.product(named[:8], [" ", "\t", "0", "a", "一"] + named[:4]):
        yield a + b * N + ends[-1]
    for word, ch in itertools.product(words, [" ", "0", "一", "，", "a"]):
        yield word + ch * N + ends[-1]
        yield (word + ch) * (N // (len(word) + 1)) + ends[-1]


@pytest.mark.parametrize("where, pattern, flags", PATTERNS, ids=[w for w, _, _ in PATTERNS])
def test_every_pattern_is_linear_on_adversarial_input(where, pattern, flags):
    compiled = re.compile(pattern, flags)
    slow = []
    for text in inputs(pattern):
        started = time.process_time()
        if not where.endswith("(anchored)"):
            for _ in compiled.finditer(text):
                pass
        compiled.match(text)
        compiled.fullmatch(text)
        spent = time.process_time() - started
        if spent > BUDGET:
            slow.append(f"{text[:12]!r}… {spent:.2f} s")
    assert slow == [], f"{where}: {pattern!r} is super-linear on {slow[:3]}"


# -- whole files --------------------------------------------------------------------------------

HOSTILE_NARRATIVES = {
    "brackets": "[" * 480_000,
    "strikethrough": "[x " + "~~a" * 160_000,  # ~ was not counted: check 5.7 s, page 4 s
    "tildes": "a~~~~~~~~~~~~~" * 34_000,
    "images": "正文。" * 50_000 + "![" * 4_999,
    "links": "[a](" * 3_300 + "正文" * 80_000,
    "html": "<div>\n" + "<span title='a'>" * 4_000 + "\n</div>\n",
    "entities": "&#" * 4_999 + "文" * 100_000,
    "emphasis": "*_" * 4_999 + "a" * 200_000,
    "nesting": "> " * 100_000 + "x\n",
    "lists": "".join("  " * i + "- x\n" for i in range(300)),
    "table": "| a | b |\n|---|---|\n" + "| x | y |\n" * 1_600,
}
HOSTILE_YAML = {
    "spaces": 't3:\n  granted: [1, ' + " " * 200_000 + '"x"]\n',
    "quote": 't3:\n  granted: [1,' + " " * 200_000 + '"\n',
    "brackets": "t3: " + "[" * 200_000 + "\n",
    "mappings": "t3: " + "{a: " * 50_000 + "\n",
    "dashes": "t3:\n" + "- " * 100_000 + "x\n",
    "keys": "".join(f"k{i}: {i}\n" for i in range(20_000)),
    "comment": "# " + "x" * 250_000 + "\n",
}


@pytest.mark.parametrize("name", list(HOSTILE_NARRATIVES))
def test_one_hostile_narrative_costs_the_check_seconds_at_most(reports, name, capsys):
    path = write_report(reports, report_data(), narrative=HOSTILE_NARRATIVES[name])
    started = time.perf_counter()
    code = main(["check", str(reports)])
    assert time.perf_counter() - started < 5, name
    assert code in (0, 1) and "Traceback" not in capsys.readouterr().err
    assert path.with_suffix(".md").stat().st_size < 600_000


@pytest.mark.parametrize("name", list(HOSTILE_YAML))
def test_one_hostile_yaml_file_costs_the_check_seconds_at_most(reports, name, capsys):
    path = write_report(reports, report_data())
    path.write_text(HOSTILE_YAML[name], encoding="utf-8")
    started = time.perf_counter()
    code = main(["check", str(reports)])
    assert time.perf_counter() - started < 5, name
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.err and "2022.yml" in out.out


def test_fmt_of_a_hostile_yaml_file_is_a_message(reports, capsys):
    path = write_report(reports, report_data())
    for text in HOSTILE_YAML.values():
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        assert main(["fmt", str(path)]) == 1
        assert time.perf_counter() - started < 5
    assert "Traceback" not in capsys.readouterr().err
