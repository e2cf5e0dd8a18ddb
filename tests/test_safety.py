"""Untrusted narrative Markdown: unsafe HTML and URLs fail `check` at their line and never reach a page.

The check reads the narrative with the parser that renders it and its raw HTML as a browser does:
each attack of the second attack round (issue 26) and variants of its class are located here; the
rendered narrative is compared with what a real browser makes of it in test_attacks_browser.py.
"""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup

from nianbao.core.check import check_path
from nianbao.core.markup import MAX_BYTES, MAX_LINES, plain_text
from nianbao.core.safety import check_markdown, clean_html, url_is_unsafe
from nianbao.site.narrative import blocks

from conftest import report_data, write_report


def located(text):
    return [(p.rule, p.line, p.col) for p in check_markdown(text, "x.md")]


def test_script_tag_fails_at_its_line():
    assert located("正文。\n\n段落<script>alert(1)</script>\n") == [("MD-HTML", 3, 3)]


def test_javascript_link_fails_at_its_destination():
    assert located("## 一、总体情况\n\n见[链接](javascript:alert(1))。\n") == [("MD-URL", 3, 7)]


@pytest.mark.parametrize("text, expected", [
    # Raw HTML: elements and attributes outside the allow-list, wherever the parser finds them.
    ('<span onclick="x()">a</span>\n', [("MD-HTML", 1, 1)]),
    ('前文\n\n<p style="color:red">b</p>\n', [("MD-HTML", 3, 1)]),
    ('<iframe src="https://x"></iframe>\n', [("MD-HTML", 1, 1)]),
    ('> 引文 <b onmouseover=alert(1)>粗</b>\n', [("MD-HTML", 1, 6)]),
    ('- 列表\n  <svg onload=alert(1)>\n', [("MD-HTML", 2, 3)]),
    ('| 表 | 格 |\n|---|---|\n| <img src=x onerror=alert(1)> | 1 |\n', [("MD-HTML", 3, 3)]),
    # Tags a browser reads that CommonMark does not: inside an HTML block they are elements.
    ('<div>\n<meta/@ http-equiv=refresh content=0;url=https://evil.example/>\n</div>\n', [("MD-HTML", 2, 1)]),
    ('<div>\n<script/@ src=../files/2019-x.pdf></script>\n</div>\n', [("MD-HTML", 2, 1)]),
    ('<table>\n<tr><td>1</td></tr><base href=https://evil.example/>\n</table>\n', [("MD-HTML", 2, 20)]),
    # The first round's bypass: a lone backtick before and after no longer hides what lies between.
    ('前文`\n\n<div>\n<meta http-equiv=refresh content="0;url=https://evil.example/">\n</div>\n\n后文`\n',
     [("MD-HTML", 4, 1)]),
    # Links the renderer would refuse, reported where they stand.
    ("见[x](< javascript:alert(1)>)。\n", [("MD-URL", 1, 8)]),
    ("见[x](&#106;avascript:alert(1))。\n", [("MD-URL", 1, 6)]),
    ("见[x](java%73cript:alert(1))。\n", [("MD-URL", 1, 6)]),
    ("> 引文[x][r]\n>\n> [r]: vbscript:msgbox\n", [("MD-URL", 1, 5)]),
    ("<JaVaScRiPt:alert(1)>\n", [("MD-URL", 1, 2)]),
    ('<a href="java&#09;script:alert(1)">c</a>\n', [("MD-HTML", 1, 1)]),
    ('<a href="data:text/html,<script>alert(1)</script>">c</a>\n', [("MD-HTML", 1, 1)]),
    # Images would load from anywhere; a narrative has none.
    ("![图](data:image/png;base64,AAAA)\n", [("MD-HTML", 1, 1)]),
    ("文字 ![图](https://evil.example/pixel.png)\n", [("MD-HTML", 1, 4)]),
    # Names the page itself uses.
    ('<span id="__config">x</span>\n', [("MD-HTML", 1, 1)]),
    ('<div class="md-header">x</div>\n', [("MD-HTML", 1, 1)]),
    ('<span id="section-3">x</span>\n', [("MD-HTML", 1, 1)]),
    ('<td headers="table-t3 x">1</td>\n', [("MD-HTML", 1, 1)]),
    # What would swallow the page after it.
    ("<div>\n<span title='没有结束\n", [("MD-HTML", 2, 1)]),
    ("正文\n\n<!-- 注释没有结束\n\n后文\n", [("MD-HTML", 3, 1)]),
])
def test_each_unsafe_construct_is_located(text, expected):
    assert located(text) == expected


def test_attribute_syntax_is_not_markup_and_needs_no_message():
    # attr_list is not enabled for narratives: `{: …}` is text, shown as written, never an attribute.
    for text in ("## 附件说明 {: id='x\"><meta/@ http-equiv=refresh content=0;url=https://evil.example/><i/@/x=\"' }\n",
                 "段落 {: onmouseover=alert(1) }\n", "## 标题 {: style='position:fixed' }\n",
                 "[x](https://www.gov.cn){: href=javascript:alert(1) }\n"):
        assert located(text) == []


