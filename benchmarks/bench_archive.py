"""Archive-scale build: does N = 100,000 build, with search, on this machine, and in what memory?

    python benchmarks/bench_archive.py --reports 100000 [--json out.json]

The full comparison (baseline, one job, incremental, queries) is bench_build.py; at 100,000
reports each of its builds takes the better part of an hour on two cores, so this script makes
only the build that the target is about: ours, every core, search on, cold cache, with the peak
memory of the largest process and of all processes together, the site and index sizes and the
largest HTML page.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench_build import largest_html_kb, our_project, run_build, size_mb
from generate import generate


def archive(n: int, root: Path, seed: int) -> dict:
    corpus = root / "reports"
    started = time.perf_counter()
    generate(corpus, n, seed)
    print(f"N={n}: corpus generated in {time.perf_counter() - started:.1f} s", flush=True)
    ours = our_project(root, corpus)
    build = run_build(ours, {}, cache=root / "cache")
    build.pop("log")
    site = ours / "site"
    return {"reports": n, "cores": os.cpu_count(), "ours": build, "site_mb": size_mb(site),
            "search_index_mb": size_mb(site, "pagefind*/**/*"), "largest_html": largest_html_kb(site)}


def main() -> None:
    parser = argparse.ArgumentParser(description="档案规模的构建")
    parser.add_argument("--reports", type=int, nargs="+", default=[100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for n in args.reports:
        with tempfile.TemporaryDirectory(prefix=f"nianbao-archive-{n}-") as folder:
            f = archive(n, Path(folder), args.seed)
        results.append(f)
        b = f["ours"]
        print(f"N = {n:,}，{f['cores']} 核，含搜索：{b['seconds']:.0f} s，最大进程 {b['peak_mb']} MB，"
              f"全部进程 {b['all_processes_mb']} MB，站点 {f['site_mb']} MB，索引 {f['search_index_mb']} MB，"
              f"最大 HTML {f['largest_html']['page']} {f['largest_html']['kb']} KB", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
