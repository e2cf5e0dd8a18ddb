"""The three statutory tables as HTML, in the official layout of the report's edition.

The layout (merged header cells, group rows spanning their sub-rows, the 勾稽 note in the corner)
is computed from the edition spec, then printed by `to_html` (plain string building: a corpus
has millions of cells, and a template engine costs several times more per cell). Cells are printed
exactly as published: a blank cell stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

from ..core.model import Cell, Problem, Report
from ..core.spec import Block, Node, Table

LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class HCell:
    text: str
    tag: str = "td"
    colspan: int = 1
    rowspan: int = 1
    scope: str | None = None
    id: str | None = None
    headers: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    title: str | None = None


@dataclass
class Layout:
    id: str
    caption: str
    head: list[list[HCell]]
    bodies: list[list[list[HCell]]]
    classes: str


def render_table(report: Report, tid: str, problems: list[Problem] = (), cell=None) -> str:
    """`cell(cell, headers, flags, colspan)` writes a data cell (the 填报 form's are inputs)."""
    table = report.edition.tables[tid]
    flags = cell_flags(report, tid, problems)
    if table.kind == "blocks":
        layout = blocks_layout(report, table, flags, cell or data_cell)
    else:
        layout = grid_layout(report, table, flags, cell or data_cell)
    # The legend explains the marks data_cell prints; a caller writing its own cells has none of them.
    return (legend(report, tid, flags) if cell is None else "") + to_html(layout)


BLANK_MARK = '<span class="nb-mark">空白</span>'


def legend(report: Report, tid: str, flags: dict) -> str:
    """What the marks in this table mean, above it, for the marks it has: a reader on a phone
    has no tooltip to hover."""
    cells = [c for cells in report.tables.get(tid, {}).values() for c in cells]
    states = {flag_state(found) for found in ([p for p in f if p.rule != "BLANK"] for f in flags.values()) if found}
    items = []
    if any(c.blank for c in cells):
        items.append(f"{BLANK_MARK} 原文该格空白（不是 0，合计时不计入）")
    if any(c.uncertain for c in cells):
        items.append(f"？ {UNCERTAIN_TITLE}")
    if "error" in states or "warning" in states:
        items.append('<span class="nb-flag-mark nb-flag-mark-open">!</span> 核验发现问题，点击该格的标记查看说明')
    if "ack" in states:
        items.append('<span class="nb-flag-mark nb-flag-mark-ack">✓</span> 原文如此，编辑已与原文核对并确认')
    if not items:
        return ""
    return f'<p class="nb-legend">表中标记：{"；".join(items)}。</p>\n'


def flag_state(found: list[Problem]) -> str:
    worst = min(found, key=lambda p: LEVEL_RANK[p.level])
    return "ack" if all(p.acknowledged is not None for p in found) else worst.level


def problem_anchor(problem: Problem) -> str:
    """The id of a problem's line in the 数据核验 panel (pages.check_panel), by where it points."""
    kind = "md" if problem.path.endswith(".md") else "yml"
    return f"p-{kind}-{problem.line}-{problem.col}"


def cell_html(c: HCell | str) -> str:
    if isinstance(c, str):  # a data cell, already written
        return c
    attrs = []
    if c.colspan > 1:
        attrs.append(f' colspan="{c.colspan}"')
    if c.rowspan > 1:
        attrs.append(f' rowspan="{c.rowspan}"')
    if c.scope:
        attrs.append(f' scope="{c.scope}"')
    if c.id:
        attrs.append(f' id="{c.id}"')
    if c.headers:
        attrs.append(f' headers="{" ".join(c.headers)}"')
    if c.classes:
        attrs.append(f' class="{" ".join(c.classes)}"')
    if c.title:
        attrs.append(f' title="{escape(c.title)}"')
    return f"<{c.tag}{''.join(attrs)}>{escape(c.text)}</{c.tag}>"


def to_html(t: Layout) -> str:
    caption = escape(t.caption)
    out = [f'<div class="nb-table-scroll" role="region" aria-label="{caption}" tabindex="0">',
           f'<table class="nb-table {t.classes}" id="table-{t.id}">', f"<caption>{caption}</caption>"]
    if t.head:
        out.append("<thead>")
        out += ["<tr>" + "".join(map(cell_html, row)) + "</tr>" for row in t.head]
        out.append("</thead>")
    for body in t.bodies:
        out.append("<tbody>")
        out += ["<tr>" + "".join(map(cell_html, row)) + "</tr>" for row in body]
        out.append("</tbody>")
    out += ["</table>", "</div>"]
    return "\n".join(out)


def cell_flags(report: Report, tid: str, problems) -> dict[tuple[int, int], list[Problem]]:
    """Problems keyed by the position of the cell they point at (rules locate cells by line:col)."""
    positions = {(c.line, c.col) for cells in report.tables.get(tid, {}).values() for c in cells}
    flags: dict[tuple[int, int], list[Problem]] = {}
    for problem in problems:
        if problem.path == report.path and (problem.line, problem.col) in positions:
            flags.setdefault((problem.line, problem.col), []).append(problem)
    return flags


def data_cell(cell: Cell, headers: list[str], flags: dict, colspan: int = 1) -> str:
    """A data cell's HTML, written directly: a corpus has millions of them."""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    head = " ".join(headers)
    found = [p for p in flags.get((cell.line, cell.col), ()) if p.rule != "BLANK"]
    if not found:
        if cell.blank:
            return f'<td{span} headers="{head}" class="nb-num nb-blank" title="原文空白">{BLANK_MARK}</td>'
        if not cell.text and cell.uncertain:
            return f'<td{span} headers="{head}" class="nb-num nb-uncertain" title="{UNCERTAIN_TITLE}">？</td>'
        return f'<td{span} headers="{head}" class="nb-num">{escape(cell.text)}</td>'
    state = flag_state(found)
    blank = " nb-blank" if cell.blank else " nb-uncertain" if cell.uncertain else ""
    title = escape("；".join(p.message for p in found))
    shown = BLANK_MARK if cell.blank else "？" if cell.uncertain else escape(cell.text)
    # The mark links to the problem's line in 数据核验, which links back here (id cell-…).
    mark = "✓" if state == "ack" else "!"
    kind = "ack" if state == "ack" else "open"
    label = "已确认的问题" if state == "ack" else "核验发现的问题"
    return (f'<td{span} headers="{head}" class="nb-num{blank} nb-flag nb-flag-{state}" title="{title}" '
            f'id="cell-{cell.line}-{cell.col}">{shown}'
            f'<a class="nb-flag-mark nb-flag-mark-{kind}" href="#{problem_anchor(found[0])}" '
            f'aria-label="{label}：{title}">{mark}</a></td>')


# An importer's unconfirmed cell (model.Uncertain) is never a blank; rule UNCERTAIN stops a build
# that meets one, so this shows only where the tables are drawn outside a build.
UNCERTAIN_TITLE = "导入时未能确定，尚待对照原文核对"


# -- blocks (table 二) ----------------------------------------------------------------------

def blocks_layout(report: Report, table: Table, flags: dict, write=data_cell) -> Layout:
    width = 1 + max(len(b.columns) for b in table.blocks)
    bodies = [block_rows(report, table, i, block, width, flags, write) for i, block in enumerate(table.blocks)]
    return Layout(table.id, table.title, [], bodies, "nb-blocks")


def block_rows(report: Report, table: Table, i: int, block: Block, width: int, flags: dict, write=data_cell):
    bid = f"{table.id}-b{i}"
    fill = width - len(block.columns)
    rows = [[HCell(block.title, "th", colspan=width, scope="colgroup", id=bid, classes=["nb-block"])]]
    head = [HCell("信息内容", "th", scope="col", id=f"{bid}-label")]
    for j, col in enumerate(block.columns):
        printed = printed_header(report, table, block, col.id) or col.label
        cell = HCell(printed, "th", scope="col", id=f"{bid}-{col.id}", headers=[bid],
                     colspan=fill if j == len(block.columns) - 1 else 1)
        if printed != col.label:
            cell.classes.append("nb-retitled")
            cell.title = f"原文表头；格式为“{col.label}”"
        head.append(cell)
    rows.append(head)
    for row in block.rows:
        rid = f"{table.id}-r-{row.id}"
        line = [HCell(row.label, "th", scope="row", id=rid, headers=[bid])]
        cells = report.tables[table.id].get(row.id, [])
        for j, (col, value) in enumerate(zip(block.columns, cells)):
            span = fill if j == len(block.columns) - 1 else 1
            line.append(write(value, [bid, f"{bid}-{col.id}", rid], flags, span))
        rows.append(line)
    return rows


def printed_header(report: Report, table: Table, block: Block, column_id: str) -> str | None:
    for row in block.rows:
        text = report.headers.get(f"{table.id}.{row.id}.{column_id}")
        if text:
            return text
    return None


# -- grids (tables 三 and 四) ----------------------------------------------------------------

def depth(nodes: list[Node]) -> int:
    return max((1 + depth(n.children) for n in nodes), default=0)


def effective_rows(table: Table, present) -> list[Node]:
    """The row tree as this report prints it: an alternative single row replaces its group."""

    def swap(nodes: list[Node]) -> list[Node]:
        out = []
        for node in nodes:
            if node.alt is not None and node.alt.id in present:
                out.append(Node(node.alt.label, leaf=node.alt))
            else:
                out.append(Node(node.label, swap(node.children), node.leaf))
        return out

    return swap(table.row_tree)


def grid_layout(report: Report, table: Table, flags: dict, write=data_cell) -> Layout:
    tid = table.id
    head_depth = depth(table.header)
    row_tree = effective_rows(table, report.tables[tid])
    row_depth = depth(row_tree) if table.row_labels else 0
    head: list[list[HCell]] = [[] for _ in range(head_depth)]
    if row_depth:
        head[0].append(HCell(table.corner or "", colspan=row_depth, rowspan=head_depth, classes=["nb-corner"]))
    column_headers: dict[str, list[str]] = {}
    counter = iter(range(1000))

    def place(nodes: list[Node], level: int, parents: list[str]) -> None:
        for node in nodes:
            span = len(node.leaves())
            if node.leaf is not None:
                hid = f"{tid}-c-{node.leaf.id}"
                head[level].append(HCell(node.label, "th", colspan=1, rowspan=head_depth - level,
                                         scope="col", id=hid, headers=list(parents)))
                column_headers[node.leaf.id] = parents + [hid]
            else:
                hid = f"{tid}-g{next(counter)}"
                head[level].append(HCell(node.label, "th", colspan=span, scope="colgroup", id=hid,
                                         headers=list(parents)))
                place(node.children, level + 1, parents + [hid])

    place(table.header, 0, [])
    columns = [leaf for node in table.header for leaf in node.leaves()]
    body: list[list[HCell]] = []

    def rows(nodes: list[Node], level: int, pending: list[HCell], parents: list[str]) -> None:
        for node in nodes:
            if node.leaf is None:
                hid = f"{tid}-rg{next(counter)}"
                group = HCell(node.label, "th", rowspan=len(node.leaves()), scope="rowgroup", id=hid)
                rows(node.children, level + 1, pending + [group], parents + [hid])
                pending = []
                continue
            line = list(pending)
            pending = []
            ids = list(parents)
            if row_depth:
                rid = f"{tid}-r-{node.leaf.id}"
                line.append(HCell(node.label, "th", colspan=row_depth - level, scope="row", id=rid))
                ids.append(rid)
            for col, value in zip(columns, report.tables[tid].get(node.leaf.id, [])):
                line.append(write(value, column_headers[col.id] + ids, flags))
            body.append(line)

    rows(row_tree, 0, [], [])
    return Layout(tid, table.title, head, [body], "nb-grid")

