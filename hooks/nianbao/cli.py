"""The `nianbao` command for editors. Exit codes: 0 fine, 1 problems found, 2 usage error."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import __version__
from .core.check import summarize
from .core.load import display_path
from .core.atomic import write_text
from .core.oserrors import CannotWrite, describe, writing
from .core.project import ProjectError, default_reports
from .core.schema import AGENCY_KINDS
from .core.settings import SettingError, validate
from .core.model import Problem
from .editing.inbox import command as inbox
from .scale import merge
from . import outputs
from .targets import UsageError, check_targets, resolve

# Each command imports its own parts (the importer, the formatter, the exports): `nianbao check`,
# the one run on every pull request, starts without loading what it does not use.


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        validate()
        return args.run(args)
    except (UsageError, ProjectError, SettingError, CannotWrite) as err:
        print(f"nianbao: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `nianbao check | head`: the reader stopped; no traceback (Python's docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:  # what a user's path or disk can cause: one line, never a traceback
        print(f"nianbao: {describe(err, doing='读写')}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告：检查、编辑与发布工具")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    commands = parser.add_subparsers(title="子命令", metavar="命令")
    check = commands.add_parser("check", help="检查报告的格式与数据，列出全部问题",
                                description="检查报告的格式与数据，逐条列出问题：路径:行:列: 级别[规则] 说明")
    check.add_argument("paths", nargs="*", metavar="路径",
                       help="项目目录、reports/、机构目录、报告文件（<年度>.yml 或 .md）或 agency.yml；默认为项目的 reports/")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="输出格式：text（默认）或 github（GitHub Actions 注释）")
    check.add_argument("--quiet", "-q", action="store_true", help="只列出错误，不列出警告和提示")
    check.set_defaults(run=run_check)

    new = commands.add_parser("new", help="新建一份空白报告（按年度选用格式版本）",
                              description="新建 reports/<机构代码>/<年度>.yml 和 .md；新机构需要 --name 和 --region")
    new.add_argument("slug", metavar="机构代码", help="小写拼音和连字符，如 luoyuan-songshan")
    new.add_argument("year", metavar="年度", type=int)
    new.add_argument("--name", help="机构全称（新机构必填）")
    new.add_argument("--region", help="所属地区，如 福建省/福州市/罗源县（新机构必填）")
    new.add_argument("--kind", choices=list(AGENCY_KINDS), help="机构类型（默认按名称推断）")
    new.add_argument("--reports", help="报告目录（默认为项目的 reports/，在项目的任何子目录中运行都一样）")
    new.set_defaults(run=run_new)

    fmt = commands.add_parser("fmt", help="把报告 YAML 整理为标准版式（保留注释和原值）",
                              description="按标准版式重写报告 YAML：每个表格行一行、列对齐，保留编辑的注释和每个值的原文")
    fmt.add_argument("paths", nargs="*", metavar="路径",
                     help="项目目录、reports/、机构目录或报告数据文件 <年度>.yml；默认为项目的 reports/")
    fmt.add_argument("--check", action="store_true", help="只检查，不改写；有需要整理的文件时退出码为 1")
    fmt.set_defaults(run=run_fmt)

    review = commands.add_parser("review-paths", help="检查拉取请求改动的文件（供 CI 使用）",
                                 description="列出拉取请求改动的文件中需要维护者审核的和不允许的（符号链接、非常规文件名、过大文件）")
    review.add_argument("--base", default="origin/main", help="比较的基准分支（默认 origin/main）")
    review.add_argument("--format", choices=["text", "github"], default="text",
                        help="输出格式：text（默认）或 github（GitHub Actions 注释）")
    review.set_defaults(run=run_review)

    imp = commands.add_parser("import", help="从已发布的报告（网页、复制的文字、PDF、Word）导入为草稿",
                              description="读取已发布的报告，写出 reports/<机构代码>/<年度>.yml 和 .md；"
                                          "无法确定的单元格写作 {uncertain: …}（检查报错，直到对照原文确认），列在汇总中")
    imp.add_argument("source", metavar="来源文件", nargs="?",
                     help="保存的网页（.html）、复制的文字（.txt）、PDF 或 Word（.docx；有 LibreOffice 时也可 .doc/.wps）")
    imp.add_argument("--manifest", metavar="清单.csv",
                     help="批量导入：CSV 清单，列为 source,agency,year,name,region,kind（source 相对清单所在目录）")
    imp.add_argument("--dry-run", action="store_true", help="只读取和检查，不写入任何文件")
    imp.add_argument("--agency", metavar="机构代码", help="机构代码，即 reports/ 下的机构目录名，如 luoyuan-songshan")
    imp.add_argument("--year", type=int, metavar="年度", help="报告年度，如 2019")
    imp.add_argument("--name", help="机构全称（新机构必填）")
    imp.add_argument("--region", help="所属地区，如 福建省/福州市/罗源县（新机构必填）")
    imp.add_argument("--kind", choices=list(AGENCY_KINDS),
                     help="机构类型（默认用已有的 agency.yml 或按原文标题判断，都看不出时按名称推断）")
    imp.add_argument("--reports", help="报告目录（默认为项目的 reports/，在项目的任何子目录中运行都一样）")
    imp.add_argument("--force", action="store_true",
                     help="覆盖已有的报告；原文的年度、机构名称或类型与命令不符时也照样导入")
    imp.set_defaults(run=run_import)

    export = commands.add_parser("export", help="导出开放数据（CSV）",
                                 description="导出报告数据为 CSV：csv-long（每个单元格一行）或 csv-wide（每份报告一行）。"
                                             "网站的“数据下载”页另有每份报告的 JSON 和 datapackage.json，由构建生成")
    export.add_argument("paths", nargs="*", metavar="路径",
                        help="项目目录、reports/、机构目录或报告数据文件 <年度>.yml；默认为项目的 reports/")
    export.add_argument("--format", choices=["csv-long", "csv-wide"], default="csv-long",
                        help="csv-long（默认，每个单元格一行）或 csv-wide（每份报告一行）")
    export.add_argument("--out", required=True, help="输出文件（- 为标准输出）；已有的文件不会覆盖，除非加 --force")
    export.add_argument("--force", action="store_true", help="覆盖已有的输出文件")
    export.set_defaults(run=outputs.run_export)

    schema = commands.add_parser("schema", help="生成报告 YAML 的 JSON Schema（供编辑器补全和提示）",
                                 description="按格式定义重新生成 agency.yml 和各格式版本报告 YAML 的 JSON Schema；"
                                             "编辑器（yaml-language-server）据此补全行名、即时提示错误")
    schema.add_argument("--out", metavar="目录", help="输出目录（默认为项目的 docs/schemas/）")
    schema.set_defaults(run=outputs.run_schema)
    merge.add_command(commands)
    inbox.add_command(commands)
    return parser


def reports_arg(args: argparse.Namespace) -> Path:
    """--reports as given (relative to the working folder), else the project's reports/."""
    return Path(args.reports) if args.reports else default_reports()


