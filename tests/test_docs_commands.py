"""Every command line of README.md and docs/guide.md runs, as written, in a fresh copy of the repo.

Each ```bash block's lines are the commands. Each runs in its own copy of the repo's files (git
initialised, with an origin/main as a clone has), with the project's .venv first on PATH, and
must exit 0. Placeholders the docs name (原文.html, 2019年报告.docx, 清单.csv and its sources) are
made from the samples in tests/fixtures. What a command needs first (the shards a merge merges)
is done by the documented command it refers to. A command that cannot run in a test is listed in
SKIPPED with the reason; a command line the test does not know fails it, so a documented command
can no longer be added, or break, unnoticed.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

DOCS = ["README.md", "docs/guide.md"]
SAMPLES = REPO / "tests" / "fixtures" / "samples"
VENV_BIN = Path(sys.executable).parent

SKIPPED = {
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/mkdocs serve":
        "installs from the package registry and then serves until stopped; the test runs in that .venv",
    "bash tests/run.sh": "the whole test suite, this test among it",
    "python3 -m venv .venv && .venv/bin/pip install -e . && source .venv/bin/activate":
        "installs from the package registry; the test runs in that .venv",
    "python3 -m venv .venv && .venv/bin/pip install -e \".[test]\" && source .venv/bin/activate":
        "installs from the package registry; the test runs in that .venv",
    "python3 -m venv ../review-venv && ../review-venv/bin/pip install \"$BASE_CHECKOUT\"":
        "installs the base branch's checkout with its dependencies from the package registry",
    "mkdocs serve": "serves on the fixed port 8000 until stopped (shared by other processes on a test machine); "
                    "its build is `mkdocs build`, run below",
}
# Run in place of a skipped command: the same thing without what cannot run in a test.
INSTEAD = {
    "NIANBAO_ONLY=luoyuan-songshan mkdocs serve": "NIANBAO_ONLY=luoyuan-songshan mkdocs build --strict",
    "NIANBAO_ONLY=luoyuan-songshan/2019 mkdocs serve": "NIANBAO_ONLY=luoyuan-songshan/2019 mkdocs build --strict",
    "../review-venv/bin/nianbao review-paths --base \"$BASE_SHA\"": "nianbao review-paths --base \"$BASE_SHA\"",
}
# Every command line the docs hold; a new one fails the test until it is added here (run, or skipped).
KNOWN = {
    "nianbao import 原文.html --agency luoyuan-songshan --year 2019",
    "nianbao import 原文.html --agency luoyuan-songshan --year 2019 --dry-run",
    "nianbao new luoyuan-songshan 2020",
    "nianbao check",
    "nianbao fmt",
    "nianbao schema",
    "nianbao review-paths --base origin/main",
    "nianbao inbox import --base origin/main --out drafts",
    "nianbao export --format csv-long --out cells.csv",
    "nianbao merge shard-1 shard-2 -d site",
    "nianbao check reports/luoyuan-songshan/2019.yml",
    "nianbao check --format github",
    "nianbao import 2019年报告.docx --agency luoyuan-songshan --year 2019",
    "nianbao import --manifest 清单.csv --dry-run",
    "nianbao import --manifest 清单.csv",
    "nianbao new luoyuan-qibu 2023 --name 罗源县起步镇人民政府 --region 福建省/福州市/罗源县",
    "nianbao fmt --check",
    "nianbao check && nianbao fmt --check",
    "SOURCE_DATE_EPOCH=\"$(git log -1 --format=%ct)\" NIANBAO_SITE_URL=\"https://你的域名/\" mkdocs build --strict",
    "NIANBAO_SHARD=1/4 mkdocs build --strict -d shard-1",
    "nianbao merge shard-1 shard-2 shard-3 shard-4 -d site",
} | set(SKIPPED) | set(INSTEAD)


def documented() -> list[tuple[str, str]]:
    """(document, command line) of every bash block, comments stripped, in order, once each."""
    found = []
    for name in DOCS:
        text = (REPO / name).read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            for line in block.splitlines():
                command = strip_comment(line).strip()
                if command and (name, command) not in found and command not in {c for _, c in found}:
                    found.append((name, command))
    return found


def strip_comment(line: str) -> str:
    """The line without its trailing `# …` comment (a # inside quotes stays)."""
    quoted = None
    for i, char in enumerate(line):
        if char in "\"'" and quoted in (None, char):
            quoted = None if quoted else char
        elif char == "#" and quoted is None and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def files() -> list[str]:
    return tracked_files()


def fresh_copy(target: Path, files: list[str]) -> Path:
    """The repo's files as a fresh clone has them: git history of one commit, origin/main at it."""
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.org"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fresh copy"],
                 ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        subprocess.run(git + step, cwd=target, check=True, capture_output=True)
    return target


