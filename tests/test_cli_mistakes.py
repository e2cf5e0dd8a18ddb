"""Every mistake a user can make with a command gets one clear line and exit 2, never a traceback.

Each command is driven with each class of bad argument, path and environment value, in a real
process (what the user sees), and a failing disk is simulated for each command that writes
(failing_disk.py). The test fails on any traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

TESTS = Path(__file__).resolve().parent
SAMPLE = TESTS / "fixtures" / "samples" / "luoyuan-songshan-2019.txt"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mistakes") / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "README.md"):
        shutil.copy(REPO / name, root)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "reports", root / "reports")
    shutil.copy(SAMPLE, root / "原文.txt")
    (root / "a-file").write_text("not a folder", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def nianbao(project: Path, *args: str, env: dict | None = None, disk: tuple[str, int] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    setup = ""
    if disk is not None:
        setup = f"import failing_disk; failing_disk.install({disk[0]!r}, {disk[1]}); "
    code = f"import sys; sys.path.insert(0, {str(TESTS)!r}); {setup}from nianbao.cli import main; sys.exit(main(sys.argv[1:]))"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    environment.update({"NIANBAO_CACHE": os.environ.get("NIANBAO_CACHE", "off")}, **(env or {}))
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd or project, env=environment,
                          capture_output=True, text=True, timeout=300)


def assert_usage_error(done: subprocess.CompletedProcess, *fragments: str, code: int = 2) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, (done.returncode, done.stdout[-500:], done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.startswith("nianbao: ")]
    assert lines, done.stderr
    for fragment in fragments:
        assert fragment in lines[-1], (fragment, lines[-1])


BAD_ARGUMENTS = [
    # (arguments, what the message must say)
    (["check", "nope"], ["找不到“nope”", "接受"]),
    (["check", "README.md"], ["README.md", "不是报告文件"]),
    (["check", "a-file"], ["a-file", "不是报告文件"]),
    (["check", "docs"], ["docs", "不是报告目录或机构目录"]),
    (["fmt", "nope"], ["找不到“nope”"]),
    (["fmt", "reports/pingtan/2019.md"], ["是报告正文"]),
    (["export", "--out", "x.csv", "nope"], ["找不到“nope”"]),
    (["export", "--out", "x.csv", "reports/pingtan/agency.yml"], ["是机构信息文件"]),
    (["export", "--out", "docs"], ["“docs”是目录", "cells.csv"]),
    (["export", "--out", "README.md"], ["README.md 已存在", "--force"]),
    (["export", "--out", "a-file/x.csv"], ["a-file/x.csv", "不是目录"]),
    (["schema", "--out", "README.md"], ["“README.md”是文件"]),
    (["schema", "--out", "a-file/schemas"], ["a-file/schemas", "不是目录"]),
    (["new", "Bad Slug", "2020"], ["机构代码“Bad Slug”不合规"]),
    (["new", "a-town", "2099", "--name", "某镇人民政府", "--region", "某省"], ["2099 年度还没有到"]),
    (["new", "a-town", "1999", "--name", "某镇人民政府", "--region", "某省"], ["1999 年度没有适用的报告格式"]),
    (["new", "a-town", "2020"], ["--name"]),
    (["new", "a-town", "2020", "--name", "<script>alert(1)</script>", "--region", "某省"], ["机构信息不能使用"]),
    (["new", "a-town", "2020", "--name", "某镇人民政府", "--region", "福建省//罗源县"], ["机构信息不能使用", "所属地区"]),
    (["new", "a-town", "2020", "--name", "某镇: 人民政府", "--region", "某省"], []),  # quoted, not broken: succeeds
    (["new", "luoyuan-songshan", "2020", "--name", "别的镇人民政府"], ["机构已存在", "--name“别的镇人民政府”", "不同"]),
    (["new", "pingtan", "2021"], ["已存在，不会覆盖"]),
    (["new", "a-town", "2020", "--name", "某镇人民政府", "--region", "某省", "--reports", "a-file"], ["a-file"]),
    (["import", "nope.html", "--agency", "a-town", "--year", "2020"], ["找不到“nope.html”"]),
    (["import", "原文.txt"], ["--agency"]),
    (["import", "--manifest", "nope.csv"], ["找不到清单“nope.csv”"]),
    (["merge", "nope", "-d", "site"], ["找不到分片目录“nope”"]),
    (["review-paths", "--base", "no-such-branch"], ["无法读取 git 改动"]),
    (["inbox", "import", "--base", "no-such-branch", "--out", "drafts"], ["无法读取 git 改动"]),
    (["inbox", "import", "--out", "a-file"], ["输出目录“a-file”须为空目录或不存在"]),
    (["inbox", "import", "--out", "docs"], ["输出目录“docs”须为空目录或不存在"]),
    (["inbox", "commit", "nope", "--remote", "x", "--branch", "b", "--head", "0" * 40], ["找不到草稿目录“nope”"]),
]


@pytest.mark.parametrize("arguments, fragments", BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS])
def test_a_bad_argument_is_one_line_and_exit_2(project, arguments, fragments):
    done = nianbao(project, *arguments)
    if not fragments:
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        shutil.rmtree(project / "reports" / arguments[1])
        return
    assert_usage_error(done, *fragments)


@pytest.mark.parametrize("arguments", [["check", "--format", "xml"], ["new", "a-town", "abc"],
                                       ["export", "--format", "json", "--out", "x"], ["export"], ["merge"],
                                       ["import", "--year", "twenty"], ["nonsense"],
                                       ["inbox", "import"], ["inbox", "commit", "drafts"]])
def test_argparse_mistakes_exit_2_with_usage(project, arguments):
    done = nianbao(project, *arguments)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "usage:" in done.stderr


BAD_SETTINGS = [
    ("NIANBAO_JOBS", "abc", "应为正整数"),
    ("NIANBAO_JOBS", "-1", "应为正整数"),
    ("NIANBAO_SEARCH", "maybe", "应为 on 或 off"),
    ("NIANBAO_SEARCH_BUNDLE", "0", "应为正整数"),
    ("NIANBAO_SHARD", "5/4", "1 ≤ K ≤ N"),
    ("NIANBAO_ONLY", "Pingtan/abc", "机构代码/年度"),
    ("NIANBAO_REPORTS", "nope", "找不到目录"),
    ("NIANBAO_CACHE", "a-file", "不是目录"),
]
COMMANDS = [["check"], ["fmt", "--check"], ["export", "--out", "-"], ["schema", "--out", "schemas-copy"],
            ["new", "a-town", "2020"], ["import", "原文.txt", "--agency", "a-town", "--year", "2019"],
            ["merge", "docs", "-d", "site"], ["review-paths"]]


@pytest.mark.parametrize("name, value, expected", BAD_SETTINGS, ids=[f"{n}={v}" for n, v, _ in BAD_SETTINGS])
def test_a_bad_environment_value_stops_every_command(project, name, value, expected):
    for command in COMMANDS:
        done = nianbao(project, *command, env={name: value})
        assert_usage_error(done, f"环境变量 {name}=“{value}”无效", expected)
    assert not (project / "reports" / "a-town").exists() and not (project / "schemas-copy").exists()


WRITERS = [
    # (command, the folder whose writes fail)
    (["export", "--out", "out/cells.csv"], "out"),
    (["schema", "--out", "out/schemas"], "out"),
    (["schema"], "docs/schemas"),
    (["fmt", "reports/pingtan/2021.yml"], "reports/pingtan"),
    (["new", "a-town", "2020", "--name", "某镇人民政府", "--region", "某省"], "reports"),
    (["new", "luoyuan-songshan", "2020"], "reports/luoyuan-songshan"),
    (["import", "原文.txt", "--agency", "a-town", "--year", "2019", "--name", "罗源县松山镇人民政府", "--region", "福建省/福州市/罗源县"],
     "reports"),
]
FAILURES = [(errno.EACCES, "没有权限"), (errno.EROFS, "只读"), (errno.ENOSPC, "磁盘空间已满")]


@pytest.mark.parametrize("code, advice", FAILURES, ids=["read-only folder", "read-only file system", "full disk"])
@pytest.mark.parametrize("command, folder", WRITERS, ids=[" ".join(c[:2]) for c, _ in WRITERS])
def test_a_write_that_fails_names_the_path_and_what_to_do(project, command, folder, code, advice):
    if command[0] == "fmt":  # something to write: the file out of the canonical layout
        path = project / command[1]
        path.write_text(path.read_text(encoding="utf-8").replace("t2:\n", "t2:\n\n"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "reports").rglob("*") if p.is_file()}
    done = nianbao(project, *command, disk=(str(project / folder), code))
    assert_usage_error(done, advice)
    assert "无法写入" in done.stderr and folder.split("/")[-1] in done.stderr.splitlines()[-1]
    assert {p: p.read_bytes() for p in (project / "reports").rglob("*") if p.is_file()} == before
    if command[0] == "fmt":
        assert nianbao(project, *command).returncode == 0


def test_the_working_folder_gone_is_a_message(project, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    code = (f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
            "from nianbao.cli import main; sys.exit(main(['check']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.startswith("nianbao: ")


def mkdocs_build(project: Path, disk: tuple[str, int], env: dict | None = None) -> subprocess.CompletedProcess:
    code = (f"import sys; sys.path.insert(0, {str(TESTS)!r}); import failing_disk; "
            f"failing_disk.install({disk[0]!r}, {disk[1]}); "
            "from mkdocs.__main__ import cli; cli(['build', '--strict'])")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    environment.update(NO_MKDOCS_2_WARNING="1", NIANBAO_SEARCH="off", **(env or {}))
    return subprocess.run([sys.executable, "-c", code], cwd=project, env=environment, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def buildable(tmp_path_factory) -> Path:
    from test_site import make_project

    return make_project(tmp_path_factory.mktemp("readonly"))


@pytest.mark.parametrize("code, advice", FAILURES, ids=["read-only folder", "read-only file system", "full disk"])
@pytest.mark.parametrize("where, named", [(".", ".cache/nianbao"), (".cache", ".cache/nianbao"), ("site", "site")],
                         ids=["read-only repo", "cache", "site folder"])
def test_a_build_that_cannot_write_stops_with_one_line(buildable, where, named, code, advice):
    for folder in ("site", ".cache"):  # a former site and cache: a read-only folder is one that exists
        (buildable / folder).mkdir(exist_ok=True)
    done = mkdocs_build(buildable, (str(buildable / where), code))
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and advice in errors[0] and f"{buildable / named}”" in errors[0], errors
    if named != "site":
        assert "NIANBAO_CACHE" in errors[0]


@pytest.mark.parametrize("code, advice", FAILURES, ids=["read-only folder", "read-only file system", "full disk"])
def test_a_merge_that_cannot_write_its_site_is_told(project, tmp_path, code, advice):
    from test_site import make_project

    source = make_project(tmp_path)
    shard = tmp_path / "shard-1"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    environment.update(NO_MKDOCS_2_WARNING="1", NIANBAO_SEARCH="off", NIANBAO_CACHE="off", NIANBAO_SHARD="1/1")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(shard)], cwd=source, env=environment,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    done = nianbao(project, "merge", str(shard), "-d", str(tmp_path / "site"), disk=(str(tmp_path / "site"), code),
                   env={"NIANBAO_SEARCH": "off"})
    assert_usage_error(done, advice, str(tmp_path / "site"))
