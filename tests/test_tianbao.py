"""The 填报 page (tianbao/) in Chromium: the package's own Python run by Pyodide answers exactly as
the CLI does, and the form writes the files `nianbao fmt` would."""

from __future__ import annotations

import contextlib
import io
import random
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

import planted
from test_browser import CHROMIUM, FLAGS, serve
from test_site import REPO, build, make_project

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

from nianbao.cli import main as cli  # noqa: E402

SAMPLES = REPO / "tests" / "fixtures" / "samples"  # copies of shared/samples
REPO_URL = "https://example.org/nianbao/reports-repo"
SEED = REPO / "reports" / "luoyuan-songshan"
NAMES = {"huaian-shizhengfu": "淮安市人民政府", "luoyuan-songshan": "罗源县松山镇人民政府", "pingtan": "平潭综合实验区管理委员会"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert (REPO / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file(), \
        "Pyodide is missing: run the test command `bash tests/run.sh`, which installs it with npm ci"
    project = make_project(tmp_path_factory.mktemp("tianbao"))
    (project / "node_modules").symlink_to(REPO / "node_modules")  # as `npm ci` installed it in the repo
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"repo_url: {REPO_URL}\n", encoding="utf-8")
    done = build(project)
    assert done.returncode == 0, done.stderr
    httpd, url = serve(project / "site")
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def engine(browser, server):
    """One page with the engine loaded, for the equivalence tests."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(server + "tianbao/")
    page.evaluate("nianbao.ready")
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


def cli_lines(repo: Path, *args: str, monkeypatch) -> list[str]:
    monkeypatch.chdir(repo)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(list(args))
    return out.getvalue().splitlines()


def folder_files(folder: Path) -> dict[str, str]:
    return {f"reports/{folder.name}/{p.name}": p.read_text(encoding="utf-8")
            for p in sorted(folder.iterdir()) if p.is_file()}


# -- every rule the page can meet, planted (tests/planted.py) ---------------------------------

def test_check_answers_exactly_as_the_cli_for_samples_and_planted_errors(engine, tmp_path, monkeypatch):
    """For the samples and 300 generated reports of both editions, spoilt by a table of mutations
    (every rule in scope, several ways), the page's lines are the CLI's, and each mutation made
    the CLI report its own rule in its own file."""
    monkeypatch.setenv("NIANBAO_CACHE", "off")
    monkeypatch.setenv("NIANBAO_JOBS", "1")
    reports = tmp_path / "reports"
    shutil.copytree(REPO / "reports", reports)
    generated = tmp_path / "generated"
    assert generate(generated, 300, seed=7, problem_share=0.3) == 300
    spoilt = planted.plant_all(generated, random.Random(30))
    for folder in generated.iterdir():
        shutil.move(str(folder), reports / folder.name)
    folders = sorted(p for p in reports.iterdir() if p.is_dir())
    rules, differ, missed = set(), [], []
    for folder in folders:
        expected = cli_lines(tmp_path, "check", f"reports/{folder.name}", monkeypatch=monkeypatch)[:-1]  # no summary
        got = engine.evaluate("f => nianbao.check(f)", folder_files(folder))
        if got != expected:
            differ.append((folder.name, [line for line in got if line not in expected],
                           [line for line in expected if line not in got]))  # both empty: the order differs
        rules |= {m.group(1) for line in expected for m in [re.search(r"(?:error|warning|info)\[([A-Z0-9-]+)\]", line)] if m}
        for mutation, file, _ in spoilt.get(folder.name, []):
            if not any(line.startswith(f"reports/{folder.name}/{file}:") and f"[{mutation.rule}]" in line
                       for line in expected):
                missed.append((folder.name, file, mutation.rule, mutation.name))
    assert differ == []
    assert missed == []  # a mutation that stopped making its rule fails here, not silently
    assert rules == planted.IN_SCOPE, (sorted(planted.IN_SCOPE - rules), sorted(rules - planted.IN_SCOPE))
    made = [(mutation, year) for found in spoilt.values() for mutation, _, year in found]
    assert {m.name for m, _ in made} == {m.name for m in planted.MUTATIONS + planted.FOLDER_MUTATIONS}
    years = [year for _, year in made if year]
    assert len(years) >= 200 and min(years) < 2021 <= max(years)  # reports spoilt, of both editions


def test_the_planted_rules_are_every_rule_the_package_has():
    """A new rule must be put in or out of the page's scope (tests/planted.py), with its mutations if in."""
    from nianbao.core.check import RULES

    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "hooks" / "nianbao").rglob("*.py"))
    found = set(RULES) | set(re.findall(r'"((?:FMT|MD|PR|INBOX|ACK)-[A-Z0-9-]+)"', source))
    found |= set(re.findall(r"^### ([A-Z0-9-]+)", (REPO / "docs" / "rules.md").read_text(encoding="utf-8"), re.M))
    assert found == planted.IN_SCOPE | planted.OUT_OF_SCOPE
    mutations = planted.MUTATIONS + planted.FOLDER_MUTATIONS
    assert {m.rule for m in mutations} == planted.IN_SCOPE
    assert len({m.name for m in mutations}) == len(mutations)  # the planting test counts them by name


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_import_text_writes_exactly_the_cli_files(engine, tmp_path, monkeypatch, sample):
    monkeypatch.setenv("NIANBAO_CACHE", "off")
    slug, year = re.fullmatch(r"(.+)-(\d{4})\.txt", sample).groups()
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    (tmp_path / "原文.txt").write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 年报\n", encoding="utf-8")  # an empty repo: import finds it
    name = NAMES[slug]  # the agency the text names: import refuses another
    cli_lines(tmp_path, "import", "原文.txt", "--agency", slug, "--year", year, "--name", name,
              "--region", "福建省/福州市/罗源县", monkeypatch=monkeypatch)
    expected = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted((tmp_path / "reports").rglob("*")) if p.is_file()}
    got = engine.evaluate("([t, o]) => nianbao.importText(t, o)",
                          [text, {"agency": slug, "year": int(year), "name": name,
                                  "region": "福建省/福州市/罗源县"}])
    assert got == expected
    assert set(got) == {f"reports/{slug}/agency.yml", f"reports/{slug}/{year}.yml", f"reports/{slug}/{year}.md"}


