"""Real site builds in temp folders (MkDocs and ProperDocs), asserted through their HTML."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from bs4 import BeautifulSoup

from conftest import REPO, line_of, report_data, write_report


def make_project(tmp_path: Path, seed: bool = True) -> Path:
    project = tmp_path / "site-src"
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project)
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "hooks", project / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if seed:  # the hand-entered seed only: the tests know its every cell
        shutil.copytree(REPO / "reports" / "luoyuan-songshan", project / "reports" / "luoyuan-songshan")
    else:
        (project / "reports").mkdir()
    return project


SITE_URL = "https://nianbao.example.org/"


def build(project: Path, tool: str = "mkdocs") -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true",
               NIANBAO_SITE_URL=SITE_URL, SOURCE_DATE_EPOCH="1700000000")
    env.pop("NIANBAO_REPORTS", None)
    command = [sys.executable, "-m", tool, "build", "--strict", "-f", str(project / "mkdocs.yml")]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


def bypassed_build(project: Path, bypass: str, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build` after `bypass` (Python run first, switching some of the check off): what a
    contributor's file or value would do if it got past `nianbao check`."""
    script = project / "unchecked_build.py"
    script.write_text("import sys\n" + bypass.strip() + "\nfrom mkdocs.config import load_config\n"
                      "from mkdocs.commands.build import build\nbuild(load_config(sys.argv[1]))\n", encoding="utf-8")
    env = dict(os.environ, NIANBAO_SEARCH="off", SOURCE_DATE_EPOCH="1700000000", **env)
    return subprocess.run([sys.executable, str(script), str(project / "mkdocs.yml")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def built_site(folder: Path, reports: str, count: int, seed: int) -> Path:
    """A project built from the repo's own reports ("samples") or from `count` generated ones."""
    project = make_project(folder, seed=False)
    shutil.rmtree(project / "reports")
    if reports == "samples":
        shutil.copytree(REPO / "reports", project / "reports")
    else:
        sys.path.insert(0, str(REPO / "benchmarks"))
        from generate import generate

        generate(project / "reports", count, seed=seed)
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project


def page(project: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("built"))
    write_report(project / "reports", report_data(slug="ceshi-zhen", year=2022))
    write_report(project / "reports", report_data(slug="ceshi-zhen", year=2023))
    data = report_data(slug="ceshi-ju", year=2023)
    data["attachments"] = [{"title": "报告原文（PDF）", "url": "files/2023-original.pdf"}]
    data["t4"]["cases"][4] = 0
    data["acknowledged"] = [{"rule": "T4-SUM", "reason": "原文复议总计印为 0，已与原文核对"}]
    write_report(project / "reports", data,
                 agency={"name": "测试市测试局", "kind": "政府部门", "region": "测试省/测试市"})
    (project / "reports" / "ceshi-ju" / "files").mkdir()
    (project / "reports" / "ceshi-ju" / "files" / "2023-original.pdf").write_bytes(b"%PDF-1.4 test\n")
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project


def test_report_page_has_title_meta_narrative_and_tables(built):
    soup = page(built, "luoyuan-songshan/2019")
    assert soup.h1.get_text(strip=True) == "罗源县松山镇2019年政府信息公开工作年度报告"
    meta = soup.select_one(".nb-meta").get_text()
    assert "罗源县松山镇人民政府" in meta and "2020-01-08" in meta and "gov-2019" in meta
    assert {t["id"] for t in soup.select("table.nb-table")} == {"table-t2", "table-t3", "table-t4"}
    headings = [h.get_text(strip=True) for h in soup.select("article h2")]
    assert headings[:6] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                            "六、其他需要报告的事项"]
    # each table sits right under its own section heading
    for heading, tid in zip(soup.select("article h2")[1:4], ("t2", "t3", "t4")):
        assert heading.find_next("table")["id"] == f"table-{tid}"
    assert "我镇主动公开政府信息16条" in soup.get_text()
    assert soup.select_one("#check") is not None


def test_report_pages_stay_out_of_the_nav(built):
    soup = page(built, "years")
    nav_links = [a.get("href", "") for a in soup.select("nav.md-nav--primary a")]
    assert not any("luoyuan-songshan" in href or "ceshi" in href for href in nav_links)
    assert any("agencies" in href for href in nav_links)


def test_agencies_index_groups_by_region(built):
    soup = page(built, "agencies")
    text = soup.select_one("article").get_text()
    assert text.index("福建省") < text.index("福州市") < text.index("罗源县") < text.index("罗源县松山镇人民政府")
    links = {a.get_text(): a["href"] for a in soup.select("article li a")}
    assert links["罗源县松山镇人民政府"] == "../luoyuan-songshan/"
    assert links["测试市测试局"] == "../ceshi-ju/"


def test_year_page_lists_the_year_reports_with_key_figures(built):
    soup = page(built, "years/2023")
    rows = soup.select("article table tbody tr")
    names = [r.find("a").get_text() for r in rows]
    assert sorted(names) == ["测试县测试镇人民政府", "测试市测试局"]
    header = [th.get_text() for th in soup.select("article table thead th")]
    assert header[:10] == ["机构", "年度", "地区", "类型", "新收申请", "上年结转", "办结", "结转下年", "复议总计", "诉讼总计"]
    town = next(r for r in rows if "测试镇" in r.get_text())
    assert [td.get_text() for td in town.find_all("td")][3:9] == ["13", "1", "13", "1", "1", "1"]
    seed_rows = page(built, "years/2019").select("article table tbody tr")
    assert [r.find("a").get_text() for r in seed_rows] == ["罗源县松山镇人民政府"]
    # the seed prints 新收 总计 blank: the index keeps it blank
    assert [td.get_text() for td in seed_rows[0].find_all("td")][3] == ""


def test_agency_page_lists_reports_by_year(built):
    soup = page(built, "ceshi-zhen")
    years = [a.get_text() for a in soup.select("article table tbody a")]
    assert years == ["2023 年", "2022 年"]


def test_acknowledged_problem_shown_on_the_page(built):
    soup = page(built, "ceshi-ju/2023")
    panel = soup.select_one("#check").find_parent().get_text()
    assert "T4-SUM" in panel and "已确认" in panel and "原文复议总计印为 0" in panel
    assert soup.select("td.nb-flag-ack")


def test_search_index_is_a_chunked_pagefind_bundle(built):
    bundle = built / "site" / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["zh"]["page_count"] == 4  # every report, nothing else
    manifest = json.loads((built / "site" / "search-bundles.json").read_text(encoding="utf-8"))
    assert manifest == [{"path": "pagefind/", "year": None, "reports": 4, "regions": ["测试省", "福建省"]}]  # one: no scope
    assert (built / "site" / "search" / "index.html").exists()
    assert not (built / "site" / "search" / "search_index.json").exists()  # no one-file index to download


def test_no_external_requests_in_pages(built):
    for html in (built / "site").rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for node in soup.find_all(tag):
                if tag == "link" and set(node.get("rel", [])) & {"canonical", "alternate"}:
                    continue  # the page's own address, not a request
                target = node.get(attr) or ""
                assert not target.startswith(("http:", "https:", "//")), (html, target)


def test_broken_report_stops_the_build_with_a_located_message(tmp_path):
    project = make_project(tmp_path)
    data = report_data(slug="broken-town")
    data["t3"]["granted"][1] = 2
    path = write_report(project / "reports", data)
    done = build(project)
    assert done.returncode != 0
    line = line_of(path, "granted:")
    assert f"broken-town/2022.yml:{line}:" in done.stderr and "[T3-ROW]" in done.stderr
    assert "报告检查未通过" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site").exists()


def test_properdocs_builds_the_same_site(tmp_path):
    project = make_project(tmp_path)
    done = build(project, tool="properdocs")
    assert done.returncode == 0, done.stderr
    soup = page(project, "luoyuan-songshan/2019")
    assert soup.select_one("#table-t3") is not None


def test_empty_repo_builds(tmp_path):
    project = make_project(tmp_path, seed=False)
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "暂无机构" in page(project, "agencies").get_text()


def test_government_meta_tags_and_qr_code(built):
    soup = page(built, "luoyuan-songshan/2019")
    meta = {m["name"]: m["content"] for m in soup.find_all("meta") if m.get("name", "")[:1].isupper()}
    assert meta == {
        "SiteName": "政府信息公开工作年度报告",
        "ColumnName": "政府信息公开工作年度报告",
        "ArticleTitle": "罗源县松山镇2019年政府信息公开工作年度报告",
        "PubDate": "2020-01-08",
        "ContentSource": "罗源县松山镇人民政府",
        "Keywords": "政府信息公开,年度报告,罗源县松山镇人民政府,2019",
        "Description": "罗源县松山镇人民政府2019年政府信息公开工作年度报告",
        "Url": SITE_URL + "luoyuan-songshan/2019/",
    }
    qr = soup.select_one("figure.nb-qr svg path")
    expected = BeautifulSoup(segno.make(SITE_URL + "luoyuan-songshan/2019/", error="m").svg_inline(scale=2, border=2),
                             "html.parser").path
    assert qr["d"] == expected["d"]


def internal_targets(site: Path):
    """Every internal href/src of every page, resolved to a file in the built site."""
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for node in soup.find_all(["a", "link", "script", "img"]):
            target = node.get("href") or node.get("src")
            if not target or target.startswith(("http:", "https:", "mailto:", "tel:", "//", "data:", "#")):
                continue
            path, _, fragment = target.partition("#")
            path = unquote(path.split("?")[0])
            # MkDocs writes 404.html with root-relative links (the site is served at SITE_URL's root)
            base = site if path.startswith("/") else html.parent
            resolved = (base / path.lstrip("/")).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            yield html, target, resolved, fragment


def test_no_broken_internal_links(built):
    site = (built / "site").resolve()
    broken = [(str(html.relative_to(site)), target) for html, target, resolved, _ in internal_targets(site)
              if not resolved.exists()]
    assert broken == []
    anchors_checked = 0
    for html, target, resolved, fragment in internal_targets(site):
        if fragment and resolved.suffix == ".html" and "rules" in str(resolved):
            soup = BeautifulSoup(resolved.read_text(encoding="utf-8"), "html.parser")
            assert soup.find(id=fragment) is not None, (html, target)
            anchors_checked += 1
    assert anchors_checked > 0


def test_two_builds_are_byte_identical(tmp_path):
    first = make_project(tmp_path / "a")
    second = make_project(tmp_path / "b")
    assert build(first).returncode == 0 and build(second).returncode == 0
    files_a = sorted(p.relative_to(first / "site") for p in (first / "site").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second / "site") for p in (second / "site").rglob("*") if p.is_file())
    def same(p):
        return p in files_a and p in files_b and (first / "site" / p).read_bytes() == (second / "site" / p).read_bytes()

    # Pagefind writes its filter and metadata indexes in hash-map order (an upstream limitation,
    # Pagefind issue 638): their names differ between runs. Every other file, its fragments and
    # word index included, is byte-identical.
    unstable = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$")
    different = [str(p) for p in set(files_a) | set(files_b) if not same(p) and not unstable.match(str(p))]
    assert different == []
    assert len(files_a) == len(files_b)


