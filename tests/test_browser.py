"""The built site in a real browser (Debian's Chromium through Playwright), as readers use it."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from conftest import report_data, write_report
from test_site import build, make_project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGES = {"首页": "", "按机构": "agencies/", "机构": "luoyuan-songshan/", "按年度": "years/",
         "年度": "years/2019/", "报告": "luoyuan-songshan/2019/", "核验规则": "rules/", "比较": "compare/",
         "地区": "regions/福建省/福州市/罗源县/", "数据下载": "data/"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class RecordingHandler(QuietHandler):
    """Keeps the path of every request the server answered (a subclass per server holds its own list)."""

    paths: list[str] = []

    def send_head(self):
        self.paths.append(self.path)
        return super().send_head()


def serve(site: Path, handler=QuietHandler):
    """A local server of a built site on a free port, in a thread: (server, its base URL)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("browser"))
    write_report(project / "reports", report_data(slug="ceshi-zhen", year=2022))
    done = build(project)
    assert done.returncode == 0, done.stderr
    httpd, url = serve(project / "site")
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def two_year_server(tmp_path_factory):
    """An agency with two years of reports: its page draws the charts (one year draws none)."""
    project = make_project(tmp_path_factory.mktemp("two-years"), seed=False)
    for year in (2022, 2023):
        write_report(project / "reports", report_data(slug="ceshi-zhen", year=year))
    done = build(project)
    assert done.returncode == 0, done.stderr
    httpd, url = serve(project / "site")
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert shutil.which("chromium") or shutil.os.path.exists(CHROMIUM), \
        "Debian chromium is missing: run the test command `bash tests/run.sh`, which installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def test_no_page_requests_anything_outside_the_site(page, server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for url in PAGES.values():
        page.goto(server + url)
        page.wait_for_load_state("networkidle")
    search(page, "松山镇")
    page.wait_for_load_state("networkidle")
    outside = [u for u in requests if not u.startswith(server) and not u.startswith("data:")]
    assert outside == []
    assert len(requests) > len(PAGES)


def search(page, query):
    """Type into the search box in the site header and submit, as a reader does."""
    page.locator("#nb-q").click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)


@pytest.mark.parametrize("query", ["松山镇", "我镇主动公开政府信息", "罗源县", "测试镇"])
def test_search_finds_the_report_first_and_opens_it(page, server, query):
    page.goto(server + PAGES["按年度"])
    search(page, query)
    first = page.locator(".pagefind-ui__result-link").first
    expected = "ceshi-zhen/2022" if query == "测试镇" else "luoyuan-songshan/2019"
    assert expected in first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**/{expected}/**")
    assert page.locator("h1").first.inner_text().endswith("政府信息公开工作年度报告")


def test_search_filters_by_year(page, server):
    page.goto(server)
    search(page, "政府信息公开")
    assert page.locator(".pagefind-ui__result").count() == 2
    page.get_by_label("2019", exact=False).first.check()
    page.wait_for_timeout(800)
    links = [page.locator(".pagefind-ui__result-link").nth(i).get_attribute("href")
             for i in range(page.locator(".pagefind-ui__result-link").count())]
    assert links and all("2019" in link for link in links)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(page, server, name):
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_search_results_accessibility(page, server):
    page.goto(server)
    search(page, "行政复议")
    page.wait_for_timeout(600)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [(n["target"], n.get("failureSummary", "")[:200])
                                                 for n in v["nodes"]][:3]) for v in serious]


def test_keyboard_focus_is_visible_and_reaches_the_tables(page, server):
    page.goto(server + PAGES["报告"])
    seen_region = False
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement; const s = getComputedStyle(el);
            return {tag: el.tagName, cls: el.className, role: el.getAttribute('role'),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none'};
        }""")
        if info["tag"] in ("A", "BUTTON", "INPUT", "DIV") and info["tag"] != "BODY":
            assert info["outline"] or info["shadow"], info
        if info["role"] == "region" and "nb-table-scroll" in info["cls"]:
            seen_region = True
            break
    assert seen_region, "the statutory tables' scroll regions are reachable by keyboard"


def test_elder_mode_persists(page, server):
    page.goto(server + PAGES["报告"])
    toggle = page.locator("#nb-elder-toggle")
    assert toggle.inner_text() == "长者模式" and toggle.get_attribute("aria-pressed") == "false"
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle.click()
    page.goto(server + PAGES["年度"])
    assert page.evaluate("document.documentElement.classList.contains('nb-elder')")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > base * 1.2
    assert page.locator("#nb-elder-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#nb-elder-toggle").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('nb-elder')")


def test_tables_scroll_sideways_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(server + PAGES["报告"])
    region = page.locator("#table-t3").locator("xpath=..")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth, document.documentElement.scrollWidth]")
    assert sizes[0] > sizes[1]  # the table scrolls inside its region ...
    assert sizes[2] <= 375 + 1  # ... and the page itself does not
    context.close()


def test_print_keeps_tables_whole(page, server):
    page.goto(server + PAGES["报告"])
    page.emulate_media(media="print")
    header_visible = page.locator(".md-header").evaluate("el => getComputedStyle(el).display")
    thead = page.locator("#table-t3 thead").evaluate("el => getComputedStyle(el).display")
    row_break = page.locator("#table-t3 tbody tr").first.evaluate("el => getComputedStyle(el).breakInside")
    assert (header_visible, thead, row_break) == ("none", "table-header-group", "avoid")
    pdf = page.pdf(landscape=True)
    assert pdf[:4] == b"%PDF"


def test_compare_page_loads_the_chosen_year_and_sorts(page, server):
    page.goto(server + PAGES["比较"])
    rows = page.locator("table.nb-summary-table tbody tr")
    expect(page.locator(".nb-count")).to_have_text("共 1 行")
    assert rows.count() == 1 and "测试县测试镇" in rows.first.inner_text()  # the latest year, 2022
    page.locator("select[data-filter=year]").select_option("2019")
    expect(rows.first.locator("th")).to_contain_text("松山镇")
    assert rows.count() == 1 and page.locator(".nb-count").inner_text() == "共 1 行"
    link = rows.first.locator("th a")
    link.click()
    page.wait_for_url("**/luoyuan-songshan/2019/")


