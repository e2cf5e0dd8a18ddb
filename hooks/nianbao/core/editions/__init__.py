"""The national report formats, each described once as data in a YAML file beside this module.

Adding an edition means adding one `<id>.yml` here: loading, checking, rendering, import and
export all read the Edition objects built from these files.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import yaml

from ..spec import Block, Column, Edition, Node, Row, Table

HERE = Path(__file__).parent


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
