"""Untrusted narrative Markdown: unsafe HTML and URLs fail `check` at their line and never reach a page."""

from __future__ import annotations

from nianbao.core.check import check_path
from nianbao.core.safety import check_markdown, clean_html

from conftest import report_data, write_report


def located(text):
    return [(p.rule, p.line, p.col) for p in check_markdown(text, "x.md")]


def test_script_tag_fails_at_its_line():
    assert located("正文。\n\n段落<script>alert(1)</script>\n") == [("MD-HTML", 3, 3)]


def test_javascript_link_fails_at_its_line():
    assert located("## 一、总体情况\n\n见[链接](javascript:alert(1))。\n") == [("MD-URL", 3, 7)]


def test_event_handlers_style_iframe_and_data_urls():
    text = ('<span onclick="x()">a</span>\n<p style="color:red">b</p>\n<iframe src="https://x"></iframe>\n'
            '![图](data:image/png;base64,AAAA)\n[x]: vbscript:msgbox\n<JaVaScRiPt:alert(1)>\n'
            '<a href="java&#09;script:alert(1)">c</a>\n')
    assert [r[:2] for r in located(text)] == [
        ("MD-HTML", 1), ("MD-HTML", 2), ("MD-HTML", 3), ("MD-URL", 4), ("MD-URL", 5), ("MD-URL", 6),
        ("MD-HTML", 7)]


def test_plain_report_markup_and_code_are_fine():
    text = ("## 一、总体情况\n\n第<sup>2</sup>项<br>换行，**加粗**，[政府网站](https://www.gov.cn)。\n\n"
            "<table><tr><td colspan=\"2\">表</td></tr></table>\n\n`<script>` 在代码中只是文字。\n\n"
            "```\n<script>alert(1)</script>\n```\n")
    assert located(text) == []


def test_check_reports_unsafe_narrative_and_it_cannot_be_acknowledged(reports):
    data = report_data()
    data["acknowledged"] = [{"rule": "MD-HTML", "reason": "想保留"}]
    write_report(reports, data, narrative="## 一、总体情况\n\n<script>alert(1)</script>\n")
    problems = check_path(reports).problems
    assert ("MD-HTML", 3) in [(p.rule, p.line) for p in problems if p.path.endswith("2022.md")]
    assert any(p.rule == "FMT-VALUE" and "MD-HTML" in p.message for p in problems)


def test_page_cleaner_keeps_tables_and_drops_active_content():
    html = ('<table><tr><th scope="row" id="a">行</th><td headers="a" colspan="2" class="nb-num">1</td></tr>'
            '</table><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">x</a>'
            '<details class="warning" open><summary>s</summary></details>')
    cleaned = clean_html(html)
    assert '<td headers="a" colspan="2" class="nb-num">1</td>' in cleaned
    assert 'scope="row"' in cleaned and "<details" in cleaned
    assert "script" not in cleaned and "javascript" not in cleaned and "onclick" not in cleaned