def test_stored_original_is_published_and_linked(built):
    soup = page(built, "ceshi-ju/2023")
    link = soup.find("a", string="报告原文（PDF）")
    assert link["href"] == "../files/2023-original.pdf"
    assert (built / "site" / "ceshi-ju" / "files" / "2023-original.pdf").read_bytes() == b"%PDF-1.4 test\n"


def test_the_repo_itself_builds_strictly(tmp_path):
    """All of reports/ (the seed and the imported 平潭 and 淮安 reports) under --strict."""
    project = make_project(tmp_path, seed=False)
    shutil.rmtree(project / "reports")
    shutil.copytree(REPO / "reports", project / "reports")
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert page(project, "pingtan/2019").select_one("#table-t3") is not None
    years = [a.get_text() for a in page(project, "years").select("article li a")]
    assert years == ["2024 年度", "2021 年度", "2019 年度"]


def test_agency_page_opens_with_the_latest_figures_and_their_change(built):
    soup = page(built, "ceshi-zhen")
    story = soup.select_one("section.nb-story")
    assert story is not None and "最新报告：2023 年度" in story.h2.get_text()
    cards = {li.select_one(".nb-kf-name").get_text(strip=True): li for li in story.select("li.nb-kf")}
    assert cards["新收申请"].select_one(".nb-kf-value").get_text() == "13"
    assert cards["新收申请"].select_one(".nb-kf-change").get_text() == "持平（2022 年 13）"
    # the fixture's 2023 stock of documents does not follow from 2022's (XY-STOCK, a warning)
    assert "数据核验：0 个错误，1 个警告。" in story.select_one(".nb-status").get_text()
    assert story.select_one(".nb-status a")["href"] == "2023/#check"
    # the story, then the charts, then the table of years
    headings = [h.get_text(strip=True) for h in soup.select("article h2")]
    assert headings.index("最新报告：2023 年度") < headings.index("历年变化") < headings.index("历年报告")


def test_home_page_counts_the_archive(built):
    soup = page(built, "")
    counts = [li.get_text(strip=True) for li in soup.select("ul.nb-counts li")]
    reports = sorted((built / "reports").glob("*/[0-9][0-9][0-9][0-9].yml"))
    agencies = sorted((built / "reports").glob("*/agency.yml"))
    assert counts[:2] == [f"{len(agencies)}个机构", f"{len(reports)}份报告"]
    years = sorted({p.stem for p in reports})
    assert counts[3] == f"{len(years)}个年度（{years[0]}–{years[-1]}）"
    links = {a.get_text(): a["href"] for a in soup.select("article a")}
    assert links["数据质量"] == "quality/" and links["2023 年度"] == "years/2023/"
