"""The commands that write data files where the user points them: `export` and `schema`.

Both refuse a target they would damage or cannot use (an existing file without --force, a folder
where a file is meant, a file in the way of a folder) before any work, with one line saying what to do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.atomic import replace_file
from .core.oserrors import file_in_the_way, writing
from .core.project import schemas_dir
from .targets import UsageError, load_targets, resolve


def refuse_file_in_the_way(path: Path) -> None:
    blocking = file_in_the_way(path)
    if blocking is not None:
        raise UsageError(f"无法写入“{path}”：其中的“{blocking}”是文件，不是目录；请换一个位置")


def run_export(args: argparse.Namespace) -> int:
    from .data.export import long_csv_parts, unconfirmed, wide_csv_parts

    out = None if args.out == "-" else Path(args.out)
    if out is not None:
        if out.is_dir():
            raise UsageError(f"--out“{out}”是目录：请给出文件路径，如 {out / ('cells.csv' if args.format == 'csv-long' else 'reports.csv')}")
        if out.exists() and not args.force:
            raise UsageError(f"{out} 已存在，不会覆盖：换一个文件名，或加 --force 覆盖")
        refuse_file_in_the_way(out)
    targets = resolve(args.paths, "export")
    reports, agencies, errors = load_targets(targets)
    if errors:
        for problem in sorted(errors, key=lambda p: p.sort_key):
            print(problem.format(), file=sys.stderr)
        print(f"nianbao: {len(errors)} 个格式问题，有的报告无法读取，未导出（导出不会漏掉报告）：请先运行 `nianbao check` 改正",
              file=sys.stderr)
        return 1
    waiting = unconfirmed(reports)
    if waiting:  # not data yet: exported neither as blank nor as a value (export.Unconfirmed)
        for problem in waiting:
            print(problem.format(), file=sys.stderr)
        print("nianbao: 有导入时未能确定的单元格，未导出：请先对照原文确认（改为数字，原文确为空白时改为 null）",
              file=sys.stderr)
        return 1
    chunks = (long_csv_parts(reports) if args.format == "csv-long" else wide_csv_parts(reports, agencies))()
    source = "、".join(t.describe() for t in targets)
    if out is None:
        sys.stdout.writelines(chunks)
        print(f"已导出 {len(reports)} 份报告（{source}）", file=sys.stderr)
    else:
        with writing(out):
            replace_file(out, lambda stream: stream.writelines(chunk.encode("utf-8") for chunk in chunks))
        print(f"已导出 {len(reports)} 份报告（{source}）到 {out}", file=sys.stderr)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from .data.schemas import write_schemas

    folder = Path(args.out) if args.out else schemas_dir()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out“{folder}”是文件：请给出放 JSON Schema 的目录（默认为项目的 docs/schemas/）")
    refuse_file_in_the_way(folder)
    with writing(folder):
        written = write_schemas(folder)
    for path in written:
        print(f"已写入 {path}")
    return 0
