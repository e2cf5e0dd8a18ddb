"""Region names and other values in the Markdown the site generates (issue 26): a value that
reaches a link's destination or label is never markup — not a link, an image, an attr_list —
whether or not the check let it through; and the check refuses every region name that is not
made of what real region names are made of."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, line_of, report_data, write_report
from test_hostile import harmful_markup, unchecked_build
from test_site import make_project
from nianbao.core.check import check_path

# Each ends a link and starts markup of its own in a destination or a label written as is.
HOSTILE_REGIONS = [
    "福建省/x](javascript:alert(1))",
    "福建省/x) [a](javascript:alert(2)",
    "福建省/x) ![i](evil.png",
    "福建省/x){: onclick=alert(3) }",
    "福建省/x>[a]: javascript:alert(4)",
    "福建省/<b>x</b>{: #__config}",
]


def region_project(tmp_path: Path, region: str) -> Path:
    project = make_project(tmp_path, seed=False)
    write_report(project / "reports", report_data(slug="test-town", year=2022),
                 agency={"name": "测试镇", "kind": "乡镇", "region": json.dumps(region, ensure_ascii=False)})
    write_report(project / "reports", report_data(slug="other-town", year=2022),
                 agency={"name": "另一镇", "kind": "乡镇", "region": "福建省/福州市"})
    return project


def site_links(site: Path, page: Path) -> list:
    """Every link of a page that leads inside the site, as (its text, the file it leads to)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for a in soup.select("article a[href]"):
        parts = urlsplit(a["href"])
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        found.append((a.get_text(), target / "index.html" if target.is_dir() else target))
    return found


def schemes(soup) -> set[str]:
    """The schemes of a page's links ("" for a link inside the site)."""
    return {urlsplit(a["href"].strip()).scheme.lower() for a in soup.select("a[href]")}


@pytest.mark.parametrize("region", HOSTILE_REGIONS)
def test_a_hostile_region_is_text_on_every_generated_page(tmp_path, region):
    project = region_project(tmp_path, region)
    done = unchecked_build(project)
    assert done.returncode == 0, done.stderr
    assert "unrecognized relative link" not in done.stderr and "is not found" not in done.stderr, done.stderr
    site = project / "site"
    shown = " / ".join(region.split("/"))
    for page in site.rglob("*.html"):
        assert harmful_markup(page.read_text(encoding="utf-8")) == [], page
        for text, target in site_links(site, page):
            assert target.is_file(), (page, text, target)  # every generated link leads to its page
    # The agency page links its region once, labelled with the region as written.
    agency = BeautifulSoup((site / "test-town" / "index.html").read_text(encoding="utf-8"), "html.parser")
    item = next(li for li in agency.select("article li") if li.get_text().startswith("地区"))
    assert [a.get_text() for a in item.find_all("a")] == [shown]
    assert item.find("img") is None and not any(k.startswith("on") for a in item.find_all(True) for k in a.attrs)
    # The region pages list it as one link, whose page is the region's own.
    regions = BeautifulSoup((site / "regions" / "index.html").read_text(encoding="utf-8"), "html.parser")
    labels = [a.get_text() for a in regions.select("article a")]
    assert region.split("/")[-1] in labels
    assert schemes(regions) <= {"", "https"}
    # The home page's region list and the agencies page likewise.
    for url in ("index.html", "agencies/index.html"):
        soup = BeautifulSoup((site / url).read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one("article img") is None
        assert schemes(soup) <= {"", "https"}


@pytest.mark.parametrize("region", HOSTILE_REGIONS + ["福建省/福州 市", "福建省/a:b", "福建省/a+b", "福建省/*x*",
                                                      "福建省/x|y", "福建省/x~y", "福建省/x_y"])
def test_the_check_refuses_a_region_with_markup_characters(reports, region):
    path = write_report(reports, report_data(slug="test-town", year=2022),
                        agency={"name": "测试镇", "kind": "乡镇", "region": json.dumps(region, ensure_ascii=False)})
    agency = path.parent / "agency.yml"
    found = [p for p in check_path(reports).problems if p.path.endswith("agency.yml")]
    assert [(p.rule, p.line, p.col) for p in found] == [("FMT-REGION", line_of(agency, "region:"), 9)], found
    assert "所属地区" in found[0].message


@pytest.mark.parametrize("region", ["福建省/福州市/罗源县", "新疆维吾尔自治区/伊犁哈萨克自治州", "湖北省/恩施土家族苗族自治州",
                                    "江苏省/苏州工业园区（园区）", "新疆生产建设兵团/第8师", "北京市/朝阳区(东)",
                                    "香港特别行政区", "测试省/阿·凡提镇", "〇〇省"])
def test_real_region_names_pass(reports, region):
    write_report(reports, report_data(slug="test-town", year=2022),
                 agency={"name": "测试镇", "kind": "乡镇", "region": region})
    assert [p for p in check_path(reports).problems if p.rule == "FMT-REGION"] == []


def test_every_repo_region_passes():
    regions = [line.split(":", 1)[1].strip() for path in (REPO / "reports").glob("*/agency.yml")
               for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("region:")]
    from nianbao.core.fields import region_problem

    assert regions and [r for r in regions if region_problem(r)] == []


def test_generated_pages_write_markdown_links_only_through_the_helper():
    """The class, not the payload: a module that writes `[label](target)` itself could leave either
    unescaped; urls.md_link escapes the label and percent-encodes the target."""
    offenders = []
    for path in sorted((REPO / "hooks" / "nianbao" / "site").glob("*.py")):
        if path.name == "urls.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "](" in node.value:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
