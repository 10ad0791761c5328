"""The link table in columns: `model.duckdb` beside `links.csv`, built from it once (and again
only when links.csv has grown), read by the audits as pandas categoricals.

links.csv stays the model's record: appended a page at a time, whole after any kill, what
analysts open. But a million-page site has about 27 million link rows, and as Python strings
they took 6.7 GB and a minute to read (bench/model_formats.py). In DuckDB each distinct URL and
label is stored once (dictionary tables) and each row is a few small integers; pandas receives
the columns as categoricals without a Python string per row.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from contract.records import LINK_FIELDS

COLUMNAR_FILE = "model.duckdb"
# DuckDB's working memory while building; beyond it, it spills to the model folder.
BUILD_MEMORY = "1GB"
DICTIONARIES = {
    "source_url": "urls",
    "target_url": "urls",
    "text": "texts",
    "region": "regions",
    "kind": "kinds",
}


def read_links(links_csv: Path) -> pd.DataFrame:
    """The link table of `links_csv`, from its columnar copy (built or rebuilt as needed)."""
    db = links_csv.with_name(COLUMNAR_FILE)
    stat = links_csv.stat()
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}"  # a file rewritten or grown since is rebuilt
    if _built_from(db) != stamp:
        _build(links_csv, db, stamp)
    con = duckdb.connect(str(db), read_only=True)
    try:
        values: dict[str, pd.Index] = {}  # each dictionary once: URLs serve two columns
        for dictionary in set(DICTIONARIES.values()):
            found = con.execute(f"SELECT value FROM {dictionary} ORDER BY code").fetchnumpy()
            values[dictionary] = pd.Index(found["value"], dtype=object)
        frame = {}
        for name in LINK_FIELDS:  # a column at a time: DuckDB's result is one column's size
            (column,) = con.execute(f"SELECT {name} FROM links").fetchnumpy().values()
            column = np.asarray(column)
            if name == "position" and len(column) and column.max() <= np.iinfo(np.int16).max:
                column = column.astype(np.int16)  # links on a page are capped at 5,000
            if name in DICTIONARIES:
                categories = values[DICTIONARIES[name]]
                column = pd.Categorical.from_codes(column, categories=categories, validate=False)
            frame[name] = column
    finally:
        con.close()  # first: DuckDB's cache of the blocks read is 200 MB at a million pages
    return pd.DataFrame(frame, copy=False)  # a copy of every column cost 500 MB more


def _built_from(db: Path) -> str | None:
    """links.csv's size and time when `db` was built; None when there is no usable copy."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("SELECT links_csv FROM built").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def _build(links_csv: Path, db: Path, stamp: str) -> None:
    """One pass over links.csv into a new file, renamed into place when whole."""
    partial = db.with_suffix(".building")
    for left in (partial, partial.with_name(partial.name + ".wal")):  # a build a kill cut short
        left.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    try:
        con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")
        con.execute(f"SET temp_directory = '{quoted(str(db.parent / 'duckdb.tmp'))}'")
        columns = ", ".join(f"'{name}': 'VARCHAR'" for name in LINK_FIELDS)
        # Empty cells are empty labels, not NULL; a row a kill cut short is not a link.
        con.execute(
            "CREATE TABLE raw AS SELECT row_number() OVER () AS row, * FROM read_csv("
            f"'{quoted(str(links_csv))}', header = true, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {{{columns}}}, nullstr = '\x01', ignore_errors = true, "
            "strict_mode = false) WHERE rendered_only IN ('true', 'false')"
        )
        con.execute(
            "CREATE TABLE urls AS SELECT (row_number() OVER ()) - 1 AS code, value FROM "
            "(SELECT source_url AS value FROM raw UNION SELECT target_url FROM raw)"
        )
        for name in ("text", "region", "kind"):
            con.execute(
                f"CREATE TABLE {name}s AS SELECT (row_number() OVER ()) - 1 AS code, value "
                f"FROM (SELECT DISTINCT {name} AS value FROM raw)"
            )
        con.execute(
            "CREATE TABLE links AS SELECT r.row, "
            "s.code::INTEGER AS source_url, t.code::INTEGER AS target_url, "
            "x.code::INTEGER AS text, g.code::TINYINT AS region, "
            "CAST(r.position AS INTEGER) AS position, k.code::TINYINT AS kind, "
            "r.rendered_only = 'true' AS rendered_only FROM raw r "
            "JOIN urls s ON s.value = r.source_url JOIN urls t ON t.value = r.target_url "
            "JOIN texts x ON x.value = r.text JOIN regions g ON g.value = r.region "
            "JOIN kinds k ON k.value = r.kind ORDER BY r.row"
        )
        con.execute(f"CREATE TABLE built AS SELECT '{quoted(stamp)}' AS links_csv")
        con.execute("DROP TABLE raw")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, db)


def quoted(text: str) -> str:
    """`text` inside a single-quoted SQL string."""
    return text.replace("'", "''")
