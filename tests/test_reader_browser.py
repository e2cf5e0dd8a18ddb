"""The reader's path on a phone and a laptop (issue 28): no page is wider than the screen, the
statutory tables keep their row labels in view and say that they scroll, blank and flagged cells
carry a visible mark, and a flagged cell leads to its line in 数据核验."""

from __future__ import annotations


import pytest

from conftest import report_data, write_report
from test_browser import PAGES, browser, serve, server  # noqa: F401 — the shared fixtures
from test_site import build, make_project

WIDTHS = [390, 1366]
MORE = {"地区（省）": "regions/福建省/", "地区年度": "regions/福建省/2019/", "数据质量": "quality/",
        "搜索": "search/?q=%E6%9D%BE%E5%B1%B1%E9%95%87", "关于": "about/", "按地区": "regions/"}


def open_page(browser, server, url, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 850}, is_mobile=width < 500, locale="zh-CN")
    page = context.new_page()
    page.goto(server + url)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES) + list(MORE))
def test_no_page_is_wider_than_the_screen(browser, server, name, width):  # noqa: F811
    context, page = open_page(browser, server, {**PAGES, **MORE}[name], width)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert sizes[0] <= sizes[1], f"{name} at {width}px: {sizes[0]} px wide in a {sizes[1]} px window"


def test_table_row_labels_stay_in_view_and_the_table_says_it_scrolls(browser, server):  # noqa: F811
    context, page = open_page(browser, server, PAGES["报告"], 390)
    region = page.locator("#table-t3").locator("xpath=..")
    hint = region.locator("xpath=preceding-sibling::p[1]")
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    label = page.locator("#t3-r-granted")
    label.scroll_into_view_if_needed()
    region.evaluate("el => el.scrollLeft = 400")
    page.wait_for_timeout(100)
    box, cell = region.bounding_box(), label.bounding_box()
    assert region.evaluate("el => el.scrollLeft") > 300
    assert abs(cell["x"] - box["x"]) <= 2  # the row label is still at the left edge
    # The label covers the figures scrolling under it: the element at its centre is the label.
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).id",
                         [cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2]) == "t3-r-granted"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_blank_cells_show_a_mark_and_a_legend(browser, server, width):  # noqa: F811
    context, page = open_page(browser, server, PAGES["报告"], width)
    blanks = page.locator("#table-t3 td.nb-blank")
    assert blanks.count() > 0
    first = blanks.first
    first.scroll_into_view_if_needed()
    assert first.inner_text() == "空白" and first.is_visible()
    legend = page.locator("#table-t3").locator("xpath=../preceding-sibling::p[contains(@class, 'nb-legend')][1]")
    assert legend.is_visible() and "原文该格空白" in legend.inner_text()
    context.close()


@pytest.fixture(scope="module")
def flagged_server(tmp_path_factory):
    """A report whose 表四 total the editor acknowledged as printed (T4-SUM)."""
    project = make_project(tmp_path_factory.mktemp("flagged"), seed=False)
    data = report_data(slug="ceshi-ju", year=2023)
    data["t4"]["cases"][4] = 0
    data["acknowledged"] = [{"rule": "T4-SUM", "reason": "原文复议总计印为 0，已与原文核对"}]
    write_report(project / "reports", data, agency={"name": "测试市测试局", "kind": "政府部门", "region": "测试省/测试市"})
    done = build(project)
    assert done.returncode == 0, done.stderr
    httpd, url = serve(project / "site")
    yield url
    httpd.shutdown()


def test_a_flagged_cell_leads_to_its_line_in_the_check_and_back(browser, flagged_server):  # noqa: F811
    context, page = open_page(browser, flagged_server, "ceshi-ju/2023/", 390)
    marks = page.locator("td.nb-flag-ack a.nb-flag-mark")
    assert marks.count() == 1 and marks.first.inner_text() == "✓"
    legend = page.locator("#table-t4").locator("xpath=../preceding-sibling::p[contains(@class, 'nb-legend')][1]")
    assert "编辑已与原文核对" in legend.inner_text()
    mark = marks.first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    target = mark.get_attribute("href")
    mark.click()
    line = page.locator(target)
    assert line.is_visible() and "编辑用信息" in line.inner_text()
    assert line.locator("details.nb-editor").evaluate("el => !el.open")  # file:line and rule id collapsed
    line.locator("a", has_text="表中位置").click()
    assert page.evaluate("location.hash").startswith("#cell-")
    context.close()


def test_on_a_phone_the_first_search_result_comes_before_the_filters(browser, server):  # noqa: F811
    context, page = open_page(browser, server, "search/?q=%E6%9D%BE%E5%B1%B1%E9%95%87", 390)
    first = page.locator(".pagefind-ui__result").first
    first.wait_for(timeout=15000)
    top = first.bounding_box()["y"]
    assert top < 850  # above the fold
    assert top < page.locator(".pagefind-ui__filter-panel").bounding_box()["y"]
    context.close()
