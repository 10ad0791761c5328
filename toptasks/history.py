"""The run history: every finished audit (the run, each task's figures, its findings) recorded in
an embedded DuckDB file, or in a PostgreSQL database a team's CI jobs share, so that a trend is a
query and not a folder hunt.

A run is written in one transaction: a run killed half-way leaves nothing. The schema carries
its version and is migrated forward in place; a newer schema than this toptasks knows is refused
rather than written into.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pandas as pd

from contract.columns import FINDINGS, HISTORY, TASKS, Kind
from contract.errors import SiteError, UsageError

ENV_VAR = "TOPTASKS_HISTORY"
DEFAULT_NAME = "history.duckdb"  # beside the run folders: results/history.duckdb
LOCK_WAIT_S = 30.0  # DuckDB lets one process write a file at a time; another audit may be ending
CONNECT_TIMEOUT_S = 10

# Each step takes the schema one version forward; the store's version is the steps applied.
MIGRATIONS: list[list[str]] = [
    [  # 1: runs, per-task figures, findings
        "CREATE TABLE toptasks_schema (version INTEGER NOT NULL)",
        "INSERT INTO toptasks_schema VALUES (0)",
        """CREATE TABLE runs (
            run_id TEXT PRIMARY KEY, site TEXT NOT NULL, start_url TEXT NOT NULL,
            task_set TEXT NOT NULL, config_hash TEXT, started_at TEXT, finished_at TEXT NOT NULL,
            toptasks_version TEXT, out_dir TEXT, partial BOOLEAN, pages_fetched INTEGER,
            site_score DOUBLE PRECISION)""",
        """CREATE TABLE task_results (
            run_id TEXT NOT NULL REFERENCES runs (run_id), task_id TEXT NOT NULL,
            task_name TEXT, weight DOUBLE PRECISION, reachable BOOLEAN, clicks INTEGER,
            interactions INTEGER, entry_above_fold_desktop BOOLEAN,
            entry_above_fold_mobile BOOLEAN, est_time_s DOUBLE PRECISION,
            measured_time_s DOUBLE PRECISION, distraction_score DOUBLE PRECISION,
            score DOUBLE PRECISION, PRIMARY KEY (run_id, task_id))""",
        """CREATE TABLE findings (
            run_id TEXT NOT NULL REFERENCES runs (run_id), task_id TEXT, page_url TEXT,
            viewport TEXT, kind TEXT, severity TEXT, element TEXT, detail TEXT)""",
    ],
    [  # 2: per-viewport interactions (menus opened by hover on desktop) and the crawl mode
        "ALTER TABLE task_results ADD COLUMN interactions_desktop INTEGER",
        "ALTER TABLE task_results ADD COLUMN interactions_mobile INTEGER",
        "ALTER TABLE runs ADD COLUMN crawl_mode TEXT",
    ],
    [  # 3: what simulated customers predicted, for the trends of `toptasks serve`
        "ALTER TABLE task_results ADD COLUMN predicted_success DOUBLE PRECISION",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

TASK_FIELDS = [
    "task_id",
    "task_name",
    "weight",
    "reachable",
    "clicks",
    "interactions",
    "entry_above_fold_desktop",
    "entry_above_fold_mobile",
    "est_time_s",
    "measured_time_s",
    "distraction_score",
    "score",
    "interactions_desktop",
    "interactions_mobile",
    "predicted_success",
]
FINDING_FIELDS = ["task_id", "page_url", "viewport", "kind", "severity", "element", "detail"]
RUN_FIELDS = [
    "run_id",
    "site",
    "start_url",
    "task_set",
    "config_hash",
    "started_at",
    "finished_at",
    "toptasks_version",
    "out_dir",
    "partial",
    "pages_fetched",
    "site_score",
    "crawl_mode",
]


class HistoryError(SiteError):
    """The history store is down or refuses the run: exit 3, after the run's files are written."""


class Database(Protocol):
    """What the store needs of a connection; DuckDB and psycopg each get a small adapter."""

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]: ...
    def insert(self, table: str, fields: list[str], rows: list[tuple]) -> None: ...
    def transaction(self) -> contextlib.AbstractContextManager: ...
    def tables(self) -> set[str]: ...
    def close(self) -> None: ...


