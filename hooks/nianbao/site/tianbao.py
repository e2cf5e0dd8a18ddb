"""The 填报 page: fill in, check and hand in a report with nothing installed.

One page for the whole site (nothing per report). Its form is made here from the edition specs
with the report page's own table layout (render.py: the same header tree, merged headers, row
labels and ids), each data cell an input. The checking, importing and file writing run in the
browser with the package's own Python (editing/browser.py, shipped by scale/engine.py); the page's
script (docs/javascripts/tianbao.js) only moves text between the form and that Python.
"""

from __future__ import annotations

import functools
import json
import re

from markupsafe import escape

from ..core import editions, sums
from ..core.model import Cell, Report
from ..core.rules import RULES
from .render import render_table
from .urls import Blocks, Page, SiteInfo, md_link

TIANBAO_PAGE = "tianbao.md"
META_FIELDS = [("title", "标题", "text"), ("published", "发布日期", "date"), ("source_url", "来源链接", "url"),
               ("index_no", "索引号", "text"), ("doc_no", "文号", "text")]


def tianbao_page(site: SiteInfo | None = None) -> Page:
    site = site or SiteInfo()
    blocks = Blocks()
    token = blocks.add(functools.partial(form_html, site.repo))
    text = "\n".join([
        # The form's tables need the page's whole width: no navigation or contents column beside them.
        "---", "title: 填写、检查和提交报告", "hide:", "  - navigation", "  - toc", "---", "",
        "# 填写、检查和提交报告", "",
        "在浏览器中按原文填写本机构的年度报告：统计表逐格填写或从 Word、Excel 粘贴，也可以粘贴报告全文自动识别。"
        "填写时按与报告仓库的检查（`nianbao check`）相同的规则逐项核验，问题显示在相应单元格旁。填好后下载文件，"
        f"提交到报告仓库（见{md_link('编辑指南', TIANBAO_PAGE, 'guide.md')}）。草稿保存在本浏览器中，不会上传到任何地方。", "",
        token, ""])
    return Page(TIANBAO_PAGE, text, in_nav=False, blocks=blocks)


def blank_report(edition) -> tuple[Report, dict[tuple[int, int], tuple[str, str, int]]]:
    """A report of empty cells, and where each cell is: (line, col) -> (table, row, column index)."""
    tables, where = {}, {}
    line = 0
    for tid, table in edition.tables.items():
        rows = {}
        for row in table.rows:
            line += 1
            rows[row.id] = [Cell(None, "", line, i + 1) for i in range(len(table.columns_of(row.id)))]
            for i in range(len(rows[row.id])):
                where[(line, i + 1)] = (tid, row.id, i)
        tables[tid] = rows
    report = Report(agency="", year=edition.first_year, edition=edition, path="", md_path="", meta={},
                    tables=tables, headers={}, acknowledged={}, marks={})
    return report, where


def input_cell(where: dict, edition):
    edition_id = edition.id

    def cell(value: Cell, headers: list[str], flags: dict, colspan: int = 1) -> str:
        tid, row, i = where[(value.line, value.col)]
        column = edition.tables[tid].columns_of(row)[i].id  # the published data.json names cells so
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        name = f"{tid}.{row}.{i}"
        labels = " ".join(f"{edition_id}-{h}" for h in reversed(headers))
        return (f'<td{span} headers="{" ".join(headers)}" class="nb-num nb-in" data-cell="{name}">'
                f'<input inputmode="numeric" autocomplete="off" data-cell="{name}" data-col="{column}" '
                f'aria-labelledby="{labels}" id="in-{edition_id}-{tid}-{row}-{i}"></td>')
    return cell


