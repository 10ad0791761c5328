"""Issue 15: the crawl spread over worker processes on a shared Redis frontier gives exactly the
results of one process, and survives the faults of a distributed crawl: a worker killed, Redis
stopped or restarted, a worker joining late, two audits on one Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import read_csv, toptasks
from tests.services import redis_server
from tests.sites import generated
from tests.sites.server import FixtureSite

PAGES = 300
DELAY_S = 0.06  # per answer: one worker (8 at once) takes about two and a half seconds


def audit_args(site: FixtureSite, tasks: Path, out: Path, *more: str) -> list[str]:
    args = ["audit", site.url, "--tasks", str(tasks), "--out", str(out), "--no-render"]
    return [*args, "--no-throttle", "--no-history", *more]


@pytest.fixture(scope="module")
def reference(slow_site, tasks_file, tmp_path_factory) -> Path:
    """One process, no Redis: what every shared crawl must equal."""
    out = tmp_path_factory.mktemp("ref") / "run"
    done = toptasks(*audit_args(slow_site, tasks_file, out))
    assert done.returncode == 0, done.stderr
    return out


def link_rows(run: Path) -> list[tuple]:
    links = read_csv(run / "links.csv")
    return sorted(links.itertuples(index=False, name=None))


def assert_same_results(run: Path, reference: Path) -> None:
    """Same tasks.csv byte for byte, the same pages each once, the same links."""
    assert (run / "tasks.csv").read_text() == (reference / "tasks.csv").read_text()
    pages, ref_pages = read_csv(run / "pages.csv"), read_csv(reference / "pages.csv")
    assert not pages["url"].duplicated().any()
    assert sorted(pages["url"]) == sorted(ref_pages["url"])
    assert link_rows(run) == link_rows(reference)


def start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "toptasks", *args]
    environment = {**os.environ, **(env or {})}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )


def wait_for_pages(out: Path, child: subprocess.Popen, at_least: int) -> None:
    pages = out / "model" / "pages.jsonl"
    give_up = time.monotonic() + 60
    while not (pages.exists() and pages.read_text().count("\n") >= at_least):
        assert time.monotonic() < give_up and child.poll() is None, child.poll()
        time.sleep(0.05)


def pids_of(pattern: str) -> list[int]:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def test_two_workers_give_the_results_of_one_process(slow_site, tasks_file, reference, tmp_path):
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        done = toptasks(*audit_args(slow_site, tasks_file, out, "--workers", workers))
        assert done.returncode == 0, done.stderr
        assert_same_results(out, reference)
        summary = json.loads((out / "summary.json").read_text())
        assert summary["crawl_workers"]["started_here"] == int(workers)
        assert summary["crawl_workers"]["redis"].startswith("unix://")
        assert f"crawled by {workers} worker(s)" in done.stderr
        # The private Redis is gone with the audit.
        assert not (out / "model" / "redis" / "redis.sock").exists()
    # Both workers took pages: the crawl was shared, not done by one while the other idled.
    logs = sorted((tmp_path / "w2" / "model" / "workers").glob("*/crawl.log"))
    scraped = [
        int(log.read_text().split("'item_scraped_count': ")[1].split(",")[0]) for log in logs
    ]
    assert len(scraped) == 2 and min(scraped) > 20, scraped


def test_a_worker_killed_mid_crawl_loses_nothing(slow_site, tasks_file, reference, tmp_path):
    out = tmp_path / "run"
    child = start(audit_args(slow_site, tasks_file, out, "--workers", "2"))
    wait_for_pages(out, child, 60)
    victim = pids_of(f"crawler.run --worker .* {out}/model/workers/1")
    assert len(victim) == 1
    os.kill(victim[0], signal.SIGKILL)
    stdout, stderr = child.communicate(timeout=180)
    assert child.returncode == 0, stderr
    assert_same_results(out, reference)


def test_redis_unavailable_at_start_is_exit_3_in_one_line(slow_site, tasks_file, tmp_path):
    done = toptasks(
        *audit_args(slow_site, tasks_file, tmp_path / "run", "--redis", "redis://127.0.0.1:9/0")
    )
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "cannot reach Redis at redis://127.0.0.1:9/0" in done.stderr
    assert "Traceback" not in done.stderr
    # A password in the URL never reaches the message.
    done = toptasks(
        *audit_args(
            slow_site, tasks_file, tmp_path / "run2", "--redis", "redis://u:s3cret@127.0.0.1:9/0"
        )
    )
    assert done.returncode == 3 and "s3cret" not in done.stderr and "u:***@" in done.stderr


def test_redis_stopped_mid_crawl_stops_with_exit_3_keeping_the_pages(
    slow_site, tasks_file, tmp_path
):
    out = tmp_path / "run"
    args = audit_args(slow_site, tasks_file, out, "--workers", "2")
    child = start(args, env={"TOPTASKS_REDIS_WAIT_S": "2"})
    wait_for_pages(out, child, 40)
    socket = out / "model" / "redis" / "redis.sock"
    for pid in pids_of(f"redis-server unixsocket:{socket}"):
        os.kill(pid, signal.SIGKILL)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 3, stderr
    assert stderr.strip().count("\n") == 0, stderr
    assert "Redis" in stderr and "Traceback" not in stderr
    # What was written stays whole: every page line is JSON, and resuming finishes the audit.
    lines = (out / "model" / "pages.jsonl").read_text().splitlines()
    assert len(lines) >= 40
    assert all(json.loads(line)["url"] for line in lines)
    assert not pids_of(f"crawler.run --worker .* {out}/model/workers")


def test_redis_restarted_with_persistence_the_crawl_goes_on(
    slow_site, tasks_file, reference, tmp_path
):
    with redis_server(persistent=True) as server:
        out = tmp_path / "run"
        child = start(
            audit_args(slow_site, tasks_file, out, "--workers", "2", "--redis", server.url)
        )
        wait_for_pages(out, child, 60)
        server.stop()
        time.sleep(1.0)
        server.start()
        stdout, stderr = child.communicate(timeout=180)
    assert child.returncode == 0, stderr
    assert_same_results(out, reference)


def test_redis_restarted_without_persistence_is_exit_3(slow_site, tasks_file, tmp_path):
    with redis_server(persistent=False) as server:
        out = tmp_path / "run"
        child = start(
            audit_args(slow_site, tasks_file, out, "--workers", "1", "--redis", server.url)
        )
        wait_for_pages(out, child, 40)
        server.stop()
        server.start()
        stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 3, stderr
    assert "restarted without persistence" in stderr
    assert stderr.strip().count("\n") == 0, stderr


@pytest.fixture(scope="module")
def slower_site() -> Iterator[FixtureSite]:
    """The same pages answered after 0.2 s: a crawl of about eight seconds, so that a worker
    started after the fifth page (Python and Scrapy take 2-3 s to start) still finds pages
    to take. At DELAY_S the crawl could end first on a loaded machine (seen once in a full
    run: the late worker scraped nothing)."""
    with generated.slow_site(PAGES, 0.2) as served:
        yield served


def test_a_worker_joining_late_shares_the_crawl(slower_site, tasks_file, tmp_path):
    reference = tmp_path / "reference"
    done = toptasks(*audit_args(slower_site, tasks_file, reference))
    assert done.returncode == 0, done.stderr
    with redis_server() as server:
        out = tmp_path / "run"
        child = start(
            audit_args(slower_site, tasks_file, out, "--workers", "1", "--redis", server.url)
        )
        wait_for_pages(out, child, 5)
        late = toptasks("worker", "--log", tmp_path / "late", env={"TOPTASKS_REDIS": server.url})
        stdout, stderr = child.communicate(timeout=120)
        # The late worker signed off without making the closed audit's keys again.
        assert redis.Redis.from_url(server.url).keys("toptasks:*") == []
    assert late.returncode == 0, late.stderr
    assert "joining audit" in late.stderr
    assert child.returncode == 0, stderr
    assert_same_results(out, reference)
    log = next((tmp_path / "late").glob("*/crawl.log")).read_text()
    assert int(log.split("'item_scraped_count': ")[1].split(",")[0]) > 0
    assert json.loads((out / "summary.json").read_text())["crawl_workers"]["took_part"] == 2


def test_a_worker_with_no_audit_to_join_says_so(tmp_path):
    with redis_server() as server:
        done = toptasks("worker", "--redis", server.url, "--wait", "1", "--log", tmp_path)
    assert done.returncode == 3
    assert "no audit under way" in done.stderr and "Traceback" not in done.stderr


def test_two_audits_share_one_redis(slow_site, tasks_file, reference, tmp_path):
    with redis_server() as server:
        runs = [tmp_path / "a", tmp_path / "b"]
        children = [
            start(audit_args(slow_site, tasks_file, out, "--workers", "1", "--redis", server.url))
            for out in runs
        ]
        for child in children:
            stdout, stderr = child.communicate(timeout=180)
            assert child.returncode == 0, stderr
        # Each audit removed its own keys at the end.
        assert redis.Redis.from_url(server.url).keys("toptasks:*") == []
    for out in runs:
        assert_same_results(out, reference)


def test_an_interrupted_shared_crawl_resumes_to_the_same_results(
    slow_site, tasks_file, reference, tmp_path
):
    out = tmp_path / "run"
    child = start(audit_args(slow_site, tasks_file, out, "--workers", "2"))
    wait_for_pages(out, child, 60)
    os.kill(child.pid, signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 130, stderr
    assert json.loads((out / "summary.json").read_text())["partial"] is True
    assert not pids_of(f"crawler.run --worker .* {out}/model/workers")
    args = audit_args(slow_site, tasks_file, out, "--workers", "2")
    args[args.index("--out")] = "--resume"
    done = toptasks(*args)
    assert done.returncode == 0, done.stderr
    assert_same_results(out, reference)
