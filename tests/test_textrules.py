"""TX-NUM, DEADLINE and DUP on small inline reports and on the repo's real reports."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, line_of, report_data, write_report
from nianbao.core.check import check_path
from hypothesis import given, settings, strategies as st
from nianbao.core.textrules import candidate_sentences, keyword_index, statements, table_sum

GOLDEN = Path(__file__).parent / "golden" / "statements.txt"
NARRATIVE = """## 一、总体情况

本年度共收到政府信息公开申请13件，全部按时办结13件，1件结转下年度继续办理。
其中，收到申请5件来自企业。2021年收到申请80件。

## 五、存在的主要问题及改进情况

因政府信息公开申请提起行政复议1件，行政诉讼1件。
"""


def rule_problems(root: Path, rule: str) -> list:
    return [p for p in check_path(root).problems if p.rule == rule]


def test_figures_equal_to_the_table_raise_nothing(reports):
    write_report(reports, report_data(), narrative=NARRATIVE)
    assert rule_problems(reports, "TX-NUM") == []


def test_a_changed_figure_is_flagged_at_its_line_and_column(reports):
    path = write_report(reports, report_data(), narrative=NARRATIVE.replace("申请13件", "申请17件"))
    found = rule_problems(reports, "TX-NUM")
    md = path.with_suffix(".md")
    line = md.read_text(encoding="utf-8").splitlines()[2]
    assert [(p.path, p.line, p.col, p.level) for p in found] == [(str(md), 3, line.index("17") + 1, "warning")]
    assert "正文第 3 行“收到政府信息公开申请17件”（收到申请 17）≠ 表三“一、本年新收政府信息公开申请数量”“总计” 13" \
        == found[0].message


def test_parts_and_other_years_are_not_compared(reports):
    # 其中…5件 and 2021年…80件 differ from the table's 13 but are not its whole or its year.
    write_report(reports, report_data(), narrative=NARRATIVE)
    report = check_path(reports).corpus.reports[0]
    read = [(s.family.id, int(s.value)) for s in statements(report)]
    assert read == [("received", 13), ("handled", 13), ("carried_forward", 1), ("review", 1), ("suits", 1)]


def test_suits_are_compared_with_both_suit_groups(reports):
    data = report_data()
    data["t4"]["cases"][9] = 0  # direct suits' total: 0 + the after-review group's 0 = 0, not 1
    data["t4"]["cases"][5] = 0
    path = write_report(reports, data, narrative=NARRATIVE)
    found = rule_problems(reports, "TX-NUM")
    assert len(found) == 1 and "行政诉讼 1" in found[0].message and found[0].path == str(path.with_suffix(".md"))


def test_a_figure_can_be_acknowledged(reports):
    data = report_data() | {"acknowledged": [{"rule": "TX-NUM", "reason": "原文正文如此，已核对"}]}
    write_report(reports, data, narrative=NARRATIVE.replace("申请13件", "申请17件"))
    result = check_path(reports)
    assert [p.acknowledged for p in result.problems if p.rule == "TX-NUM"] == ["原文正文如此，已核对"]
    assert not result.blocking


def test_late_publication_is_a_warning_on_the_date(reports):
    path = write_report(reports, report_data(year=2022) | {"published": "2023-02-01"})
    found = rule_problems(reports, "DEADLINE")
    assert [(p.line, p.level) for p in found] == [(line_of(path, "published:"), "warning")]
    assert "晚于法定期限 2023-01-31（乡镇，晚 1 天）" in found[0].message


def test_governments_have_until_the_end_of_march(reports):
    agency = {"name": "测试县人民政府", "kind": "人民政府", "region": "测试省/测试市/测试县"}
    write_report(reports, report_data(year=2022) | {"published": "2023-03-31"}, agency=agency)
    assert rule_problems(reports, "DEADLINE") == []


def test_a_missing_date_is_only_a_note(reports):
    write_report(reports, report_data(year=2022) | {"published": None})
    assert [(p.level, p.message) for p in rule_problems(reports, "DEADLINE")] == [
        ("info", "未填发布日期，无法核对是否在 2023-01-31 前发布")]


def long_narrative(year: int, seed: str) -> str:
    body = "。".join(f"{seed}第{i}项工作：{year}年我镇持续完善政府信息公开制度，推进{seed}领域信息发布和政策解读{i}次"
                    for i in range(12))
    return f"## 一、总体情况\n\n{body}。\n\n## 五、存在的主要问题及改进情况\n\n{seed}工作仍有不足。\n"


def test_last_years_narrative_copied_with_new_numbers_is_dup(reports):
    write_report(reports, report_data(year=2021), narrative=long_narrative(2021, "教育"))
    path = write_report(reports, report_data(year=2022), narrative=long_narrative(2022, "教育"))
    found = rule_problems(reports, "DUP")
    assert [(p.path, p.line) for p in found] == [(str(path.with_suffix(".md")), 1)]
    assert "100% 与 2021 年报告相同" in found[0].message


def test_a_new_narrative_is_not_dup(reports):
    write_report(reports, report_data(year=2021), narrative=long_narrative(2021, "教育"))
    write_report(reports, report_data(year=2022), narrative=long_narrative(2022, "卫生健康与医疗保障"))
    assert rule_problems(reports, "DUP") == []


def statement_lines(root: Path) -> list[str]:
    lines = []
    for report in check_path(root).corpus.reports:
        for s in statements(report):
            total = table_sum(report, s.cells)
            verdict = "表格空白，未比较" if total is None else ("一致" if total == s.value else f"不一致（表 {total}）")
            lines.append(f"{report.md_path.split('reports/')[-1]}:{s.line}:{s.col} {s.family.id} "
                         f"{s.value} “{s.text}” {verdict}")
    return lines


def test_every_statement_in_the_repos_reports_is_read_and_judged():
    """The seed and the three imported samples: every figure their narratives state that the
    tables hold (listed by hand in the golden file, with its verdict)."""
    assert statement_lines(REPO / "reports") == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_the_report_page_panel_names_the_narrative_line(reports):
    from nianbao.site.pages import check_panel

    write_report(reports, report_data(), narrative=NARRATIVE.replace("申请13件", "申请17件"))
    result = check_path(reports)
    panel = check_panel(result.by_report[("test-town", 2022)], "test-town/2022.md")
    assert "<summary>正文中的数字与统计表一致" in panel
    assert '<li id="p-md-3-' in panel and "（收到申请 17）≠ 表三" in panel
    assert "正文 <code>test-town/2022.md:3:" in panel and "规则 <code>TX-NUM</code>" in panel



def sentence_around(text: str, at: int) -> tuple[int, int]:
    """The ends of the sentence holding offset `at`, found by looking at every character: cut at
    。；;！？!? or a line break, and no further than 400 characters either side."""
    low, high = max(0, at - 400), min(len(text), at + 400)
    begin = max([i + 1 for i in range(low, at) if text[i] in "。；;！？!?\n"] or [low])
    end = min([i for i in range(at, high) if text[i] in "。；;！？!?\n"] or [high])
    return begin, end


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["行政复议", "收到", "办结", "。", "；", "\n", "!", "共", "12", "件", "x" * 150]),
                max_size=40))
def test_the_sentences_read_for_figures_are_cut_at_their_stops(pieces):
    text = "".join(pieces)
    pattern, by_word = keyword_index()
    expected: dict = {}
    begin = end = -1
    for hit in pattern.finditer(text):
        if hit.start() >= end:  # hits inside one sentence share its ends
            begin, end = sentence_around(text, hit.start())
        for family in by_word[hit.group(0)]:
            expected.setdefault(family, {})[begin] = text[begin:end]
    assert candidate_sentences(text) == expected
