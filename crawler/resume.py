"""Continuing an interrupted crawl from the site model on disk.

Scrapy's JOBDIR keeps its request queue only through a graceful stop (its docs: send one
SIGINT and wait); a `kill -9` or a CI runner's hard stop leaves it unusable. The site model is
written a page at a time, links before their page line, so it survives any kill: the pages it
holds are done, and the links on them that lead to pages it does not hold are the frontier.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

from contract.records import LINK_FIELDS, LINKS_FILE, PAGES_FILE


def _complete_lines(path: Path) -> list[str]:
    """The file's whole lines; a line a kill cut short is dropped from the file itself."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.readlines()
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
    return lines


def _whole_lines(path: Path, skip_header: bool) -> Iterator[str]:
    """Stream a file's whole lines (a large links.csv never sits in memory at once)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        if skip_header:
            next(handle, None)
        yield from (line for line in handle if line.endswith("\n"))


def trim_and_find_frontier(model_dir: Path, max_depth: int) -> tuple[set[str], list[list]]:
    """Make the model consistent after a kill and return the URLs fetched and those to fetch.

    Links whose page line never reached the disk are dropped (that page is fetched again and
    writes them once). The frontier is in breadth-first order: shallow pages first, then page
    order, then link order, each URL once at its smallest depth.
    """
    pages = [json.loads(line) for line in _complete_lines(model_dir / PAGES_FILE)]
    fetched = {page["url"] for page in pages}
    sources = {page["final_url"] for page in pages}
    expand = {}
    for order, page in enumerate(pages):
        ok = page["status"] is not None and page["status"] < 400 and not page["error"]
        if ok and page["depth"] < max_depth:
            expand.setdefault(page["final_url"], (page["depth"], order))
    candidates: dict[str, tuple[int, int, int]] = {}
    links_path = model_dir / LINKS_FILE
    kept = links_path.with_suffix(".trim")
    with kept.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LINK_FIELDS)
        for row in csv.reader(_whole_lines(links_path, skip_header=True)):
            if len(row) != len(LINK_FIELDS) or row[0] not in sources:
                continue
            writer.writerow(row)
            source, target, kind = row[0], row[1], row[5]
            if kind != "internal" or target in fetched or source not in expand:
                continue
            depth, order = expand[source]
            rank = (depth + 1, order, int(row[4]))
            if target not in candidates or rank < candidates[target]:
                candidates[target] = rank
    os.replace(kept, links_path)
    frontier = sorted(candidates.items(), key=lambda item: item[1])
    return fetched, [[url, rank[0]] for url, rank in frontier]
