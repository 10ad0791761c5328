"""Sites that cannot be audited end with exit 3 and one line; usage mistakes with exit 2."""

from __future__ import annotations

import socket

from tests.conftest import BANK_TASKS, read_csv, toptasks
from tests.sites.server import FixtureSite, Reply


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fails_with(done, code: int, words: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("toptasks: error: ") and words in lines[0], lines[0]


def test_closed_port_exits_3_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/"
    done = toptasks("audit", url, "--tasks", BANK_TASKS, "--out", tmp_path / "o", "--no-throttle")
    _fails_with(done, 3, f"cannot reach {url}")
    assert "Connection" in done.stderr
    pages = read_csv(tmp_path / "o" / "pages.csv")
    assert "refused" in pages["error"].tolist()[0]


def test_unknown_host_exits_3(tmp_path):
    done = toptasks(
        "audit", "http://no-such-host.invalid/", "--tasks", BANK_TASKS, "--out", tmp_path / "o"
    )
    _fails_with(done, 3, "cannot reach http://no-such-host.invalid/")


def _audit_site(routes, tmp_path):
    with FixtureSite(routes) as site:
        return site, toptasks(
            "audit", site.url, "--tasks", BANK_TASKS, "--out", tmp_path / "o", "--no-throttle"
        )


def test_start_page_500_exits_3(tmp_path):
    _, done = _audit_site({"/": Reply("<h1>down</h1>", status=500)}, tmp_path)
    _fails_with(done, 3, "answered HTTP 500")


def test_start_page_not_html_exits_3(tmp_path):
    _, done = _audit_site({"/": Reply(b"%PDF-1.4", content_type="application/pdf")}, tmp_path)
    _fails_with(done, 3, "is not HTML (application/pdf)")


def test_robots_forbidding_everything_exits_3(tmp_path):
    routes = {"/robots.txt": Reply("User-agent: *\nDisallow: /\n", content_type="text/plain")}
    site, done = _audit_site({**routes, "/": Reply("<a href='/a'>a</a>")}, tmp_path)
    _fails_with(done, 3, "robots.txt forbids crawling")
    assert site.paths_requested() == ["/robots.txt"]


def test_existing_run_is_not_overwritten_without_force(tmp_path, bank_site):
    out = tmp_path / "o"
    args = (
        "audit",
        bank_site.url,
        "--tasks",
        BANK_TASKS,
        "--out",
        out,
        "--no-throttle",
        "--no-render",
    )
    assert toptasks(*args).returncode == 0
    before = (out / "tasks.csv").read_text()
    _fails_with(toptasks(*args), 2, "already holds a run; use --force")
    assert (out / "tasks.csv").read_text() == before
    assert toptasks(*args, "--force").returncode == 0


def test_bad_usage_exits_2(tmp_path):
    done = toptasks("audit", "ftp://x/", "--tasks", BANK_TASKS, "--out", tmp_path / "o")
    _fails_with(done, 2, "not an http(s) URL")
    done = toptasks("audit", "http://x/", "--tasks", BANK_TASKS, "--viewports", "tablet")
    _fails_with(done, 2, "--viewports")
    assert toptasks("audit", "--tasks").returncode == 2
