"""Hostile metadata: every field of agency.yml and of a report's metadata, as a hostile contributor
would write it, through `nianbao check` and through a built site whose check was bypassed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import line_of, report_data, write_report
from test_site import bypassed_build, make_project
from nianbao.core.check import check_path
from nianbao.core.fields import MARKUP, char_problem

AGENCY = {"name": "测试县测试镇人民政府", "kind": "乡镇", "region": "测试省/测试市/测试县"}
HOSTILE = "<>\"'&/\\.#%?`{}=:;()\u202e\u202d\u2066\u200b\u200d\ufeff\x00\x07\x1b\n\t 镇局\U0010fffd"
SCRIPT = "<img src=x onerror=alert(1)>"
REFRESH = '" http-equiv="refresh" content="0;url=https://evil.example/'


def agency_yaml(fields: dict) -> str:
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())


def problems_of(root: Path, field_file: str) -> list:
    return [p for p in check_path(root).problems if p.path.endswith(field_file)]


def with_agency(reports: Path, **changes) -> Path:
    path = write_report(reports, report_data(slug="test-town", year=2022))
    (path.parent / "agency.yml").write_text(agency_yaml(AGENCY | changes), encoding="utf-8")
    return path.parent / "agency.yml"


# -- each case of the issue, located -------------------------------------------------------

@pytest.mark.parametrize("key, value, rule", [
    ("name", f"测试镇{SCRIPT}", "FMT-TEXT"),
    ("name", f"测试镇{REFRESH}", "FMT-TEXT"),
    ("name", "测试镇\u202e府政民人", "FMT-TEXT"),
    ("name", "测试\u200b镇", "FMT-TEXT"),
    ("name", "测试\x07镇", "FMT-TEXT"),
    ("name", "测" * 81, "FMT-TEXT"),
    ("name", '=HYPERLINK("https://evil.example","点击")', "FMT-TEXT"),
    ("name", "@SUM(1+1)", "FMT-TEXT"),
    ("region", "测试省/../../index", "FMT-REGION"),
    ("region", "测试省//测试县", "FMT-REGION"),
    ("region", "测试省/ 测试市", "FMT-REGION"),
    ("region", "测试省/测试市?x=1", "FMT-REGION"),
    ("region", "测试省/2019", "FMT-REGION"),
    ("region", "一/二/三/四/五/六", "FMT-REGION"),
    ("kind", "<b>乡镇</b>", "FMT-VALUE"),
])
def test_a_hostile_agency_value_is_a_located_error(reports, key, value, rule):
    path = with_agency(reports, **{key: value})
    found = problems_of(reports, "agency.yml")
    line = line_of(path, f"{key}:")
    assert [(p.rule, p.line, p.col, p.level) for p in found] == [(rule, line, len(key) + 3, "error")]


@pytest.mark.parametrize("key, value, rule", [
    ("title", f"报告{SCRIPT}", "FMT-TEXT"),
    ("title", "报告\u202e", "FMT-TEXT"),
    ("index_no", 'x" onmouseover="alert(1)', "FMT-TEXT"),
    ("doc_no", "`code`", "FMT-TEXT"),
    ("published", "2023-02-30", "FMT-VALUE"),
    ("published", "2023-13-01", "FMT-VALUE"),
    ("source_url", "javascript:alert(1)", "FMT-VALUE"),
    ("source_url", "https://x.example/\"onclick=alert(1)", "FMT-VALUE"),
    ("source_url", "http:/no-host", "FMT-VALUE"),
])
def test_a_hostile_report_value_is_a_located_error(reports, key, value, rule):
    data = report_data(slug="test-town", year=2022) | {key: value}
    path = write_report(reports, data)
    found = [p for p in problems_of(reports, "2022.yml") if p.level == "error"]
    assert [(p.rule, p.line) for p in found] == [(rule, line_of(path, f"{key}:"))]


def test_hostile_attachment_header_and_reason_texts_are_located(reports):
    data = report_data(slug="test-town", year=2022)
    data["attachments"] = [{"title": f"原文{SCRIPT}", "url": "javascript:alert(1)"}]
    data["headers"] = {"t2.licensing.decisions": "数量\u2066"}
    data["acknowledged"] = [{"rule": "T4-SUM", "reason": "已核对\x1b[31m"}]
    path = write_report(reports, data)
    found = sorted((p.rule, p.line) for p in problems_of(reports, "2022.yml") if p.level == "error")
    assert found == sorted([("FMT-TEXT", line_of(path, "title: 原文")), ("FMT-VALUE", line_of(path, "javascript")),
                            ("FMT-TEXT", line_of(path, "t2.licensing")), ("FMT-TEXT", line_of(path, "reason:"))])


def test_an_impossible_count_is_a_located_warning(reports):
    data = report_data(slug="test-town", year=2022)
    data["t2"]["licensing"] = [999999999999999]  # 15 digits: more is no number at all (tests/test_numbers.py)
    path = write_report(reports, data)
    found = [p for p in problems_of(reports, "2022.yml") if p.rule == "PLAUSIBLE"]
    assert [(p.level, p.line) for p in found] == [("warning", line_of(path, "licensing:"))]
    assert "999999999999999" in found[0].message and "10,000,000" in found[0].message


def test_a_decrease_larger_than_last_years_count_is_a_warning(reports):
    data = report_data(slug="test-town", year=2020) | {"edition": "gov-2019"}
    data["t2"] = {"regulations": [0, 0, 0], "normative_documents": [1, 1, 5], "licensing": [3, -5, 10],
                  "other_services": [2, 1, 4], "penalty": [0, 0, 0], "coercion": [0, 0, 0], "fees": [1, 0],
                  "procurement": [2, "251000元"]}
    data["t3"] = {k: v for k, v in data["t3"].items() if not k.startswith("other_")} | {"other": [0] * 7}
    path = write_report(reports, data)
    found = [p for p in problems_of(reports, "2020.yml") if p.rule == "PLAUSIBLE"]
    line = line_of(path, "licensing:")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("-5") + 1
    assert [(p.line, p.col) for p in found] == [(line, column)]
    assert "减少 5，多于上一年项目数量 3" in found[0].message


# -- any hostile value ---------------------------------------------------------------------

hostile_text = st.text(alphabet=HOSTILE, min_size=1, max_size=30) | st.text(min_size=81, max_size=300)


def is_harmful(text: str, limit: int) -> bool:
    return any(char_problem(ch) for ch in text) or len(text) > limit or text.startswith(("=", "+", "@"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["name", "region", "title", "index_no", "doc_no"]), value=hostile_text)
def test_check_flags_every_harmful_value_where_it_stands(tmp_path_factory, field, value):
    reports = tmp_path_factory.mktemp("hostile") / "reports"
    if field in ("name", "region"):
        path = with_agency(reports, **{field: value})
    else:
        path = write_report(reports, report_data(slug="test-town", year=2022) | {field: value})
    found = [p for p in check_path(reports).problems if p.level == "error" and p.path.endswith(path.name)]
    limit = 40 if field == "region" else 80 if field in ("name", "index_no", "doc_no") else 200
    segments = value.split("/")
    harmful = is_harmful(value.replace("/", "") if field == "region" else value, limit) or (
        field == "region" and any(s != s.strip() or not s or set(s) <= {"."} or s.isdigit()
                                  or set(s) & set("\\?#%") for s in segments))
    if harmful:
        # At the value: its key's line, or the line of a character YAML itself refuses, where a
        # long value was folded onto the lines below its key.
        start = line_of(path, f"{field}:")
        lines = path.read_text(encoding="utf-8").splitlines()
        end = next((i for i in range(start, len(lines)) if re.match(r"^\s*[a-z_]+:", lines[i])), len(lines))
        assert len(found) == 1 and start <= found[0].line <= end, (value, found)
        assert found[0].rule.startswith("FMT-")
    assert not any(ch in MARKUP for ch in value) or found


# -- the built site, with the check bypassed -----------------------------------------------

# What a contributor's value could do if it got past `nianbao check`.
FIELDS_UNCHECKED = """
from nianbao.core import fields
for name in ("text_problem", "region_problem", "url_problem", "date_problem"):
    setattr(fields, name, lambda *args, **kwargs: None)