class DuckDatabase:
    def __init__(self, path: Path) -> None:
        import duckdb

        self.name = str(path)
        existed = path.exists()
        waited = 0.0
        while True:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.con = duckdb.connect(str(path))
                return
            except OSError as exc:
                raise _cannot_create(path, exc) from exc
            except duckdb.IOException as exc:
                if not existed:
                    raise _cannot_create(path, exc) from exc
                if "lock" not in str(exc).lower() or waited >= LOCK_WAIT_S:
                    raise _not_a_store(path, exc) from exc
                time.sleep(0.5)
                waited += 0.5
            except duckdb.Error as exc:
                raise _not_a_store(path, exc) from exc

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def insert(self, table: str, fields: list[str], rows: list[tuple]) -> None:
        # Through a DataFrame: DuckDB's executemany pays a statement per row (a big site has
        # tens of thousands of findings).
        if rows:
            frame = pd.DataFrame(rows, columns=fields, dtype=object)
            self.con.register("toptasks_rows", frame)
            columns = ", ".join(fields)
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM toptasks_rows")
            self.con.unregister("toptasks_rows")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def tables(self) -> set[str]:
        return {row[0] for row in self.execute("SELECT table_name FROM information_schema.tables")}

    def close(self) -> None:
        self.con.close()


class PostgresDatabase:
    def __init__(self, url: str) -> None:
        import psycopg

        self.name = without_password(url)
        try:
            self.con = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise HistoryError(f"history database {self.name} refused: {reason}") from exc

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.con.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def insert(self, table: str, fields: list[str], rows: list[tuple]) -> None:
        if rows:
            slots = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({slots})"
            with self.con.cursor() as cursor:
                cursor.executemany(sql, rows)

    def transaction(self) -> contextlib.AbstractContextManager:
        return self.con.transaction()

    def tables(self) -> set[str]:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        return {row[0] for row in self.execute(sql)}

    def close(self) -> None:
        self.con.close()


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def _not_a_store(path: Path, exc: Exception) -> UsageError:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return UsageError(f"{path} is not a toptasks history store ({first_line})")


def _cannot_create(path: Path, exc: Exception) -> UsageError:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return UsageError(
        f"cannot create the history {path} ({first_line}); name another with --history "
        "or leave it out with --no-history"
    )


def is_database_url(where: str) -> bool:
    return where.startswith(("postgresql://", "postgres://"))


def history_location(option: str | None, out_dir: Path | None = None) -> str:
    """--history, else TOPTASKS_HISTORY, else history.duckdb beside the run's folder (so the
    default `results/<host>-<time>` runs share `results/history.duckdb`)."""
    if option:
        return option
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    parent = out_dir.resolve().parent if out_dir is not None else Path("results")
    return str(parent / DEFAULT_NAME)


def connect(where: str) -> Database:
    if is_database_url(where):
        return PostgresDatabase(where)
    return DuckDatabase(Path(where))


@contextlib.contextmanager
def open_store(where: str, write: bool = True) -> Iterator[Database]:
    """The store at `where`, its schema brought up to date (only when writing)."""
    if not write and not is_database_url(where) and not Path(where).exists():
        raise UsageError(f"no history at {where}: audits record their runs there once they finish")
    db = connect(where)
    try:
        version = schema_version(db, where)
        if version < SCHEMA_VERSION and write:
            migrate(db, version)
        elif version == 0:
            raise UsageError(f"{where} holds no run yet")
        yield db
    finally:
        db.close()


def check_store(where: str) -> None:
    """Refuse, before an audit starts, a local file that is not a history this toptasks can
    write (a server is only asked at the end: a run is never lost because it is down)."""
    if not is_database_url(where) and Path(where).exists():
        with open_store(where, write=False):
            pass


def schema_version(db: Database, where: str) -> int:
    """0 for an empty database; refuses a database that is something else, or newer."""
    tables = db.tables()
    if "toptasks_schema" not in tables:
        if tables - {"toptasks_schema"}:
            raise UsageError(f"{where} is not a toptasks history store (it has other tables)")
        return 0
    version = db.execute("SELECT max(version) FROM toptasks_schema")[0][0] or 0
    if version > SCHEMA_VERSION:
        raise UsageError(
            f"{where} was written by a newer toptasks (history schema {version}; "
            f"this one knows {SCHEMA_VERSION}): upgrade toptasks"
        )
    return version


def migrate(db: Database, version: int) -> None:
    """Apply the missing steps, each with its version bump, in one transaction."""
    with db.transaction():
        for step, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            for sql in statements:
                db.execute(sql)
            db.execute("UPDATE toptasks_schema SET version = ?", (step,))


