"""The pull-request gate: what needs a maintainer, what is refused under reports/."""

from __future__ import annotations

import subprocess

from nianbao.editing.review import Change, git_changes, review


def rules(changes):
    return [(p.path, p.rule, p.level) for p in review(changes)]


def test_report_files_pass_and_code_needs_review():
    assert rules([Change("reports/luoyuan-songshan/2019.yml", "100644", 3000),
                  Change("reports/luoyuan-songshan/2019.md", "100644", 9000),
                  Change("reports/luoyuan-songshan/files/2019-original.pdf", "100644", 2_000_000)]) == []
    assert rules([Change("hooks/nianbao_hooks.py", "100644", 100), Change("mkdocs.yml", "100644", 10)]) == [
        ("hooks/nianbao_hooks.py", "PR-REVIEW", "warning"), ("mkdocs.yml", "PR-REVIEW", "warning")]


def test_symlinks_odd_names_and_big_files_are_refused():
    assert rules([Change("reports/x-town/2019.yml", "120000", 10),
                  Change("reports/x-town/报告.yml", "100644", 10),
                  Change("reports/x-town/run.sh", "100644", 10),
                  Change("reports/X_Town/2019.yml", "100644", 10),
                  Change("reports/x-town/2019.md", "100644", 5_000_000),
                  Change("reports/x-town/old.yml", "000000", 0)]) == [
        ("reports/x-town/2019.yml", "PR-SYMLINK", "error"),
        ("reports/x-town/报告.yml", "PR-NAME", "error"),
        ("reports/x-town/run.sh", "PR-NAME", "error"),
        ("reports/X_Town/2019.yml", "PR-NAME", "error"),
        ("reports/x-town/2019.md", "PR-SIZE", "error")]


def test_git_changes_reads_modes_and_sizes(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    (tmp_path / "README.md").write_text("x")
    git("add", "."), git("commit", "-qm", "base")
    (tmp_path / "reports" / "x-town").mkdir(parents=True)
    (tmp_path / "reports" / "x-town" / "2019.yml").write_text("a: 1\n")
    (tmp_path / "reports" / "x-town" / "2020.yml").symlink_to("2019.yml")
    git("add", "."), git("commit", "-qm", "change")
    changes = {c.path: c for c in git_changes("HEAD~1", cwd=str(tmp_path))}
    assert changes["reports/x-town/2019.yml"].size == 5
    assert changes["reports/x-town/2020.yml"].mode == "120000"


def test_inbox_uploads_pass_with_their_size_limits():
    assert rules([Change("inbox/松山镇2019年报.docx", "100644", 2_000_000),
                  Change("inbox/松山镇2019年报.docx.yml", "100644", 200),
                  Change("inbox/report.PDF", "100644", 20_000_000),
                  Change("inbox/page.html", "100644", 300_000),
                  Change("inbox/text.txt", "100644", 30_000)]) == []
    assert rules([Change("inbox/big.pdf", "100644", 40_000_000),
                  Change("inbox/big.txt", "100644", 3_000_000),
                  Change("inbox/big.yml", "100644", 9_000),
                  Change("inbox/link.docx", "120000", 10),
                  Change("inbox/sub/a.docx", "100644", 10),
                  Change("inbox/.hidden.txt", "100644", 10),
                  Change("inbox/a\u202etxt.docx", "100644", 10),
                  Change("inbox/run.sh", "100644", 10),
                  Change("inbox/old.doc", "100644", 10),
                  Change("inbox/README.md", "100644", 10),
                  Change("inbox/gone.docx", "000000", 0)]) == [
        ("inbox/big.pdf", "PR-SIZE", "error"), ("inbox/big.txt", "PR-SIZE", "error"),
        ("inbox/big.yml", "PR-SIZE", "error"), ("inbox/link.docx", "PR-SYMLINK", "error"),
        ("inbox/sub/a.docx", "PR-NAME", "error"), ("inbox/.hidden.txt", "PR-NAME", "error"),
        ("inbox/a\u202etxt.docx", "PR-NAME", "error"), ("inbox/run.sh", "PR-NAME", "error"),
        ("inbox/old.doc", "PR-NAME", "error"), ("inbox/README.md", "PR-REVIEW", "warning")]


def git_repo(tmp_path):
    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    return git


def test_deleting_a_file_outside_reports_needs_review(tmp_path, capsys, monkeypatch):
    git = git_repo(tmp_path)
    files = [".github/workflows/check.yml", "hooks/nianbao_hooks.py", "mkdocs.yml", "docs/rules.md",
             "reports/x-town/2019.yml", "reports/x-town/2019.md"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    git("add", "."), git("commit", "-qm", "base")
    git("checkout", "-q", "-b", "pr")
    for name in (".github/workflows/check.yml", "hooks/nianbao_hooks.py", "reports/x-town/2019.md"):
        git("rm", "-q", name)
    git("mv", "mkdocs.yml", "reports/x-town/2020.md")  # a move is a deletion there and an addition here
    git("commit", "-qm", "pr")
    changes = git_changes("main", cwd=str(tmp_path))
    assert sorted(rules(changes)) == [
        (".github/workflows/check.yml", "PR-REVIEW", "warning"),
        ("hooks/nianbao_hooks.py", "PR-REVIEW", "warning"),
        ("mkdocs.yml", "PR-REVIEW", "warning")]
    assert all("删除" in p.message for p in review(changes))
    # The command a CI job runs says so, and counts them.
    from nianbao.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["review-paths", "--base", "main"]) == 0
    out = capsys.readouterr().out
    assert ".github/workflows/check.yml:1:1: warning[PR-REVIEW]" in out
    assert "3 个需要维护者审核" in out
