"""Every file of a pull request is untrusted (issue 26): links out of reports/, disguised
attachments, names the site uses, a tree that is not agencies, oversized files, and cache entries
that would run code — each refused at its path, in `nianbao check` and in the build."""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import REPO, report_data, write_report
from test_site import build, make_project
from nianbao.cli import main
from nianbao.core import cache, located
from nianbao.core.check import check_path
from nianbao.core.load import RESERVED_PREFIXES, RESERVED_SLUGS, reserved_slug


def errors(root: Path) -> list[tuple[str, str, str]]:
    return [(os.path.relpath(p.path, root) if os.path.isabs(p.path) else p.path, p.rule, p.message)
            for p in check_path(root).problems if p.level == "error"]


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file on the build machine that no report may publish."""
    path = tmp_path / "secret.txt"
    path.write_text("SECRET-TOKEN\n", encoding="utf-8")
    return path


# -- links ------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", ["report", "narrative", "agency", "attachment", "files", "folder", "root"])
def test_a_link_anywhere_in_reports_is_refused_and_never_read(reports, secret, what):
    path = write_report(reports, report_data())
    folder = path.parent
    if what == "report":
        path.unlink(); path.symlink_to(secret)
    elif what == "narrative":
        path.with_suffix(".md").unlink(); path.with_suffix(".md").symlink_to(secret)
    elif what == "agency":
        (folder / "agency.yml").unlink(); (folder / "agency.yml").symlink_to(secret)
    elif what == "attachment":
        (folder / "files").mkdir(); (folder / "files" / "2022-original.pdf").symlink_to(secret)
    elif what == "files":
        (folder / "files").symlink_to(secret.parent)
    elif what == "folder":
        (reports / "other-town").symlink_to(folder)
    else:
        real = reports.parent / "real"
        reports.rename(real); reports.symlink_to(real)
    found = errors(reports)
    assert any(rule == "FMT-PATH" and "符号链接" in message for _, rule, message in found), found
    assert not any("SECRET" in message for _, _, message in found)


@pytest.mark.parametrize("command", ["new", "import"])
def test_new_and_import_do_not_write_through_a_linked_folder(tmp_path, command, capsys):
    reports, outside = tmp_path / "reports", tmp_path / "outside"
    reports.mkdir(); outside.mkdir()
    (reports / "luoyuan-songshan").symlink_to(outside)
    sample = REPO / "tests" / "fixtures" / "samples" / "luoyuan-songshan-2019.txt"
    argv = (["new", "luoyuan-songshan", "2020"] if command == "new" else ["import", str(sample)])
    code = main(argv + ["--agency" if command == "import" else "--name", "luoyuan-songshan" if command == "import"
                        else "罗源县松山镇人民政府", "--reports", str(reports)]
                + (["--year", "2019"] if command == "import" else ["--region", "福建省/福州市/罗源县"]))
    assert code != 0 and "符号链接" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_commands_do_not_read_through_a_link(reports, secret, linked, capsys):
    path = write_report(reports, report_data())
    if linked == "file":
        path.unlink(); path.symlink_to(secret)
        target = path
    else:
        (reports / "other-town").symlink_to(path.parent)
        target = reports / "other-town" / path.name
    for command in ("fmt", "check", "export"):
        assert main([command, str(target)] + (["--out", "-"] if command == "export" else [])) == 2
        out = capsys.readouterr()
        assert "符号链接" in out.err and "SECRET" not in out.out + out.err


def test_the_build_stops_at_a_linked_report_file_and_publishes_nothing(tmp_path, secret):
    project = make_project(tmp_path, seed=False)
    path = write_report(project / "reports", report_data())
    (path.parent / "files").mkdir()
    (path.parent / "files" / "2022-original.pdf").symlink_to(secret)
    done = build(project)
    assert done.returncode != 0 and "符号链接" in done.stderr
    assert not (project / "site").exists() or not any("SECRET" in p.read_text(errors="ignore")
                                                      for p in (project / "site").rglob("*") if p.is_file())


def test_a_linked_page_in_docs_stops_the_build(tmp_path, secret):
    project = make_project(tmp_path)
    (project / "docs" / "leak.md").symlink_to(secret)
    done = build(project)
    assert done.returncode != 0 and "docs/leak.md" in done.stderr and "符号链接" in done.stderr


# -- attachments --------------------------------------------------------------------------------

@pytest.mark.parametrize("content, ok", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", True),
    (b"window.pwned = 1;\n", False),
    (b"<!doctype html><script>alert(1)</script>", False),
    (b"  %PDF-1.4", False),
    (b"", False),
])
def test_an_attachment_must_be_a_pdf(reports, content, ok):
    data = report_data()
    data["attachments"] = [{"title": "原文", "url": "files/2022-original.pdf"}]
    path = write_report(reports, data)
    (path.parent / "files").mkdir()
    (path.parent / "files" / "2022-original.pdf").write_bytes(content)
    found = [(p, r, m) for p, r, m in errors(reports) if p.endswith("2022-original.pdf")]
    assert found == ([] if ok else [(found[0][0], "FMT-PATH", found[0][2])])
    if not ok:
        assert "不是 PDF 文件" in found[0][2]


# -- names the site uses ------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["schemas", "pagefind", "pagefind-2019", "search-bundles", "tianbao", "reports",
                                  "sitemap", "assets"])
def test_a_slug_the_site_uses_is_refused(reports, slug):
    write_report(reports, report_data(slug=slug))
    assert any(rule == "FMT-PATH" and slug in message for _, rule, message in errors(reports))


def test_every_top_level_name_of_a_built_site_is_reserved(tmp_path):
    project = make_project(tmp_path)
    done = build(project)
    assert done.returncode == 0, done.stderr
    slugs = {p.name for p in (project / "reports").iterdir() if p.is_dir()}
    names = {p.name.split(".")[0] for p in (project / "site").iterdir()} - slugs
    assert names and all(reserved_slug(name) or name == "" for name in names), \
        sorted(n for n in names if not reserved_slug(n))
    docs = {p.stem for p in (REPO / "docs").iterdir()} - {"index"}
    assert all(reserved_slug(name) for name in docs), sorted(n for n in docs if not reserved_slug(n))
    assert "pagefind" in RESERVED_SLUGS and "pagefind-" in RESERVED_PREFIXES


# -- a tree that is not agencies ------------------------------------------------------------------

def test_a_nested_reports_folder_fails_the_check_instead_of_passing_with_nothing(tmp_path, monkeypatch):
    project = tmp_path / "repo"
    write_report(project / "reports" / "reports", report_data())
    (project / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    found = errors(project / "reports")
    assert any("reports/ 中又有一个 reports/" in message for _, _, message in found)


def test_a_report_file_copied_straight_into_reports_is_one_located_problem(reports):
    write_report(reports, report_data())
    (reports / "2022.yml").write_text((reports / "test-town" / "2022.yml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    found = errors(reports)
    assert [(p, r) for p, r, _ in found] == [(str(reports / "2022.yml"), "FMT-PATH")] or \
        [r for _, r, _ in found] == ["FMT-PATH"]
    assert "reports/<机构代码>/" in found[0][2]


# -- oversized files ------------------------------------------------------------------------------

def test_an_oversized_file_is_refused_by_its_size_without_being_read(reports):
    path = write_report(reports, report_data())
    with path.with_suffix(".md").open("a", encoding="utf-8") as out:
        out.write("正" * 200_000)  # 600 KB
    with path.open("a", encoding="utf-8") as out:
        out.write("# " + "x" * 300_000 + "\n")
    found = {(os.path.basename(p), r) for p, r, m in errors(reports) if "文件过大" in m}
    assert found == {("2022.md", "FMT-MD"), ("2022.yml", "FMT-YAML")}


# -- the parse cache --------------------------------------------------------------------------

class Planted:
    def __reduce__(self):
        return (exec, ("open('PWNED', 'w').write('x')",))


def test_a_planted_parse_cache_entry_runs_no_code_and_is_parsed_again(reports, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    data = report_data()
    path = write_report(reports, data)
    text = path.read_text(encoding="utf-8").replace("title: ", "title: '", 1).replace("报告\n", "报告'\n", 1)
    assert located.fastpath.parse(text, located) is None  # not the canonical layout: the cache serves it
    path.write_text(text, encoding="utf-8")
    first = [p.format() for p in check_path(reports).problems]
    db = sqlite3.connect(tmp_path / "cache" / "parsed-v2.sqlite")
    [(key,)] = db.execute("SELECT key FROM parsed").fetchall()
    for planted in (pickle.dumps(Planted()), b'{"value": {"x": {"__class__": 1}}, "ok": true}', b"\x80\x04junk",
                    b'{"value": {}, "ok": true, "marks": [[["a"], ["1", 2]]], "key_marks": [], "texts": [], "issues": []}'):
        with db:
            db.execute("UPDATE parsed SET value = ? WHERE key = ?", (planted, key))
        assert [p.format() for p in check_path(reports).problems] == first
        assert not (tmp_path / "PWNED").exists()
    db.close()


def test_cache_entries_hold_exactly_the_parse(tmp_path):
    text = (REPO / "reports" / "luoyuan-songshan" / "2019.yml").read_text(encoding="utf-8")
    parsed = located.parse("# 注释\n" + text, full=True)
    again = cache.decode(cache.encode(parsed))
    assert again == parsed
    assert cache.decode(cache.encode(located.parse("a: [1, 2\n", full=True))).issues  # a syntax error too


@pytest.mark.parametrize("raw, where", [(b"\r[", (2, 2)), (b"\n[", (2, 2)), (b"t3: [\r", (2, 1))])
def test_a_syntax_error_at_the_end_is_placed_on_a_line_the_file_has(reports, raw, where):
    path = write_report(reports, report_data())
    path.write_bytes(raw)
    found = [(p.line, p.col) for p in check_path(reports).problems if p.rule == "FMT-YAML"]
    assert found == [where]