def test_plain_report_markup_and_code_are_fine():
    text = ("## 一、总体情况\n\n第<sup>2</sup>项<br>换行，**加粗**，[政府网站](https://www.gov.cn)。\n\n"
            "<table><tr><td colspan=\"2\">表</td></tr></table>\n\n`<script>` 在代码中只是文字。\n\n"
            "```\n<script>alert(1)</script>\n```\n\n<!-- 编辑说明：按原文粘贴 -->\n\n[邮件](mailto:a@b.cn)、"
            '<span id="fu-1" title="注">注</span>\n')
    assert located(text) == []


def test_an_oversized_narrative_is_one_located_error_and_is_not_parsed():
    assert located("[" * (MAX_BYTES + 1)) == [("FMT-MD", 1, 1)]


@pytest.mark.parametrize("line", ["# 一\n", "段落\n\n", "- 项\n", "> 引\n", "\n"])
def test_a_narrative_of_too_many_lines_is_refused_at_the_first_line_past_the_limit(line):
    # 120,000 one-line headings took the build 27 s: every block costs the page and its contents.
    text = "前言\n" + line * (MAX_LINES // line.count("\n") + 10)
    started = time.process_time()
    assert located(text) == [("FMT-MD", MAX_LINES + 1, 1)]
    assert blocks(text, set())[0][0].html.startswith('<pre class="nb-unparsed">')
    assert time.process_time() - started < 0.5
    assert located("前言\n" * (MAX_LINES - 1) + "结束") == []


def test_unended_link_destinations_are_refused_before_the_parser_reads_them():
    # `](` then no space: the parser reads to the paragraph's end for each one (12 s for this text).
    text = "前言\n\n" + "[a](" * 2_400 + "正文" * 60_000
    started = time.perf_counter()
    [(rule, line, col)] = located(text)  # at the `](` whose reading passes the limit (2 million characters)
    assert (rule, line) == ("FMT-MD", 3) and text.split("\n")[2][col - 1:col + 1] == "](" and col == 3 + 4 * 15
    parts, _ = blocks(text, set())
    assert time.perf_counter() - started < 1
    assert [p.html[:27] for p in parts] == ['<pre class="nb-unparsed">前言']
    # Real links followed by long prose are far from the limit.
    assert located(("见[附件](files/a.pdf)" + "正文" * 1_500 + "\n") * 50) == []


def test_url_disguises_are_seen():
    for url in ("javascript:x", " JAVASCRIPT:x", "java\tscript:x", "jav&#x61;script:x", "%6Aavascript:x",
                "vbscript:x", "data:text/html,x", "\x01javascript:x"):
        assert url_is_unsafe(url), url
    for url in ("https://www.gov.cn/a:b", "mailto:a@b.cn", "tel:123", "../files/2019-x.pdf", "#section-3", "a:b/c"[3:]):
        assert not url_is_unsafe(url), url


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


def test_search_text_is_the_words_the_page_shows():
    text = "## 一、总体情况\n\n见[政府网站](https://www.gov.cn)，<b>加粗</b>。\n\n{{ t3 }}\n\n<table><tr><td>单元格</td></tr></table>\n"
    assert plain_text(text).split("\n") == ["一、总体情况", "见政府网站，加粗。", "单元格"]


@pytest.mark.parametrize("scheme", ["javascript:x", "vbscript:x", "data:text/html,x", "JAVASCRIPT:x", "file:///etc"])
@pytest.mark.parametrize("where", ["", "> ", "- "])
def test_what_the_check_reads_is_what_the_page_parses(scheme, where):
    # A refused destination makes a reference definition for a parser that accepts every link
    # (the one that locates MD-URL) and a paragraph on the page: the HTML in its "title" is on
    # the page, so the check must see it there.
    text = (f"# 一、总体情况\n\n{where}[r]: {scheme} (t <pre class=\"mermaid\" id=\"mermaid\">graph</pre> "
            "<h1>大标题</h1>)\n\n正文。\n")
    problems = located(text)
    assert ("MD-HTML", 3) in {(rule, line) for rule, line, _ in problems}
    page = BeautifulSoup("".join(part.html for part in blocks(text, set())[0]), "html.parser")
    assert page.find("pre") is None and len(page.find_all("h1")) == 1 and page.select(".mermaid") == []
    assert '<pre class="mermaid"' in page.get_text()  # shown as the text it is


def test_narrative_classes_never_reach_the_page():
    # The theme's classes hide (headerlink), move or script (mermaid) what an editor writes.
    text = '正文<span class="headerlink">隐藏的话</span>，<b class="md-typeset__scrollwrap MsoNormal">粗</b>\n'
    page = BeautifulSoup("".join(part.html for part in blocks(text, set())[0]), "html.parser")
    assert "隐藏的话" in page.get_text() and page.select("[class]") == []
    assert [rule for rule, _, _ in located(text)] == ["MD-HTML", "MD-HTML"]
