"""Build benchmark: our site against plain MkDocs + Material pages of the same text, in one run.

    python benchmarks/bench_build.py                 # N = 1,000
    python benchmarks/bench_build.py --reports 1000 10000

For each N it generates the corpus (benchmarks/generate.py), then builds
  1. the baseline: MkDocs + Material, one plain Markdown page per report with the same narrative
     and a Markdown table of the same size, kept out of the nav, search off;
  2. our site with search off (NIANBAO_SEARCH=off);
  3. our site with the Pagefind search index;
and prints times, ratios against the baseline, pages per second, peak memory, site size, search
index size, `nianbao check` speed on one core (cold and warm cache), a one-agency preview, and,
in headless Chromium, the bytes one query fetches and the time to its first result. Ratios are
against the baseline measured in the same run, so a busy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from proctree import Sampler  # noqa: E402

BASELINE_YML = """site_name: baseline
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins: []
markdown_extensions: [tables, toc, attr_list]
nav:
  - index.md
validation:
  nav:
    omitted_files: ignore
"""


def run_build(project: Path, env_extra: dict[str, str], site_dir: Path | None = None,
              cache: Path | None = None, quiet: bool = True) -> dict:
    """One `mkdocs build` in its own process: wall time, the peak memory of its largest process
    (GNU time) and of all its processes together (sampled), with its own build cache folder."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true",
               NIANBAO_CACHE=str(cache or project / ".cache"), **env_extra)
    command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "mkdocs", "build", *(["-q"] if quiet else []),
               "-f", str(project / "mkdocs.yml")] + (["-d", str(site_dir)] if site_dir else [])
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    sampler = Sampler(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    total = sampler.stop()
    if process.returncode != 0:
        sys.exit(f"build failed in {project}:\n{stderr[-3000:]}")
    peak_kb = int(stderr.strip().splitlines()[-1].split()[1])
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_kb / 1024), "all_processes_mb": round(total / 2**20),
            "log": stderr}


def index_seconds(log: str) -> float:
    """The indexing time the build itself logs: measured inside one build, it does not carry the
    difference between two builds a minute apart (10–40% on a shared machine)."""
    found = re.search(r"搜索索引：.*用时 ([0-9.]+) 秒", log)
    if found is None:
        sys.exit("the build with search did not log its indexing time")
    return float(found.group(1))


def incremental(project: Path, reports: Path, cache: Path) -> dict:
    """Rebuild after one report's narrative and one of its numbers changed, with the warm cache."""
    narrative = sorted(reports.glob("*/*.md"))[len(list(reports.glob("*/*.md"))) // 2]
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n本段为更正说明。\n", encoding="utf-8")
    result = run_build(project, {"NIANBAO_SEARCH": "off"}, cache=cache)
    result["changed"] = narrative.relative_to(reports).as_posix()
    return result


def largest_html_kb(site: Path) -> dict:
    path = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    return {"page": path.relative_to(site).as_posix(), "kb": round(path.stat().st_size / 1024)}


def size_mb(path: Path, pattern: str = "**/*") -> float:
    return round(sum(p.stat().st_size for p in path.glob(pattern) if p.is_file()) / 2**20, 1)


def baseline_project(root: Path, reports: Path) -> Path:
    """Plain pages of the same text: the narrative plus a Markdown table as big as table 三."""
    project = root / "baseline"
    docs = project / "docs"
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(BASELINE_YML, encoding="utf-8")
    (docs / "index.md").write_text("# baseline\n", encoding="utf-8")
    table = "\n".join(["| 行 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
                       "|---|---|---|---|---|---|---|---|"] + [f"| 第{i}行 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
                                                             for i in range(25)])
    for md in sorted(reports.glob("*/*.md")):
        target = docs / md.parent.name / md.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {md.parent.name} {md.stem}\n\n" + md.read_text(encoding="utf-8") + "\n\n" + table + "\n",
                          encoding="utf-8")
    return project


