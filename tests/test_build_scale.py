"""The build on every core, in shards, and from its cache gives the site one process gives."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from test_site import make_project

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


def build_env(cache: Path | str, *, jobs: int = 2, shard: str = "", search: str = "off",
              extra: dict | None = None) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000", NIANBAO_JOBS=str(jobs),
               NIANBAO_SEARCH=search, NIANBAO_CACHE=str(cache), NIANBAO_SHARD=shard,
               NIANBAO_SITE_URL="https://nianbao.example.org/", NIANBAO_SEARCH_BUNDLE="20")
    env.pop("NIANBAO_REPORTS", None)
    env.update(extra or {})
    return env


def build(project: Path, site: Path, cache: Path | str, *, jobs: int = 2, shard: str = "", search: str = "off",
          verbose: bool = False, extra: dict | None = None) -> subprocess.CompletedProcess:
    env = build_env(cache, jobs=jobs, shard=shard, search=search, extra=extra)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
               "-d", str(site)] + (["-v"] if verbose else [])
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def tree(site: Path, skip_search: bool = False) -> dict[str, bytes]:
    """Every file of a site by its path; Pagefind's own folders left out when asked (issue 638:
    its filter and metadata indexes are not the same from run to run)."""
    files = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and not (skip_search and relative.startswith("pagefind")):
            files[relative] = path.read_bytes()
    return files


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(set(a) ^ set(b)) + sorted(name for name in set(a) & set(b) if a[name] != b[name])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """~60 generated reports (both editions, problems acknowledged as editors do) and the seed."""
    project = make_project(tmp_path_factory.mktemp("scale"))
    generate(project / "reports", 60, seed=5, problem_share=0.2)
    return project


@pytest.fixture(scope="module")
def one_job(corpus, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("one") / "site"
    done = build(corpus, site, "off", jobs=1, search="on")
    assert done.returncode == 0, done.stderr[-3000:]
    return site


def test_three_workers_build_the_site_one_process_builds(corpus, one_job, tmp_path):
    done = build(corpus, tmp_path / "site", "off", jobs=3, search="on")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "3 个进程" in done.stderr
    one, three = tree(one_job, skip_search=True), tree(tmp_path / "site", skip_search=True)
    reports = {f"{p.parent.name}/{p.stem}/index.html" for p in (corpus / "reports").glob("*/20[0-9][0-9].yml")}
    assert len(reports) > 50 and reports <= set(one)
    assert differences(one, three) == []
    # The search index itself: the same fragments (one per report) and the same bundle list.
    fragments = sorted(p.name for p in one_job.glob("pagefind*/fragment/*"))
    assert fragments and fragments == sorted(p.name for p in (tmp_path / "site").glob("pagefind*/fragment/*"))


ROUNDS_BUILD = """
import sys
from nianbao.scale import renderpool
renderpool.ROUND = 1  # a new pair of workers for every two batches
real, rounds = renderpool.render_forked, []
def render_forked(*args):
    rounds.append(1)
    return real(*args)