def sample_text(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def as_html(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    return f"<!doctype html><html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>{body}</body></html>"


def as_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(path)


def guide_manifest() -> str:
    text = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    return re.search(r"```csv\n(.*?)```", text, flags=re.S).group(1)


PLACEHOLDERS = {
    # file a command names -> how it is made from the samples
    "原文.html": lambda root: (root / "原文.html").write_text(as_html(sample_text("luoyuan-songshan-2019")), encoding="utf-8"),
    "2019年报告.docx": lambda root: as_docx(sample_text("luoyuan-songshan-2019"), root / "2019年报告.docx"),
    "清单.csv": lambda root: (
        (root / "清单.csv").write_text(guide_manifest(), encoding="utf-8"),
        as_docx(sample_text("luoyuan-songshan-2019"), root / "松山镇2019.docx"),
        (root / "平潭2021.html").write_text(as_html(sample_text("pingtan-2021")), encoding="utf-8")),
}
# The samples are the repo's own reports: a documented import brings in a report not yet there.
IMPORTED = {"原文.html": ["luoyuan-songshan/2019"], "2019年报告.docx": ["luoyuan-songshan/2019"],
            "清单.csv": ["luoyuan-songshan/2019", "pingtan/2021"]}


def environment(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", NO_MKDOCS_2_WARNING="1",
               BASE_SHA=head, NIANBAO_CACHE=os.environ.get("NIANBAO_CACHE", "off"))
    return env


def shell(command: str, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=root, env=environment(root), capture_output=True, text=True,
                          timeout=900)


def prepare(command: str, root: Path) -> None:
    for placeholder, make in PLACEHOLDERS.items():
        if placeholder in command:
            make(root)
            for report in IMPORTED[placeholder]:
                for path in (root / "reports").glob(f"{report}.*"):
                    path.unlink()
    merged = re.match(r"nianbao merge ((?:shard-\d+ )+)-d", command)
    if merged:  # the shards it merges, each built by the documented `NIANBAO_SHARD=K/N mkdocs build`
        shards = merged.group(1).split()
        for number in range(1, len(shards) + 1):
            done = shell(f"NIANBAO_SHARD={number}/{len(shards)} mkdocs build --strict -d shard-{number}", root)
            assert done.returncode == 0, done.stderr[-3000:]


def test_the_test_knows_every_documented_command():
    unknown = [f"{doc}: {command}" for doc, command in documented() if command not in KNOWN]
    assert not unknown, "documented commands this test does not know (run them or skip with a reason):\n" + "\n".join(unknown)
    gone = KNOWN - {command for _, command in documented()}
    assert not gone, f"listed here but no longer documented: {sorted(gone)}"


@pytest.mark.parametrize("doc, command", documented(), ids=[c for _, c in documented()])
def test_a_documented_command_runs_as_written(doc, command, files, tmp_path):
    if command in SKIPPED:
        pytest.skip(SKIPPED[command])
    root = fresh_copy(tmp_path / "repo", files)
    command = INSTEAD.get(command, command)
    prepare(command, root)
    done = shell(command, root)
    assert done.returncode == 0, f"{doc}: {command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
