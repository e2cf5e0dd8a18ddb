"""inbox/: a Word file uploaded in a pull request becomes a checked draft under reports/, by the
workflow's own steps run locally on a fixture pull request; the privileged job never runs the
pull request's code."""

from __future__ import annotations

import json
import shutil
import subprocess
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
    assert "## ✗ `inbox/notes.txt`" in summary and "未能导入：" in summary
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