def our_project(root: Path, reports: Path) -> Path:
    project = root / "ours"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project)
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "hooks", project / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # A copy, not a link: the build refuses a linked reports/ (issue 26).
    shutil.copytree(reports, project / "reports")
    return project


def check_speed(reports: Path, cache: Path) -> dict:
    """`nianbao check` pinned to one core, with an empty and then a filled parse cache, then on
    every core with an empty one."""
    found = {}
    for label, pin in (("cold", True), ("warm", True), ("all_cores", False)):
        env = dict(os.environ, NIANBAO_CACHE=str(cache) if pin else "off")
        command = (["taskset", "-c", "0"] if pin else []) + [sys.executable, "-m", "nianbao", "check", "-q",
                                                             str(reports)]
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, text=True,
                       cwd=REPO)  # exit 1 is fine: acknowledged problems are reported too
        found[label] = round(time.perf_counter() - started, 2)
    return found


def preview_seconds(project: Path, slug: str) -> float:
    """A preview of one agency into its own folder, as `mkdocs serve` does (building into the full
    site's folder would first spend its time deleting the previous full build)."""
    result = run_build(project, {"NIANBAO_ONLY": slug, "NIANBAO_SEARCH": "on"}, site_dir=project / "preview-site")
    return result["seconds"]


def tianbao_cost(project: Path) -> dict:
    """The 填报 page's whole share of a build: its page (the edition forms) and its engine (Pyodide
    and the package's Python zip copied into the site), timed here on their own, once. Neither
    depends on the number of reports, so its share of the build shrinks as the archive grows."""
    from nianbao.scale.engine import copy_engine
    from nianbao.site import tianbao

    link = project / "node_modules"
    if not link.exists():
        link.symlink_to(REPO / "node_modules")
    tianbao.edition_form.cache_clear()
    with tempfile.TemporaryDirectory() as site:
        started = time.perf_counter()
        page = tianbao.tianbao_page()
        html = page.text + "".join(page.blocks.made())  # the page and its form
        copied = copy_engine(project, Path(site))
        seconds = time.perf_counter() - started
        engine_mb = size_mb(Path(site))
    link.unlink()
    return {"seconds": round(seconds, 3), "engine_copied": copied, "engine_mb": engine_mb, "page_kb": len(html) // 1024}


def serve(folder: Path):
    handler = functools.partial(type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


# The time from typing to the first result, by the page's own clock: Playwright's waiting for a
# selector polls at growing intervals (up to 500 ms) and measured its own polling as well.
WATCH = """() => { window.nbShown = null; const start = performance.now();
  new MutationObserver((_, seen) => {
    if (document.querySelector('.pagefind-ui__result')) { window.nbShown = performance.now() - start; seen.disconnect(); }
  }).observe(document.getElementById('nb-search'), {childList: true, subtree: true}); }"""


def query_cost(site: Path, query: str, second: str = "依申请公开", scope: str = "") -> dict:
    """In headless Chromium: what the search page fetches from its index for one query (from the
    page's opening, which starts loading the engine, to the first results; the UI script and
    style are the page's own and left out), and the time from typing to the first result."""
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()) if r.ok else 0)
                    if "/pagefind" in r.url and "/pagefind-ui." not in r.url else None)
            page.goto(base + "search/" + scope)
            page.wait_for_selector("input.pagefind-ui__search-input")
            page.wait_for_load_state("networkidle")
            at_open = sum(sizes.values())
            latencies = []
            for number, words in enumerate((query, second)):
                if number:  # a second query on the same page: the engine and index entries are loaded
                    first = dict(sizes)
                    page.fill("input.pagefind-ui__search-input", "")
                    page.wait_for_timeout(300)
                page.evaluate(WATCH)
                page.fill("input.pagefind-ui__search-input", words)
                page.wait_for_selector(".pagefind-ui__result", timeout=30000)
                latencies.append(page.evaluate("() => window.nbShown"))
                page.wait_for_load_state("networkidle")
                if not number:
                    found = page.locator(".pagefind-ui__message").inner_text()
            browser.close()
    finally:
        httpd.shutdown()
    return {"query": query, "scope": scope or "默认", "bytes": sum(first.values()), "bytes_at_open": at_open,
            "requests": len(first), "first_result_ms": round(latencies[0]), "second_query_ms": round(latencies[1]),
            "found": found}


