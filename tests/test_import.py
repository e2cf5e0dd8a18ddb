"""`nianbao import`: published reports to drafts, every cell right or flagged, nothing invented."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from nianbao.data import export
from nianbao.core import located
from nianbao.core.check import check_path
from nianbao.cli import main
from nianbao.editing.importer import NotAReport, import_report, solver
from nianbao.site.render import render_table

from conftest import FIXTURES, REPO

SAMPLES = FIXTURES / "samples"  # copies of shared/samples: real published reports, hand-checked cells
CASES = [("luoyuan-songshan-2019", "luoyuan-songshan", 2019), ("pingtan-2019", "pingtan", 2019),
         ("pingtan-2021", "pingtan", 2021), ("huaian-shizhengfu-2024", "huaian", 2024)]
NAMES = {"luoyuan-songshan": "罗源县松山镇人民政府", "pingtan": "平潭综合实验区管理委员会", "huaian": "淮安市人民政府"}


def imported(tmp_path, name, slug, year):
    reports = tmp_path / "reports"
    result = import_report(SAMPLES / f"{name}.txt", reports, slug, year, name=NAMES[slug], region="某省/某市")
    report = next(r for r in check_path(reports).corpus.reports if r.agency == slug and r.year == year)
    return result, report


def same_tables_as_seed(imported_yml):
    hand = located.parse((REPO / "reports/luoyuan-songshan/2019.yml").read_text(encoding="utf-8")).value
    new = located.parse(imported_yml.read_text(encoding="utf-8")).value
    assert {t: new[t] for t in ("t2", "t3", "t4")} == {t: hand[t] for t in ("t2", "t3", "t4")}
    return new


def test_seed_imports_to_exactly_the_hand_entered_report(tmp_path):
    result, report = imported(tmp_path, "luoyuan-songshan-2019", "luoyuan-songshan", 2019)
    assert result.counts == {"certain": 198, "solved": 0, "uncertain": 0}
    hand = located.parse((REPO / "reports/luoyuan-songshan/2019.yml").read_text(encoding="utf-8")).value
    new = located.parse((tmp_path / "reports/luoyuan-songshan/2019.yml").read_text(encoding="utf-8")).value
    for tid in ("t2", "t3", "t4"):
        assert new[tid] == hand[tid], tid
    assert new["headers"] == hand["headers"]
    assert (new["title"], new["published"], new["edition"]) == (hand["title"], hand["published"], hand["edition"])
    hand_md = (REPO / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    new_md = (tmp_path / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    assert new_md.split("\n## ") == hand_md.split("\n## ")  # section by section


@pytest.mark.parametrize("name,slug,year", CASES)
def test_every_sample_cell_is_right_or_flagged(tmp_path, name, slug, year):
    result, report = imported(tmp_path, name, slug, year)
    expected = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    flagged = {u.split("：")[0] for u in result.uncertain}
    wrong, right = [], 0
    for table, row, col, cell in report.cells():
        tid, key = table.id, f"{table.id}.{row}.{col.id}"
        want = expected["t4"][col.id] if tid == "t4" else expected[tid][row][col.id]
        if key in flagged:
            # left for the editor, never guessed, and never a blank: what was read stays with it
            assert cell.uncertain and not cell.blank and cell.value.read
            continue
        got = None if cell.blank else cell.text
        if got != (None if want is None else str(want)):
            wrong.append((key, want, got))
        right += 1
    assert wrong == []
    assert right + len(flagged) == sum(result.counts.values())
    assert expected["edition"] == result.edition
    assert len([r for r in report.tables["t3"] if r.startswith("other")]) == expected["t3_other_rows"]


def test_concatenated_digits_are_split_by_the_identities_or_left_uncertain():
    options, holds = solver.candidates(["230", "000023"], 7, [([0, 1, 2, 3, 4, 5], 6)])
    assert holds and ("23", "0", "0", "0", "0", "0", "23") in options
    values, uncertain = solver.agree(solver.candidates(["898989"], 3, [])[0], 3)
    assert values == [None, None, None] and uncertain == {0, 1, 2}  # no identity decides 89|89|89
    values, uncertain = solver.agree(solver.candidates(["000000000000000"], 15, [])[0], 15)
    assert values == ["0"] * 15 and not uncertain


def test_uncertain_cells_are_marked_and_listed(tmp_path, capsys):
    code = main(["import", str(SAMPLES / "pingtan-2021.txt"), "--agency", "pingtan", "--year", "2021",
                 "--name", "平潭综合实验区管理委员会", "--region", "福建省/平潭综合实验区", "--reports",
                 str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 0
    assert "格式 gov-2021；单元格：4 个直接读出，193 个按勾稽关系拆分确定，3 个不确定" in out
    assert "不确定 t2.normative_documents.in_force：原文为“693665”" in out
    line = next(row for row in (tmp_path / "reports/pingtan/2021.yml").read_text(encoding="utf-8").splitlines()
                if row.strip().startswith("normative_documents:"))
    assert line.split(":", 1)[1].split() == ['[{uncertain:', '"693665"},', '{uncertain:', '"693665"},',
                                             '{uncertain:', '"693665"}]']
    yml = (tmp_path / "reports/pingtan/2021.yml").read_text(encoding="utf-8")
    assert "source_url: \"https://www.pingtan.gov.cn/" in yml and "published: 2022-02-08" in yml


def test_saved_html_page_with_merged_cells_and_site_chrome(tmp_path):
    result = check_path(REPO / "reports", only={"luoyuan-songshan"})
    seed = next(r for r in result.corpus.reports if r.agency == "luoyuan-songshan")
    narrative = (REPO / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    parts = []
    for block in narrative.split("\n\n"):
        text = block.lstrip("# ").strip()
        parts.append(f"<p>{text}</p>")
        for no, tid in (("二、", "t2"), ("三、", "t3"), ("四、", "t4")):
            if text.startswith(no):
                table = render_table(seed, tid).replace('title="原文空白"><span class="nb-mark">空白</span></td>',
                                                        'title="原文空白">&nbsp;</td>')
                table = table[table.index("<div"):]  # as published: no legend
                parts.append(table)
    html = ("<html><head><title>罗源县松山镇2019年政府信息公开工作年度报告</title></head><body>"
            "<div class='nav'><a href='/'>首页</a><a href='/x'>政务公开</a></div>"
            "<div class='content'><h1>罗源县松山镇2019年政府信息公开工作年度报告</h1>"
            "<p>发布时间：2020-01-08 08:57　来源：罗源县</p>" + "".join(parts) + "</div>"
            "<div class='footer'>主办单位：罗源县人民政府办公室</div></body></html>")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    imported_result = import_report(page, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                                    region="福建省/福州市/罗源县")
    assert imported_result.counts["uncertain"] == 0
    new = same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
    assert new["published"] == "2020-01-08"
    md = (tmp_path / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    assert "主办单位" not in md and "## 五、存在的主要问题及改进情况" in md


def test_not_a_report_is_refused_with_what_was_missing(tmp_path, capsys):
    page = tmp_path / "notice.txt"
    page.write_text("关于开展政务公开培训的通知\n\n各单位：定于下周举办培训。\n", encoding="utf-8")
    code = main(["import", str(page), "--agency", "x-town", "--year", "2022", "--name", "某镇人民政府",
                 "--region", "某省", "--reports", str(tmp_path / "reports")])
    assert code == 1
    assert "没有找到第二部分、第三部分、第四部分" in capsys.readouterr().err
    assert not (tmp_path / "reports" / "x-town" / "2022.yml").exists()


def test_refuses_to_overwrite_unless_forced(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(REPO / "reports", reports)
    before = (reports / "luoyuan-songshan/2019.yml").read_bytes()
    with pytest.raises(NotAReport, match="已存在"):
        import_report(SAMPLES / "luoyuan-songshan-2019.txt", reports, "luoyuan-songshan", 2019)
    assert (reports / "luoyuan-songshan/2019.yml").read_bytes() == before
    import_report(SAMPLES / "luoyuan-songshan-2019.txt", reports, "luoyuan-songshan", 2019, force=True)
    assert not list(reports.rglob(".*.tmp"))


def test_misprinted_and_varied_labels_are_matched(tmp_path):
    text = (SAMPLES / "luoyuan-songshan-2019.txt").read_text(encoding="utf-8")
    text = text.replace("2.其他法律行政法规禁止公开", "2、其他法律行政止公开")
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况")
    text = text.replace("3.危及“三安全一稳定”", "3．危及\"三安全一稳定\"")
    source = tmp_path / "varied.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                           region="福建省/福州市/罗源县")
    assert result.counts["uncertain"] == 0
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")


def test_pdf_file_with_radical_forms_imports(tmp_path):
    """A real PDF (made here by Chromium from the 淮安 text): pdfplumber's text carries radical
    forms (⼀ for 一) as many generators emit; every cell still comes out right."""
    import html

    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM, FLAGS

    text = (SAMPLES / "huaian-shizhengfu-2024.txt").read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.set_content(f"<pre style='font-size:10pt'>{html.escape(text)}</pre>")
        page.pdf(path=str(tmp_path / "huaian.pdf"))
        browser.close()
    result = import_report(tmp_path / "huaian.pdf", tmp_path / "reports", "huaian", 2024, name="淮安市人民政府",
                           region="江苏省/淮安市")
    assert result.counts == {"certain": 200, "solved": 0, "uncertain": 0}
    expected = json.loads((SAMPLES / "huaian-shizhengfu-2024.json").read_text(encoding="utf-8"))
    report = check_path(tmp_path / "reports").corpus.reports[0]
    for tid, row, col, cell in export.cells(report):
        want = expected["t4"][col.id] if tid == "t4" else expected[tid][row][col.id]
        assert cell.text == str(want), (tid, row, col.id)


def html_table_into_docx(document, html: str) -> None:
    """Our rendering of the official layout (rowspan/colspan) as a Word table whose merged cells
    are Word's own (gridSpan across, vMerge down), made with python-docx."""
    from bs4 import BeautifulSoup

    table = BeautifulSoup(html, "html.parser").find("table")
    taken, spans = set(), []
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for cell in tr.find_all(["th", "td"]):
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            spans.append((r, c, rs, cs, cell.get_text(" ", strip=True)))
            c += cs
    rows, columns = max(r for r, _ in taken) + 1, max(c for _, c in taken) + 1
    word = document.add_table(rows=rows, cols=columns)
    for r, c, rs, cs, text in spans:
        cell = word.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(word.cell(r + rs - 1, c + cs - 1))
        cell.text = text