@dataclass(frozen=True)
class RunRecord:
    """One finished run as the history keeps it: read from the run's own output files, so the
    history holds exactly what the user was given."""

    run: dict[str, Any]
    tasks: list[dict[str, Any]]
    findings: list[dict[str, Any]]

    @classmethod
    def from_run_dir(cls, run_dir: Path) -> RunRecord:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        tasks = _cells(run_dir / "tasks.csv", TASK_FIELDS, TASKS)
        findings = _cells(run_dir / "findings.csv", FINDING_FIELDS, FINDINGS)
        run = {
            "run_id": run_id(),
            "site": site_of(summary["start_url"]),
            "start_url": summary["start_url"],
            "task_set": task_set(t["task_id"] for t in tasks),
            "config_hash": summary.get("config_hash"),
            "started_at": summary.get("started"),
            "finished_at": summary["finished"],
            "toptasks_version": summary.get("version"),
            "out_dir": str(run_dir.resolve()),
            "partial": bool(summary.get("partial")),
            "pages_fetched": summary.get("pages", {}).get("fetched"),
            "site_score": summary.get("site_score"),
            "crawl_mode": summary.get("crawl_mode"),
        }
        return cls(run, tasks, findings)


def run_id() -> str:
    """Sorts in the order runs were recorded (runs finished in the same second included)."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


def site_of(start_url: str) -> str:
    """The host without its port: a staging or local site moves port between runs."""
    return urlsplit(start_url).hostname or start_url


def task_set(task_ids: Any) -> str:
    """Runs are comparable when they audited the same tasks: the sorted ids name the set."""
    return ",".join(sorted(task_ids))


def _cells(path: Path, fields: list[str], kinds: dict[str, Kind]) -> list[dict[str, Any]]:
    """A run table's rows with the store's types: true/false to booleans, empty to None."""
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for record in frame.to_dict("records"):
        rows.append({f: _value(record.get(f, ""), kinds[f]) for f in fields})
    return rows


def _value(cell: str, kind: Kind) -> Any:
    if cell == "":
        return None
    if kind == "bool":
        return cell == "true"
    if kind == "int":
        return int(float(cell))
    if kind == "float":
        return float(cell)
    return cell


def record_run(where: str, run_dir: Path) -> str:
    """Add a finished run to the store; its run id. All of it, or (on any failure) none of it."""
    record = RunRecord.from_run_dir(run_dir)
    with open_store(where) as db, db.transaction():
        _insert(db, "runs", RUN_FIELDS, [record.run])
        run_id = {"run_id": record.run["run_id"]}
        _insert(db, "task_results", ["run_id", *TASK_FIELDS], [run_id | t for t in record.tasks])
        _insert(db, "findings", ["run_id", *FINDING_FIELDS], [run_id | f for f in record.findings])
    return record.run["run_id"]


def _insert(db: Database, table: str, fields: list[str], rows: list[dict[str, Any]]) -> None:
    db.insert(table, fields, [tuple(row[f] for f in fields) for row in rows])


# history.csv's columns, each from the run or from the task's result.
TREND_SQL = (
    "SELECT "
    + ", ".join(f"{'r' if column in RUN_FIELDS else 't'}.{column}" for column in HISTORY)
    + " FROM runs r JOIN task_results t ON t.run_id = r.run_id "
)


def history_rows(
    db: Database, site: str | None = None, task: str | None = None, tasks: str | None = None
) -> pd.DataFrame:
    """Per run and task, oldest first: the trend table `toptasks history` prints."""
    where, params = [], []
    for column, value in (("r.site", site), ("t.task_id", task), ("r.task_set", tasks)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = TREND_SQL + (f"WHERE {' AND '.join(where)} " if where else "")
    rows = db.execute(sql + "ORDER BY r.run_id, t.task_id", tuple(params))
    return pd.DataFrame(rows, columns=list(HISTORY)).astype(object)


def site_trend(where: str, run_dir: Path, last: int) -> pd.DataFrame:
    """The last `last` runs of this run's site and task set, this run included."""
    record = RunRecord.from_run_dir(run_dir)
    with open_store(where, write=False) as db:
        rows = history_rows(db, site=record.run["site"], tasks=record.run["task_set"])
    runs = list(dict.fromkeys(rows["run_id"]))[-last:]
    return rows[rows["run_id"].isin(runs)]