def bench(n: int, root: Path, seed: int) -> dict:
    corpus = root / "reports"
    started = time.perf_counter()
    generate(corpus, n, seed)
    print(f"N={n}: corpus generated in {time.perf_counter() - started:.1f} s", flush=True)
    figures: dict = {"reports": n, "cores": os.cpu_count()}
    baseline = baseline_project(root, corpus)
    figures["baseline"] = run_build(baseline, {})
    print(f"  baseline (plain pages, one process, search off): {figures['baseline']['seconds']} s", flush=True)
    ours = our_project(root, corpus)
    figures["ours_one_job"] = run_build(ours, {"NIANBAO_SEARCH": "off", "NIANBAO_JOBS": "1"}, cache=root / "c1")
    print(f"  ours, search off, 1 job: {figures['ours_one_job']['seconds']} s", flush=True)
    figures["ours_search_off"] = run_build(ours, {"NIANBAO_SEARCH": "off"}, cache=root / "c-all")
    print(f"  ours, search off, all {os.cpu_count()} cores: {figures['ours_search_off']['seconds']} s", flush=True)
    figures["ratio_one_job"] = round(figures["ours_one_job"]["seconds"] / figures["baseline"]["seconds"], 2)
    figures["ratio_all_cores"] = round(figures["ours_search_off"]["seconds"] / figures["baseline"]["seconds"], 2)
    figures["largest_html"] = largest_html_kb(ours / "site")
    figures["incremental"] = incremental(ours, ours / "reports", root / "c-all")
    figures["tianbao"] = tianbao_cost(ours)
    print(f"  ours, one report changed, warm cache: {figures['incremental']['seconds']} s", flush=True)
    figures["ours"] = run_build(ours, {}, cache=root / "c-search", quiet=False)
    figures["search_in_build_seconds"] = index_seconds(figures["ours"]["log"])
    print(f"  ours, with search: {figures['ours']['seconds']} s (index {figures['search_in_build_seconds']} s)",
          flush=True)
    site = ours / "site"
    figures["site_mb"] = size_mb(site)
    figures["baseline_site_mb"] = size_mb(baseline / "site")
    figures["search_index_mb"] = size_mb(site, "pagefind*/**/*")
    figures["check"] = check_speed(corpus, root / "check-cache")
    figures["preview_seconds"] = preview_seconds(ours, sorted(p.name for p in corpus.iterdir())[0])
    figures["query"] = query_cost(site, "行政复议")
    figures["query_all_years"] = query_cost(site, "行政复议", scope="?year=all")
    for build in ("baseline", "ours_one_job", "ours_search_off", "incremental", "ours"):
        figures[build].pop("log")
    return figures


