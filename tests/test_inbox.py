"""inbox/: a Word file uploaded in a pull request becomes a checked draft under reports/, by the
workflow's own steps run locally on a fixture pull request; the privileged job never runs the
pull request's code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.core import located
from conftest import REPO
from test_import import same_tables_as_seed, seed_as_docx
from workflow_local import Run, load

WORKFLOW = REPO / ".github/workflows/inbox.yml"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def pull_request(tmp_path: Path, uploads: dict[str, bytes | Path], drop: tuple[str, ...] = ("luoyuan-songshan/2019.yml",
                                                                                              "luoyuan-songshan/2019.md")):
    """An origin (bare) with `main` = the repo's reports minus `drop`, and branch `upload` adding
    `uploads` under inbox/. Returns (origin, base sha, head sha)."""
    work = tmp_path / "editor"
    shutil.copytree(REPO / "reports", work / "reports")
    for name in drop:
        (work / "reports" / name).unlink()
    (work / "inbox").mkdir()
    (work / "inbox/README.md").write_text("把报告原文上传到这里。\n", encoding="utf-8")
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.email", "editor@example.org")
    git(work, "config", "user.name", "editor")
    git(work, "add", "."), git(work, "commit", "-qm", "base")
    base = git(work, "rev-parse", "HEAD")
    git(work, "checkout", "-qb", "upload")
    for name, content in uploads.items():
        if isinstance(content, Path):
            shutil.copyfile(content, work / "inbox" / name)
        else:
            (work / "inbox" / name).write_bytes(content)
    git(work, "add", "."), git(work, "commit", "-qm", "upload")
    head = git(work, "rev-parse", "HEAD")
    origin = tmp_path / "owner" / "repo.git"
    origin.parent.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    return origin, base, head


def event(tmp_path: Path, base: str, head: str, fork: bool = False) -> dict:
    return {"github": {
        "event": {"pull_request": {"number": 7, "base": {"sha": base},
                                   "head": {"sha": head, "ref": "upload",
                                            "repo": {"full_name": "someone/repo" if fork else "owner/repo"}}}},
        "repository": "owner/repo", "server_url": f"file://{tmp_path}", "token": "not-a-real-token"}}


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "松山镇2019年报.docx"
    seed_as_docx(path)
    return path


def test_workflow_turns_an_uploaded_docx_into_a_committed_checked_draft(tmp_path, seed_docx):
    origin, base, head = pull_request(tmp_path, {"松山镇2019年报.docx": seed_docx})
    run = Run(origin, tmp_path / "runner", event(tmp_path, base, head), tmp_path / "artifacts")
    workflow = load(WORKFLOW)
    assert run.job(workflow, "import") == "success"
    assert run.job(workflow, "commit") == "success"
    assert run.skipped == ["import: python -m pip install ./base", "commit: python -m pip install ./base"]

    # The artifact holds the drafts, the manifest and the summary the job page shows.
    drafts = tmp_path / "artifacts/nianbao-inbox-drafts"
    assert sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*") if p.is_file()) == [
        "inbox.json", "reports/luoyuan-songshan/2019.md", "reports/luoyuan-songshan/2019.yml", "summary.md"]
    summary = (tmp_path / "runner/import-temp/summary.md").read_text(encoding="utf-8")
    assert "## ✓ `inbox/松山镇2019年报.docx` → `reports/luoyuan-songshan/2019.yml`" in summary
    assert "198 个直接读出，0 个按勾稽关系拆分确定，0 个不确定" in summary

    # The branch now holds the draft and no longer the upload; nothing else changed.
    tip = git(origin, "rev-parse", "upload")
    assert git(origin, "rev-parse", f"{tip}~1") == head
    assert git(origin, "-c", "core.quotepath=false", "diff", "--name-status", head, tip).splitlines() == [
        "D\tinbox/松山镇2019年报.docx", "A\treports/luoyuan-songshan/2019.md", "A\treports/luoyuan-songshan/2019.yml"]
    checkout = tmp_path / "after"
    git(tmp_path, "clone", "-q", "-b", "upload", f"file://{origin}", str(checkout))
    new = same_tables_as_seed(checkout / "reports/luoyuan-songshan/2019.yml")
    assert new["title"] == "罗源县松山镇2019年政府信息公开工作年度报告" and new["published"] == "2020-01-08"
    assert (checkout / "reports/luoyuan-songshan/2019.yml").read_bytes() == (drafts / "reports/luoyuan-songshan/2019.yml").read_bytes()

    # The check result shown is exactly what `nianbao check` says of the committed draft.
    checked = subprocess.run(["nianbao", "check", "reports/luoyuan-songshan"], cwd=checkout, capture_output=True,
                             text=True, env=venv_env())
    lines = checked.stdout.splitlines()
    manifest = json.loads((drafts / "inbox.json").read_text(encoding="utf-8"))
    assert manifest["entries"][0]["check"] == lines[:-1]
    assert f"- 检查：{lines[-1]}" in summary
    assert (tmp_path / "runner/commit-temp/summary.md").read_text(encoding="utf-8").startswith("草稿已提交到分支 upload")


def test_a_fork_gets_the_artifact_and_no_commit(tmp_path, seed_docx):
    origin, base, head = pull_request(tmp_path, {"report.docx": seed_docx})
    run = Run(origin, tmp_path / "runner", event(tmp_path, base, head, fork=True), tmp_path / "artifacts")
    workflow = load(WORKFLOW)
    assert run.job(workflow, "import") == "success"
    assert run.job(workflow, "commit") == "skipped"
    assert git(origin, "rev-parse", "upload") == head
    assert (tmp_path / "artifacts/nianbao-inbox-drafts/reports/luoyuan-songshan/2019.yml").is_file()


def test_an_upload_that_cannot_be_imported_fails_the_job_and_commits_nothing(tmp_path):
    origin, base, head = pull_request(tmp_path, {"notes.txt": "只是一段文字，不是年度报告。\n".encode()})
    run = Run(origin, tmp_path / "runner", event(tmp_path, base, head), tmp_path / "artifacts")
    workflow = load(WORKFLOW)
    assert run.job(workflow, "import") == "failure"
    assert run.job(workflow, "commit") == "success"  # it runs, finds nothing to commit
    assert git(origin, "rev-parse", "upload") == head
    summary = (tmp_path / "runner/import-temp/summary.md").read_text(encoding="utf-8")
    assert "## ✗ `inbox/notes.txt`\n\n未能导入：\n\n```text\n" in summary
    assert "没有可提交的草稿" in (tmp_path / "runner/commit-temp/summary.md").read_text(encoding="utf-8")


def venv_env() -> dict:
    import os
    import sys

    return dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


# --- The trust boundary, read from the workflow itself ---------------------------------------

def checkouts(job: dict) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]


def writes(job: dict, workflow: dict) -> bool:
    permissions = job.get("permissions", workflow.get("permissions"))
    if permissions in ("write-all", None):
        return True  # None: the repository's default token, which may write
    return permissions != "read-all" and any(v == "write" for v in permissions.values())


def test_no_step_runs_pull_request_code_with_write_permission_or_secrets():
    workflow = load(WORKFLOW)
    assert set(workflow["on"]) == {"pull_request"}  # never pull_request_target: a fork's token stays read-only
    assert workflow["permissions"] == {"contents": "read"}
    privileged = [j for j, job in workflow["jobs"].items() if writes(job, workflow)]
    assert privileged == ["commit"]
    for job_id, job in workflow["jobs"].items():
        text = json.dumps(job, ensure_ascii=False)
        assert "secrets." not in text
        for step in checkouts(job):
            assert step["with"]["persist-credentials"] is False, (job_id, step)
        # Expressions never reach a script: a branch name or title could inject commands.
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), (job_id, step["run"])
        if job_id in privileged:
            # No action that could restore or run anything the pull request wrote (a cache, say).
            assert {s["uses"].split("@")[0] for s in job["steps"] if "uses" in s} == {
                "actions/checkout", "actions/setup-python", "actions/download-artifact"}
            assert "github.token" in json.dumps(job["steps"][-1]) and "github.token" not in json.dumps(job["steps"][:-1])
            # Only the base branch is checked out, installed and run.
            assert [s["with"]["ref"] for s in checkouts(job)] == ["${{ github.event.pull_request.base.sha }}"]
            assert [s["with"]["path"] for s in checkouts(job)] == ["base"]
            assert "head.sha" not in json.dumps([s.get("with", {}) for s in job["steps"]])
            runs = [s["run"] for s in job["steps"] if "run" in s]
            assert runs[0] == "python -m pip install ./base"
            assert all(r.startswith("nianbao inbox commit ") for r in runs[1:])
            assert all("working-directory" not in s for s in job["steps"])
            assert "head.repo.full_name == github.repository" in job["if"]
        else:
            # Where the pull request is checked out, it is only read: by the base branch's tool.
            head = [s for s in checkouts(job) if "head.sha" in s["with"].get("ref", "")]
            assert head and all(s["with"]["path"] == "pr" for s in head)
            assert all(s["with"].get("ref") for s in checkouts(job))  # never the default (merge) ref
            runs = [s for s in job["steps"] if "run" in s]
            assert runs[0]["run"] == "python -m pip install ./base"
            assert all(s["run"].startswith("nianbao inbox import ") for s in runs[1:])


def test_the_path_review_also_installs_only_the_base_branch():
    """pull-request.yml's first job reads the same uploads: the same boundary."""
    workflow = load(REPO / ".github/workflows/pull-request.yml")
    job = workflow["jobs"]["paths"]
    assert [s["run"] for s in job["steps"] if "run" in s][0] == "python -m pip install ./base"
    assert not writes(job, workflow)


