"""One uploaded file costs the import (and the inbox job that runs it on a pull request) bounded
work: a small .docx that unpacks to gigabytes, or a small PDF whose pages share one heavy content
stream, is refused with a message instead of running CI to its timeout (issue 26)."""

from __future__ import annotations

import time
import zipfile
import zlib

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.editing.importer import source
from nianbao.editing.importer.base import NotAReport


def shared_stream_pdf(path, pages: int, ops: int) -> None:
    """`pages` pages that all draw the same compressed stream of `ops` text operations."""
    content = b"BT /F1 8 Tf " + b"".join(b"1 0 0 1 %d %d Tm (1234567) Tj " % (i % 500, i % 700)
                                        for i in range(ops)) + b"ET"
    stream = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /Font << /F1 3 0 R >> >> "
             b"/Contents 4 0 R >>"] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def test_a_pdf_of_too_many_pages_is_refused_before_its_pages_are_read(tmp_path):
    pdf = tmp_path / "report.pdf"
    shared_stream_pdf(pdf, source.MAX_PDF_PAGES + 1, 5_000)
    started = time.process_time()
    with pytest.raises(NotAReport, match=f"有 {source.MAX_PDF_PAGES + 1} 页"):
        source.read_source(pdf)
    assert time.process_time() - started < 5


def test_a_pdf_that_costs_too_much_to_read_is_refused(tmp_path, monkeypatch):
    # 16 KB, 20 pages: 46 s before the budget (the budget is lowered here to keep the test short).
    pdf = tmp_path / "report.pdf"
    shared_stream_pdf(pdf, 20, 5_000)
    monkeypatch.setattr(source, "PDF_SECONDS", 1)
    started = time.process_time()
    with pytest.raises(NotAReport, match="过于复杂"):
        source.read_source(pdf)
    assert time.process_time() - started < 1 + 5  # the budget and at most one page past it


@pytest.mark.parametrize("paragraphs", [1_000_000, 300_000])
def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_opened(tmp_path, paragraphs):
    # 135 KB packed, 34 MB of XML: python-docx took 39 s and 650 MB.
    template = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("x")
    document.save(template)
    bomb = tmp_path / "report.docx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        xml = zin.read("word/document.xml").decode()
        head, tail = xml.split("<w:body>")[0] + "<w:body>", "</w:body></w:document>"
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                z.writestr(item, zin.read(item.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head.encode())
            out.write(("<w:p><w:r><w:t>1</w:t></w:r></w:p>" * paragraphs).encode())
            out.write(tail.encode())
    started = time.process_time()
    with pytest.raises(NotAReport, match="解压后过大"):
        source.read_source(bomb)
    assert time.process_time() - started < 2


def test_an_ordinary_word_file_still_reads(tmp_path):
    document = docx.Document()
    document.add_paragraph("罗源县松山镇2019年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    path = tmp_path / "report.docx"
    document.save(path)
    assert "总体情况" in source.read_source(path).text


def test_nested_html_is_read_in_one_pass(tmp_path):
    # 8,000 nested <div>s (184 KB): 49 s when each element's text was asked for on its own.
    page = tmp_path / "report.html"
    n = source.MAX_HTML_DEPTH - 10
    page.write_text("<html><body>" + "<div>总体情况" * n + "</div>" * n + "</body></html>", encoding="utf-8")
    started = time.process_time()
    source.read_source(page)
    assert time.process_time() - started < 2
    page.write_text("<html><body>" + "<div>总体情况" * 8_000 + "</div>" * 8_000 + "</body></html>", encoding="utf-8")
    with pytest.raises(NotAReport, match="嵌套超过"):
        source.read_source(page)
    assert time.process_time() - started < 4


PIECES = ["<div>", "</div>", "<td>", "</td>", "<table>", "</table>", "<p>", "</p>", "<span>", "</span>", "<h2>",
          "总", "体", "情况", "总体情况", "表", " ", "<!--总体情况-->", "<![CDATA[x]]>", "<section>", "</section>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_one_pass_facts_are_what_each_element_would_say(html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup("<html><body>" + html + "</body></html>", "html.parser")
    facts = source.Facts(soup)
    for element in [soup] + soup.find_all(True):
        key = id(element)
        assert facts.length[key] == len(element.get_text())
        assert facts.phrase[key] == (source.PHRASE in element.get_text())
        assert facts.tables[key] == len(element.find_all("table")) + (element.name == "table")
        assert facts.holds_block[key] == (element.find(list(source.BLOCKS)) is not None)
        assert facts.in_table[key] == (element.find_parent("table") is not None)


@pytest.mark.parametrize("run", ["1" + "0" * 200, "9" * 90, "10" * 60])
def test_a_long_run_of_digits_is_cut_in_bounded_work(run):
    """Cutting "1000…0" into seven cells tried every combination of cut points (C(n, 6): a minute
    at 50 digits, for ever at 120) and the page's engine never answered again. Pieces are now grown
    one cut at a time, each "0" or without a leading zero and at most 15 digits, and the whole
    search has a budget of steps; past it the row is left uncertain."""
    from nianbao.editing.importer.solver import WORK, Budget, candidates, token_splits

    budget = Budget()
    list(token_splits(run[:100], 7, budget))
    assert WORK - budget.left < 100_000
    found, holds = candidates([run], 7, [])
    assert len(found) <= 50_000
