"""Issue 8: a run that is stopped (Ctrl-C, SIGTERM, kill -9, --max-duration) keeps what it has,
says so, and `--resume` finishes it with the same results as a run never stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import read_csv, toptasks
from tests.sites.server import FixtureSite
from toptasks.gather import wait_unless_stalled

PAGES = 400
DELAY_S = 0.08  # per answer: with 8 at once, the crawl takes about four seconds


def audit_args(site: FixtureSite, tasks: Path, out: Path) -> list[str]:
    return ["audit", site.url, "--tasks", str(tasks), "--out", str(out), "--no-render"]


@pytest.fixture(scope="module")
def reference(slow_site, tasks_file, tmp_path_factory) -> Path:
    """The same audit, never interrupted."""
    out = tmp_path_factory.mktemp("ref") / "run"
    done = toptasks(*audit_args(slow_site, tasks_file, out), "--no-throttle")
    assert done.returncode == 0, done.stderr
    return out


def start_and_stop_midway(args: list[str], out: Path, signum: int) -> subprocess.Popen:
    """Start an audit, and send `signum` to the CLI once it has crawled some pages."""
    command = [sys.executable, "-m", "toptasks", *args, "--no-throttle"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pages = out / "model" / "pages.jsonl"
    give_up = time.monotonic() + 60
    while not (pages.exists() and pages.read_text().count("\n") >= 40):
        assert time.monotonic() < give_up and child.poll() is None
        time.sleep(0.05)
    os.kill(child.pid, signum)
    return child


def assert_same_results(run: Path, reference: Path) -> None:
    assert (run / "tasks.csv").read_text() == (reference / "tasks.csv").read_text()
    pages, ref_pages = read_csv(run / "pages.csv"), read_csv(reference / "pages.csv")
    assert not pages["url"].duplicated().any()
    assert set(pages["url"]) == set(ref_pages["url"])
    assert len(read_csv(run / "links.csv")) == len(read_csv(reference / "links.csv"))
    summary = json.loads((run / "summary.json").read_text())
    assert summary["partial"] is False and summary["partial_reasons"] == []


def resume_and_compare(site: FixtureSite, tasks: Path, out: Path, reference: Path) -> None:
    done = toptasks(
        "audit", site.url, "--tasks", tasks, "--resume", out, "--no-render", "--no-throttle"
    )
    assert done.returncode == 0, done.stderr
    assert_same_results(out, reference)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_writes_partial_results_then_resume_completes(
    slow_site, tasks_file, reference, tmp_path, signum
):
    out = tmp_path / "run"
    child = start_and_stop_midway(audit_args(slow_site, tasks_file, out), out, signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 128 + signum
    assert "Traceback" not in stderr
    assert stderr.strip() == (
        f"toptasks: interrupted: partial results in {out}; continue with --resume {out}"
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["partial"] is True
    assert f"interrupted by signal {int(signum)}" in summary["partial_reasons"]
    assert 40 <= summary["pages"]["fetched"] < PAGES
    assert len(read_csv(out / "tasks.csv")) == 3  # login, pay_bill, lost_card: whole files

    resume_and_compare(slow_site, tasks_file, out, reference)


def test_kill_9_loses_nothing_written_and_resume_completes(
    slow_site, tasks_file, reference, tmp_path
):
    out = tmp_path / "run"
    child = start_and_stop_midway(audit_args(slow_site, tasks_file, out), out, signal.SIGKILL)
    child.communicate(timeout=30)
    assert not (out / "summary.json").exists()
    lines = (out / "model" / "pages.jsonl").read_text().splitlines()
    assert all(json.loads(line)["url"] for line in lines[:-1])  # each whole line is a page

    resume_and_compare(slow_site, tasks_file, out, reference)


def test_resume_refuses_another_config_or_an_empty_folder(slow_site, tasks_file, tmp_path):
    empty = tmp_path / "empty"
    done = toptasks("audit", slow_site.url, "--tasks", tasks_file, "--resume", empty)
    assert done.returncode == 2 and "nothing to resume" in done.stderr
    out = tmp_path / "run"
    assert toptasks(*audit_args(slow_site, tasks_file, out), "--max-pages", "5").returncode == 0
    done = toptasks("audit", slow_site.url, "--tasks", tasks_file, "--resume", out)
    assert done.returncode == 2 and "another URL or config" in done.stderr


def test_max_duration_stops_cleanly_with_partial_results(slow_site, tasks_file, tmp_path):
    out = tmp_path / "run"
    done = toptasks(*audit_args(slow_site, tasks_file, out), "--no-throttle", "--max-duration", "2")
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["partial"] is True
    assert summary["partial_reasons"] == ["the crawl stopped at --max-duration"]
    assert 0 < summary["pages"]["fetched"] < PAGES
    assert summary["crawl"]["finish_reason"] == "closespider_timeout"


def test_a_crawl_that_stops_writing_pages_is_stopped(tmp_path, capfd):
    """A crawl child stuck in the browser (as a never-closing page once made it) is stopped
    once its model stops growing, and the audit goes on."""
    pages = tmp_path / "pages.jsonl"
    pages.write_text('{"url": "http://a/"}\n')
    stuck = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    started = time.monotonic()
    assert wait_unless_stalled(stuck, pages, stall_s=2.0) == 0
    assert stuck.poll() is not None  # the child is gone
    assert time.monotonic() - started < 60
    assert "wrote no page for 2 s" in capfd.readouterr().err