def test_import_refusal_carries_the_cli_message(engine):
    message = engine.evaluate("""() => nianbao.importText("只是一段话", {agency: "x-zhen", year: 2022, name: "某镇",
        region: "福建省"}).then(() => "", e => e.message)""")
    assert "这不像是 2019 年以后格式的年度报告" in message


def expected_seed(tmp_path) -> str:
    """The seed as `nianbao fmt` writes it, less the editor's own comment (a form has none)."""
    folder = tmp_path / "reports" / "luoyuan-songshan"
    shutil.copytree(SEED, folder)
    text = (folder / "2019.yml").read_text(encoding="utf-8")
    lines = text.split("\n")
    (folder / "2019.yml").write_text("\n".join(lines[:1] + lines[2:]), encoding="utf-8")
    from nianbao.editing.fmt import format_file

    outcome = format_file(folder / "2019.yml")
    return outcome.text or (folder / "2019.yml").read_text(encoding="utf-8")


def seed_sections() -> list[tuple[str, str]]:
    """The seed's narrative as the form shows it: (heading or 前言, the text under it)."""
    found = [["前言", ""]]
    for line in (SEED / "2019.md").read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("## "):
            found.append([line[3:].strip(), ""])
        else:
            found[-1][1] += line
    return [(heading, text.strip("\n")) for heading, text in found]


def paste_full_text(page, sample: str) -> None:
    """A sample's text pasted into 粘贴全文 and 识别并填入 pressed, once the engine is ready."""
    page.evaluate("nianbao.ready")
    page.locator(".nb-tb-paste summary").click()
    page.fill("#nb-tb-fulltext", (SAMPLES / sample).read_text(encoding="utf-8"))
    page.click("#nb-tb-import")


def fill_seed(page, server) -> dict:
    """The seed report typed into the form as an editor would: cell by cell, and its narrative
    section by section under the edition's headings."""
    data = yaml.safe_load((SEED / "2019.yml").read_text(encoding="utf-8"))
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "luoyuan-songshan")
    page.fill("[name=year]", "2019")
    for key in ("title", "published"):
        page.fill(f"[name={key}]", str(data[key]))
    section = page.locator("section[data-edition=gov-2019]")
    for tid in ("t2", "t3", "t4"):
        for row, values in data[tid].items():
            for i, value in enumerate(values):
                if value is not None:
                    section.locator(f"input[data-cell='{tid}.{row}.{i}']").fill(str(value))
    areas = page.locator("#nb-tb-sections textarea")
    assert [areas.nth(i).get_attribute("data-section") for i in range(areas.count())] == [h for h, _ in seed_sections()]
    for i, (_, text) in enumerate(seed_sections()):
        if text:
            areas.nth(i).fill(text)
    return data


@pytest.fixture(params=[1366, 390])
def sized_page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


def test_typed_seed_downloads_what_fmt_writes(sized_page, server, tmp_path):
    page = sized_page
    data = fill_seed(page, server)
    page.evaluate("nianbao.ready")
    state = page.evaluate("() => JSON.parse(localStorage.getItem(nianbao.draftKey))")
    state["headers"] = data["headers"]  # printed headers differ from the format: recorded as the importer does
    files = page.evaluate("s => nianbao.formFiles(s)", state)
    assert files["reports/luoyuan-songshan/2019.yml"] == expected_seed(tmp_path)
    assert files["reports/luoyuan-songshan/2019.md"] == (SEED / "2019.md").read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.click("#nb-tb-download")
    assert download.value.suggested_filename in ("2019.yml", "2019.md")


