"""The editing guide's screenshots of the 填报 page (docs/images/tianbao-*.png), taken from a site
built from this checkout, so they show the page as it is.

Run after changing the page, from the project folder, then commit the images:
    .venv/bin/python tests/make_screenshots.py
tests/test_tianbao.py checks that every image the guide shows exists; this script is not a test
(its output is pictures, which a person looks at).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_browser import CHROMIUM, FLAGS, serve  # noqa: E402
from test_site import REPO, build, make_project  # noqa: E402

IMAGES = REPO / "docs" / "images"


def shoot(page, selector: str, name: str, pad: int = 8) -> None:
    box = page.locator(selector).first.bounding_box()
    page.screenshot(path=IMAGES / name, clip={"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0),
                                              "width": box["width"] + 2 * pad, "height": box["height"] + 2 * pad})
    print(IMAGES / name)


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch))
        (project / "node_modules").symlink_to(REPO / "node_modules")
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "repo_url: https://github.com/example/nianbao-reports\n",
                          encoding="utf-8")
        done = build(project)
        if done.returncode:
            sys.exit(done.stderr)
        httpd, url = serve(project / "site")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="zh-CN", device_scale_factor=1)
            page.goto(url + "tianbao/?agency=luoyuan-songshan")
            page.locator("#nb-tb-start").wait_for()
            page.evaluate("nianbao.ready")
            shoot(page, ".nb-tb-agency", "tianbao-agency.png")
            page.click("#nb-tb-from-last")
            page.wait_for_function("document.querySelector('[name=year]').value === '2020'")
            page.fill("[name=published]", "2021-01-15")
            section = page.locator("section[data-edition=gov-2019]")
            for cell, value in (("t3.new_received.0", "3"), ("t3.granted.0", "1"), ("t3.total.0", "1"),
                                ("t3.carried_forward.0", "0")):
                section.locator(f"input[data-cell='{cell}']").fill(value)
            section.locator("td[data-cell='t3.new_received.0'] .nb-tb-flag").first.wait_for(timeout=20000)
            page.locator("#nb-tb-problems button[data-rule=T3-BAL]").first.wait_for(timeout=20000)
            page.evaluate("document.querySelectorAll('.md-top').forEach(e => e.remove())")  # the theme's, not the form's
            # The top of table 三: the flagged cell and its note.
            table = page.locator("#gov-2019-table-t3")
            table.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, document.getElementById('gov-2019-table-t3').getBoundingClientRect().top - 60)")
            box = table.bounding_box()
            page.screenshot(path=IMAGES / "tianbao-table.png",
                            clip={"x": box["x"] - 8, "y": box["y"] - 8, "width": box["width"] + 16, "height": 560})
            print(IMAGES / "tianbao-table.png")
            page.locator("#nb-tb-problems button[data-rule=T3-BAL]").first.click()
            page.fill("#nb-tb-ack-reason", "原文如此，已与原件核对")
            page.evaluate("document.getElementById('nb-tb-ack-form').scrollIntoView()")
            shoot(page, "#nb-tb-ack-form", "tianbao-ack.png")
            page.click("#nb-tb-preview-show")
            page.locator("#nb-tb-preview table").first.wait_for(timeout=20000)
            page.set_viewport_size({"width": 1100, "height": 1300})
            page.evaluate("window.scrollBy(0, document.getElementById('nb-tb-preview').getBoundingClientRect().top - 60)")
            page.screenshot(path=IMAGES / "tianbao-preview.png")
            print(IMAGES / "tianbao-preview.png")
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main()
