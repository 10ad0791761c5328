"""Sites that cannot be audited end with exit 3 and one line; usage mistakes with exit 2."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import BANK_TASKS, HERE, read_csv, toptasks
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


@pytest.mark.parametrize("status", [500, 403])
def test_start_page_error_exits_3(tmp_path, status):
    _, done = _audit_site({"/": Reply("<h1>no</h1>", status=status)}, tmp_path)
    _fails_with(done, 3, f"answered HTTP {status}")


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


def _quick_config(tmp_path) -> str:
    """The bank's tasks with a one-second download timeout, for servers that never answer."""
    text = (HERE / "sites" / "bank.yaml").read_text()
    path = tmp_path / "quick.yaml"
    path.write_text(text.replace("site:\n", "site:\n  download_timeout_s: 1\n", 1))
    return str(path)


def _silent(handler) -> None:
    time.sleep(30)


@pytest.mark.parametrize("robots", [Reply("oops", status=500), _silent])
def test_broken_robots_txt_allows_the_crawl(tmp_path, robots):
    """Scrapy's documented behaviour: a robots.txt that errs or times out allows everything."""
    page = Reply("<title>Home</title><a href='/a'>a</a>")
    with FixtureSite({"/robots.txt": robots, "/": page, "/a": page}) as site:
        done = toptasks(
            "audit",
            site.url,
            "--tasks",
            _quick_config(tmp_path),
            "--out",
            tmp_path / "o",
            "--no-throttle",
            "--no-render",
        )
        assert done.returncode == 0, done.stderr
        assert {"/", "/a"} <= set(site.paths_requested())


def test_out_under_a_file_exits_2(tmp_path, bank_site):
    (tmp_path / "file").write_text("not a folder")
    done = toptasks("audit", bank_site.url, "--tasks", BANK_TASKS, "--out", tmp_path / "file" / "o")
    _fails_with(done, 2, "cannot write to")


def _small_disk() -> None:
    """A process that may write files of at most 64 KB: a full disk, as the writes see it."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_disk_exits_with_one_line_and_no_summary(tmp_path, bank_site):
    out = tmp_path / "o"
    command = [sys.executable, "-m", "toptasks", "audit", bank_site.url, "--tasks", BANK_TASKS]
    command += ["--out", str(out), "--no-throttle", "--no-render"]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, preexec_fn=_small_disk
    )
    assert done.returncode in (2, 3), done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "cannot write" in done.stderr
    assert not (out / "summary.json").exists()  # nothing left looking like a finished run
    assert not list(out.glob(".*.tmp"))