@functools.cache
def edition_form(edition_id: str) -> str:
    edition = editions.get(edition_id)
    report, where = blank_report(edition)
    last = edition.last_year or ""
    # The table arithmetic as data (core/sums.py): the page checks it at once, before its engine loads.
    arithmetic = [dict(rel, level=RULES[rel["rule"]].level) for rel in sums.as_data(edition)]
    parts = [f'<section class="nb-tb-edition" data-edition="{edition_id}" data-first="{edition.first_year}" '
             f'data-last="{last}" data-sums="{escape(json.dumps(arithmetic, ensure_ascii=False))}" '
             f'data-carry="{escape(json.dumps(carries(edition)))}" hidden>']
    for tid, table in edition.tables.items():
        # The table's caption is for screen readers; sighted editors need the title too.
        parts.append(f'<h3 class="nb-tb-table-title" aria-hidden="true">{escape(table.title)}</h3>')
        parts.append(own_ids(render_table(report, tid, cell=input_cell(where, edition)), f"{edition_id}-"))
    parts.append("</section>")
    return "\n".join(parts)


# The ids the table renderer wrote (ours, bounded: no editor's text), and the inputs' own ids.
TABLE_IDS = re.compile(r'\b(id|headers)="([^"]*)"')


def own_ids(html: str, prefix: str) -> str:
    """Every edition's form is on the page, drawn by the same renderer: its tables' ids and the
    headers naming them get the edition as a prefix, so an input's name is read from its own table."""
    def renamed(match: re.Match) -> str:
        if match.group(2).startswith("in-"):
            return match.group(0)
        return f'{match.group(1)}="{" ".join(prefix + i for i in match.group(2).split())}"'
    return TABLE_IDS.sub(renamed, html)


def carries(edition) -> list[dict]:
    """The rows a report carries over from the year before (the spec's `carry`, as XY-CARRY reads it)."""
    return [{"table": tid, "from": table.carry["from"], "to": table.carry["to"]}
            for tid, table in edition.tables.items() if table.carry]


