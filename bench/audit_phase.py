"""The phases after the crawl, alone, on a large site model: load it, build the link graph,
find every task's shortest click path (findability), then run the audits and write every
output file as `toptasks audit --no-render` does (report). The model is written straight from
the site generator (the same pages and links a crawl would record), so 100,000 pages need no
20-minute crawl.

    python -m bench.audit_phase PAGES WORK_DIR   -> prints one JSON line
"""

from __future__ import annotations

import csv
import json
import resource
import shutil
import sys
import time
from pathlib import Path

from bench.sitegen import TARGETS, depth_of, page_links, tasks_yaml, url_of
from contract.config import load_config
from contract.records import LINK_FIELDS, LINKS_FILE, PAGES_FILE, PageRecord
from toptasks.analyse import analyse
from toptasks.area_audit import locate_paths
from toptasks.gather import Area
from toptasks.options import AuditOptions, resolve_config
from toptasks.write import write_run

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
    tasks_file = work / f"tasks-{n}.yaml"
    tasks_file.write_text(tasks_yaml(n))
    out = work / f"audit-phase-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    options = AuditOptions(tasks_file, url=HOST + "/", out=out, render=False)
    config = resolve_config(load_config(tasks_file), options)
    started = time.perf_counter()
    audit = locate_paths(Area("public", config, model_dir))
    found = time.perf_counter()
    analysis = analyse(config, options, [audit], [])
    timings = {"audits": time.perf_counter() - found}
    write_run(config, options, [audit], analysis, [], "", timings, [])
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "pages": n,
                "links": len(audit.model.links),
                "findability_s": round(found - started, 2),
                "report_s": round(done - found, 2),
                "of_which_audits_s": round(timings["audits"], 2),
                "of_which_csv_s": round(timings["write"], 2),
                "peak_mb": round(peak_mb),
                "clicks": {task: path.clicks for task, path in audit.paths.items()},
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