def generated_site(folder: Path, reports: int, env: dict, edit=lambda reports: None):
    """Build a generated archive and serve it; yields (address, project)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    project = make_project(folder, seed=False)
    generate(project / "reports", reports, seed=5)
    edit(project / "reports")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    recording = type("Recording", (RecordingHandler,), {"paths": []})
    httpd, url = serve(project / "site", recording)
    yield url, project, recording.paths
    httpd.shutdown()


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory):
    """A generated archive big enough to page through (search off: not what is tested here)."""
    yield from generated_site(tmp_path_factory.mktemp("archive"), 400, {"NIANBAO_SEARCH": "off"})


def test_year_page_pages_filters_and_sorts_rows_it_loads(page, archive_server):
    server, project, _ = archive_server
    html = (project / "site" / "years" / "2019" / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr>") <= 51  # the page itself holds its first rows only
    page.goto(server + "years/2019/")
    count = page.locator(".nb-count")
    expect(count).to_have_text(re.compile(r"^共 \d+ 行$"))
    total = int(count.inner_text().split()[1])
    assert total == len(list((project / "reports").glob("*/2019.yml"))) > 50
    rows = page.locator("table.nb-summary-table tbody tr")
    assert rows.count() == 50
    first_page = rows.first.inner_text()
    page.locator(".nb-pager button[data-step='1']").click()
    assert "第 2 / " in page.locator(".nb-page").inner_text() and rows.first.inner_text() != first_page
    page.locator("table.nb-summary-table thead button", has_text="新收申请").click()
    page.locator("table.nb-summary-table thead button", has_text="新收申请").click()  # largest first
    values = [int(t) for t in page.locator("tbody tr td:nth-of-type(5)").all_inner_texts() if t]
    assert values == sorted(values, reverse=True) and "第 1 / " in page.locator(".nb-page").inner_text()
    page.locator("select[data-filter=kind]").select_option("街道")
    kinds = page.locator("tbody tr td:nth-of-type(3)").all_inner_texts()
    assert kinds and set(kinds) == {"街道"}
    streets = sum(1 for p in (project / "reports").glob("*/2019.yml")
                  if "kind: 街道" in (p.parent / "agency.yml").read_text(encoding="utf-8"))
    assert count.inner_text() == f"共 {streets} 行"
    # A county (or any part of a name) narrows further: the region list offers provinces only.
    page.locator("select[data-filter=kind]").select_option("")
    county = sorted(p.read_text(encoding="utf-8").split("region: ")[1].split()[0].split("/")[2]
                    for p in (project / "reports").glob("*/agency.yml"))[0]
    page.locator("input[data-filter=name]").fill(county)
    regions = page.locator("tbody tr td:nth-of-type(2)").all_inner_texts()
    in_county = sum(1 for p in (project / "reports").glob("*/2019.yml")
                    if f"/{county}" in (p.parent / "agency.yml").read_text(encoding="utf-8"))
    assert regions and all(county in r for r in regions) and count.inner_text() == f"共 {in_county} 行"


def test_charts_render_with_the_numbers_of_their_tables(page, two_year_server):
    page.goto(two_year_server + "ceshi-zhen/")
    figure = page.locator("figure.nb-chart").first
    box = figure.locator("svg").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    bars = figure.locator("svg rect")
    assert bars.count() > 0
    # every drawn bar names the number the table beside the chart holds
    table = {row.locator("th").text_content(): row.locator("td").first.text_content()
             for row in figure.locator("table.nb-chart-data tbody tr").all()}
    for i in range(bars.count()):
        label = bars.nth(i).locator("title").text_content()
        category, value = label.split("：")
        assert table[category.split(" ", 1)[1]] == value
        if int(value) > 0:
            assert bars.nth(i).bounding_box()["height"] > 0


def test_search_page_says_when_there_is_no_index(browser, tmp_path):
    project = make_project(tmp_path)
    env = dict(os.environ, NIANBAO_SEARCH="off", NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
                   cwd=project, env=env, check=True, capture_output=True)
    httpd, url = serve(project / "site")
    try:
        page = browser.new_page()
        page.goto(f"{url}search/")
        message = page.locator(".nb-search-missing")
        message.wait_for(timeout=10000)
        assert "NIANBAO_SEARCH=on" in message.inner_text()
        page.close()
    finally:
        httpd.shutdown()


CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")));
"""