renderpool.render_forked = render_forked
from mkdocs.config import load_config
from mkdocs.commands.build import build
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(f"rounds: {len(rounds)}", file=sys.stderr)
"""


def test_workers_replaced_round_after_round_build_the_same_site(corpus, one_job, tmp_path):
    script = tmp_path / "rounds_build.py"
    script.write_text(ROUNDS_BUILD, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(corpus / "mkdocs.yml"), str(tmp_path / "site")],
                          cwd=corpus, env=build_env("off", search="on"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stderr.rsplit("rounds: ", 1)[1]) > 3
    assert differences(tree(one_job, skip_search=True), tree(tmp_path / "site", skip_search=True)) == []


def test_three_shards_merged_equal_the_one_command_build(corpus, one_job, tmp_path):
    folders = []
    for number in (1, 2, 3):
        folder = tmp_path / f"shard{number}"
        done = build(corpus, folder, tmp_path / "cache", shard=f"{number}/3", search="on")
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"分片 {number}/3" in done.stderr
        folders.append(folder)
    pages = [sum(1 for _ in folder.rglob("*/index.html")) for folder in folders]
    assert all(pages) and max(pages) < sum(pages) / 2  # each shard rendered only its share
    merged = tmp_path / "site"
    merging = dict(os.environ, NIANBAO_CACHE=str(tmp_path / "merge-cache"))
    done = subprocess.run([sys.executable, "-m", "nianbao", "merge", *map(str, folders), "-d", str(merged)],
                          capture_output=True, text=True, timeout=600, env=merging)
    assert done.returncode == 0, done.stderr
    assert "已合并 3 个分片" in done.stdout and "取自构建缓存" not in done.stdout
    assert differences(tree(one_job, skip_search=True), tree(merged, skip_search=True)) == []
    # The next merge, with the same build cache (as the workflow's merge job restores it), indexes
    # no bundle whose documents did not change, and gives the same site.
    again = subprocess.run([sys.executable, "-m", "nianbao", "merge", *map(str, folders), "-d", str(tmp_path / "again")],
                           capture_output=True, text=True, timeout=600, env=merging)
    assert again.returncode == 0, again.stderr
    bundles = len(json.loads((merged / "search-bundles.json").read_text(encoding="utf-8")))
    assert f"搜索索引 {bundles} 个索引包（{bundles} 个未改动，取自构建缓存）" in again.stdout
    assert differences(tree(merged), tree(tmp_path / "again")) == []
    # Bundles of at most 20 reports (NIANBAO_SEARCH_BUNDLE), each holding what its manifest line says,
    # whichever shards wrote its documents (the manifest itself is compared byte for byte above).
    reports = sum(1 for _ in (corpus / "reports").glob("*/20[0-9][0-9].yml"))
    manifest = json.loads((merged / "search-bundles.json").read_text(encoding="utf-8"))
    assert len(manifest) > 3 and sum(line["reports"] for line in manifest) == reports
    for line in manifest:
        entry = json.loads((merged / line["path"] / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert sum(language["page_count"] for language in entry["languages"].values()) == line["reports"] <= 20
    # A missing shard or a shard of another build is refused, naming what is wrong.
    done = subprocess.run([sys.executable, "-m", "nianbao", "merge", str(folders[0]), str(folders[2]),
                           "-d", str(tmp_path / "partial")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "分片 2/3 缺少" in done.stderr
    assert not (tmp_path / "partial").exists()
    # Shards that disagree on a page both hold are refused, naming it.
    (folders[1] / "about" / "index.html").write_text("<html>另一次构建</html>", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "nianbao", "merge", *map(str, folders), "-d", str(tmp_path / "bad")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "about/index.html" in done.stderr and "内容不同" in done.stderr
    assert not (tmp_path / "bad").exists()
    # A folder that is not a former site is never emptied.
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "mine.txt").write_text("editor's notes", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "nianbao", "merge", *map(str, folders), "-d", str(keep)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "为免误删" in done.stderr and (keep / "mine.txt").is_file()


def rendered_units(log: str) -> set[str]:
    return set(re.findall(r"已渲染：(\S+)", log))


def only_regions_of(units: set[str], region: list[str]) -> bool:
    """Some region pages among the units, and only those of `region` and the regions above it."""
    redone = [u[len("page:regions/"):].rsplit("/", 1)[0].split("/") for u in units if u.startswith("page:regions/")]
    return bool(redone) and all(r == region[:len(r)] for r in redone)


REPO_WIDE = {"page:data/nianbao-cells-long.csv", "page:data/nianbao-reports-wide.csv"}


def pieces_in(cache) -> set[str]:
    return {p.name for p in cache.glob("pieces-v1/*/*")}


def test_a_rebuild_renders_only_what_one_changed_report_touches(corpus, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(corpus, project)
    cache = tmp_path / "cache"
    done = build(project, tmp_path / "cold", cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    units = rendered_units(done.stderr)
    agencies = {u for u in units if u.startswith("agency:")}
    assert len(agencies) == sum(1 for p in (project / "reports").iterdir() if p.is_dir())
    # An editor corrects one sentence of one report's narrative.
    narrative = sorted((project / "reports").glob("*/2021.md"))[0]
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n本段为更正说明。\n", encoding="utf-8")
    slug = narrative.parent.name
    pieces = pieces_in(cache)
    done = build(project, tmp_path / "warm", cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    again = rendered_units(done.stderr)
    # Its pages and data files, and its regions' pages (keyed by their agencies' folders, so they
    # are not summed again to find out that they did not change); no other page. The repo-wide
    # CSV files are put together again, only that agency's piece of each made anew.
    region = yaml.safe_load((narrative.parent / "agency.yml").read_text(encoding="utf-8"))["region"].split("/")
    assert {u for u in again if not u.startswith("page:regions/")} == {f"agency:{slug}"} | REPO_WIDE
    assert only_regions_of(again, region)
    assert len(pieces_in(cache) - pieces) == 2 and len(pieces - pieces_in(cache)) == 2
    assert f"读取并检查了 1 个机构的报告，{len(agencies) - 1} 个机构未改动" in done.stderr
    # A changed number reaches the pages that sum it as well, still not the other agencies.
    table = narrative.with_suffix(".yml")
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("year: 2021", "year: 2021\npublished: '2022-01-20'", 1)
                     if "published:" not in text else re.sub(r"published: .*", "published: '2022-01-20'", text, 1),
                     encoding="utf-8")
    # A damaged piece of another agency is made again, not copied into the file.
    victim = sorted(cache.glob("pieces-v1/*/*"))[0]
    victim.write_bytes(victim.read_bytes().replace(b",", b";"))
    done = build(project, tmp_path / "warm2", cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    touched = rendered_units(done.stderr)
    assert f"agency:{slug}" in touched and not {u for u in touched if u.startswith("agency:")} - {f"agency:{slug}"}
    assert len(touched) < len(units) / 3
    assert only_regions_of(touched, region)
    assert any(u.startswith("page:regions/") and u not in touched for u in units)
    cold = tmp_path / "cold-of-changed"
    assert build(project, cold, "off").returncode == 0
    assert differences(tree(cold), tree(tmp_path / "warm2")) == []


def fragments(site: Path) -> dict[str, str]:
    """Pagefind's fragment files (gzip of 'pagefind_dcd' + JSON) by name, one per report, as text
    (Pagefind marks the words it cut Chinese into with zero-width spaces)."""
    return {p.name: gzip.decompress(p.read_bytes()).decode("utf-8").replace("\u200b", "")
            for p in site.glob("pagefind*/fragment/*")}


def test_a_rebuild_indexes_only_the_search_bundle_of_the_changed_report(corpus, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(corpus, project)
    cache = tmp_path / "cache"
    done = build(project, tmp_path / "cold", cache, search="on", verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    bundles = len(json.loads((tmp_path / "cold" / "search-bundles.json").read_text(encoding="utf-8")))
    assert f"搜索索引包：重新生成 {bundles} 个" in done.stderr and bundles > 3
    narrative = sorted((project / "reports").glob("*/2021.md"))[0]
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n本段为更正说明。\n", encoding="utf-8")
    done = build(project, tmp_path / "warm", cache, search="on", verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"搜索索引包：重新生成 1 个，{bundles - 1} 个未改动、取自构建缓存" in done.stderr
    found = [text for text in fragments(tmp_path / "warm").values() if "本段为更正说明" in text]
    assert len(found) == 1 and narrative.parent.name in found[0]
    # A damaged file of a stored bundle: that bundle is indexed again, never copied.
    victim = sorted(cache.glob("search/pages-v1/*/*/files/fragment/*"))[0]
    victim.write_bytes(b"damaged")
    done = build(project, tmp_path / "warm2", cache, search="on", verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"搜索索引包：重新生成 1 个，{bundles - 1} 个未改动" in done.stderr
    assert build(project, tmp_path / "cold2", "off", search="on").returncode == 0
    assert fragments(tmp_path / "warm2") == fragments(tmp_path / "cold2")  # what a cold build indexes
    assert (tmp_path / "warm2" / "search-bundles.json").read_bytes() == \
        (tmp_path / "cold2" / "search-bundles.json").read_bytes()


def test_a_rebuild_into_the_old_site_folder_leaves_only_the_new_site(corpus, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(corpus, site, cache).returncode == 0
    first = tree(site)
    (site / "removed-page").mkdir()
    (site / "removed-page" / "index.html").write_text("<html>旧页面</html>", encoding="utf-8")
    # The old folder is moved aside and deleted while the build works; the command waits for it.
    done = build(corpus, site, cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "上次构建的网站目录已移到" in done.stderr
    assert differences(tree(site), first) == []
    assert not (cache / "old-sites").exists()
    # With --dirty MkDocs keeps what is there, and so does the build.
    (site / "kept.txt").write_text("x", encoding="utf-8")
    dirty = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "-q", "-d", str(site)], cwd=corpus,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1", NIANBAO_SEARCH="off", NIANBAO_CACHE=str(cache),
                                    SOURCE_DATE_EPOCH="1700000000", NIANBAO_SITE_URL="https://nianbao.example.org/"),
                           capture_output=True, text=True, timeout=600)
    assert dirty.returncode == 0, dirty.stderr[-3000:]
    assert (site / "kept.txt").is_file()


def test_a_damaged_cache_entry_is_rendered_again_not_served(corpus, tmp_path):
    cache = tmp_path / "cache"
    assert build(corpus, tmp_path / "first", cache).returncode == 0
    victim = next(p for p in sorted(cache.glob("pages-v1/*/*/files/**/index.html")) if "/20" in p.as_posix())
    victim.write_text("<html>tampered</html>", encoding="utf-8")
    done = build(corpus, tmp_path / "second", cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(rendered_units(done.stderr)) == 1
    # Sites are linked to the cache's files, so the damage shows in the first site too: compare
    # with a build that used no cache.
    assert build(corpus, tmp_path / "cold", "off").returncode == 0
    assert differences(tree(tmp_path / "cold"), tree(tmp_path / "second")) == []
    assert b"tampered" not in b"".join(tree(tmp_path / "second").values())


def test_a_cache_restored_with_other_file_times_is_still_used(corpus, tmp_path):
    """Files whose size and time are as stored are taken unread; others are hashed, so a CI cache
    restored with new times is used, while a tampered file of the same size is still caught."""
    cache = tmp_path / "cache"
    assert build(corpus, tmp_path / "first", cache).returncode == 0
    stored = sorted(p for p in cache.glob("pages-v1/*/*/files/**/*") if p.is_file())
    for path in stored:
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    victim = next(p for p in stored if p.name == "index.html" and "/20" in p.as_posix())
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.replace("<", "[", 1), encoding="utf-8")  # same size, new time
    done = build(corpus, tmp_path / "second", cache, verbose=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(rendered_units(done.stderr)) == 1  # only the tampered one's unit
    assert build(corpus, tmp_path / "cold", "off").returncode == 0
    assert differences(tree(tmp_path / "cold"), tree(tmp_path / "second")) == []


FAILING_BUILD = """
import sys
from nianbao.site import render
real = render.render_table
def render_table(report, tid, problems=()):
    if report.agency == sys.argv[2]:
        raise ValueError("表格无法生成")
    return real(report, tid, problems)
