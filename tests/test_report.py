"""report.html escapes what the audited site says, and runs no script when a person opens it."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from playwright.sync_api import sync_playwright

from crawler.browser import launch_options
from tests.conftest import toptasks
from tests.sites.server import FixtureSite, Reply

HOSTILE = "<script>window.__pwned = 1</script>"
HOME = f"""<!doctype html><html><head><title>Bank {HOSTILE}</title></head><body>
<header><a href="/login">Log in <img src=x onerror="window.__pwned = 2"></a></header>
<main><a href="javascript:window.__pwned=3">{HOSTILE} click</a><div style="height: 2000px"></div>
<a href="/help">Help "quoted" &amp; 'single' {HOSTILE}</a></main></body></html>"""
TASKS = """tasks:
  - id: login
    name: Log in
    entry: {text: ["log in"]}
    target: {selector: "input[type=password]"}
  - id: help
    name: Get help
    target: {url: "/help$"}
"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "tasks.yaml").write_text(TASKS)
    routes = {
        "/": Reply(HOME),
        "/login": Reply(f"<title>{HOSTILE}</title><input type=password>"),
        "/help": Reply(f"<title>Help {HOSTILE}</title><p>Help</p>"),
    }
    with FixtureSite(routes) as site:
        for run in ("earlier", "run"):  # an earlier run in the history: trend charts too
            done = toptasks("audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / run,
                            "--no-throttle", "--page-timeout", "5")  # fmt: skip
            assert done.returncode == 0, done.stderr
    return tmp / "run"


def test_hostile_text_is_escaped_in_the_report(hostile_run):
    html = (hostile_run / "report.html").read_text()
    assert HOSTILE not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert "Content-Security-Policy" in html
    # The new places: the task's sentence quotes the site's link text; the trend chart.
    assert "Customers need 1 click to get help (about" in html
    # (a phone zooms this legacy page out: 2000 px of spacer fit its first screen)
    assert "on desktop the “Help &quot;quoted&quot; &amp; &#x27;single&#x27;” link is below" in html
    assert 'aria-label="Score of help over the last 2 runs"' in html


def test_the_report_is_valid_html(hostile_run):
    """A strict HTML5 parser (html5lib, the WHATWG algorithm) finds no parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse((hostile_run / "report.html").read_text())
    assert parser.errors == []


def test_opening_the_report_runs_no_script_and_loads_nothing_remote(hostile_run):
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options(p))
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto((hostile_run / "report.html").resolve().as_uri())
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 0
        images = page.locator("img")
        assert images.count() >= 2
        assert all(w > 0 for w in images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)"))
        browser.close()
    assert requests and all(url.startswith("file://") for url in requests)


def test_report_command_rebuilds_the_report(hostile_run):
    (hostile_run / "report.html").unlink()
    done = toptasks("report", hostile_run)
    assert done.returncode == 0, done.stderr
    assert "Get help" in (hostile_run / "report.html").read_text()
