"""The test suite's wall time from a fresh clone, as CI runs it, with its slowest tests.

    .venv/bin/python bench/test_speed.py [--runs N] [--workers N] [--commit REF]

Each run clones this repository at REF (default HEAD) into a new temp folder and times
`.ci/run` there (set-up from nothing: the venv, the browser check, the docs build, then the
suite), and prints a table: the wall time of each run, and the 20 slowest test phases of the
last one as pytest's --durations reports them. `--workers` sets TEST_WORKERS (pytest-xdist
processes, Makefile); 0 runs the suite in one process, as before the suite ran in parallel.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = re.compile(r"^\s*([\d.]+)s (setup|call|teardown)\s+(\S+)")
OUTCOME = re.compile(r"=+ (.*(passed|failed).*) in ")


def one_run(
    commit: str, workers: int, log: Path
) -> tuple[float, str, list[tuple[float, str, str]]]:
    with tempfile.TemporaryDirectory(prefix="toptasks-speed-") as tmp:
        clone = Path(tmp) / "toptasks"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
        env = {**os.environ, "TEST_WORKERS": str(workers)}
        started = time.monotonic()
        done = subprocess.run(
            ["bash", ".ci/run"], cwd=clone, env=env, capture_output=True, text=True
        )
        wall = time.monotonic() - started
    log.write_text(done.stdout + done.stderr)  # a failure's whole story, kept
    lines = done.stdout.splitlines()
    outcome = next((m.group(1) for line in lines if (m := OUTCOME.search(line))), "no summary")
    slowest = [
        (float(m.group(1)), m.group(2), m.group(3)) for line in lines if (m := DURATION.match(line))
    ]
    return wall, f"exit {done.returncode}: {outcome}", slowest[:20]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.commit],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    slowest: list[tuple[float, str, str]] = []
    print(f"commit {commit}, TEST_WORKERS={args.workers}, {os.cpu_count()} cores")
    print(f"{'run':>4} {'wall (min)':>10}  outcome")
    for run in range(1, args.runs + 1):
        log = Path(tempfile.gettempdir()) / f"toptasks-speed-{commit}-{run}.log"
        wall, outcome, slowest = one_run(commit, args.workers, log)
        print(f"{run:>4} {wall / 60:>10.1f}  {outcome} ({log})", flush=True)
    print("\nslowest 20 of the last run")
    for seconds, phase, test in slowest:
        print(f"{seconds:>8.1f}s {phase:<8} {test}")


if __name__ == "__main__":
    main()