render.render_table = render_table
from nianbao.site import pages
pages.render_table = render_table
from mkdocs.config import load_config
from mkdocs.commands.build import build
try:
    build(load_config(sys.argv[1], site_dir=sys.argv[3]))
except Exception as err:  # as the mkdocs command does: the message, not a traceback
    print(f"Aborted: {err}", file=sys.stderr)
    sys.exit(1)
"""


def test_a_failing_worker_stops_the_build_with_its_file_and_leaves_no_site(corpus, tmp_path):
    victim = sorted(p.name for p in (corpus / "reports").iterdir() if p.is_dir())[-1]
    script = tmp_path / "failing_build.py"
    script.write_text(FAILING_BUILD, encoding="utf-8")
    marker = f"nianbao-test-{os.getpid()}-{tmp_path.name}"
    env = dict(os.environ, NIANBAO_JOBS="2", NIANBAO_SEARCH="off", NIANBAO_CACHE=str(tmp_path / "cache"),
               NIANBAO_TEST_MARKER=marker)
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, str(script), str(corpus / "mkdocs.yml"), victim, str(site)],
                          cwd=corpus, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert f"reports/{victim}/" in done.stderr and "表格无法生成" in done.stderr
    assert "页面未能生成" in done.stderr and "Traceback" not in done.stderr
    assert not any(site.rglob("*.html"))  # nothing of the site was written
    leftovers = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                leftovers.append(proc.name)
        except OSError:
            continue
    assert leftovers == []


def test_a_bad_shard_setting_stops_the_build_saying_how_to_write_it(corpus, tmp_path):
    done = build(corpus, tmp_path / "site", "off", shard="4/3")
    assert done.returncode != 0
    assert "环境变量 NIANBAO_SHARD=“4/3”无效：应写成“第几片/共几片”，如 2/4，且 1 ≤ K ≤ N" in done.stderr


def test_serve_rebuilds_a_saved_report_from_the_cache(tmp_path):
    """An editor saves a report during `mkdocs serve`: the reload renders that agency only."""
    import socket
    import time
    import urllib.request

    project = make_project(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NIANBAO_JOBS="2", NIANBAO_CACHE=str(tmp_path / "cache"))
    env.pop("NIANBAO_REPORTS", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-v", "-a",
                                   f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")], cwd=project, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        def wait_for(text: str, count: int = 1) -> str:
            for _ in range(600):
                seen = log.read_text(encoding="utf-8")
                if seen.count(text) >= count:
                    return seen
                time.sleep(0.1)
            raise AssertionError(f"未见“{text}”：\n{log.read_text(encoding='utf-8')[-3000:]}")

        wait_for("Serving on")
        url = f"http://127.0.0.1:{port}/luoyuan-songshan/2019/"
        assert "本段为更正说明" not in urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
        narrative = project / "reports" / "luoyuan-songshan" / "2019.md"
        narrative.write_text(narrative.read_text(encoding="utf-8") + "\n本段为更正说明。\n", encoding="utf-8")
        # MkDocs drops a log line it has printed before ("Documentation built in 1.23 seconds" of two
        # builds as long): the server's own line after a rebuild is the signal.
        seen = wait_for("Reloading browsers")
        again = rendered_units(seen.split("Detected file changes")[1])
        assert {u for u in again if not u.startswith("page:regions/")} == {"agency:luoyuan-songshan"} | REPO_WIDE
        assert only_regions_of(again, ["福建省", "福州市", "罗源县"])
        assert "本段为更正说明" in urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
