"""toptasks installed the way users install it: a wheel built from the sdist, in a fresh venv
outside the source tree; `toptasks doctor`; and the CI script behind action.yml on the demo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import read_csv, toptasks
from toptasks.demo import DEMO_TASKS, serve_demo_site

ROOT = Path(__file__).resolve().parent.parent
CI_SCRIPT = ROOT / "scripts" / "toptasks-ci.sh"
# Figures that depend on how fast this machine loaded the pages, not on the site.
TIMED = ["load_s", "est_time_s", "score", "measured_time_s"]


def run(*command: str | Path, cwd: Path, timeout: float = 600, **env: str):
    """A command as a user runs it: no PYTHONPATH, unless given, to reach into this checkout."""
    outside = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**outside, **env},
    )


def without_host(frame: pd.DataFrame) -> pd.DataFrame:
    """Two demo runs serve the site on different ports."""
    return frame.drop(columns=TIMED).map(lambda s: re.sub(r"http://127\.0\.0\.1:\d+", "", s))


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build` (the sdist, then the wheel from it), installed into a new venv."""
    work = tmp_path_factory.mktemp("install")
    built = run(sys.executable, "-m", "build", "--outdir", work / "dist", ROOT, cwd=work)
    assert built.returncode == 0, built.stderr[-2000:]
    assert len(list((work / "dist").glob("toptasks-*.tar.gz"))) == 1
    (wheel,) = (work / "dist").glob("toptasks-*.whl")
    venv = work / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    installed = run(venv / "bin" / "pip", "install", "-q", wheel, cwd=work)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return venv


def test_the_wheel_runs_the_demo_outside_the_source_tree(wheel_venv, demo_run, tmp_path):
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    clean_env = {"PATH": f"{wheel_venv / 'bin'}:{os.environ['PATH']}"}
    done = run(
        wheel_venv / "bin" / "toptasks", "demo", "--out", tmp_path / "x", cwd=empty, **clean_env
    )
    assert done.returncode == 0, done.stderr
    where = run(
        wheel_venv / "bin" / "python", "-c", "import crawler; print(crawler.__file__)", cwd=empty
    )
    assert str(wheel_venv) in where.stdout  # the installed copy ran, not this checkout
    ours, _ = demo_run
    pd.testing.assert_frame_equal(
        without_host(read_csv(tmp_path / "x" / "tasks.csv")),
        without_host(read_csv(ours / "tasks.csv")),
    )
    assert list((tmp_path / "x" / "screenshots").glob("*.png"))


def test_doctor_says_what_an_audit_needs(wheel_venv, tmp_path):
    done = run(wheel_venv / "bin" / "toptasks", "doctor", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert {"browser", "headless", "redis", "history", "semantic"} <= set(lines)
    assert " ok " in lines["browser"] and "Chromium" in lines["browser"]
    assert "starts and renders" in lines["headless"]
    assert "optional, absent" in lines["semantic"]  # no torch in a plain install
    assert "an audit can run here" in done.stdout


def test_doctor_fails_when_the_history_server_does_not_answer(tmp_path):
    done = toptasks("doctor", "--history", "postgresql://nobody@127.0.0.1:1/history")
    assert done.returncode == 3
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("history")]
    assert "MISSING" in line and "refused" in line and "--no-history" in line
    assert done.stderr.strip() == "toptasks: error: an audit cannot run here: history (see above)"


def ci_audit(tmp_path: Path, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    variables = {"TOPTASKS_URL": url, "TOPTASKS_TASKS": str(DEMO_TASKS), "PATH": path, **env}
    if "PYTHONPATH" in os.environ:  # this checkout's toptasks, however the suite reaches it
        variables["PYTHONPATH"] = os.environ["PYTHONPATH"]
    variables.setdefault("GITHUB_STEP_SUMMARY", str(tmp_path / "step-summary.md"))
    variables.setdefault("GITHUB_OUTPUT", str(tmp_path / "outputs.txt"))
    return run("bash", CI_SCRIPT, "audit", cwd=tmp_path, **variables)


def test_the_action_script_audits_checks_and_writes_the_job_summary(tmp_path):
    with serve_demo_site() as url:
        first = ci_audit(tmp_path, url, TOPTASKS_ARGS="--no-throttle")
        second = ci_audit(
            tmp_path,
            url,
            TOPTASKS_OUT="second",
            TOPTASKS_BASELINE="toptasks-results",
            TOPTASKS_FAIL_ON="never",
            TOPTASKS_ARGS="--no-throttle",
        )
    assert first.returncode == 1, first.stderr  # the demo breaks three budgets on purpose
    summary = (tmp_path / "step-summary.md").read_text()
    assert summary.count("## toptasks: http://127.0.0.1:") == 2
    assert "| task | reachable | clicks | interactions |" in summary
    assert "| pay\\_bill | true | 4 | 4 |" in summary
    assert "### 3 of 5 checks failed" in summary
    assert "| lost\\_card | max\\_clicks | 3 | \\<= 2 |" in summary
    assert (tmp_path / "outputs.txt").read_text().splitlines()[0] == "results=toptasks-results"
    assert (tmp_path / "toptasks-results" / "report.html").exists()

    assert second.returncode == 0, second.stderr  # fail-on: never
    assert "fail-on is 'never'" in second.stderr
    check = json.loads((tmp_path / "second" / "check.json").read_text())
    assert check["baseline"] == "toptasks-results"
    assert {c["check"] for c in check["checks"]} >= {
        "max_clicks",
        "still_reachable",
        "clicks_not_more",
    }


def test_the_action_script_refuses_an_unknown_fail_on(tmp_path):
    done = ci_audit(tmp_path, "http://127.0.0.1:9/", TOPTASKS_FAIL_ON="sometimes")
    assert done.returncode == 2
    assert "fail-on must be 'check' or 'never'" in done.stderr
    assert not (tmp_path / "toptasks-results").exists()
