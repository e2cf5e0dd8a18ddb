"""What the narrative rules (TX-NUM, DEADLINE, DUP) cost `nianbao check`, against the same check
without them, in the same run (ratios, not timed tests: the machine is shared and noisy).

    python benchmarks/bench_rules.py [--reports 1000] [--seed 1] [--repeat 3]

The corpus comes from benchmarks/generate.py (about 16 KB of narrative per report) in a temp
folder. Prints reports/s of the rules alone (corpus loaded once), with and without the three
rules, and of a whole cold `nianbao check` on one core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "hooks"))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from nianbao.core import check, rules, textrules  # noqa: E402,F401
from nianbao.core.load import load_corpus  # noqa: E402

NEW = ("TX-NUM", "DEADLINE", "DUP")


def rules_seconds(corpus, without: tuple[str, ...], repeat: int) -> float:
    saved = dict(rules.RULES)
    for rule_id in without:
        rules.RULES.pop(rule_id)
    try:
        best = float("inf")
        for _ in range(repeat):
            textrules.sentences_of.cache_clear()
            started = time.perf_counter()
            check.check_corpus(corpus)
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        rules.RULES.clear()
        rules.RULES.update(saved)


def cold_check(reports: Path) -> float:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NIANBAO_CACHE=cache)
        started = time.perf_counter()
        subprocess.run(["taskset", "-c", "0", sys.executable, "-m", "nianbao", "check", "-q", str(reports)],
                       env=env, capture_output=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="正文与发布规则的检查开销")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        reports = Path(folder) / "reports"
        n = generate(reports, args.reports, args.seed)
        corpus = load_corpus(reports)
        before = rules_seconds(corpus, NEW, args.repeat)
        after = rules_seconds(corpus, (), args.repeat)
        found = sum(1 for p in check.check_corpus(corpus).problems if p.rule in NEW)
        whole = cold_check(reports)
    print(f"{n} 份报告（种子 {args.seed}），{os.cpu_count()} 核机器：")
    print(f"  规则（不含 TX-NUM/DEADLINE/DUP）：{before:.2f} s，{n / before:.0f} 报告/s")
    print(f"  规则（含这三条）：{after:.2f} s，{n / after:.0f} 报告/s；比值 {after / before:.2f}×；"
          f"这三条规则报告了 {found} 个问题")
    print(f"  完整的 nianbao check（单核，冷缓存，含读取与 Python 启动）：{whole:.2f} s，{n / whole:.0f} 报告/s")


if __name__ == "__main__":
    main()
