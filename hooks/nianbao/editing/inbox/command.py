"""`nianbao inbox import` and `nianbao inbox commit`: the two steps of the inbox workflow
(.github/workflows/inbox.yml), runnable by hand on any checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def add_command(commands) -> None:
    inbox = commands.add_parser("inbox", help="把拉取请求上传到 inbox/ 的报告文件导入为草稿（供 CI 使用）",
                                description="inbox/ 中的 Word、PDF、网页或文字文件：导入、检查，并提交为 reports/ 中的草稿")
    steps = inbox.add_subparsers(title="步骤", metavar="步骤")
    imp = steps.add_parser("import", help="导入 inbox/ 中的文件并检查，把草稿写到输出目录",
                           description="在拉取请求的目录中运行：导入 inbox/ 中上传的每个文件，检查草稿，"
                                       "把草稿、清单 inbox.json 和说明 summary.md 写到 --out（不改动当前目录）")
    imp.add_argument("--base", help="只导入自此提交以来上传或改动的文件（默认 inbox/ 中的全部文件）")
    imp.add_argument("--out", required=True, metavar="输出目录", help="草稿的输出目录（须为空目录或不存在）")
    imp.add_argument("--summary", metavar="文件", help="把说明追加到此文件（GitHub Actions 的 $GITHUB_STEP_SUMMARY）")
    imp.set_defaults(run=run_import)
    commit = steps.add_parser("commit", help="把草稿提交到拉取请求的分支（不运行拉取请求中的任何代码）",
                              description="逐项核对草稿目录，把草稿提交到远程仓库的分支，并删去 inbox/ 中已导入的文件；"
                                          "分支须仍在 --head 所指的提交。令牌取自环境变量 GITHUB_TOKEN")
    commit.add_argument("folder", metavar="草稿目录", help="nianbao inbox import 的输出目录")
    commit.add_argument("--remote", required=True, help="远程仓库地址，如 https://github.com/owner/repo.git")
    commit.add_argument("--branch", required=True, help="拉取请求的分支")
    commit.add_argument("--head", required=True, help="草稿导入时分支所在的提交（40 位）")
    commit.add_argument("--summary", metavar="文件", help="把结果追加到此文件（$GITHUB_STEP_SUMMARY）")
    commit.set_defaults(run=run_commit)
    inbox.set_defaults(run=lambda args: inbox.print_help() or 2)


def run_import(args) -> int:
    from .run import import_uploads, write_outputs

    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"nianbao: 输出目录“{out}”须为空目录或不存在", file=sys.stderr)
        return 2
    from ...core.load import LINK, first_link

    linked = first_link(Path("reports"), Path("inbox"))
    if linked is not None:  # the import would read agencies (or uploads) from wherever it points
        print(f"nianbao: “{linked}”{LINK}", file=sys.stderr)
        return 1
    try:
        entries = import_uploads(Path("."), out, args.base)
    except (OSError, subprocess.CalledProcessError) as err:
        print(f"nianbao: 无法读取 git 改动或读写文件（{err}）", file=sys.stderr)
        return 2
    try:
        text = write_outputs(entries, out)
        append(args.summary, text)
    except OSError as err:
        print(f"nianbao: 无法写入“{err.filename or out}”：{err.strerror}", file=sys.stderr)
        return 2
    print(text, end="")
    return 1 if any(not e.ok or e.failed_check for e in entries) else 0


def run_commit(args) -> int:
    from .push import Invalid, commit_drafts

    if not Path(args.folder).is_dir():
        print(f"nianbao: 找不到草稿目录“{args.folder}”", file=sys.stderr)
        return 2
    try:
        commit = commit_drafts(Path(args.folder), args.remote, args.branch, args.head)
    except Invalid as err:
        print(f"nianbao: 未提交草稿：{err}", file=sys.stderr)
        append(args.summary, f"未提交草稿：{err}\n")
        return 1
    text = "没有可提交的草稿。\n" if commit is None else f"草稿已提交到分支 {args.branch}（提交 {commit[:7]}）。\n"
    print(text, end="")
    append(args.summary, text)
    return 0


def append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