def test_pasted_seed_text_downloads_what_fmt_writes(sized_page, server, tmp_path):
    """The seed's published text pasted into 粘贴全文 for the agency the site has (no name typed):
    the same files as the seed typed in."""
    page = sized_page
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-agency-note", has_text="本站已有该机构").wait_for(timeout=10000)
    page.fill("[name=year]", "2019")
    paste_full_text(page, "luoyuan-songshan-2019.txt")
    page.locator("#nb-tb-import-result", has_text="已按原文填入").wait_for(timeout=20000)
    with page.expect_download() as first:
        page.click("#nb-tb-download")
    links = page.locator("#nb-tb-files a")
    assert links.all_inner_texts() == ["reports/luoyuan-songshan/2019.yml", "reports/luoyuan-songshan/2019.md"]
    assert first.value.suggested_filename == "2019.yml"
    saved = tmp_path / "2019.yml"
    first.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == expected_seed(tmp_path)
    state = page.evaluate("() => JSON.parse(localStorage.getItem(nianbao.draftKey))")
    files = page.evaluate("s => nianbao.formFiles(s)", state)
    assert files["reports/luoyuan-songshan/2019.md"] == (SEED / "2019.md").read_text(encoding="utf-8")


def test_the_year_is_read_from_the_pasted_text_when_not_typed(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "pingtan")
    page.fill("[name=name]", NAMES["pingtan"])
    page.fill("[name=region]", "福建省/平潭综合实验区")
    paste_full_text(page, "pingtan-2021.txt")
    page.locator("#nb-tb-import-result", has_text="已按原文填入").wait_for(timeout=20000)
    assert page.input_value("[name=year]") == "2021"
    assert page.locator("section[data-edition=gov-2021]").is_visible()
    assert page.input_value("section[data-edition=gov-2021] input[data-cell='t3.new_received.0']") != ""


def test_a_new_agency_must_be_named_before_pasting(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "xin-zhen")
    page.fill("[name=year]", "2019")
    paste_full_text(page, "luoyuan-songshan-2019.txt")
    page.locator("#nb-tb-import-result", has_text="新机构请先在上面填写机构全称和所属地区").wait_for(timeout=20000)


def test_planted_error_shows_its_rule_next_to_the_cell(page, server):
    fill_seed(page, server)
    page.evaluate("nianbao.ready")
    page.locator("section[data-edition=gov-2019] input[data-cell='t3.new_received.0']").fill("若干")
    flag = page.locator("section[data-edition=gov-2019] td[data-cell='t3.new_received.0'] .nb-tb-flag")
    flag.first.wait_for(timeout=20000)
    rule, message = flag.first.inner_text().split("：", 1)
    line = page.locator("#nb-tb-problems li .nb-tb-line", has_text=message).first.inner_text()
    assert re.fullmatch(rf"reports/luoyuan-songshan/2019\.yml:\d+:\d+: error\[{rule}\] {re.escape(message)}", line)


def test_reload_keeps_the_draft_and_discard_clears_it(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "ceshi-zhen")
    page.fill("[name=year]", "2022")
    page.locator("section[data-edition=gov-2021] input[data-cell='t3.new_received.0']").fill("１２")
    page.reload()
    assert page.input_value("[name=agency]") == "ceshi-zhen"
    assert page.locator("section[data-edition=gov-2021]").is_visible()
    assert page.input_value("section[data-edition=gov-2021] input[data-cell='t3.new_received.0']") == "１２"
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: one tap must not wipe the work
    page.click("#nb-tb-discard")
    assert page.input_value("[name=agency]") == "ceshi-zhen"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#nb-tb-discard")
    page.wait_for_load_state()
    assert page.input_value("[name=agency]") == ""


def test_handoff_points_at_the_agency_folder(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "luoyuan-songshan")
    page.fill("[name=year]", "2019")
    page.evaluate("nianbao.ready")
    with page.expect_download():
        page.click("#nb-tb-download")
    link = page.locator("#nb-tb-handoff-link")
    assert link.get_attribute("href") == f"{REPO_URL}/upload/main/reports/luoyuan-songshan"