"""


def unchecked_build(project: Path) -> subprocess.CompletedProcess:
    return bypassed_build(project, FIELDS_UNCHECKED)


THEME_SCRIPTS = ("assets/javascripts/", "javascripts/nianbao.js", "javascripts/tianbao.js")


THEME_INLINE = ("__md_scope=", "var target=document.getElementById(location.hash")


def theme_script(element) -> bool:
    """Material's bundle and ours by address; Material's inline snippets and its JSON config."""
    source = element.get("src")
    if source:
        return source.endswith(("javascripts/nianbao.js", "javascripts/tianbao.js")) or "assets/javascripts/" in source
    if element.get("id") == "__config" and element.get("type") == "application/json":
        return True
    return element.get_text().startswith(THEME_INLINE)


def harmful_markup(html: str) -> list[str]:
    """Elements and attributes that neither our templates nor the theme produce."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(True):
        ours = element.name == "img" and re.fullmatch(r"(\.\./)*images/tianbao-[a-z]+\.png", element.get("src", ""))
        if element.name in ("img", "iframe", "object", "embed", "base", "style", "b", "link") and not ours and \
                not (element.name == "link" and element.get("rel") in (["stylesheet"], ["icon"], ["canonical"],
                                                                        ["prev"], ["next"])):
            found.append(str(element)[:80])
        if element.name == "script" and not theme_script(element):
            found.append(str(element)[:80])
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"{element.name}[{name}]")
            if name == "http-equiv" and value != "Content-Security-Policy":
                found.append(f"meta http-equiv={value}")
            if name in ("href", "src", "action") and text.strip().lower().startswith(("javascript:", "data:")):
                found.append(f"{element.name}[{name}]={text[:40]}")
    return found


