"""The national report formats, each described once as data in a YAML file beside this module.

Adding an edition means adding one `<id>.yml` here: loading, checking, rendering, import and
export all read the Edition objects built from these files. An Edition is stored (pickled) as its
id and found here again by it, so the class lives beside its loader; its tables' nouns are spec.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..spec import Block, Column, Node, Row, Table

HERE = Path(__file__).parent


@dataclass
class Edition:
    id: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    sections: list[dict]
    tables: dict[str, Table]
    limits: dict[str, int] = field(default_factory=dict)  # column kind -> largest plausible value

    def __reduce__(self):
        return edition_named, (self.id,)  # a stored report names its edition, not a copy of the spec

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def narrative_template(self) -> str:
        """The narrative of a new report: the edition's section headings under a note on the preface
        (`nianbao new` writes it; the 填报 page's sections start from it)."""
        parts = ["<!-- 前言：编制依据、统计期限、联系方式等，按原文粘贴。表二至表四会自动显示在相应标题之下。 -->", ""]
        for section in self.sections:
            parts += [f"## {section['num']}、{section['title']}", ""]
        return "\n".join(parts)


def edition_named(edition_id: str) -> Edition:
    return get(edition_id)


@functools.cache
def all_editions() -> dict[str, Edition]:
    editions = {}
    for path in sorted(HERE.glob("*.yml")):
        edition = parse_edition(yaml.safe_load(path.read_text(encoding="utf-8")))
        editions[edition.id] = edition
    return editions


def get(edition_id: str) -> Edition | None:
    return all_editions().get(edition_id)


def for_year(year: int) -> Edition | None:
    for edition in all_editions().values():
        if edition.applies_to(year):
            return edition
    return None


def parse_edition(spec: dict) -> Edition:
    first, last = spec["years"]
    tables = {tid: parse_table(tid, spec[tid]) for tid in ("t2", "t3", "t4")}
    return Edition(
        id=spec["id"],
        name=spec["name"],
        document=spec["document"],
        first_year=first,
        last_year=last,
        sections=spec["sections"],
        tables=tables,
        limits=spec.get("limits", {}),
    )


def parse_table(tid: str, spec: dict) -> Table:
    table = Table(id=tid, kind=spec["kind"], title=spec["title"], corner=spec.get("corner"))
    if table.kind == "blocks":
        table.blocks = [
            Block(
                title=b["title"],
                columns=[Column(c["id"], c["label"], c["kind"]) for c in b["columns"]],
                rows=[Row(r["id"], r["label"]) for r in b["rows"]],
            )
            for b in spec["blocks"]
        ]
    else:
        table.header = name_repeated_columns([parse_header(node, "") for node in spec["header"]])
        table.row_tree = [parse_row_node(node) for node in spec["rows"]]
        table.row_labels = spec.get("row_labels", True)
        table.balance = spec.get("balance")
        table.carry = spec.get("carry")
    return table


def name_repeated_columns(header: list[Node]) -> list[Node]:
    """Give repeated leaf labels (t4's five outcomes, three times) their group as a title."""

    def walk(nodes: list[Node], groups: list[str]) -> None:
        for node in nodes:
            if node.leaf is not None and labels.count(node.leaf.label) > 1:
                node.leaf = replace(node.leaf, title="·".join(groups[-2:] + [node.leaf.label]))
            walk(node.children, groups + [node.label])

    labels = [leaf.label for node in header for leaf in node.leaves()]
    walk(header, [])
    return header


def parse_header(spec: dict, prefix: str) -> Node:
    # t4 column ids are a group prefix plus an outcome suffix (review_ + upheld).
    prefix = spec.get("prefix", prefix)
    if "children" in spec:
        return Node(spec["label"], [parse_header(child, prefix) for child in spec["children"]])
    column_id = spec.get("id") or prefix + spec["suffix"]
    return Node(spec["label"], leaf=Column(column_id, spec["label"], spec["kind"]))


def parse_row_node(spec: dict) -> Node:
    if "children" in spec:
        alt = spec.get("alt")
        return Node(
            spec["label"],
            [parse_row_node(child) for child in spec["children"]],
            alt=Row(alt["id"], alt["label"], alt.get("result", False)) if alt else None,
        )
    return Node(spec["label"], leaf=Row(spec["id"], spec["label"], spec.get("result", False)))