def test_form_usable_at_once_and_nothing_requested_outside(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "tianbao/")
    cell = page.locator("section[data-edition=gov-2021] input[data-cell='t3.new_received.0']")
    page.fill("[name=year]", "2023")
    cell.fill("7", timeout=2000)  # usable while the engine loads
    assert "正在" in page.inner_text("#nb-tb-status") or "就绪" in page.inner_text("#nb-tb-status")
    page.evaluate("nianbao.ready")
    assert "就绪" in page.inner_text("#nb-tb-status")
    assert [u for u in requests if not u.startswith(server) and not u.startswith(("data:", "blob:"))] == []
    # The tables scroll inside the form at 390 px; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_pasted_full_text_fills_the_form_and_keeps_uncertain_cells_uncertain(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "pingtan")
    page.fill("[name=year]", "2021")
    page.fill("[name=name]", NAMES["pingtan"])
    page.fill("[name=region]", "福建省/平潭综合实验区")
    paste_full_text(page, "pingtan-2021.txt")
    expect_text = page.locator("#nb-tb-import-result")
    expect_text.filter(has_text="已按原文填入").wait_for(timeout=20000)
    cell = page.locator("section[data-edition=gov-2021] input[data-cell='t2.normative_documents.0']")
    assert cell.get_attribute("data-uncertain") == "1" and cell.input_value() == "693665"
    flag = page.locator("section[data-edition=gov-2021] td[data-cell='t2.normative_documents.0'] .nb-tb-flag")
    flag.first.wait_for(timeout=20000)
    assert flag.first.inner_text().startswith("UNCERTAIN：")
    assert page.input_value("[name=published]") == "2022-02-08"


# -- the table arithmetic before the engine ------------------------------------------------------

ARITHMETIC = ("T3-ROW", "T3-RES", "T3-BAL", "T4-SUM")


