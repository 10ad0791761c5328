"""The run history: audits recorded in DuckDB (the default) or in a real PostgreSQL, trends over
runs of a site that changed, and bad history stores refused with the documented exit codes."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import textwrap
from contextlib import nullcontext
from pathlib import Path

import duckdb
import pandas as pd
import psycopg
import pytest

from contract.columns import HISTORY
from tests.conftest import read_csv, toptasks
from tests.services import postgres_server
from tests.sites.server import FixtureSite, Reply
from toptasks.history import MIGRATIONS, SCHEMA_VERSION, connect, record_run

TASKS = """tasks:
  - id: lost_card
    name: Report a lost card
    target: {url: "/help/cards/lost$"}
  - id: login
    name: Log in
    target: {url: "/login$"}
"""


def page(title: str, links: dict[str, str]) -> Reply:
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links.items())
    return Reply(
        f"<!doctype html><html><head><title>{title}</title></head><body><header>"
        f'<a href="/">Harbour Bank</a><a href="/login">Log in</a></header>'
        f"<main><h1>{title}</h1><ul>{anchors}</ul></main></body></html>"
    )


def bank(shortcut: bool) -> dict[str, Reply]:
    """Lost card is three clicks away, or one when the home page has a shortcut to it."""
    home = {"/help": "Help"} | ({"/help/cards/lost": "Lost or stolen card"} if shortcut else {})
    return {
        "/": page("Home", home),
        "/help": page("Help", {"/help/cards": "Cards"}),
        "/help/cards": page("Cards", {"/help/cards/lost": "Report a lost card"}),
        "/help/cards/lost": page("Lost card", {}),
        "/login": page("Log in", {}),
    }


def audit(routes: dict, tmp: Path, run: str, *more: str) -> subprocess.CompletedProcess[str]:
    (tmp / "tasks.yaml").write_text(TASKS)
    with FixtureSite(routes) as site:
        args = ("audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / run)
        return toptasks(*args, "--no-throttle", "--no-render", *more)


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory) -> Path:
    """The site, then the site with a shortcut, then without it again; history by default."""
    tmp = tmp_path_factory.mktemp("history")
    for run, shortcut in (("run1", False), ("run2", True), ("run3", False)):
        done = audit(bank(shortcut), tmp, run)
        assert done.returncode == 0, done.stderr
    return tmp


def history_csv(*args: str | Path) -> pd.DataFrame:
    done = toptasks("history", *args, "--csv")
    assert done.returncode == 0, done.stderr
    return pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)


def test_each_audit_is_recorded_and_the_trend_follows_the_site(three_runs):
    rows = history_csv("--history", three_runs / "history.duckdb", "--task", "lost_card")
    assert list(rows["clicks"]) == ["3", "1", "3"]
    assert list(rows["out_dir"]) == [
        str((three_runs / r).resolve()) for r in ("run1", "run2", "run3")
    ]
    assert set(rows["site"]) == {"127.0.0.1"}  # the port changed between runs; the site did not
    scores = [float(s) for s in rows["score"]]
    assert scores[1] > scores[0] == scores[2]
    everything = history_csv("--history", three_runs / "history.duckdb")
    assert list(everything.columns) == list(HISTORY)
    assert len(everything) == 6 and set(everything["task_id"]) == {"lost_card", "login"}


def test_the_history_command_prints_a_trend_per_task(three_runs):
    done = toptasks("history", "--history", three_runs / "history.duckdb", "--site", "127.0.0.1")
    assert done.returncode == 0, done.stderr
    assert "127.0.0.1 · lost_card · Report a lost card" in done.stdout
    assert "3 runs in" in done.stdout
    none = toptasks("history", "--history", three_runs / "history.duckdb", "--site", "elsewhere")
    assert none.returncode == 0 and "No recorded run matches" in none.stdout


def test_the_report_shows_each_tasks_trend_and_a_sentence(three_runs):
    trend = read_csv(three_runs / "run3" / "trend.csv")
    assert trend["run_id"].nunique() == 3
    html = (three_runs / "run3" / "report.html").read_text()
    assert 'aria-label="Score of Report a lost card over the last 3 runs"' in html
    assert "Customers need 3 clicks to report a lost card" in html
    first = (three_runs / "run1" / "report.html").read_text()
    assert "over the last" not in first  # no earlier run: no trend to draw


def test_postgresql_history_shared_by_runs(tmp_path):
    with postgres_server() as url:
        for run, shortcut in (("a", False), ("b", True)):
            done = audit(bank(shortcut), tmp_path, run, "--history", url)
            assert done.returncode == 0, done.stderr
        rows = history_csv("--history", url, "--task", "lost_card")
        assert list(rows["clicks"]) == ["3", "1"]
        assert not (tmp_path / "history.duckdb").exists()
        with psycopg.connect(url) as db:
            (version,) = db.execute("SELECT version FROM toptasks_schema").fetchone()
            (findings,) = db.execute("SELECT count(*) FROM findings").fetchone()
        assert version == SCHEMA_VERSION
        written = sum(len(read_csv(tmp_path / run / "findings.csv")) for run in ("a", "b"))
        assert findings == written > 0


def test_a_history_server_that_refuses_costs_exit_3_and_nothing_else(tmp_path):
    refused = f"postgresql://toptasks:secret@/toptasks?host={tmp_path}/no-server"
    done = audit(bank(False), tmp_path, "run", "--history", refused)
    assert done.returncode == 3, done.stderr
    assert "history database" in done.stderr and "secret" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    for name in ("tasks.csv", "findings.csv", "summary.json", "report.html"):
        assert (tmp_path / "run" / name).exists(), name


def test_a_file_that_is_not_a_history_is_refused_before_the_crawl(tmp_path):
    other = tmp_path / "notes.duckdb"
    other.write_text("these are my notes\n")
    done = audit(bank(False), tmp_path, "run", "--history", other)
    assert done.returncode == 2
    assert "is not a toptasks history store" in done.stderr
    assert not (tmp_path / "run" / "tasks.csv").exists()
    assert other.read_text() == "these are my notes\n"
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as db:
        db.execute("CREATE TABLE sales (amount INTEGER)")
    done = audit(bank(False), tmp_path, "run", "--history", foreign, "--force")
    assert done.returncode == 2 and "it has other tables" in done.stderr


def test_a_newer_schema_is_refused(tmp_path):
    done = audit(bank(False), tmp_path, "run1")
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(tmp_path / "history.duckdb")) as db:
        db.execute("UPDATE toptasks_schema SET version = 99")
    done = audit(bank(False), tmp_path, "run2")
    assert done.returncode == 2
    assert "written by a newer toptasks (history schema 99" in done.stderr
    history = toptasks("history", "--history", tmp_path / "history.duckdb")
    assert history.returncode == 2 and "newer toptasks" in history.stderr


def test_an_older_schema_is_migrated_forward_and_keeps_its_runs(tmp_path):
    path = tmp_path / "history.duckdb"
    with duckdb.connect(str(path)) as db:  # a store as the first schema made it
        for sql in MIGRATIONS[0]:
            db.execute(sql)
        db.execute("UPDATE toptasks_schema SET version = 1")
        db.execute(
            "INSERT INTO runs (run_id, site, start_url, task_set, finished_at) VALUES "
            "('20250101T000000000000Z-old', '127.0.0.1', 'http://127.0.0.1/', "
            "'login,lost_card', '2025-01-01T00:00:00+00:00')"
        )
        db.execute(
            "INSERT INTO task_results (run_id, task_id, task_name, clicks, score) VALUES "
            "('20250101T000000000000Z-old', 'lost_card', 'Report a lost card', 5, 40.0)"
        )
    done = audit(bank(True), tmp_path, "run")
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(path)) as db:
        assert db.execute("SELECT version FROM toptasks_schema").fetchall() == [(SCHEMA_VERSION,)]
        columns = {r[0] for r in db.execute("DESCRIBE task_results").fetchall()}
    assert {"interactions_desktop", "interactions_mobile"} <= columns
    rows = history_csv("--history", path, "--task", "lost_card")
    assert list(rows["clicks"]) == ["5", "1"]


KILLED_MID_WRITE = """
import sys, time
from pathlib import Path
import toptasks.history as history

