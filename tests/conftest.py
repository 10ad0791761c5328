"""Shared fixtures: fixture sites on free ports, and the CLI run as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from tests.sites import bank, generated
from tests.sites.server import FixtureSite

HERE = Path(__file__).parent
BANK_TASKS = HERE / "sites" / "bank.yaml"


def toptasks(
    *args: str | Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the toptasks CLI in a child process, exactly as a user would; `env` adds variables.

    A child still running after `timeout` is aborted with Python's fault handler on, so the
    failure shows where every thread of it stood (a hang is then a stack, not a guess)."""
    command = [sys.executable, "-m", "toptasks", *map(str, args)]
    environment = {**os.environ, "PYTHONFAULTHANDLER": "1", **(env or {})}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGABRT)
            out, err = child.communicate()
            pytest.fail(
                f"toptasks {' '.join(map(str, args))} ran over {timeout} s:\n{err[-12000:]}"
            )
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def read_csv(path: Path) -> pd.DataFrame:
    """Read an output CSV the way an analyst would, keeping empty cells as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def audit_site(routes: dict, tasks_yaml: str, tmp: Path, *more: str) -> tuple[FixtureSite, Path]:
    """Serve a fixture site and audit it with `tasks_yaml` into `tmp/run`, rendered, as a user
    would; the (stopped) site, with its request log, and the run folder."""
    (tmp / "tasks.yaml").write_text(tasks_yaml)
    with FixtureSite(routes) as site:
        args = ("audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / "run")
        done = toptasks(*args, "--no-throttle", "--page-timeout", "10", *more)
    assert done.returncode == 0, done.stderr
    return site, tmp / "run"


@pytest.fixture
def bank_site() -> Iterator[FixtureSite]:
    with FixtureSite(bank.routes()) as site:
        yield site


@pytest.fixture(scope="module")
def bank_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FixtureSite, Path]]:
    """One crawl of the bank site shared by the tests that only read its output."""
    out = tmp_path_factory.mktemp("bank") / "run"
    with FixtureSite(bank.routes()) as site:
        done = toptasks(
            "audit", site.url, "--tasks", BANK_TASKS, "--out", out, "--no-render", "--no-throttle"
        )
        assert done.returncode == 0, done.stderr
        yield site, out


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every pytest-xdist worker of this session sees (the workers' common temp
    parent), or this process's own temp root when the suite runs in one process."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """`toptasks demo` from this checkout, once for the whole session: its tests, the installed
    wheel's and the report's layout check read it, whichever worker runs them. The first worker
    to ask runs it under a file lock; the others read its folder and its saved outcome."""
    root = shared_root(tmp_path_factory)
    out, outcome = root / "demo" / "demo", root / "demo" / "outcome.json"
    with FileLock(root / "demo.lock"):
        if not outcome.exists():
            out.parent.mkdir(exist_ok=True)
            done = toptasks("demo", "--out", out)
            saved = {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
            outcome.write_text(json.dumps(saved))
    saved = json.loads(outcome.read_text())
    return out, subprocess.CompletedProcess(["toptasks", "demo"], **saved)


@pytest.fixture(scope="module")
def slow_site(request: pytest.FixtureRequest) -> Iterator[FixtureSite]:
    """The generated site with the module's PAGES, each answered after its DELAY_S."""
    with generated.slow_site(request.module.PAGES, request.module.DELAY_S) as served:
        yield served


@pytest.fixture(scope="module")
def tasks_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The task config for that generated site."""
    return generated.write_tasks(tmp_path_factory.mktemp("cfg"), request.module.PAGES)
