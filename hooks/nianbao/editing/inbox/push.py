"""`nianbao inbox commit`: the drafts of `nianbao inbox import` onto the pull request's branch.

This is the one step with a write token, so it trusts nothing it is given: the draft folder came
from a job that read untrusted files, and every path in it is validated again against the names
`nianbao check` and `review-paths` accept. Nothing of the pull request is checked out, installed
or run: its branch is fetched into an empty bare repository, the commit is built with git
plumbing (read-tree, hash-object --no-filters, update-index, write-tree, commit-tree) and pushed
as a fast-forward of exactly the head the drafts were made from.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import subprocess
import tempfile
from pathlib import Path

from ...core.load import SLUG, reserved_slug
from . import paths
from .run import MANIFEST, SUMMARY

DRAFT_NAME = re.compile(r"^reports/([a-z0-9]+(?:-[a-z0-9]+)*)/(agency\.yml|\d{4}\.yml|\d{4}\.md)\Z")
DRAFT_LIMITS = {"agency.yml": 64 * 1024, ".yml": 256 * 1024, ".md": 512 * 1024}  # as review-paths
MANIFEST_LIMIT = 1024 * 1024
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
SHA = re.compile(r"^[0-9a-f]{40}\Z")


class Invalid(Exception):
    """The draft folder or the branch is not what the import step makes (Chinese message)."""


def draft_files(folder: Path) -> tuple[dict, list[str]]:
    """(manifest, draft paths), every file of the folder accounted for and every name checked."""
    manifest_path = folder / MANIFEST
    if manifest_path.is_symlink() or not manifest_path.is_file() or manifest_path.stat().st_size > MANIFEST_LIMIT:
        raise Invalid(f"草稿目录中没有可用的 {MANIFEST}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise Invalid(f"{MANIFEST} 无法读取：{err}") from None
    if not isinstance(manifest, dict) or manifest.get("version") != 1 or not isinstance(manifest.get("entries"), list) \
            or not isinstance(manifest.get("remove"), list):
        raise Invalid(f"{MANIFEST} 的结构不对")
    listed = []
    for entry in manifest["entries"]:
        if isinstance(entry, dict) and entry.get("ok") is True:
            files = entry.get("files")
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                raise Invalid(f"{MANIFEST} 的结构不对")
            listed += files
    for path in listed:
        draft_problem(path)
    for path in manifest["remove"]:
        if not isinstance(path, str) or not paths.in_inbox(path) or paths.name_problem(path[len(paths.INBOX) + 1:]) \
                or paths.kind(path[len(paths.INBOX) + 1:]) not in ("document", "sidecar"):
            raise Invalid(f"不能删除“{str(path)[:80]}”：只删除 inbox/ 中导入过的文件")
    present = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            relative = full.relative_to(folder).as_posix()
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                raise Invalid(f"草稿目录中有符号链接：{relative}")
            if stat.S_ISREG(mode) and relative not in (MANIFEST, SUMMARY):
                present.append(relative)
            elif not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
                raise Invalid(f"草稿目录中有特殊文件：{relative}")
    if sorted(present) != sorted(set(listed)) or len(listed) != len(set(listed)):
        extra = sorted(set(present) ^ set(listed))
        raise Invalid(f"草稿目录中的文件与 {MANIFEST} 不符：{'、'.join(extra[:5]) or '有重复'}")
    for path in present:
        size, limit = (folder / path).stat().st_size, draft_limit(path)
        if size > limit:
            raise Invalid(f"{path} 过大：{size} 字节，上限 {limit} 字节")
    return manifest, sorted(present)


def draft_problem(path: str) -> None:
    found = DRAFT_NAME.match(path)
    if not found or reserved_slug(found.group(1)) or not SLUG.match(found.group(1)):
        raise Invalid(f"“{path[:80]}”不是草稿的文件名：只接受 reports/<机构代码>/agency.yml、<年度>.yml 和 <年度>.md")


def draft_limit(path: str) -> int:
    return DRAFT_LIMITS["agency.yml"] if path.endswith("agency.yml") else DRAFT_LIMITS[Path(path).suffix]


def git_env(remote: str, index: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": BOT[0],
                "GIT_AUTHOR_EMAIL": BOT[1], "GIT_COMMITTER_NAME": BOT[0], "GIT_COMMITTER_EMAIL": BOT[1]})
    token = os.environ.get("GITHUB_TOKEN")
    if token and remote.startswith("https://"):
        # As actions/checkout does, in git's configuration by environment: never in a command line.
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraheader",
                    "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}"})
    if index is not None:
        env["GIT_INDEX_FILE"] = str(index)
    return env


def git(repo: Path, env: dict, *args: str, data: bytes | None = None) -> str:
    # update-index wants a work tree: an empty folder, never written (no -u, no checkout).
    done = subprocess.run(["git", "--git-dir", str(repo), "--work-tree", str(repo.parent / "empty"), *args], env=env, input=data, capture_output=True)
    if done.returncode != 0:
        raise Invalid(f"git {args[0]} 失败：{done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def commit_drafts(folder: Path, remote: str, branch: str, head: str) -> str | None:
    """Commit the drafts and the removal of their uploads onto `branch` of `remote`, which must
    still be at `head`. Returns the new commit, or None when there is nothing to commit."""
    manifest, drafts = draft_files(folder)
    if not drafts:
        return None
    if not SHA.match(head):
        raise Invalid(f"head 应为 40 位提交号：“{head[:50]}”")
    if subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True).returncode != 0 \
            or branch.startswith("-"):
        raise Invalid(f"分支名“{branch[:80]}”不合规")
    with tempfile.TemporaryDirectory(prefix="nianbao-commit-") as scratch:
        repo, index = Path(scratch) / "repo.git", Path(scratch) / "index"
        (Path(scratch) / "empty").mkdir()
        env = git_env(remote, index)
        subprocess.run(["git", "init", "-q", "--bare", str(repo)], env=env, check=True, capture_output=True)
        git(repo, env, "fetch", "-q", "--no-tags", "--depth=1", remote, f"refs/heads/{branch}")
        fetched = git(repo, env, "rev-parse", "FETCH_HEAD")
        if fetched != head:
            raise Invalid(f"分支 {branch} 已有新的提交（{fetched[:7]}，草稿导入自 {head[:7]}）：未提交草稿，新提交的检查会重新导入")
        git(repo, env, "read-tree", head)
        for path in drafts:
            if git_has(repo, env, head, path):
                raise Invalid(f"{path} 在分支上已存在：草稿不覆盖已有的文件")
            blob = git(repo, env, "hash-object", "-w", "--no-filters", "--stdin", data=(folder / path).read_bytes())
            git(repo, env, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}")
        removed = [path for path in manifest["remove"] if git_has(repo, env, head, path)]
        for path in removed:
            git(repo, env, "update-index", "--force-remove", "--", path)
        tree = git(repo, env, "write-tree")
        commit = git(repo, env, "commit-tree", tree, "-p", head, "-m", message(drafts, removed))
        git(repo, env, "push", "-q", remote, f"{commit}:refs/heads/{branch}")
        return commit


def git_has(repo: Path, env: dict, head: str, path: str) -> bool:
    done = subprocess.run(["git", "--git-dir", str(repo), "cat-file", "-e", f"{head}:{path}"], env=env,
                          capture_output=True)
    return done.returncode == 0


def message(drafts: list[str], removed: list[str]) -> str:
    reports = sorted({p.rsplit(".", 1)[0] for p in drafts if not p.endswith("agency.yml")})
    lines = [f"inbox: import {', '.join(reports)}", "", "Drafts made by `nianbao inbox import` from:"]
    return "\n".join(lines + [f"- {path}" for path in removed if paths.kind(path[len(paths.INBOX) + 1:]) == "document"])