def hostile_project(tmp_path: Path, name: str, region: str, title: str) -> Path:
    project = make_project(tmp_path, seed=False)
    data = report_data(slug="test-town", year=2022) | {
        "title": title, "source_url": "javascript:alert(1)", "index_no": REFRESH, "published": "2023-02-30",
        "attachments": [{"title": SCRIPT, "url": "javascript:alert(2)"}]}
    write_report(project / "reports", data, narrative="## 一、总体情况\n\n正文。\n",
                 agency={"name": json.dumps(name, ensure_ascii=False), "kind": "乡镇",
                         "region": json.dumps(region, ensure_ascii=False)})
    return project


def assert_site_unharmed(project: Path) -> None:
    site = project / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        assert harmful_markup(path.read_text(encoding="utf-8")) == [], path
    # Nothing was written beside the site or above it.
    outside = {p.name for p in project.iterdir()} - {"site", "docs", "hooks", "reports", "mkdocs.yml",
                                                     "unchecked_build.py", ".cache"}  # the build cache
    assert outside == set()
    assert (site / "test-town" / "2022" / "index.html").is_file()


def test_the_site_is_unharmed_by_values_the_check_would_refuse(tmp_path):
    name = f"测试镇{SCRIPT}{REFRESH} {{: onclick=alert(3)}} *强调* [链接](javascript:alert(4)) \u202e\u200b"
    project = hostile_project(tmp_path, name, "测试省/<b>测试市</b>/{: onclick=x}", "</title><script>alert(5)</script>")
    done = unchecked_build(project)
    assert done.returncode == 0, done.stderr
    assert_site_unharmed(project)
    soup = BeautifulSoup((project / "site" / "test-town" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == name  # shown as the text it is
    report = BeautifulSoup((project / "site" / "test-town" / "2022" / "index.html").read_text(encoding="utf-8"),
                           "html.parser")
    assert report.title.get_text().startswith("</title><script>alert(5)</script>")
    assert report.find("meta", attrs={"name": "description"})["content"].startswith(f"测试镇{SCRIPT}")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(alphabet=HOSTILE, min_size=1, max_size=40), title=st.text(alphabet=HOSTILE, min_size=1,
                                                                                 max_size=40))
def test_any_hostile_name_and_title_leave_the_site_unharmed(tmp_path_factory, name, title):
    # An empty name is refused by the loader before any check (the agency is left out), so none is drawn.
    project = hostile_project(tmp_path_factory.mktemp("site"), name.replace("\x00", "") or "测试镇", "测试省/测试市",
                              title.replace("\x00", "") or "标题")
    done = unchecked_build(project)
    assert done.returncode == 0, done.stderr
    assert_site_unharmed(project)


def test_a_region_that_climbs_out_of_its_folder_stops_the_build_naming_its_file(tmp_path):
    project = hostile_project(tmp_path, "测试镇", "测试省/../../index", "标题")
    done = unchecked_build(project)
    assert done.returncode != 0
    assert "reports/test-town/agency.yml中的所属地区“测试省/../../index”" in done.stderr
    assert "网站目录之外" in done.stderr
    assert not (project / "site" / "index.html").exists()


def test_two_sources_of_one_output_stop_the_build_naming_both(tmp_path):
    project = hostile_project(tmp_path, "测试镇", "测试省", "标题")
    write_report(project / "reports", report_data(slug="other-town", year=2022),
                 agency={"name": "另一镇", "kind": "乡镇", "region": "测试省/2022"})
    done = unchecked_build(project)
    assert done.returncode != 0
    assert "会生成同一个文件 regions/测试省/2022/index.html" in done.stderr
    assert "reports/test-town/agency.yml" in done.stderr and "reports/other-town/agency.yml" in done.stderr