# --- Import: where slug, year, name and region come from ---------------------------------------

def import_here(tmp_path: Path, uploads: dict, drop=("luoyuan-songshan/2019.yml", "luoyuan-songshan/2019.md"),
                remove_agency: bool = False):
    from nianbao.editing.inbox.run import import_uploads, write_outputs

    origin, base, head = pull_request(tmp_path, uploads, drop)
    tree = tmp_path / "pr"
    git(tmp_path, "clone", "-q", "-b", "upload", f"file://{origin}", str(tree))
    if remove_agency:
        shutil.rmtree(tree / "reports/luoyuan-songshan")
    out = tmp_path / "out"
    import os

    before = os.getcwd()
    os.chdir(tree)
    try:
        entries = import_uploads(Path("."), out, base)
    finally:
        os.chdir(before)
    write_outputs(entries, out)
    return entries, out


def test_a_new_agency_comes_from_the_sidecar(tmp_path, seed_docx):
    sidecar = "agency: songshan-town\nname: 罗源县松山镇人民政府\nregion: 福建省/福州市/罗源县\n".encode()
    entries, out = import_here(tmp_path, {"x.docx": seed_docx, "x.docx.yml": sidecar}, remove_agency=True)
    [entry] = entries
    assert entry.ok and (entry.slug, entry.year) == ("songshan-town", 2019)  # the year from the title
    assert entry.files == ["reports/songshan-town/2019.md", "reports/songshan-town/2019.yml",
                           "reports/songshan-town/agency.yml"]
    agency = located.parse((out / "reports/songshan-town/agency.yml").read_text(encoding="utf-8")).value
    assert agency == {"name": "罗源县松山镇人民政府", "kind": "乡镇", "region": "福建省/福州市/罗源县"}
    manifest = json.loads((out / "inbox.json").read_text(encoding="utf-8"))
    assert manifest["remove"] == ["inbox/x.docx", "inbox/x.docx.yml"]