slow = history._insert
def insert_then_hang(db, table, fields, rows):
    slow(db, table, fields, rows)
    if table == "task_results":
        print("written", flush=True)
        time.sleep(60)
history._insert = insert_then_hang
history.record_run(sys.argv[1], Path(sys.argv[2]))
"""


@pytest.mark.parametrize("store", ["duckdb", "postgresql"])
def test_a_run_killed_while_it_is_recorded_leaves_nothing(three_runs, tmp_path, store):
    """kill -9 after the run and its tasks are written, before the findings and the commit."""
    with postgres_server() if store == "postgresql" else nullcontext() as url:
        where = url or str(tmp_path / "history.duckdb")
        record_run(where, three_runs / "run1")
        script = textwrap.dedent(KILLED_MID_WRITE)
        writer = subprocess.Popen(
            [sys.executable, "-c", script, where, str(three_runs / "run2")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline().strip() == "written"
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        db = connect(where)
        try:
            runs = db.execute("SELECT count(*) FROM runs")[0][0]
            tasks = db.execute("SELECT count(*) FROM task_results")[0][0]
        finally:
            db.close()
    assert (runs, tasks) == (1, 2)


def test_a_history_that_cannot_be_created_says_so_after_the_run(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder would go\n")
    done = audit(bank(False), tmp_path, "run", "--history", blocker / "history.duckdb")
    assert done.returncode == 2
    assert "cannot create the history" in done.stderr and "--no-history" in done.stderr
    assert (tmp_path / "run" / "tasks.csv").exists() and (tmp_path / "run" / "report.html").exists()
