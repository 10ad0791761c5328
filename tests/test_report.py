"""report.html escapes what the audited site says, and runs no script when a person opens it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import html5lib
import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from crawler.browser import launch_options
from tests.conftest import toptasks
from tests.layout import layout_problems
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
    assert 'aria-label="Score of Get help over the last 2 runs"' in html


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
        images = page.locator("img:not([loading=lazy])")  # the path pictures load on view
        assert images.count() >= 2
        assert all(w > 0 for w in images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)"))
        pictures = page.locator("img[loading=lazy]")
        assert pictures.count() >= 4
        pictures.last.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('img[loading=lazy]')].at(-1).naturalWidth > 0"
        )
        browser.close()
    assert requests and all(url.startswith("file://") for url in requests)


def test_report_command_rebuilds_the_report(hostile_run):
    (hostile_run / "report.html").unlink()
    done = toptasks("report", hostile_run)
    assert done.returncode == 0, done.stderr
    assert "Get help" in (hostile_run / "report.html").read_text()


def test_tasks_go_by_their_names_and_scores_by_their_band(hostile_run):
    html = (hostile_run / "report.html").read_text()
    charts = html[html.index("<h3>Score of each task</h3>") : html.index("<h2>Tasks</h2>")]
    assert "Get help" in charts and "Log in" in charts and ">help<" not in charts
    assert 'class="bar band-' in charts
    assert '<abbr title="Get help">help</abbr><span class="sr-only"> (Get help)</span>' in html
    score = json.loads((hostile_run / "summary.json").read_text())["site_score"]
    band = "good" if score >= 90 else "needs work" if score >= 50 else "poor"
    assert f'{score} <span class="band band-{band.replace(" ", "-")}">{band}</span>' in html


LONG_PATH = " > ".join(f"div.layout-container-{i}:nth-of-type({i})" for i in range(25))
LONG_URL = "https://bank.example/" + "/".join(f"section-{i}-of-the-site" for i in range(15))


@pytest.fixture(scope="module")
def long_run(hostile_run, tmp_path_factory) -> Path:
    """The run with the element paths and addresses of a big real site in its tables."""
    run = tmp_path_factory.mktemp("long") / "run"
    shutil.copytree(hostile_run, run)
    findings = pd.read_csv(run / "findings.csv", dtype=str, keep_default_na=False)
    findings["element"] = LONG_PATH
    findings.loc[0, "page_url"] = LONG_URL + "?query=" + "x" * 150
    findings.loc[0, "detail"] = "unbroken" + "-word" * 60
    findings.to_csv(run / "findings.csv", index=False)
    tasks = pd.read_csv(run / "tasks.csv", dtype=str, keep_default_na=False)
    tasks["path"] = LONG_URL + " > " + LONG_URL + "/lost-card"
    tasks.to_csv(run / "tasks.csv", index=False)
    summary = json.loads((run / "summary.json").read_text())
    summary["fix_first"] = [
        {"site_score_gain": 3.5, "fix": "remove the modal", "task_ids": "help login",
         "viewport": "mobile", "page_url": LONG_URL, "element": LONG_PATH,
         "problem": "modal: " + "long-words-" * 40}
    ]  # fmt: skip
    (run / "summary.json").write_text(json.dumps(summary))
    done = toptasks("report", run)
    assert done.returncode == 0, done.stderr
    return run


@pytest.mark.parametrize("width", [1366, 390])
def test_long_element_paths_and_addresses_fit_the_screen(long_run, width):
    """Issue 38: a real site's long CSS paths and URLs wrap or shorten, the whole on demand."""
    html = (long_run / "report.html").read_text()
    assert f"<code>{LONG_PATH.replace('>', '&gt;')}</code>" in html  # the whole, on demand
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options(p))
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto((long_run / "report.html").resolve().as_uri())
        assert layout_problems(page) == []
        for details in page.locator("details.long").all()[:3]:
            details.locator("summary").click()  # the whole path opens in place, and still fits
        assert layout_problems(page) == []
        browser.close()


def test_the_markdown_summary_links_each_tasks_pictures(hostile_run):
    done = toptasks("summary", hostile_run, "--report-url", "https://ci.example/r/report.html")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| help "))
    assert "[desktop](https://ci.example/r/report.html#strip-help-desktop)" in row
    assert "[mobile](https://ci.example/r/report.html#strip-help-mobile)" in row