def test_a_new_agency_without_a_sidecar_is_told_what_to_write(tmp_path, seed_docx):
    entries, out = import_here(tmp_path, {"x.docx": seed_docx}, remove_agency=True)
    [entry] = entries
    assert not entry.ok and entry.files == []
    assert "仓库中没有与原文机构“罗源县松山镇”同名的机构" in entry.error and "inbox/x.docx.yml" in entry.error
    assert json.loads((out / "inbox.json").read_text(encoding="utf-8"))["remove"] == []
    assert not (out / "reports").exists()


def test_sidecar_mistakes_are_located(tmp_path, seed_docx):
    sidecar = "agency: Song Shan\nyear: 二〇一九\ncolour: red\n".encode()
    entries, _ = import_here(tmp_path, {"x.docx": seed_docx, "x.yml": sidecar})
    [entry] = entries
    assert not entry.ok and entry.sidecar == "inbox/x.yml"
    assert [(p.line, p.col, p.rule) for p in entry.problems] == [(1, 9, "INBOX-META"), (2, 7, "INBOX-META"),
                                                                  (3, 1, "INBOX-META")]
    assert "机构代码“Song Shan”不合规" in entry.problems[0].message
    assert "未知的键“colour”" in entry.problems[2].message


def test_the_sidecar_schema_says_what_the_reader_accepts():
    import jsonschema

    from nianbao.data.schemas import inbox_schema
    from nianbao.editing.inbox import sidecar

    cases = ["agency: a-b\nyear: 2024\nname: 某县人民政府\nregion: 某省/某市/某县\nkind: 人民政府\n", "", "year: 2024\n",
             "agency: A_B\n", "year: '2024'\n", "kind: 局\n", "other: 1\n", "year: 24.5\n", "agency: [a]\n"]
    for text in cases:
        value = located.parse(text, full=True).value
        valid = jsonschema.Draft202012Validator(inbox_schema()).is_valid(value)
        assert valid == (not sidecar.read("x.yml", text.encode()).problems), text