def test_table_arithmetic_flags_within_two_seconds_before_the_engine(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(server + "tianbao/")
    section = page.locator("section[data-edition=gov-2021]")
    page.fill("[name=agency]", "ceshi-zhen")
    page.fill("[name=year]", "2022")
    page.fill("[name=name]", "测试镇人民政府")
    page.fill("[name=region]", "福建省/福州市/罗源县")
    page.fill("[name=published]", "2023-01-20")
    section.locator("input[data-cell='t3.new_received.0']").fill("5")
    section.locator("input[data-cell='t3.total.0']").fill("3")
    section.locator("input[data-cell='t3.carried_forward.0']").fill("0")
    flag = section.locator("td[data-cell='t3.new_received.0'] .nb-tb-flag")
    flag.wait_for(timeout=2000)
    shown = page.evaluate("performance.now()")  # since navigation
    status = page.inner_text("#nb-tb-status")
    message = "“自然人”列勾稽关系不成立：新收 + 上年结转 = 5，办理结果总计 + 结转下年 = 3（即使不计空白单元格也已超出）"
    assert flag.inner_text() == f"T3-BAL：{message}"
    assert "正在" in status and "求和与勾稽关系已在核验" in status, status  # the engine is still loading, and says so
    timing = page.evaluate("window.nianbaoTiming")
    print(f"arithmetic usable {timing['arithmetic']:.0f} ms, flag shown {shown:.0f} ms after navigation")
    assert timing["arithmetic"] < 2000 and "ready" not in timing
    # Once the engine is ready its full check takes over: the same rule and message, now located.
    page.evaluate("nianbao.ready")
    page.locator("#nb-tb-problems li", has_text=re.compile(r"2022\.yml:\d+:\d+: error\[T3-BAL\]")).wait_for(timeout=20000)
    assert flag.inner_text() == f"T3-BAL：{message}"
    print(f"engine ready {page.evaluate('window.nianbaoTiming.ready'):.0f} ms after navigation")
    context.close()


def planted_state(folder: Path, year: int, rng: random.Random) -> dict:
    """A generated report read into the form, then an editor's slips typed into table 三 and 四:
    a wrong number, a blank, a word, full-width digits, thousands separators, an uncertain reading,
    a negative, the largest number a report may print (15 digits)."""
    from nianbao.editing import browser as engine_py

    files = {f"reports/{folder.name}/{p.name}": p.read_text(encoding="utf-8")
             for p in (folder / f"{year}.yml", folder / f"{year}.md")}
    state = engine_py.form_state(files)
    state.update(agency=folder.name, year=year)
    cells = [(tid, row, i) for tid in ("t3", "t4") for row, values in state["cells"][tid].items()
             for i in range(len(values))]
    for tid, row, i in rng.sample(cells, rng.randint(1, 5)):
        old = state["cells"][tid][row][i]
        number = int(old) if isinstance(old, str) and old.isdigit() else 7
        state["cells"][tid][row][i] = rng.choice([
            str(number + rng.randint(1, 9)), "", "若干", "".join(chr(ord("０") + int(d)) for d in str(number)),
            f"{number + 1000:,}", {"uncertain": str(number)}, "-5", "999999999999999"])
    return state


def test_page_arithmetic_flags_exactly_the_cells_the_python_rules_flag(engine, tmp_path):
    """For generated reports of both editions with planted slips, the page's own evaluation of the
    spec's relations gives the same rule, cell and message as the package's check of the form."""
    from nianbao.editing import browser as engine_py

    generated = tmp_path / "generated"
    generate(generated, 120, seed=11, problem_share=0.3)
    rng = random.Random(30)
    editions_seen, flagged, differ = set(), 0, []
    for path in sorted(generated.rglob("20*.yml")):
        year = int(path.stem)
        state = planted_state(path.parent, year, rng)
        expected = sorted((p["rule"], p["cell"], p["text"].split("] ", 1)[1])
                          for p in engine_py.form_check(state)["problems"] if p["rule"] in ARITHMETIC)
        got = sorted((p["rule"], p["cell"], p["message"]) for p in engine.evaluate("s => nianbao.arithmetic(s)", state))
        editions_seen.add(year >= 2021)
        flagged += len(expected)
        if got != expected:
            differ.append((path.parent.name, year, got, expected))
    assert differ == []
    assert editions_seen == {False, True} and flagged >= 100


# -- starting points: the agency page's link, the last year, a published report ----------------

def test_agency_page_links_the_form_with_its_agency_chosen(page, server):
    page.goto(server + "luoyuan-songshan/")
    page.click("text=填写或更正本机构的报告")
    page.wait_for_url("**/tianbao/?agency=luoyuan-songshan")
    assert page.input_value("[name=agency]") == "luoyuan-songshan"
    note = page.locator("#nb-tb-agency-note")
    note.filter(has_text="本站已有该机构").wait_for(timeout=5000)
    assert "罗源县松山镇人民政府" in note.inner_text() and "2019" in note.inner_text()
    assert page.locator("#nb-tb-from-last").is_visible() and page.locator("#nb-tb-correct").is_visible()
    page.fill("[name=agency]", "xin-zhen")
    note.filter(has_text="本站没有这个机构代码").wait_for(timeout=5000)
    assert page.locator("#nb-tb-start").is_hidden()


def test_start_from_last_year_carries_the_cells_over(page, server):
    data = yaml.safe_load((SEED / "2019.yml").read_text(encoding="utf-8"))
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-from-last").click()
    section = page.locator("section[data-edition=gov-2019]")
    page.wait_for_function("document.querySelector('[name=year]').value === '2020'")
    for i, value in enumerate(data["t3"]["carried_forward"]):
        assert section.locator(f"input[data-cell='t3.carried_over.{i}']").input_value() == ("" if value is None else str(value))
    assert sum(v is not None for v in data["t3"]["carried_forward"]) >= 5  # 0 is carried as 0; a blank stays blank
    # Nothing else is this year's yet: the new cells and the date stay for the editor.
    assert section.locator("input[data-cell='t3.new_received.0']").input_value() == ""
    assert page.input_value("[name=published]") == ""
    assert page.input_value("[name=title]") == data["title"].replace("2019", "2020")


def test_correcting_a_published_report_downloads_it_as_fmt_writes_it(page, server, tmp_path):
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-correct").click()
    page.wait_for_function("document.querySelector('[name=title]').value !== ''")
    data = yaml.safe_load((SEED / "2019.yml").read_text(encoding="utf-8"))
    assert page.input_value("[name=year]") == "2019" and page.input_value("[name=published]") == str(data["published"])
    page.evaluate("nianbao.ready")
    with page.expect_download() as download:
        page.click("#nb-tb-download")
    saved = tmp_path / "download.yml"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "2019.yml"
    assert saved.read_text(encoding="utf-8") == expected_seed(tmp_path)
    # The narrative was not loaded: only the .yml is offered, the repository's .md stays as it is.
    assert page.locator("#nb-tb-files a").all_inner_texts() == ["reports/luoyuan-songshan/2019.yml"]


def test_an_existing_agency_is_found_by_name(page, server):
    page.goto(server + "tianbao/")
    page.fill("#nb-tb-find", "松山镇")
    choice = page.locator("#nb-tb-found button[data-agency=luoyuan-songshan]")
    choice.wait_for(timeout=5000)
    assert choice.inner_text().startswith("罗源县松山镇人民政府（")
    choice.click()
    assert page.input_value("[name=agency]") == "luoyuan-songshan"
    page.locator("#nb-tb-agency-note", has_text="本站已有该机构").wait_for(timeout=5000)
    assert page.locator("#nb-tb-from-last").is_visible()


# -- accessibility ---------------------------------------------------------------------------------

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json; never copied into the site


@pytest.mark.parametrize("width", [1366, 390])
def test_no_serious_or_critical_accessibility_violations(browser, server, width):
    assert AXE.is_file(), "axe-core is missing: run the test command `bash tests/run.sh`, which installs it with npm ci"
    # The page's CSP refuses injected scripts: axe is the test's own tool, so this context bypasses it.
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-start").wait_for(timeout=5000)
    page.fill("[name=year]", "2022")  # an edition shown, with a flagged cell
    page.fill("[name=published]", "2023-01-20")
    section = page.locator("section[data-edition=gov-2021]")
    section.locator("input[data-cell='t3.new_received.0']").fill("5")
    section.locator("input[data-cell='t3.total.0']").fill("3")
    section.locator("input[data-cell='t3.carried_forward.0']").fill("0")
    section.locator("td[data-cell='t3.new_received.0'] .nb-tb-flag").wait_for(timeout=5000)
    page.evaluate("nianbao.ready")  # the preview and the acknowledging form are looked at too
    page.click("#nb-tb-preview-show")
    page.locator("#nb-tb-preview table").first.wait_for(timeout=20000)
    page.locator("#nb-tb-problems button[data-rule=T3-BAL]").first.click()
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document);
        return {violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})),
                labelled: (r.passes.find(p => p.id === 'label') || {nodes: []}).nodes.length};
    }""")
    context.close()
    assert result["violations"] == []
    assert result["labelled"] >= 150  # axe did look at the form: every table cell's input has its name


# -- 按原文确认, the stored draft, the preview ---------------------------------------------------

def test_acknowledging_a_problem_writes_what_the_yaml_holds_and_the_cli_agrees(page, server, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_CACHE", "off")
    fill_seed(page, server)
    page.evaluate("nianbao.ready")
    page.locator("section[data-edition=gov-2019] input[data-cell='t3.new_received.0']").fill("5")  # as if printed so
    offer = page.locator("#nb-tb-problems button[data-rule=T3-BAL]").first
    offer.wait_for(timeout=20000)
    offer.click()
    page.click("#nb-tb-ack-save")  # no reason yet: refused, and said why
    assert "请写明原因" in page.inner_text("#nb-tb-ack-said")
    page.fill("#nb-tb-ack-reason", "原文如此，已与原件核对")
    page.click("#nb-tb-ack-save")
    page.locator("#nb-tb-problems li", has_text="（已确认：原文如此，已与原件核对）").first.wait_for(timeout=20000)
    assert page.inner_text("#nb-tb-acks li").startswith("T3-BAL：原文如此，已与原件核对")
    state = page.evaluate("() => JSON.parse(localStorage.getItem(nianbao.draftKey))")
    state["headers"] = yaml.safe_load((SEED / "2019.yml").read_text(encoding="utf-8"))["headers"]
    files = page.evaluate("s => nianbao.formFiles(s)", state)
    written = yaml.safe_load(files["reports/luoyuan-songshan/2019.yml"])
    assert written["acknowledged"] == [{"rule": "T3-BAL", "reason": "原文如此，已与原件核对"}]
    folder = tmp_path / "reports" / "luoyuan-songshan"
    folder.mkdir(parents=True)
    (folder / "agency.yml").write_bytes((SEED / "agency.yml").read_bytes())
    for path, text in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    expected = cli_lines(tmp_path, "check", "reports/luoyuan-songshan", monkeypatch=monkeypatch)[:-1]
    assert any("error[T3-BAL]" in line and "（已确认：原文如此，已与原件核对）" in line for line in expected)
    assert page.evaluate("f => nianbao.check(f)", folder_files(folder)) == expected
    # Undone, the entry leaves the file and the problem is open again.
    page.click("#nb-tb-acks button")
    page.locator("#nb-tb-problems button[data-rule=T3-BAL]").first.wait_for(timeout=20000)
    assert page.evaluate("() => JSON.parse(localStorage.getItem(nianbao.draftKey)).acknowledged") == []


def test_a_format_problem_cannot_be_acknowledged(page, server):
    fill_seed(page, server)
    page.evaluate("nianbao.ready")
    page.locator("section[data-edition=gov-2019] input[data-cell='t3.new_received.0']").fill("1234567890123456")
    page.locator("#nb-tb-problems li[data-rule=FMT-VALUE]").first.wait_for(timeout=20000)
    assert page.locator("#nb-tb-problems li[data-rule=FMT-VALUE] button[data-rule]").count() == 0  # 定位 only


def test_a_draft_written_by_another_page_of_the_origin_is_checked_and_shown(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "tianbao/")
    key = page.evaluate("nianbao.draftKey")
    assert key == f"nianbao-tianbao-draft:/:{REPO_URL}"  # this site and its repository: another's draft stays apart
    hostile = {
        "agency": "ceshi-zhen", "year": 2022, "name": {"x": 1}, "meta": {"title": ["列表"], "doc_no": "文号 1"},
        "allCells": {"nb-tb-find": "按名称", "in-gov-2021-t3-new_received-0": "5", "in-gov-2021-t3-total-0": {"a": 1}},
        "uncertainCells": ["nb-tb-narrative", "in-gov-2021-t3-total-0"],
        "acknowledged": [{"rule": "T3-BAL", "reason": "别处写入的确认"}, {"rule": "<img src=x>", "reason": "y"},
                         {"rule": "T4-SUM", "reason": " "}, "junk"],
        "headers": {"t3.new_received.natural_person": "自然人", "<b>": "x"}, "narrative": 5, "correcting": "2021",
    }
    # Half of a character pair: no file can hold it (the CLI cannot read it back).
    page.evaluate("""([k, d]) => { d.allCells["in-gov-2021-t3-carried_over-0"] = "1\\ud800";
                                     localStorage.setItem(k, JSON.stringify(d)); }""", [key, hostile])
    page.reload()
    note = page.inner_text("#nb-tb-draft-note")
    assert "12 项无法识别" in note, note
    assert page.input_value("[name=agency]") == "ceshi-zhen" and page.input_value("[name=name]") == ""
    assert page.input_value("[name=title]") == "" and page.input_value("[name=doc_no]") == "文号 1"
    assert page.input_value("#nb-tb-find") == ""  # a draft only reaches the table's cells
    section = page.locator("section[data-edition=gov-2021]")
    assert section.locator("input[data-cell='t3.new_received.0']").input_value() == "5"
    assert section.locator("input[data-cell='t3.total.0']").get_attribute("data-uncertain") == "1"
    # The one valid acknowledgement is in plain sight, with its undo; none is kept out of view.
    assert page.locator("#nb-tb-acks li").all_inner_texts() == ["T3-BAL：别处写入的确认 撤销确认"]
    assert page.evaluate("() => document.querySelectorAll('#nb-tb-acks img').length") == 0
    # So is the header it records as printed (it would be table 二's column title on the page).
    assert page.locator("#nb-tb-headers li").all_inner_texts() == ["t3.new_received.natural_person：“自然人” 删去"]
    assert section.locator("input[data-cell='t3.carried_over.0']").input_value() == ""
    page.evaluate("([k]) => localStorage.setItem(k, '{not json')", [key])
    page.reload()
    assert "1 项无法识别" in page.inner_text("#nb-tb-draft-note")
    assert page.input_value("[name=agency]") == ""
    assert errors == []
    context.close()


def test_preview_shows_the_report_as_its_page_will(page, server):
    data = fill_seed(page, server)
    areas = page.locator("#nb-tb-sections textarea")
    last = areas.nth(areas.count() - 1)
    last.fill(last.input_value() + "\n\n见<b onmouseover=alert(1)>附件</b>。")
    page.evaluate("nianbao.ready")
    page.click("#nb-tb-preview-show")
    preview = page.locator("#nb-tb-preview")
    preview.locator("h1").wait_for(timeout=20000)
    assert preview.locator("h1").inner_text() == data["title"]
    assert [preview.locator("h2").nth(i).inner_text() for i in range(6)] == [h for h, _ in seed_sections()[1:]]
    # The right number in the right cell: the report page's own table, its ids made the preview's own.
    cell = preview.locator("table#pv-table-t3 td[headers~='pv-t3-r-new_received']").first
    assert cell.inner_text().strip() == str(data["t3"]["new_received"][0])
    # Raw HTML is shown as the text it is (the browser has no HTML cleaner): nothing of it is live.
    assert "<b onmouseover=alert(1)>附件</b>" in preview.inner_text()
    assert preview.locator("b").count() == 0
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))


def test_an_existing_agency_is_checked_against_its_published_reports(page, server):
    data = yaml.safe_load((SEED / "2019.yml").read_text(encoding="utf-8"))
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-from-last").click()
    page.wait_for_function("document.querySelector('[name=year]').value === '2020'")
    page.fill("[name=published]", "2021-01-15")
    page.evaluate("nianbao.ready")
    carried = data["t3"]["carried_forward"][0]
    section = page.locator("section[data-edition=gov-2019]")
    section.locator("input[data-cell='t3.carried_over.0']").fill(str(carried + 2))
    flag = section.locator("td[data-cell='t3.carried_over.0'] .nb-tb-flag[data-rule=XY-CARRY]")
    flag.wait_for(timeout=20000)
    assert f"上年结转 {carried + 2}，但 2019 年报告的结转下年度为 {carried}" in flag.inner_text()
    # Its agency.yml is in the repository, not in the form: never reported missing.
    lines = page.locator("#nb-tb-problems .nb-tb-line").all_inner_texts()
    assert lines and not [line for line in lines if "agency.yml" in line or not line.startswith("reports/luoyuan-songshan/2020.")]


def test_the_guide_shows_the_page_before_the_command_line():
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    assert guide.index("## 不安装任何软件提交报告") < guide.index("## 从已发布的报告导入")
    images = re.findall(r"!\[[^\]\n]+\]\((images/tianbao-[a-z]+\.png)\)", guide)
    assert len(images) == 4
    for name in images:  # tests/make_screenshots.py takes them from a built site
        assert (REPO / "docs" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_engine_runs_under_the_worker_policy_the_readme_gives(browser, tmp_path):
    """A <meta> CSP does not reach a Web Worker: the README's server snippet sends the worker its
    own. The engine must load and answer under exactly that header."""
    from http.server import SimpleHTTPRequestHandler

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    header = re.search(r'location = /javascripts/tianbao-worker\.js \{.*?add_header Content-Security-Policy "([^"]+)" always;',
                       readme, re.S).group(1)
    assert "script-src 'self' 'wasm-unsafe-eval'" in header and "unsafe-eval'" not in header.replace("wasm-unsafe-eval", "")

    class WorkerPolicy(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            if self.path.split("?")[0] == "/javascripts/tianbao-worker.js":
                self.send_header("Content-Security-Policy", header)
            super().end_headers()

    site = tmp_path / "site"
    project = make_project(tmp_path / "p")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    assert build(project).returncode == 0
    shutil.move(str(project / "site"), site)
    httpd, url = serve(site, WorkerPolicy)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        with page.expect_response(lambda r: r.url.endswith("/javascripts/tianbao-worker.js")) as sent:
            page.goto(url + "tianbao/")
        assert sent.value.headers.get("content-security-policy") == header
        page.evaluate("nianbao.ready")
        refused = page.evaluate("""() => nianbao.importText("只是一段话", {agency: "x-zhen", year: 2022, name: "某镇",
            region: "福建省"}).then(() => "", e => e.message)""")
        assert "这不像是" in refused  # the import ran (and refused a text that is no report)
        assert violations == []
    finally:
        context.close()
        httpd.shutdown()


# Each a slip in the published seed, opened for correction, and the rule it must raise at that cell.
CELL_RULES = {
    "NN": {"t3.granted.0": "-3"},
    "FMT-VALUE": {"t3.granted.0": "1234567890123456"},
    "T3-ROW": {"t3.denied_secret.0": "5", "t3.denied_secret.6": "1"},
    "T3-RES": {"t3.granted.1": "2"},
    "T3-BAL": {"t3.carried_forward.0": "2"},
    "T4-SUM": {"t4.cases.0": "3"},
    "PLAUSIBLE": {"t3.new_received.0": "99999999"},
}


@pytest.mark.parametrize("width", [1366, 390])
def test_each_rule_is_shown_at_its_cell_as_the_check_words_it(browser, server, width):
    """Every rule that points at a table cell: its id and the check's own message beside that cell
    (the expected flags are the package's check of the same form state, run here in CPython)."""
    from nianbao.editing import browser as engine_py

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(server + "tianbao/?agency=luoyuan-songshan")
    page.locator("#nb-tb-correct").click()
    page.wait_for_function("document.querySelector('[name=title]').value !== ''")
    page.evaluate("nianbao.ready")
    section = page.locator("section[data-edition=gov-2019]")
    seed = engine_py.form_state(folder_files(SEED))
    agency = yaml.safe_load((SEED / "agency.yml").read_text(encoding="utf-8"))
    for rule, edits in CELL_RULES.items():
        state = page.evaluate("() => JSON.parse(localStorage.getItem(nianbao.draftKey))")
        for name, value in edits.items():
            tid, row, i = name.split(".")
            state["cells"][tid][row][int(i)] = value
        state["context"] = {"agency": agency}
        expected = [(p["cell"], p["text"].split("] ", 1)[1]) for p in engine_py.form_check(state)["problems"]
                    if p["rule"] == rule]
        assert expected and all(cell for cell, _ in expected), (rule, expected)
        for name, value in edits.items():
            section.locator(f"input[data-cell='{name}']").fill(value)
        for cell, message in expected:
            flag = section.locator(f"td[data-cell='{cell}'] .nb-tb-flag[data-rule={rule}]")
            flag.first.wait_for(timeout=20000)
            assert f"{rule}：{message}" in flag.all_inner_texts()
        for name in edits:  # back to the published value before the next slip
            tid, row, i = name.split(".")
            section.locator(f"input[data-cell='{name}']").fill(seed["cells"][tid][row][int(i)])
        page.locator(f"#nb-tb-problems li[data-rule='{rule}']").first.wait_for(state="detached", timeout=20000)
    context.close()


def test_a_full_browser_storage_is_said_and_the_check_goes_on(page, server):
    page.goto(server + "tianbao/")
    page.fill("[name=agency]", "ceshi-zhen")
    page.fill("[name=year]", "2022")
    # Another site on the same host may fill the origin's storage.
    page.evaluate("""() => { let i = 0;
        for (const size of [512 * 1024, 8 * 1024, 64]) {
          try { for (;;) localStorage.setItem(`filler-${i++}`, "x".repeat(size)); } catch { } } }""")
    section = page.locator("section[data-edition=gov-2021]")
    section.locator("input[data-cell='t3.new_received.0']").fill("5")
    section.locator("input[data-cell='t3.total.0']").fill("3")
    section.locator("input[data-cell='t3.carried_forward.0']").fill("0")
    section.locator("td[data-cell='t3.new_received.0'] .nb-tb-flag[data-rule=T3-BAL]").wait_for(timeout=5000)
    assert "草稿未能保存" in page.inner_text("#nb-tb-draft-note")
    page.evaluate("() => localStorage.clear()")
