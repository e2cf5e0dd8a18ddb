"""Generated page sources: where the tables go, what the check panel says, rule documentation."""

from __future__ import annotations

import re

from nianbao.core.check import check_path
from nianbao.site.pages import report_page
from nianbao.core.rules import RULES
from nianbao.site.urls import Blocks

from conftest import REPO, report_data, write_report


def page_for(reports, narrative, data=None):
    """The report page's source with its generated blocks filled in."""
    write_report(reports, data or report_data(), narrative=narrative)
    result = check_path(reports)
    report = result.corpus.reports[0]
    blocks = Blocks()
    text = report_page(report, result.corpus.agencies[report.agency], result.by_report[report.key], blocks=blocks)
    for token, maker in blocks.makers.items():
        text = text.replace(token, maker())
    return text


def positions(text, *needles):
    return [text.index(n) for n in needles]


def test_tables_follow_their_section_headings(reports):
    narrative = ("前言。\n\n## 一、总体情况\n\n正文。\n\n## 二、主动公开政府信息情况\n\n"
                 "## 三、收到和处理政府信息公开申请情况\n\n表后说明。\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n"
                 "## 五、存在的主要问题及改进情况\n\n问题。\n")
    text = page_for(reports, narrative)
    order = positions(text, '<h2 id="section-2">二、', 'id="table-t2"', '<h2 id="section-3">三、', 'id="table-t3"',
                      "表后说明", '<h2 id="section-4">四、', 'id="table-t4"', '<h2 id="section-5">五、')
    assert order == sorted(order)


def test_editor_places_a_table_explicitly(reports):
    narrative = ("## 三、收到和处理政府信息公开申请情况\n\n表前说明。\n\n{{ t3 }}\n\n表后说明。\n")
    text = page_for(reports, narrative)
    assert text.count('id="table-t3"') == 1
    assert positions(text, "表前说明", 'id="table-t3"', "表后说明") == sorted(
        positions(text, "表前说明", 'id="table-t3"', "表后说明"))
    assert "{{ t3 }}" not in text


def test_missing_section_headings_are_supplied_in_order(reports):
    text = page_for(reports, "## 一、总体情况\n\n正文。\n\n## 五、存在的主要问题及改进情况\n\n问题。\n")
    order = positions(text, '<h2 id="section-1">一、', '<h2 id="section-2">二、主动公开政府信息情况</h2>',
                      'id="table-t2"', '<h2 id="section-3">三、收到和处理政府信息公开申请情况</h2>',
                      '<h2 id="section-4">四、政府信息公开行政复议、行政诉讼情况</h2>', 'id="table-t4"',
                      '<h2 id="section-5">五、')
    assert order == sorted(order)


def test_check_panel_lists_problems_with_positions(reports):
    data = report_data()
    data["t2"]["coercion"] = [None]
    text = page_for(reports, "## 一、总体情况\n", data)
    panel = text[text.index("## 数据核验"):]
    # For readers: the rule and the cell in words; the editor's file:line:col and rule id collapsed.
    assert "<summary>应填数字的单元格空白或为占位符（警告，1 处）</summary>" in panel
    assert re.search(r"<li id=\"p-yml-\d+-\d+\">“行政强制”的“本年处理决定数量”空白（原文未填数字，不按 0 计算）"
                     r'<details class="nb-editor"><summary>编辑用信息</summary>数据文件 '
                     r"<code>test-town/2022\.yml:\d+:\d+</code>，规则 <code>BLANK</code></details></li>", panel)
    assert "BLANK" not in re.sub(r'<details class="nb-editor">.*?</details>', "", panel)


def test_every_rule_is_documented():
    doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### ([A-Z0-9-]+) \{#([a-z0-9-]+)\}", doc, re.M))
    ids = {rule_id for rule_id, _ in documented}
    assert all(anchor == rule_id.lower() for rule_id, anchor in documented)
    assert set(RULES) <= ids
    for code in ("ACK-UNUSED", "FMT-YAML", "FMT-ENCODING", "FMT-DUPKEY", "FMT-KEY", "FMT-TYPE",
                 "FMT-VALUE", "FMT-ROW", "FMT-COLS", "FMT-PATH", "FMT-MD"):
        assert code in ids
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "hooks" / "nianbao").rglob("*.py"))
    assert set(re.findall(r'"(FMT-[A-Z]+)"', source)) <= ids
