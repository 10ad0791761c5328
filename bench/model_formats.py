"""Groundwork for issue 15 part 4 (analysis in bounded memory): what it costs to get the link
graph's integer edge arrays out of the site model, from today's links.csv through pandas, and
from a DuckDB file of the same model (strings stay in DuckDB; Python gets integer codes).

    python -m bench.model_formats MODEL_DIR     -> prints a table (each way in its own process)

MODEL_DIR is a model bench/audit_phase.py wrote (pages.jsonl, links.csv).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np


def edges_with_pandas(model_dir: Path) -> tuple[int, int]:
    """Today's way: the whole link table in pandas, then codes (audits/findability.py)."""
    from audits.findability import LinkGraph
    from crawler.model import load_model

    model = load_model(model_dir, "http://127.0.0.1:8000/")
    graph = LinkGraph(model)
    src, dst = graph.edge_codes()
    return len(graph.nodes), len(src)


def duckdb_file(model_dir: Path) -> Path:
    """The model as DuckDB tables (made once; a crawl could append to them as it goes)."""
    path = model_dir / "model.duckdb"
    if not path.exists():
        with duckdb.connect(str(path)) as db:
            db.execute(
                "CREATE TABLE pages AS SELECT url, final_url, status, error FROM read_json_auto(?)",
                [str(model_dir / "pages.jsonl")],
            )
            db.execute(
                "CREATE TABLE links AS "
                "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
                [str(model_dir / "links.csv")],
            )
    return path


def edges_with_duckdb(model_dir: Path) -> tuple[int, int]:
    """Codes computed inside DuckDB: only two integer arrays reach Python."""
    with duckdb.connect(str(duckdb_file(model_dir)), read_only=True) as db:
        db.execute("SET memory_limit = '300MB'")
        db.execute(
            "CREATE TEMP TABLE nodes AS SELECT row_number() OVER () - 1 AS code, final_url "
            "FROM (SELECT DISTINCT final_url FROM pages WHERE status < 400 AND error = '')"
        )
        db.execute(
            "CREATE TEMP TABLE node_of AS SELECT p.url, n.code FROM pages p "
            "JOIN nodes n ON n.final_url = p.final_url WHERE p.status < 400 AND p.error = ''"
        )
        found = db.execute(
            "SELECT s.code AS src, t.code AS dst FROM links l "
            "JOIN node_of s ON s.url = l.source_url JOIN node_of t ON t.url = l.target_url "
            "WHERE l.kind = 'internal' ORDER BY src"
        ).fetchnumpy()
        (nodes,) = db.execute("SELECT count(*) FROM nodes").fetchone()
    src = np.asarray(found["src"], dtype=np.int64)
    return nodes, len(src)


WAYS = {"pandas (links.csv)": edges_with_pandas, "duckdb (model.duckdb)": edges_with_duckdb}


def one(way: str, model_dir: Path) -> None:
    started = time.perf_counter()
    nodes, edges = WAYS[way](model_dir)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"way": way, "nodes": nodes, "edges": edges, "s": round(seconds, 2),
                      "peak_mb": round(peak)}))  # fmt: skip


def main(model_dir: Path) -> None:
    duckdb_file(model_dir)
    print(f"{'way':<24} {'nodes':>8} {'edges':>10} {'s':>7} {'peak MB':>8}")
    for way in WAYS:
        command = [sys.executable, "-m", "bench.model_formats", str(model_dir), way]
        row = json.loads(subprocess.check_output(command, text=True).splitlines()[-1])
        print(f"{way:<24} {row['nodes']:>8} {row['edges']:>10} {row['s']:>7} {row['peak_mb']:>8}")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        one(sys.argv[2], Path(sys.argv[1]))
    else:
        main(Path(sys.argv[1]))
