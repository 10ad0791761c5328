"""`toptasks serve` (issue 28): the real server on a free port over a real history (DuckDB,
and the PostgreSQL the tests start), driven in Chromium at 1366 px and 390 px as a person
reads it; and the layout check on its pages and on the demo's report."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from crawler.browser import launch_options
from tests.conftest import toptasks
from tests.layout import layout_problems
from tests.services import postgres_server
from tests.sites import university
from tests.sites.server import FixtureSite, Reply
from toptasks.history import record_run

TASKS = """
tasks:
  - {id: apply, name: "Apply <script>alert(1)</script>", target: {text: "Apply through UCAS"}}
  - {id: term_dates, name: Check term dates, target: {text: "Autumn term starts"}}
"""
TERM_DATES = '<li><a href="/term-dates/">Term dates</a></li>'
WIDTHS = (1366, 390)


def moved_term_dates() -> dict:
    """The next release: "Term dates" leaves the footer for the Student life page."""
    routes = {}
    for path, reply in university.routes().items():
        body = reply.body.replace(TERM_DATES, "") if isinstance(reply.body, str) else reply.body
        if path == "/student-life/":
            body = body.replace("<ul>", '<ul><li><a href="/term-dates/">Term dates</a></li>', 1)
        routes[path] = Reply(body, reply.status, reply.content_type, reply.headers)
    return routes


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    (tmp / "tasks.yaml").write_text(TASKS)
    runs = []
    for name, routes in (("before", university.routes()), ("after", moved_term_dates())):
        with FixtureSite(routes) as site:
            done = toptasks(
                "audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / name,
                "--no-render", "--no-throttle", "--history", tmp / "history.duckdb",
            )  # fmt: skip
        assert done.returncode == 0, done.stderr
        runs.append(tmp / name)
    return tmp / "history.duckdb", runs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(*args: str | Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "toptasks", "serve", "--port", str(port), *map(str, args)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers, if only to refuse
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stderr.read()) from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def status(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options(playwright))
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_person_sees_the_task_that_changed_and_opens_its_report(history, browser, width):
    store, _ = history
    with serving("--history", store) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url)
        assert layout_problems(page) == []
        page.get_by_role("link", name="127.0.0.1").first.click()
        row = page.locator("#task-term_dates")
        assert "clicks 1 → 2" in row.inner_text()
        assert "clicks" not in page.locator("#task-apply").inner_text()  # still one click
        assert "<script>" in page.locator("#task-apply").inner_text()  # shown, not run
        assert layout_problems(page) == []
        row.get_by_role("link").first.click()
        page.wait_for_load_state()
        assert page.title().startswith("toptasks report:")
        assert page.locator("#task-term_dates").count() == 1
        page.go_back()
        page.get_by_role("button", name="Side by side").click()
        assert "two runs side by side" in page.locator("h1").inner_text()
        changed = page.locator("tr.changed").all_inner_texts()
        assert any("Check term dates" in text and "clicks" in text for text in changed)
        assert layout_problems(page) == []


def test_the_demo_report_passes_the_layout_check(demo_run, browser):
    out, done = demo_run
    assert done.returncode == 0, done.stderr
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto((out / "report.html").as_uri())
        assert layout_problems(page) == [], width


def test_the_served_run_shows_each_tasks_path_in_pictures(demo_run, browser):
    """Issue 38: the site's page shows the latest run's path pictures, served from its folder."""
    out, done = demo_run
    assert done.returncode == 0, done.stderr
    with serving("--history", out.parent / "history.duckdb") as url:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(url)
            page.get_by_role("link", name="127.0.0.1").first.click()
            strip = page.locator("ol.strip").first
            assert strip.locator("img[loading=lazy]").count() >= 2
            src = strip.locator("img").first.get_attribute("src")
            assert src.startswith("/runs/") and src.endswith(".jpg")
            assert status(url.rstrip("/") + src) == 200
            assert layout_problems(page) == [], width


def test_a_token_guards_every_page(history):
    store, _ = history
    with serving("--history", store, "--token", "s3cret") as url:
        assert status(url) == 401
        assert status(url + "sites/127.0.0.1") == 401
        assert status(url + "?token=wrong") == 401
        assert status(url + "?token=s3cret") == 200
        assert status(url + "sites/127.0.0.1", token="s3cret") == 200


def test_run_files_are_served_from_their_folder_only(history):
    store, _ = history
    with serving("--history", store) as url:
        site = urllib.request.urlopen(url + "sites/127.0.0.1").read().decode()
        run_id = site.split('href="/runs/', 1)[1].split("/", 1)[0]
        assert status(f"{url}runs/{run_id}/tasks.csv") == 200
        assert status(f"{url}runs/{run_id}/../../../../etc/passwd") == 404
        assert status(f"{url}runs/{run_id}/%2e%2e/%2e%2e/history.duckdb") == 404
        assert status(f"{url}runs/nope/report.html") == 404


def test_the_postgresql_history_is_served_too(history, browser):
    _, runs = history
    with postgres_server() as pg:
        for run in runs:
            record_run(pg, run)
        with serving("--history", pg) as url:
            page = browser.new_page(viewport={"width": 390, "height": 900})
            page.goto(url + "sites/127.0.0.1")
            assert "clicks 1 → 2" in page.locator("#task-term_dates").inner_text()
            assert "postgres@" in page.content() and "password" not in page.content()


def test_serve_refuses_a_history_that_is_not_there_or_a_port_in_use(history, tmp_path):
    done = toptasks("serve", "--history", tmp_path / "none.duckdb", "--port", str(free_port()))
    assert done.returncode == 2
    assert "no history at" in done.stderr and "Traceback" not in done.stderr
    store, _ = history
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        done = toptasks("serve", "--history", store, "--port", port)
    assert done.returncode == 2
    assert done.stderr.startswith(f"toptasks: error: cannot listen on 127.0.0.1:{port}")
