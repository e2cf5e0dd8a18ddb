"""The all-cores ratio alone, in rounds: baseline, then ours (search off, every core), K times.

    python benchmarks/bench_ratio.py --reports 10000 --rounds 3 [--json out.json]

On a shared machine one pair of builds can be off by 10–40% (a neighbour takes a core for a
minute); bench_build.py makes each build once. Here each round builds the baseline and then our
site right after it, cold cache, and the ratio of that round is reported, with the median over
the rounds: a slow minute spoils one round, not the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from bench_build import baseline_project, our_project, run_build
from generate import generate


def rounds(n: int, count: int, root: Path, seed: int) -> dict:
    corpus = root / "reports"
    generate(corpus, n, seed)
    baseline, ours = baseline_project(root, corpus), our_project(root, corpus)
    pairs = []
    for k in range(count):
        base = run_build(baseline, {})["seconds"]
        mine = run_build(ours, {"NIANBAO_SEARCH": "off"}, cache=root / f"cache-{k}")["seconds"]
        pairs.append({"baseline": base, "ours": mine, "ratio": round(mine / base, 2)})
        print(f"  第 {k + 1} 轮：基线 {base:.2f} s，本项目（无搜索，{os.cpu_count()} 核）{mine:.2f} s，比值 {mine / base:.2f}×",
              flush=True)
    return {"reports": n, "cores": os.cpu_count(), "rounds": pairs,
            "median_ratio": round(statistics.median(p["ratio"] for p in pairs), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description="多轮测量全部核构建与基线之比")
    parser.add_argument("--reports", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="把全部数字另存为 JSON")
    args = parser.parse_args()
    results = []
    for n in args.reports:
        print(f"N = {n:,}", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"nianbao-ratio-{n}-") as folder:
            results.append(rounds(n, args.rounds, Path(folder), args.seed))
        print(f"  中位数比值 {results[-1]['median_ratio']:.2f}×（目标 ≤ 1.0×）", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
