"""Sharded builds of a small repo, merged; the build's environment variables checked before it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_build_scale import build, differences, tree
from test_site import make_project


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The seed's one agency: with four shards, three of them own no agency at all."""
    return make_project(tmp_path_factory.mktemp("small"))


def merge(folders: list[Path], site: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao", "merge", *map(str, folders), "-d", str(site)],
                          capture_output=True, text=True, timeout=600, env=env)


def test_four_shards_of_one_agency_build_and_merge_into_the_one_command_site(small, tmp_path):
    whole = tmp_path / "whole"
    assert build(small, whole, "off").returncode == 0
    folders = []
    for number in range(1, 5):
        folder = tmp_path / f"shard-{number}"
        done = build(small, folder, tmp_path / "cache", shard=f"{number}/4")
        assert done.returncode == 0, done.stderr[-3000:]
        assert (folder / ".nianbao" / "shard.json").is_file()
        folders.append(folder)
    owners = [f for f in folders if (f / "luoyuan-songshan" / "2019" / "index.html").is_file()]
    assert len(owners) == 1  # the other three own no agency, and still build and hand off
    done = merge(folders, tmp_path / "site", dict(os.environ, NIANBAO_SEARCH="off"))
    assert done.returncode == 0, done.stderr
    assert differences(tree(whole), tree(tmp_path / "site")) == []


def test_merge_refuses_shards_built_from_different_report_data_naming_them(small, tmp_path):
    project = make_project(tmp_path / "changing")
    report = project / "reports" / "luoyuan-songshan" / "2019.yml"
    first, second = tmp_path / "shard-1", tmp_path / "shard-2"
    assert build(project, first, "off", shard="1/2").returncode == 0
    text = report.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.strip().startswith("penalty:"))
    changed = row.replace("[", "[9", 1)  # one number of table 二, which no rule ties to another
    report.write_text(text.replace(row, changed), encoding="utf-8")
    done = build(project, second, "off", shard="2/2")
    assert done.returncode == 0, done.stderr[-3000:]
    done = merge([first, second], tmp_path / "site")
    assert done.returncode == 1
    assert "报告数据不同" in done.stderr and f"分片 1（{first}）" in done.stderr and f"分片 2（{second}）" in done.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("setting, message", [
    ({"NIANBAO_ONLY": "luoyuan-songshn"}, "NIANBAO_ONLY=luoyuan-songshn：", ),
    ({"NIANBAO_ONLY": "luoyuan-songshan/abc"}, "环境变量 NIANBAO_ONLY=“luoyuan-songshan/abc”无效"),
    ({"NIANBAO_ONLY": "luoyuan-songshan/2031"}, "机构 luoyuan-songshan 没有 2031 年度的报告（有：2019）"),
    ({"NIANBAO_JOBS": "abc"}, "环境变量 NIANBAO_JOBS=“abc”无效：应为正整数"),
    ({"NIANBAO_JOBS": "0"}, "环境变量 NIANBAO_JOBS=“0”无效"),
    ({"NIANBAO_SEARCH": "of"}, "环境变量 NIANBAO_SEARCH=“of”无效：应为 on 或 off"),
    ({"NIANBAO_SEARCH_BUNDLE": "-5"}, "环境变量 NIANBAO_SEARCH_BUNDLE=“-5”无效"),
    ({"NIANBAO_REPORTS": "/nonexistent/reports"}, "环境变量 NIANBAO_REPORTS=“/nonexistent/reports”无效"),
])
def test_a_bad_setting_stops_the_build_with_its_message(small, tmp_path, setting, message):
    done = build(small, tmp_path / "site", "off", extra=setting)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and not (tmp_path / "site" / "luoyuan-songshan").exists()


def test_a_cache_setting_naming_a_file_stops_the_build(small, tmp_path):
    occupied = tmp_path / "cache-file"
    occupied.write_text("not a folder", encoding="utf-8")
    done = build(small, tmp_path / "site", occupied)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"环境变量 NIANBAO_CACHE=“{occupied}”无效：{occupied} 不是目录" in done.stderr


PAGEFIND_ORDERED = ("pagefind-entry.json", ".pf_meta", ".pf_filter")  # what the guide says differs (issue 638)


def test_two_builds_of_one_commit_differ_only_in_the_pagefind_files_the_guide_names(small, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for site in (first, second):
        done = build(small, site, "off", search="on")
        assert done.returncode == 0, done.stderr[-2000:]
    a, b = tree(first), tree(second)
    differing = differences(a, b)
    assert all(name.startswith("pagefind") and name.endswith(PAGEFIND_ORDERED) for name in differing), differing
    same = [name for name in a if name.startswith("pagefind") and name.endswith((".pf_fragment", ".pf_index"))]
    assert same and all(a[name] == b.get(name) for name in same)  # every text fragment and word index


def test_help_promises_only_what_exists():
    help_of = {}
    from nianbao.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in commands.choices.items():
        help_of[name] = sub.format_help()
    top = parser.format_help()
    assert "datapackage" not in help_of["export"].split("网站")[0] and "JSON" not in help_of["export"].split("网站")[0]
    assert "csv-long" in help_of["export"] and "--force" in help_of["export"]
    assert "Word" in top and "Word" in help_of["import"]
    review = help_of["review-paths"]
    assert "--format {text,github}" in review and "GitHub Actions" in review.split("--format")[-1]
    assert "JSON Schema" in help_of["schema"] and "docs/schemas" in help_of["schema"].split("--out")[-1]
    for name, text in help_of.items():  # every option explained
        for line in text.splitlines():
            if line.strip().startswith("--") and "  " not in line.strip() and not line.strip().endswith(","):
                following = text.splitlines()[text.splitlines().index(line) + 1]
                assert following.startswith(" " * 20), (name, line)