def test_two_uploads_of_one_report_and_unaccepted_files(tmp_path, seed_docx):
    entries, _ = import_here(tmp_path, {"a.docx": seed_docx, "b.docx": seed_docx, "c.doc": b"\xd0\xcf"})
    assert [(e.source, e.ok) for e in entries] == [("inbox/a.docx", True), ("inbox/b.docx", False),
                                                    ("inbox/c.doc", False)]
    assert "与 inbox/a.docx 是同一机构、同一年度的报告" in entries[1].error
    assert "请用 Word 或 WPS “另存为 .docx”后上传" in entries[2].error


def test_an_existing_report_is_not_overwritten(tmp_path, seed_docx):
    entries, _ = import_here(tmp_path, {"a.docx": seed_docx}, drop=())
    assert not entries[0].ok and entries[0].error.startswith("reports/luoyuan-songshan/2019.yml 已存在：inbox 不覆盖")


def test_a_link_in_inbox_is_not_followed(tmp_path, seed_docx):
    from nianbao.editing.inbox.run import Refuse, read_upload

    (tmp_path / "inbox").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "inbox/a.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(Refuse, match="符号链接"):
        read_upload(tmp_path, "a.txt")
    with pytest.raises(Refuse, match="子文件夹"):
        read_upload(tmp_path, "../secret.txt")