def form_html(repo: str | None) -> str:
    ids = sorted(editions.all_editions())
    # A blank narrative is shown as the edition's template, section by section (tianbao-narrative.js).
    templates = {e: editions.get(e).narrative_template() for e in ids}
    config = json.dumps({"repo": repo or "", "templates": templates}, ensure_ascii=False)
    meta = "".join(f'<label>{escape(label)}<input name="{key}" type="{kind}" autocomplete="off"></label>'
                   for key, label, kind in META_FIELDS)
    return "\n".join([
        f'<div id="nb-tb" data-config="{escape(config)}">',
        '<p id="nb-tb-status" class="nb-tb-status" role="status">正在加载检查引擎（首次约需数秒）……表格可以先填写，表内的求和与勾稽关系已在核验。</p>',
        '<p id="nb-tb-draft-note" class="nb-tb-status" role="status"></p>',
        '<fieldset class="nb-tb-agency"><legend>机构与年度</legend>',
        '<label>按名称查找本站已有的机构<input id="nb-tb-find" type="search" autocomplete="off" placeholder="如 松山镇"></label>',
        '<ul id="nb-tb-found" class="nb-tb-found" aria-live="polite"></ul>',
        '<label>机构代码<input name="agency" required pattern="[a-z0-9][a-z0-9-]*" autocomplete="off" '
        'placeholder="如 luoyuan-songshan"></label>',
        '<label>年度<input name="year" type="number" min="2019" max="2100" required></label>',
        '<label>机构全称（新机构填写）<input name="name" autocomplete="off"></label>',
        '<label>所属地区（新机构填写）<input name="region" autocomplete="off" placeholder="如 福建省/福州市/罗源县"></label>',
        '<p id="nb-tb-agency-note" role="status"></p>',
        "</fieldset>",
        # Shown for an agency the site has: its data files are fetched when its code is entered.
        '<fieldset class="nb-tb-start" id="nb-tb-start" hidden><legend>从本站已发布的报告开始</legend>',
        '<p><button type="button" id="nb-tb-from-last" class="md-button">从上一年开始</button> '
        "填入下一年度、标题和从上一年结转的单元格（表三“上年结转”）。</p>",
        '<p><label>已发布的年度<select id="nb-tb-published-year"></select></label> '
        '<button type="button" id="nb-tb-correct" class="md-button">更正已发布的报告</button></p>',
        "</fieldset>",
        f'<fieldset class="nb-tb-meta"><legend>报告信息</legend>{meta}</fieldset>',
        '<details class="nb-tb-paste"><summary>粘贴全文：从报告原文自动填写</summary>',
        '<label for="nb-tb-fulltext">报告全文（从网页或 Word 复制）</label>',
        '<textarea id="nb-tb-fulltext" rows="8"></textarea>',
        '<button type="button" id="nb-tb-import" class="md-button">识别并填入</button>',
        '<p id="nb-tb-import-result" role="status"></p></details>',
        '<h2 id="biaoge">统计表</h2>',
        '<p class="nb-tb-hint">原文空白的单元格保持空白（不要填 0）。可用 Tab、回车和方向键移动；从 Word 或 Excel '
        "复制的一块单元格可以整块粘贴。</p>",
        *[edition_form(e) for e in ids],
        '<h2 id="zhengwen">正文</h2>',
        '<p class="nb-tb-hint">按原文把各部分粘贴在相应标题之下（Markdown 格式，小标题写作 <code>### (一)……</code>）。'
        "表二至表四会自动显示在二、三、四部分之下。</p>",
        '<div id="nb-tb-sections" class="nb-tb-sections"></div>',
        '<details class="nb-tb-full"><summary>正文全文（Markdown）：改动二级标题或整篇粘贴时在这里编辑</summary>',
        '<label for="nb-tb-narrative">正文全文</label>',
        '<textarea id="nb-tb-narrative" rows="16"></textarea></details>',
        '<h2 id="jianyan">核验结果</h2>',
        '<ul id="nb-tb-problems" aria-live="polite" tabindex="-1"></ul>',
        # One form for every problem: the list is redrawn on each check, the reason being typed is not.
        '<div id="nb-tb-ack-form" class="nb-tb-ack-form" hidden>',
        '<p>按原文确认 <code id="nb-tb-ack-rule"></code>：原报告确实如此时，写明原因后确认。确认写入报告文件的 '
        "acknowledged，网站照原文发布这些数字并注明已确认。<strong id=\"nb-tb-ack-scope\"></strong></p>",
        '<label>原因<input id="nb-tb-ack-reason" autocomplete="off" placeholder="如：原文如此，已与原件核对"></label>',
        '<p><button type="button" id="nb-tb-ack-save" class="md-button">确认</button> '
        '<button type="button" id="nb-tb-ack-cancel" class="md-button">取消</button></p>',
        '<p id="nb-tb-ack-said" role="alert"></p></div>',
        '<h3 id="queren">已按原文确认的问题</h3>',
        '<p id="nb-tb-acks-none">无。</p>',
        '<ul id="nb-tb-acks"></ul>',
        '<div id="nb-tb-headers-box" hidden><h3 id="biaotou">按原文记录的表头</h3>',
        '<p>原文的表头与格式不同时（如“2019年项目数量”），按原文记录，网站表二照原文显示。</p>',
        '<ul id="nb-tb-headers"></ul></div>',
        '<h2 id="yulan">预览</h2>',
        '<p><button type="button" id="nb-tb-preview-show" class="md-button">预览报告页</button> '
        "按网站发布时的样式显示标题、正文和三张统计表（含核验标记）。</p>",
        '<div id="nb-tb-preview" class="nb-tb-preview" aria-live="polite"></div>',
        '<h2 id="tijiao">下载与提交</h2>',
        '<p><button type="button" id="nb-tb-download" class="md-button md-button--primary">下载报告文件</button></p>',
        '<p id="nb-tb-files-note" role="status"></p>',
        '<ul id="nb-tb-files"></ul>',
        '<p id="nb-tb-handoff" hidden>下一步：在新窗口打开报告仓库中 <a id="nb-tb-handoff-link" href="#" target="_blank" '
        'rel="noopener">本机构的目录</a>，把刚下载的文件拖进去，按页面提示“提交”（Commit，选择新建分支并发起拉取请求）。'
        "维护者审核通过后，报告即在本站发布。</p>",
        # Apart from the download and asked again: one tap must not wipe an afternoon's work.
        '<p class="nb-tb-discard"><button type="button" id="nb-tb-discard" class="md-button nb-tb-small">放弃草稿</button> '
        "清除本浏览器中保存的全部填写内容。</p>",
        "</div>",
        '<script type="module" src="../javascripts/tianbao.js"></script>',
    ])
