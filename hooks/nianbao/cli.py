"""The `nianbao` command for editors. Exit codes: 0 fine, 1 problems found, 2 usage error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .check import Result, check_path, summarize
from .model import Problem


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告：检查、编辑与发布工具")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    commands = parser.add_subparsers(title="子命令", metavar="命令")
    check = commands.add_parser("check", help="检查报告的格式与数据，列出全部问题",
                                description="检查报告的格式与数据，逐条列出问题：路径:行:列: 级别[规则] 说明")
    check.add_argument("paths", nargs="*", metavar="路径",
                       help="报告目录、机构目录或报告文件；默认为当前目录下的 reports/")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="输出格式：text（默认）或 github（GitHub Actions 注释）")
    check.add_argument("--quiet", "-q", action="store_true", help="只列出错误，不列出警告和提示")
    check.set_defaults(run=run_check)
    return parser


def run_check(args: argparse.Namespace) -> int:
    paths = args.paths or ["reports"]
    problems: list[Problem] = []
    results: list[Result] = []
    for target in paths:
        found = check_target(Path(target))
        if found is None:
            print(f"nianbao: 找不到“{target}”", file=sys.stderr)
            return 2
        result, keep = found
        results.append(result)
        problems.extend(p for p in result.problems if keep(p))
    problems.sort(key=lambda p: p.sort_key)
    shown = [p for p in problems if not args.quiet or (p.level == "error" and p.acknowledged is None)]
    for problem in shown:
        print(github_line(problem) if args.format == "github" else problem.format())
    print(summary(results, problems))
    return 1 if any(p.level == "error" and p.acknowledged is None for p in problems) else 0


def check_target(target: Path):
    """Resolve a path to (result, filter): cross-year rules need the whole agency folder."""
    if not target.exists():
        return None
    target = target.resolve()
    if target.is_file():
        folder = target.parent
        result = check_path(folder.parent, only={folder.name})
        return result, lambda p: Path(p.path).resolve() in (target, target.with_suffix(".md"))
    if (target / "agency.yml").exists() or any(target.glob("*.yml")):
        result = check_path(target.parent, only={target.name})
        return result, lambda p: True
    if (target / "reports").is_dir():
        target = target / "reports"
    return check_path(target), lambda p: True


def summary(results: list[Result], problems: list[Problem]) -> str:
    agencies = sum(len(r.corpus.agencies) for r in results)
    reports = sum(len(r.corpus.reports) for r in results)
    return summarize(agencies, reports, problems)


def github_line(problem: Problem) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[problem.level]
    if problem.acknowledged is not None:
        level = "notice"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if problem.acknowledged is not None:
        message += f"（已确认：{problem.acknowledged}）"
    return (f"::{level} file={problem.path},line={problem.line},col={problem.col},"
            f"title={problem.rule}::{message}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
