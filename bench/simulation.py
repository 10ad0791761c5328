"""Simulated customers on a large generated site model: 10 tasks x 1,000 customers (issue 17's
goal: under 30 s on a 100,000-page model). The model is the one bench/audit_phase.py writes.

    python -m bench.simulation PAGES WORK_DIR [CUSTOMERS]   -> prints a table
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from audits.findability import LinkGraph
from audits.scent import site_scorer
from audits.simulation import SiteWalk, simulate
from bench.audit_phase import HOST, write_model
from bench.sitegen import tasks_yaml
from contract.config import Config, Task
from contract.records import PAGES_FILE
from crawler.model import load_model

TASKS = 10


def ten_tasks(n: int) -> list[Task]:
    """The generated site's tasks, repeated (under new ids) up to ten."""
    tasks = Config.model_validate(yaml.safe_load(tasks_yaml(n))).tasks
    return [
        tasks[i % len(tasks)].model_copy(update={"id": f"{tasks[i % len(tasks)].id}_{i}"})
        for i in range(TASKS)
    ]


def main(n: int, work: Path, customers: int = 1000) -> None:
    model_dir = work / f"model-{n}"
    if not (model_dir / PAGES_FILE).exists():
        write_model(model_dir, n)
    clock = time.perf_counter()
    model = load_model(model_dir, HOST + "/")
    graph = LinkGraph(model)
    loaded = time.perf_counter()
    walk = SiteWalk.of(model, graph, [])
    scorer = site_scorer(model)
    prepared = time.perf_counter()
    results = []
    for task in ten_tasks(n):
        original = task.id.rsplit("_", 1)[0]
        graph.targets_of[task.id] = graph.targets_of.get(original, set())
        results.append((task, simulate(walk, task, scorer, None, customers=customers)))
    done = time.perf_counter()
    print(f"{'pages':>8} {'links':>10} {'load+graph s':>12} {'walk+scent s':>12} "
          f"{'10 tasks x ' + str(customers) + ' s':>16}")  # fmt: skip
    print(
        f"{n:>8} {len(model.links):>10} {loaded - clock:>12.2f} {prepared - loaded:>12.2f} "
        f"{done - prepared:>16.2f}"
    )
    for task, found in results[:5]:
        print(f"  {task.id:<22} success {found.success:.3f}  median clicks {found.clicks_median}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))