def seed_as_docx(path, pad: bool = False) -> None:
    import docx

    seed = next(r for r in check_path(REPO / "reports", only={"luoyuan-songshan"}).corpus.reports)
    narrative = (REPO / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    document = docx.Document()
    document.add_heading("罗源县松山镇2019年政府信息公开工作年度报告", level=1)
    document.add_paragraph("发布时间：2020-01-08")
    for block in narrative.split("\n\n"):
        text = block.lstrip("# ").strip()
        level = len(block) - len(block.lstrip("#"))
        document.add_heading(text, level=min(level, 3)) if level else document.add_paragraph(text)
        for no, tid in (("二、", "t2"), ("三、", "t3"), ("四、", "t4")):
            if text.startswith(no):
                # As published: a blank cell empty (the site's 空白 mark is the site's), no legend.
                html = render_table(seed, tid).replace('<span class="nb-mark">空白</span>', "")
                html = html[html.index("<div"):]
                if pad:  # numbers as people type them in Word: padded with spaces
                    html = html.replace('class="nb-num">', 'class="nb-num">  ')
                html_table_into_docx(document, html)
    document.save(str(path))


def test_word_document_with_merged_cells_imports_cell_for_cell(tmp_path):
    import docx

    source = tmp_path / "松山镇2019年报.docx"
    seed_as_docx(source, pad=True)
    merged = [c for t in docx.Document(str(source)).tables for c in t._tbl.iter()
              if c.tag.endswith(("}gridSpan", "}vMerge"))]
    assert len(merged) > 30  # the three tables really carry Word's merges
    result = import_report(source, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                           region="福建省/福州市/罗源县")
    assert result.counts == {"certain": 198, "solved": 0, "uncertain": 0}
    new = same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
    assert new["published"] == "2020-01-08" and new["title"] == "罗源县松山镇2019年政府信息公开工作年度报告"
    md = (tmp_path / "reports/luoyuan-songshan/2019.md").read_text(encoding="utf-8")
    assert "## 五、存在的主要问题及改进情况" in md and "我镇主动公开政府信息16条" in md


@pytest.mark.parametrize("name, head, message", [
    ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Word 97–2003 文档（.doc）"),
    ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "WPS 文字文档（.wps）"),
    ("report.docx", b"plain text, not a document", "内容不是 Word 文档"),
    ("archive.docx", b"PK\x03\x04" + b"\0" * 64, "不是有效的 Word 文档"),
])
def test_other_files_say_what_they_are_and_what_to_do(tmp_path, monkeypatch, name, head, message):
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice here
    path = tmp_path / name
    path.write_bytes(head)
    with pytest.raises(NotAReport, match=message) as raised:
        import_report(path, tmp_path / "reports", "x-town", 2022, name="某镇人民政府", region="某省")
    assert "编码" not in str(raised.value)


def test_old_word_files_are_converted_with_libreoffice_when_it_is_installed(tmp_path, monkeypatch):
    """A stand-in `soffice` on PATH, called as LibreOffice is (--headless --convert-to docx
    --outdir DIR FILE), writes the converted document where LibreOffice would."""
    converted = tmp_path / "converted.docx"
    seed_as_docx(converted)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text("#!/bin/sh\n# args: --headless --convert-to docx --outdir DIR FILE\n"
                       f'name=$(basename "$6" .doc)\ncp "{converted}" "$5/$name.docx"\n', encoding="utf-8")
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    old = tmp_path / "松山镇2019.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    result = import_report(old, tmp_path / "reports", "luoyuan-songshan", 2019, name="罗源县松山镇人民政府",
                           region="福建省/福州市/罗源县")
    assert result.counts == {"certain": 198, "solved": 0, "uncertain": 0}
    same_tables_as_seed(tmp_path / "reports/luoyuan-songshan/2019.yml")
