"""The audit phase alone on a large site model: load it, build the link graph, find every
task's shortest click path. The model is written straight from the site generator (the same
pages and links a crawl would record), so 100,000 pages need no 20-minute crawl.

    python bench/audit_phase.py PAGES WORK_DIR   -> prints one JSON line
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from pathlib import Path

from audits.findability import LinkGraph, shortest_click_path
from bench.sitegen import TARGETS, depth_of, page_links, tasks_yaml, url_of
from crawler.model import LINK_FIELDS, LINKS_FILE, PAGES_FILE, PageRecord, SiteModel
from toptasks.config import Config

HOST = "http://127.0.0.1:8000"


def write_model(model_dir: Path, n: int, seed: int = 1) -> None:
    model_dir.mkdir(parents=True, exist_ok=True)
    with (model_dir / PAGES_FILE).open("w") as pages, (model_dir / LINKS_FILE).open("w") as out:
        links = csv.writer(out)
        links.writerow(LINK_FIELDS)
        for i in [*range(n), -1]:
            url = HOST + ("/login" if i < 0 else url_of(i))
            found = [] if i < 0 else page_links(i, n, seed)
            page = PageRecord(url, url, 200, 1 if i < 0 else depth_of(i), "Page", "text/html")
            page.targets = ["login"] if i < 0 else [t for t, (at, _) in TARGETS.items() if at == i]
            pages.write(page.to_json() + "\n")
            for position, (path, text, region) in enumerate(found, 1):
                links.writerow((url, HOST + path, text, region, position, "internal", "false"))


def main(n: int, work: Path) -> None:
    model_dir = work / f"model-{n}"
    if not (model_dir / PAGES_FILE).exists():
        write_model(model_dir, n)
    config = Config.model_validate(__import__("yaml").safe_load(tasks_yaml(n)))
    started = time.perf_counter()
    model = SiteModel.load(model_dir, HOST + "/")
    loaded = time.perf_counter()
    graph = LinkGraph(model)
    paths = {task.id: shortest_click_path(graph, task) for task in config.tasks}
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "pages": n,
                "links": len(model.links),
                "load_s": round(loaded - started, 2),
                "graph_and_paths_s": round(done - loaded, 2),
                "peak_mb": round(peak_mb),
                "clicks": {task: path.clicks for task, path in paths.items()},
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
