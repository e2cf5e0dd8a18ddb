"""The narrative attacks of issue 26 against their victim, a real browser (Debian's Chromium).

1. What the check passes is what the page shows: for hostile narratives made of the pieces the
   attacks were built from, every block the page renders is parsed by Chromium twice — as the
   parser made it and as the allow-list cleaner left it. Whenever the check finds nothing, the
   cleaner must have removed nothing (else the check missed something a browser would make);
   and the cleaned block never holds an element, attribute or URL outside the allow-list.
2. A site built from hostile narratives and a script disguised as a PDF, with the check bypassed,
   does nothing in the browser: no navigation, no script, no request outside the site.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import report_data, write_report
from test_browser import CHROMIUM, FLAGS, RecordingHandler, browser, serve  # noqa: F401  (the browser fixture)
from test_site import bypassed_build, make_project
from nianbao.core.safety import NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS, check_markdown, url_is_unsafe
from nianbao.site.narrative import blocks

PIECES = [
    "<", ">", "/", "\"", "'", "=", " ", "\n", "\n\n", "`", "```\n", "~~~", "> ", "- ", "1. ", "## ", "|", "|---|\n",
    "<div>", "</div>", "<span", "<table>", "<td>", "<meta/@", "<script/@ src=x.pdf>", "<script>", "</script>",
    "<!--", "-->", "--!>", "<!", "<?", "</", "<a href=", "javascript:alert(1)", "&#106;avascript:", "&#x6A;",
    "[x](", "](", ")", "[r]: ", "[x][r]", "![i](", "<javascript:x>", "<https://www.gov.cn>", "{: ", "}",
    "id=__config", "id=x", "class=md-header", "onclick=alert(1)", "style=color:red", "http-equiv=refresh",
    "content=0;url=https://evil.example/", "<b>", "</b>", "<br>", "<sup>2</sup>", "<iframe", "<svg", "<img",
    "<textarea>", "<title>", "<style>", "<noscript>", "<xmp>", "<plaintext>", "<math>", "<base href=",
    "正文", "一、总体情况", "&lt;", "&", "\\", "*", "_", "§§nianbao-block-0§§", "<p>", "</p>",
    "class=note", "class=headerlink", "<pre class=mermaid>", "[r]: javascript:x (t ", "[r]: https://a (t ", "<h1>",
]

COLLECT = """(html) => {
  const doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
  return Array.from(doc.body.querySelectorAll('*')).map(e =>
    [e.localName, Array.from(e.attributes).map(a => [a.name, a.value])]);
}"""


@pytest.fixture(scope="module")
def dom(browser):  # noqa: F811
    page = browser.new_page()
    yield lambda html: page.evaluate(COLLECT, html)
    page.close()


def allowed(elements) -> list:
    wrong = []
    for name, attrs in elements:
        if name not in NARRATIVE_TAGS | {"tbody"}:  # the browser inserts <tbody> itself
            wrong.append(name)
        for attr, value in attrs:
            if attr not in NARRATIVE_ATTRIBUTES.get(name, NARRATIVE_ATTRIBUTES["*"]) and attr != "id":
                wrong.append(f"{name}[{attr}]")
            if attr in ("href", "src") and url_is_unsafe(value):
                wrong.append(f"{name}[{attr}={value}]")
            ours = name in ("h1", "h2", "h3", "h4", "h5", "h6") and re.fullmatch(r"section-[1-6]|h-[0-9]+", value)
            if attr == "id" and not ours and (value.startswith(("__", "md-", "section-", "h-", "table-"))
                                              or value == "check"):
                wrong.append(f"{name}#{value}")
    return wrong


def kinds(elements) -> set:
    return {(name, tuple(sorted(map(tuple, attrs)))) for name, attrs in elements}


def rendered(text: str, clean: bool) -> list[str]:
    parts, _ = blocks(text, {"t2", "t3", "t4"}) if clean else blocks(text, {"t2", "t3", "t4"}, clean=lambda h: h)
    return [part.html for part in parts]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=16).map("".join))
def test_what_the_check_passes_is_what_the_browser_shows(dom, text):
    passed = not check_markdown(text, "x.md")
    raw, clean = rendered(text, clean=False), rendered(text, clean=True)
    assert len(raw) == len(clean)
    for before, after in zip(raw, clean):
        cleaned = dom(after)
        assert allowed(cleaned) == [], (text, after)
        if passed:  # the same kinds of element, attribute and value (the cleaner closes what is open)
            assert kinds(dom(before)) == kinds(cleaned), (text, before, after)


ATTACKS = {
    # The first attack of the issue: a heading id through attr_list, into the table of contents.
    "toc": "## 附件说明 {: id='x\"><meta/@ http-equiv=refresh content=0;url=https://evil.example/><i/@/x=\"' }\n\n正文。\n",
    # The same, inside an HTML block that lone backticks around it hid from the old check.
    "block": ("前文`\n\n<div>\n<meta/@ http-equiv=refresh content=0;url=https://evil.example/>\n"
              "<script/@ src=../files/2022-original.pdf></script>\n<img src=https://evil.example/x.png>\n</div>\n\n后文`\n"),
    "links": ("[点击](javascript:window.pwned=1) [又一个](&#106;avascript:window.pwned=2) "
              "[再一个](< javascript:window.pwned=3>) <span id=\"__config\">{}</span>\n\n"
              "> [引用][r]\n>\n> [r]: javascript:window.pwned=4\n"),
    # A definition only to a parser that accepts javascript: and a paragraph on the page, its
    # "title" holding HTML: Material loads mermaid from unpkg for a <pre class="mermaid">.
    "divergence": ('[r]: javascript:x (t <pre class="mermaid" id="mermaid">graph TD; A-->B</pre> '
                   '<h1>假标题</h1>)\n\n正文。\n'),
    # The theme's own classes hide (headerlink) or restyle what an editor writes.
    "classes": '正文<span class="headerlink">藏起来的话</span><span class="md-header">假页头</span>\n',
}
# Report titles print as the page's <h1>; its id must not become the theme's config element.
TITLES = {"divergence": "__config", "classes": "check"}

# What a contributor's narrative and attachment could do if they got past `nianbao check`.
UNCHECKED = """
from nianbao.core import load, safety
safety.check_markdown = lambda text, path: []
load.attachment_problem = lambda path: None
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("attacks"), seed=False)
    for i, (name, narrative) in enumerate(ATTACKS.items()):
        data = report_data(slug=f"town-{name}", year=2022)
        data["title"] = TITLES.get(name, data["title"])
        if name == "block":
            data["attachments"] = [{"title": "原文", "url": "files/2022-original.pdf"}]
        path = write_report(project / "reports", data, narrative=narrative)
        if name == "block":
            (path.parent / "files").mkdir()
            (path.parent / "files" / "2022-original.pdf").write_text("window.pwned = 'pdf';\n", encoding="utf-8")
    done = bypassed_build(project, UNCHECKED)
    assert done.returncode == 0, done.stderr
    httpd, url = serve(project / "site", type("Recorder", (RecordingHandler,), {"paths": []}))
    yield url, project / "site"
    httpd.shutdown()


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_hostile_narrative_does_nothing_in_the_browser(browser, hostile_site, name):  # noqa: F811
    base, site = hostile_site
    context = browser.new_context()
    page = context.new_page()
    outside, dialogs = [], []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    url = f"{base}town-{name}/2022/"
    page.goto(url)
    page.wait_for_timeout(1500)  # a refresh of content=0 would have happened by now
    for link in page.locator("article a").all():  # clicking every link runs no script either
        href = link.get_attribute("href") or ""
        if href.startswith("#"):
            link.click()
    assert page.url.startswith(url)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert outside == [] and dialogs == []
    # The table of contents links only to the page's own headings, by the ids the page made.
    toc = page.locator("nav.md-nav--secondary a.md-nav__link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert toc and all(h in ("#compare", "#check") or h.startswith(("#section-", "#h-")) for h in toc)
    assert page.evaluate("JSON.parse(document.getElementById('__config').textContent).base") is not None
    context.close()


def test_the_toc_payload_is_shown_as_the_text_it_is(browser, hostile_site):  # noqa: F811
    base, site = hostile_site
    page = browser.new_page()
    page.goto(f"{base}town-toc/2022/")
    heading = page.locator("article h2").first
    assert heading.get_attribute("id") == "h-1"
    assert heading.inner_text().startswith("附件说明 {: id='x\"><meta/@ http-equiv=refresh")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.close()


def test_hidden_or_theme_styled_narrative_text_is_visible(browser, hostile_site):  # noqa: F811
    base, site = hostile_site
    page = browser.new_page()
    page.goto(f"{base}town-classes/2022/")
    assert page.get_by_text("藏起来的话").is_visible() and page.get_by_text("假页头").is_visible()
    assert page.locator("article [class~=headerlink], article [class~=md-header]").count() == 0
    page.goto(f"{base}town-divergence/2022/")
    assert page.locator("article pre, #mermaid").count() == 0
    [h1] = page.locator("h1").evaluate_all("hs => hs.map(h => h.id)")
    assert h1.startswith("nb-") and page.evaluate("JSON.parse(document.getElementById('__config').textContent).base")
    page.close()
