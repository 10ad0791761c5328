"""Shared fixtures: fixture sites on free ports, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.sites import bank, generated
from tests.sites.server import FixtureSite

HERE = Path(__file__).parent
BANK_TASKS = HERE / "sites" / "bank.yaml"


def toptasks(
    *args: str | Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the toptasks CLI in a child process, exactly as a user would; `env` adds variables."""
    command = [sys.executable, "-m", "toptasks", *map(str, args)]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment)


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


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """`toptasks demo` from this checkout, once: its tests, and the installed wheel's, read it."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    return out, toptasks("demo", "--out", out)


@pytest.fixture(scope="module")
def slow_site(request: pytest.FixtureRequest) -> Iterator[FixtureSite]:
    """The generated site with the module's PAGES, each answered after its DELAY_S."""
    with generated.slow_site(request.module.PAGES, request.module.DELAY_S) as served:
        yield served


@pytest.fixture(scope="module")
def tasks_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The task config for that generated site."""
    return generated.write_tasks(tmp_path_factory.mktemp("cfg"), request.module.PAGES)
