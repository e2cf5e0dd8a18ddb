"""The package's shape, read from its source with `ast` (every import, function-local ones too):
no module imports itself back however indirectly, each stage imports only the stages below it
(README.md, 代码地图), and MkDocs is reached only through the thin hook file and scale/."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from conftest import REPO

HOOKS = REPO / "hooks"
# Stage -> the stages its modules may import besides its own. cli.py and __main__.py may import all.
LAYERS = {
    "core": set(),
    "data": {"core"},
    "editing": {"core", "data"},
    "site": {"core", "data"},
    "scale": {"core", "data", "site"},
}
WRAPPERS = {"nianbao.core.parallel", "nianbao.core.checkcache"}  # beside load → schema → rules → check


def module_name(path: Path) -> str:
    parts = list(path.relative_to(HOOKS).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def sources() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((HOOKS / "nianbao").rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Everything `path` imports, as module names: `from .x import y` is x.y where that is a
    module of the package, else x."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[:len(parts) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.update(f"{target}.{a.name}" if f"{target}.{a.name}" in sources() else target for a in node.names)
    return found


@functools.cache
def package_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    return {name: {m for m in imports(path) if m in sources() and m != name} for name, path in sources().items()}


def stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules that lead back to where it started; [] if there is none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return path[path.index(node):] + [node]
        if node not in done:
            for nxt in sorted(graph[node]):
                if found := visit(nxt, path + [node]):
                    return found
            done.add(node)
        return []

    return next((found for start in sorted(graph) if (found := visit(start, []))), [])


def test_no_module_of_the_package_imports_itself_back():
    graph = package_graph()
    assert len(graph) > 50 and "nianbao.editing.importer.word" in graph  # the whole package was read
    # Every import of the package names one of its modules, so no edge is lost to a misread name.
    assert [f"{name} → {m}" for name, path in sources().items() for m in sorted(imports(path))
            if m.split(".")[0] == "nianbao" and m not in sources()] == []
    assert cycle_in(graph) == []
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]  # it finds them


def test_each_stage_imports_only_the_stages_below_it():
    graph = package_graph()
    assert set(LAYERS) == {stage(m) for m in graph if m.count(".") > 1}  # every folder has its rule
    wrong = [f"{module} → {target}" for module, targets in graph.items() for target in sorted(targets)
             if stage(module) in LAYERS and stage(target) not in LAYERS[stage(module)] | {stage(module)}]
    assert wrong == []


def test_core_imports_nothing_of_the_other_stages():
    graph = package_graph()
    assert [f"{m} → {t}" for m in graph if stage(m) == "core" for t in sorted(graph[m]) if stage(t) != "core"] == []


def test_the_check_chain_does_not_import_its_wrappers():
    """The process pool and the check cache wrap the check from beside it; nothing in the chain calls them."""
    graph = package_graph()
    assert [f"{m} → {t}" for m in graph if stage(m) == "core" and m not in WRAPPERS
            for t in sorted(graph[m] & WRAPPERS)] == []


def test_the_hook_file_imports_only_the_adapter():
    assert imports(HOOKS / "nianbao_hooks.py") == {"nianbao.scale.adapter"}


def test_only_scale_knows_mkdocs():
    """Page generation is a plain library: MkDocs' objects stay in scale/ and the hook file."""
    users = [name for name, path in sources().items() if stage(name) != "scale"
             and any(m.split(".")[0] in ("mkdocs", "properdocs") for m in imports(path))]
    assert users == []