def test_every_kind_of_page_works_under_its_content_security_policy(browser, server):
    """The policy is on every page and nothing the site itself uses is blocked by it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    for name, url in list(PAGES.items()) + [("搜索", "search/?q=行政复议"), ("找不到页面", "404.html")]:
        page.goto(server + url)
        page.wait_for_load_state("networkidle")
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "base-uri 'self'" in policy, name
        if name == "搜索":
            page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
            assert "行政复议" in page.locator(".pagefind-ui__result").first.inner_text()
        else:
            assert page.locator("h1").first.is_visible(), name
        # The theme's scripts ran: its header search box and elder-mode toggle are installed by script.
        assert page.locator("#nb-q").count() == 1, name
        assert page.evaluate("window.__csp") == [], (name, page.evaluate("window.__csp"))
    assert errors == []
    # The policy is enforced, not only present: a script injected into the page does not run.
    page.evaluate("""document.head.append(Object.assign(document.createElement("script"),
                                                      {textContent: "window.__ran = 1"}))""")
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__csp.length") > 0
    assert page.evaluate("window.__ran") is None
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_charts_fill_the_width_with_readable_text_and_whole_number_ticks(browser, two_year_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(two_year_server + "ceshi-zhen/")
    content = page.locator("article").bounding_box()
    figures = page.locator("figure.nb-chart")
    assert figures.count() == 5
    for i in range(figures.count()):
        svg = figures.nth(i).locator("svg")
        assert svg.bounding_box()["width"] >= content["width"] * 0.9
        sizes = svg.evaluate("s => [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize))")
        assert sizes and min(sizes) >= 12
        # the data table is there for screen readers, collapsed under the chart
        details = figures.nth(i).locator("details.nb-chart-details")
        assert details.get_attribute("open") is None and details.locator("table.nb-chart-data").count() == 1
        assert not details.locator("table").is_visible()
    counts = figures.nth(0).locator("text.nb-tick").all_text_contents()
    assert counts[0] == "0" and all(t.replace(",", "").isdigit() for t in counts)
    rates = page.locator("figure.nb-line-chart text.nb-tick").all_text_contents()
    assert rates == ["0%", "25%", "50%", "75%", "100%"]
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_home_page_counts_match_the_repo_and_the_agency_page_tells_its_story(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(server)
    counts = page.locator("ul.nb-counts li").all_inner_texts()
    # 福建省/福州市/罗源县 and 测试省/测试市/测试县: six regions at their three levels
    assert [c.replace(" ", "") for c in counts[:3]] == ["2个机构", "2份报告", "6个地区"]
    page.get_by_role("link", name="数据质量").last.click()
    page.wait_for_url("**/quality/")
    page.goto(server + "luoyuan-songshan/")
    story = page.locator("section.nb-story")
    assert story.is_visible()
    # One year: said once, not on every card; no empty chart frames (test_reader_pages.py).
    assert "本机构没有 2018 年度的报告，以下数字不与上年比较" in story.locator(".nb-kf-note").inner_text()
    assert "无法比较" not in story.locator("ul.nb-keyfigures").inner_text()
    assert story.locator(".nb-status").inner_text().startswith("数据核验：")
    context.close()


@pytest.mark.parametrize("query, phrase", [
    ("行政复议", "行政复议"),  # one word; Pagefind's own excerpt would mark 行政 in 行政执法
    ("建立健全政务舆情的监测", "建立健全政务舆情的监测"),  # a phrase from the middle of the seed's narrative
    ("“增强舆情意识”", "增强舆情意识"),  # pasted with quotes
])
def test_search_excerpt_shows_the_passage_that_matched(page, server, query, phrase):
    page.goto(server)
    search(page, query)
    first = page.locator(".pagefind-ui__result").first
    if query != "行政复议":  # every report has a 行政复议 heading; only the seed has the phrases
        expect(first.locator(".pagefind-ui__result-link")).to_have_attribute("href", re.compile("luoyuan-songshan/2019"))
    excerpt = first.locator(".pagefind-ui__result-excerpt")
    expect(excerpt).to_contain_text(phrase)  # results fill in as their fragments arrive
    assert phrase in excerpt.locator("mark").all_inner_texts()


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory):
    """An archive indexed in bundles of at most 20 reports, in two provinces."""
    def two_provinces(reports: Path) -> None:
        for agency in sorted(reports.glob("*/agency.yml"))[::3]:
            agency.write_text(agency.read_text(encoding="utf-8").replace("region: 福建省/", "region: 江苏省/"),
                              encoding="utf-8")

    yield from generated_site(tmp_path_factory.mktemp("bundled"), 120,
                              {"NIANBAO_SEARCH": "on", "NIANBAO_SEARCH_BUNDLE": "20"}, two_provinces)


def result_lines(page) -> list[str]:
    # A result is drawn first as a placeholder, its excerpt (where the year and agency line is)
    # once its fragment has loaded: on a busy machine the two can be seconds apart.
    page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
    page.locator(".nb-result-meta").first.wait_for(timeout=15000)
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"找到 [\d,]+ 个"))
    return [page.locator(".nb-result-meta").nth(i).inner_text() for i in range(page.locator(".nb-result-meta").count())]


def found(page) -> int:
    return int(re.search(r"找到 ([\d,]+) 个", page.locator(".pagefind-ui__message").inner_text()).group(1).replace(",", ""))


def test_a_bundled_archive_is_searched_one_year_at_a_time(page, bundled_server):
    server, project, requested = bundled_server
    reports = project / "reports"
    newest = max(int(p.stem) for p in reports.glob("*/20[0-9][0-9].yml"))
    # What the server sent, not the browser's request events: those missed every bundle request
    # once in a few hundred runs, though the results were on the page.
    requested.clear()
    page.goto(server)
    search(page, "行政复议")
    lines = result_lines(page)
    assert lines and all(f"{newest} 年" in line for line in lines)  # the newest year by default
    in_newest = len(list(reports.glob(f"*/{newest}.yml")))
    assert found(page) == in_newest
    expect(page.locator(".nb-search-scope-note")).to_have_text(f"在 {newest} 年的 {in_newest} 份报告中搜索")
    fetched = {re.search(r"/(pagefind-\d+(-\d+)?)/", u).group(1) for u in requested if "/pagefind-" in u}
    assert fetched and all(name.startswith(f"pagefind-{newest}") for name in fetched)  # no other year's bundle
    # All years: another set of bundles, the same query.
    page.select_option(".nb-search-scope select[name=year]", "all")
    page.wait_for_url("**year=all**")
    result_lines(page)
    assert found(page) == len(list(reports.glob("*/20[0-9][0-9].yml")))
    assert page.locator("input.pagefind-ui__search-input").input_value() == "行政复议"
    # One province of one year: only its reports, the query kept.
    page.select_option(".nb-search-scope select[name=year]", str(newest - 1))
    page.wait_for_url(f"**year={newest - 1}**")
    page.select_option(".nb-search-scope select[name=region]", "江苏省")
    page.wait_for_url("**region=**")
    lines = result_lines(page)
    moved = [p for p in reports.glob("*/agency.yml") if "江苏省/" in p.read_text(encoding="utf-8")]
    assert found(page) == sum(1 for p in moved if (p.parent / f"{newest - 1}.yml").exists()) > 0
    assert all("江苏省/" in line and f"{newest - 1} 年" in line for line in lines)
    expect(page.locator(".nb-search-scope-note")).to_have_text(f"在 {newest - 1} 年江苏省的报告中搜索")
    # The scope's controls are labelled and reachable like the rest of the page.
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    assert page.get_by_label("搜索的年度", exact=True).input_value() == str(newest - 1)
    assert page.get_by_label("搜索的地区", exact=True).input_value() == "江苏省"
    # A province the year does not hold (an old link, a hand-made address) is not a scope of no bundles.
    page.goto(server + f"search/?q=行政复议&year={newest}&region=不存在省")
    result_lines(page)
    expect(page.locator(".nb-search-scope-note")).to_have_text(f"在 {newest} 年的 {in_newest} 份报告中搜索")
    assert found(page) == in_newest