def run_check(args: argparse.Namespace) -> int:
    targets = resolve(args.paths, "check")
    print(f"检查 {'、'.join(t.describe() for t in targets)}", file=sys.stderr)
    checked = check_targets(targets)
    problems = sorted(checked.problems, key=lambda p: p.sort_key)
    shown = [p for p in problems if not args.quiet or (p.level == "error" and p.acknowledged is None)]
    for problem in shown:
        print(github_line(problem) if args.format == "github" else problem.format())
    print(summarize(checked.agencies, checked.reports, problems))
    return 1 if any(p.level == "error" and p.acknowledged is None for p in problems) else 0


def run_new(args: argparse.Namespace) -> int:
    from .editing.scaffold import ScaffoldError, new_report

    reports = reports_arg(args)
    try:
        with writing(display_path(reports / args.slug)):
            written = new_report(reports, args.slug, args.year, args.name, args.region, args.kind)
    except ScaffoldError as err:
        print(f"nianbao: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"已创建 {display_path(path)}")
    print("按原文填写后运行 `nianbao check` 检查。")
    return 0


def run_fmt(args: argparse.Namespace) -> int:
    from .editing.fmt import format_file
    from .targets import report_files

    targets = resolve(args.paths, "fmt")
    print(f"整理 {'、'.join(t.describe() for t in targets)}", file=sys.stderr)
    files = report_files(targets)
    failed = changed = 0
    for path in files:
        outcome = format_file(path)
        if outcome.problems:
            failed += 1
            for problem in outcome.problems:
                print(problem.format())
            print(f"{outcome.path}: 有格式问题，未整理（先按上面的提示改正）")
        elif outcome.changed:
            changed += 1
            if args.check:
                print(f"{outcome.path}: 需要整理")
            else:
                with writing(outcome.path):
                    write_text(path, outcome.text)
                print(f"{outcome.path}: 已整理")
    verb = "需要整理" if args.check else "已整理"
    print(f"共 {len(files)} 个报告文件：{changed} 个{verb}，{failed} 个有格式问题。")
    return 1 if failed or (args.check and changed) else 0


def run_review(args: argparse.Namespace) -> int:
    from .editing.review import git_changes, review

    try:
        changes = git_changes(args.base)
    except (OSError, subprocess.CalledProcessError) as err:
        print(f"nianbao: 无法读取 git 改动（{err}）", file=sys.stderr)
        return 2
    problems = review(changes)
    for problem in problems:
        print(github_line(problem) if args.format == "github" else problem.format())
    errors = sum(1 for p in problems if p.level == "error")
    flagged = sum(1 for p in problems if p.rule == "PR-REVIEW")
    print(f"改动了 {len(changes)} 个文件：{errors} 个不允许，{flagged} 个需要维护者审核。")
    return 1 if errors else 0


def run_import(args: argparse.Namespace) -> int:
    from .editing.importer import NotAReport, Refused, import_report

    if args.manifest:
        return run_manifest(args)
    if not (args.source and args.agency and args.year):
        print("nianbao: 请给出来源文件和 --agency、--year，或用 --manifest 批量导入", file=sys.stderr)
        return 2
    source = Path(args.source)
    if not source.is_file():
        print(f"nianbao: 找不到“{source}”", file=sys.stderr)
        return 2
    reports = reports_arg(args)
    try:
        with writing(display_path(reports / args.agency)):
            result = import_report(source, reports, args.agency, args.year, args.name, args.region,
                                   args.kind, args.force, dry_run=args.dry_run)
    except Refused as err:  # the command contradicts the source: a usage error
        print(f"nianbao: 拒绝导入：{err}", file=sys.stderr)
        return 2
    except NotAReport as err:
        print(f"nianbao: 无法导入：{err}", file=sys.stderr)
        return 1
    for path in result.existing:
        print(f"已有 {path}：正式导入时需加 --force 才会覆盖")
    for path in result.written:
        print(f"已写入 {path}")
    c = result.counts
    print(f"格式 {result.edition}；单元格：{c['certain']} 个直接读出，{c['solved']} 个按勾稽关系拆分确定，"
          f"{c['uncertain']} 个不确定")
    for item in result.uncertain:
        print(f"  不确定 {item}")
    for item in result.notes:
        print(f"  提示 {item}")
    for problem in result.problems:
        print(f"  {problem.format()}")
    if result.problems:
        print("以上是导入的数字违反的规则：请对照原文核对；确属原文如此的，在 acknowledged 中确认。")
    print("（--dry-run：没有写入任何文件）" if args.dry_run else "请对照原文逐格核对后运行 `nianbao check`。")
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    from .editing.importer import NotAReport
    from .editing.importer.batch import import_all, summary_line, totals

    manifest = Path(args.manifest)
    if not manifest.is_file():
        print(f"nianbao: 找不到清单“{manifest}”", file=sys.stderr)
        return 2
    try:
        outcomes = import_all(manifest, reports_arg(args), force=args.force, dry_run=args.dry_run)
    except NotAReport as err:
        print(f"nianbao: {err}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        print(summary_line(outcome))
    print(totals(outcomes) + ("（--dry-run：没有写入任何文件）" if args.dry_run else ""))
    return 0 if all(o.ok for o in outcomes) else 1


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