def report(all_figures: list[dict]) -> None:
    print()
    print(f"机器：{platform.machine()}，{os.cpu_count()} 核；Python {platform.python_version()}；"
          f"{time.strftime('%Y-%m-%d')}")
    for f in all_figures:
        n, base, off, on = f["reports"], f["baseline"], f["ours_search_off"], f["ours"]
        search_seconds = on["seconds"] - off["seconds"]  # the same build plus the index
        inside = f["search_in_build_seconds"]  # the index's own time, and the rest of that same build
        print(f"\nN = {n:,}")
        print(f"  基线（同样文字的普通页面，无搜索）  {base['seconds']:8.2f} s  {n / base['seconds']:6.1f} 页/s  "
              f"峰值内存 {base['peak_mb']} MB  站点 {f['baseline_site_mb']} MB")
        one, inc = f["ours_one_job"], f["incremental"]
        print(f"  本项目，无搜索，1 个进程            {one['seconds']:8.2f} s  峰值内存 {one['peak_mb']} MB  "
              f"比值 {f['ratio_one_job']:.2f}×")
        print(f"  本项目，无搜索，{f['cores']} 核               {off['seconds']:8.2f} s  {n / off['seconds']:6.1f} 报告/s  "
              f"最大进程 {off['peak_mb']} MB，全部进程 {off['all_processes_mb']} MB  "
              f"比值 {f['ratio_all_cores']:.2f}×（目标 ≤ 1.0×）")
        print(f"  改动一份报告后重建（热缓存）        {inc['seconds']:8.2f} s = 冷构建的 {inc['seconds'] / off['seconds']:.2f}×"
              f"（目标 ≤ 0.10×）")
        print(f"  本项目，含搜索索引                  {on['seconds']:8.2f} s  最大进程 {on['peak_mb']} MB，"
              f"全部进程 {on['all_processes_mb']} MB  站点 {f['site_mb']} MB  索引 {f['search_index_mb']} MB")
        print(f"  最大的 HTML 页面：{f['largest_html']['page']}，{f['largest_html']['kb']} KB（目标 ≤ 1 MB）")
        t = f["tianbao"]
        print(f"  填报页（页面 {t['page_kb']} KB，引擎 {t['engine_mb']} MB{'' if t['engine_copied'] else '，未装 Pyodide'}）："
              f"{t['seconds']:.2f} s = 无搜索 {f['cores']} 核构建的 {t['seconds'] / off['seconds']:.1%}（目标 ≤ 2%），与报告数无关")
        print(f"  搜索索引用时（同一次构建内）{inside:.2f} s = 其余构建 {on['seconds'] - inside:.2f} s 的 "
              f"{inside / (on['seconds'] - inside):.2f}×（目标 ≤ 0.5×）；两次构建之差 {search_seconds:.2f} s = "
              f"{search_seconds / off['seconds']:.2f}×")
        for q in (f["query"], f["query_all_years"]):
            print(f"  一次查询“{q['query']}”（范围：{q['scope']}，{q['found']}）：{q['bytes'] / 1024:.0f} KB"
                  f"（其中打开页面时 {q['bytes_at_open'] / 1024:.0f} KB），{q['requests']} 个请求，"
                  f"首个结果 {q['first_result_ms']} ms；页面上第二次查询“依申请公开” {q['second_query_ms']} ms"
                  f"（目标 ≤ 500 KB、≤ 300 ms；均含搜索框 100 ms 防抖）")
        c = f["check"]
        print(f"  nianbao check：单核冷 {n / c['cold']:.0f} 报告/s，热缓存 {n / c['warm']:.0f} 报告/s；"
              f"{f['cores']} 核冷 {n / c['all_cores']:.0f} 报告/s（目标 ≥ 1,000）")
        print(f"  单机构预览构建（NIANBAO_ONLY）：{f['preview_seconds']:.2f} s（目标 ≤ 3 s）")
    if len(all_figures) > 1:
        small, big = all_figures[0], all_figures[-1]
        ratio = big["ours"]["seconds"] / small["ours"]["seconds"]
        print(f"\n  {big['reports']:,} 与 {small['reports']:,} 的构建时间比：{ratio:.1f}×"
              f"（目标 ≤ {big['reports'] / small['reports'] * 1.1:.0f}×）；"
              f"{big['reports']:,} 时峰值内存 {big['ours']['peak_mb']} MB（目标 ≤ 2048 MB）")


def main() -> None:
    parser = argparse.ArgumentParser(description="构建基准测试")
    parser.add_argument("--reports", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="把全部数字另存为 JSON")
    args = parser.parse_args()
    results = []
    for n in args.reports:
        with tempfile.TemporaryDirectory(prefix=f"nianbao-bench-{n}-") as folder:
            results.append(bench(n, Path(folder), args.seed))
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