def test_a_linked_reports_folder_is_not_read(tmp_path, monkeypatch):
    # The import reads agency.yml files (and copies agency folders) from reports/: a pull request
    # that makes reports/ a link would have it read wherever the link points on the runner.
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(REPO / "reports", elsewhere)
    tree = tmp_path / "pr"
    (tree / "inbox").mkdir(parents=True)
    (tree / "inbox/a.txt").write_text("x", encoding="utf-8")
    (tree / "reports").symlink_to(elsewhere)
    monkeypatch.chdir(tree)
    done = subprocess.run([sys.executable, "-m", "nianbao", "inbox", "import", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "“reports”是符号链接" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


# --- Commit: the artifact is validated again ---------------------------------------------------

@pytest.fixture()
def imported(tmp_path, seed_docx):
    """A fixture pull request and the drafts of its import (the artifact)."""
    from nianbao.editing.inbox.run import import_uploads, write_outputs

    origin, base, head = pull_request(tmp_path, {"a.docx": seed_docx})
    tree = tmp_path / "pr"
    git(tmp_path, "clone", "-q", "-b", "upload", f"file://{origin}", str(tree))
    out = tmp_path / "out"
    write_outputs(import_uploads(tree, out, None), out)
    return origin, head, out


def commit(origin: Path, head: str, out: Path):
    from nianbao.editing.inbox.push import commit_drafts

    return commit_drafts(out, f"file://{origin}", "upload", head)


@pytest.mark.parametrize("tamper, message", [
    (lambda out: (out / "reports/luoyuan-songshan/run.sh").write_text("x"), "与 inbox.json 不符"),
    (lambda out: manifest_edit(out, files=[".github/workflows/evil.yml"]), "不是草稿的文件名"),
    (lambda out: manifest_edit(out, files=["reports/luoyuan-songshan/../../x.yml"]), "不是草稿的文件名"),
    (lambda out: manifest_edit(out, files=["reports/search/2019.yml"]), "不是草稿的文件名"),
    (lambda out: manifest_edit(out, remove=["hooks/nianbao/cli.py"]), "只删除 inbox/ 中导入过的文件"),
    (lambda out: manifest_edit(out, remove=["inbox/README.md"]), "只删除 inbox/ 中导入过的文件"),
    (lambda out: (out / "reports/luoyuan-songshan/2019.md").unlink() or
     (out / "reports/luoyuan-songshan/2019.md").symlink_to("/etc/passwd"), "符号链接"),
    (lambda out: (out / "reports/luoyuan-songshan/2019.md").write_bytes(b"x" * 600_000), "过大"),
    (lambda out: (out / "inbox.json").write_text("[]"), "结构不对"),
])
def test_a_tampered_artifact_commits_nothing(imported, tamper, message):
    from nianbao.editing.inbox.push import Invalid

    origin, head, out = imported
    tamper(out)
    with pytest.raises(Invalid, match=message):
        commit(origin, head, out)
    assert git(origin, "rev-parse", "upload") == head


def manifest_edit(out: Path, files=None, remove=None):
    manifest = json.loads((out / "inbox.json").read_text(encoding="utf-8"))
    if files is not None:
        manifest["entries"][0]["files"] += files
    if remove is not None:
        manifest["remove"] += remove
    (out / "inbox.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_branch_that_moved_on_is_left_alone(imported, tmp_path):
    from nianbao.editing.inbox.push import Invalid

    origin, head, out = imported
    work = tmp_path / "later"
    git(tmp_path, "clone", "-q", "-b", "upload", f"file://{origin}", str(work))
    (work / "inbox/b.txt").write_text("later\n")
    git(work, "-c", "user.email=e@x", "-c", "user.name=e", "commit", "-qam", "x", "--allow-empty")
    git(work, "add", "."), git(work, "-c", "user.email=e@x", "-c", "user.name=e", "commit", "-qm", "later")
    git(work, "push", "-q", "origin", "upload")
    moved = git(origin, "rev-parse", "upload")
    with pytest.raises(Invalid, match="已有新的提交"):
        commit(origin, head, out)
    assert git(origin, "rev-parse", "upload") == moved
    with pytest.raises(Invalid, match="分支名"):
        from nianbao.editing.inbox.push import commit_drafts
        commit_drafts(out, f"file://{origin}", "a..b", head)


def test_the_token_reaches_git_only_through_its_environment(monkeypatch):
    from nianbao.editing.inbox.push import git_env

    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    env = git_env("https://github.com/owner/repo.git")
    assert env["GIT_CONFIG_KEY_0"] == "http.extraheader" and "t0ken" not in env["GIT_CONFIG_VALUE_0"]
    assert "GIT_CONFIG_COUNT" not in git_env("file:///tmp/x.git")


def test_the_documented_sidecars_are_read_without_a_problem():
    import re

    from nianbao.editing.inbox import sidecar

    for name in ("docs/guide.md", "inbox/README.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        block = re.search(r"```yaml\n(agency:.*?)```", text, flags=re.S).group(1)
        meta = sidecar.read("x.yml", block.encode())
        assert meta.problems == [] and meta.values["agency"] == "luoyuan-songshan", name


@pytest.mark.parametrize("sidecar, said", [
    (b"year: 2021\n", "原文为 2019 年度报告，--year 为 2021"),
    (b"agency: pingtan\n", "原文是“罗源县松山镇”的报告"),
])
def test_a_sidecar_cannot_overrule_the_text(tmp_path, seed_docx, sidecar, said):
    """The importer's own identity checks: the sidecar fills gaps, it does not re-label a report."""
    entries, out = import_here(tmp_path, {"x.docx": seed_docx, "x.docx.yml": sidecar})
    [entry] = entries
    assert not entry.ok and said in entry.error, entry.error
    assert not (out / "reports").exists()


def test_a_draft_with_uncertain_cells_fails_the_check_and_is_still_committed(tmp_path):
    """pingtan 2021 prints 行政规范性文件 as 693665: three cells no identity splits. The job is red
    with the UNCERTAIN lines in view, and the draft is committed for the editor to finish."""
    sample = REPO / "tests/fixtures/samples/pingtan-2021.txt"
    origin, base, head = pull_request(tmp_path, {"平潭2021.txt": sample}, drop=("pingtan/2021.yml", "pingtan/2021.md"))
    run = Run(origin, tmp_path / "runner", event(tmp_path, base, head), tmp_path / "artifacts")
    workflow = load(WORKFLOW)
    assert run.job(workflow, "import") == "failure"
    assert run.job(workflow, "commit") == "success"
    summary = (tmp_path / "runner/import-temp/summary.md").read_text(encoding="utf-8")
    shown = summary.split("<details>")[0]  # errors are never folded away
    assert shown.count("error[UNCERTAIN]") == 3 and "“693665”" in shown
    assert "## ! `inbox/平潭2021.txt` → `reports/pingtan/2021.yml`" in summary
    tip = git(origin, "rev-parse", "upload")
    assert git(origin, "show", f"{tip}:reports/pingtan/2021.yml").count('{uncertain: "693665"}') == 3


def test_a_pdf_upload_is_imported_too(tmp_path):
    """A real PDF (printed by Chromium from the 淮安 text) of an agency the repo has: found by the
    name in its title, every cell read."""
    import html

    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM, FLAGS

    text = (REPO / "tests/fixtures/samples/huaian-shizhengfu-2024.txt").read_text(encoding="utf-8")
    pdf = tmp_path / "source.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.set_content(f"<pre style='font-size:10pt'>{html.escape(text)}</pre>")
        page.pdf(path=str(pdf))
        browser.close()
    entries, out = import_here(tmp_path, {"淮安市2024年报.pdf": pdf}, drop=("huaian/2024.yml", "huaian/2024.md"))
    [entry] = entries
    assert entry.ok and (entry.slug, entry.year) == ("huaian", 2024), entry.error
    assert entry.counts == {"certain": 200, "solved": 0, "uncertain": 0}
    assert entry.files == ["reports/huaian/2024.md", "reports/huaian/2024.yml"]


def test_text_from_an_upload_stays_literal_in_the_summary():
    from nianbao.editing.inbox.run import Entry
    from nianbao.editing.inbox.summary import summary

    hostile = "原文机构“```\n![x](https://tracker.example/p.png) <img src=x>”"
    text = summary([Entry(source="inbox/a`b.docx", error=hostile)])
    assert "## ✗ `` inbox/a`b.docx ``" in text
    before, fence, rest = text.partition("````text\n")  # longer than any backtick run in the text
    assert fence and "![x]" not in before and rest.split("\n````\n")[0] == hostile
