"""Search as a second route: where a task's first target page ranks in the site's own search
results for the task's words, and whether search and the menus agree about the task.

Many customers type into the search box instead of reading menus; a task the links reach
and search misses (or the reverse) is half-served.
"""

from __future__ import annotations

import re
from typing import Any

from audits.findability import LinkGraph, TaskPath
from contract.config import Task
from contract.records import SearchRecord


def search_form(searches: list[SearchRecord]) -> SearchRecord | None:
    return next((s for s in searches if s.kind == "form"), None)


def _is_target(graph: LinkGraph, task: Task, url: str) -> bool:
    node = graph.node_of(url)
    if node is not None:
        return node in graph.targets_of.get(task.id, set())
    pattern = task.target.url  # a result page the crawl did not reach: its URL alone can say
    return bool(pattern) and re.search(pattern, url) is not None


def best_rank(graph: LinkGraph, task: Task, searches: list[SearchRecord]) -> tuple[int | None, str]:
    """The best (lowest) 1-based rank of a target page over the task's queries, and the query
    that gave it."""
    best: tuple[int | None, str] = (None, "")
    for search in searches:
        if search.kind != "query" or search.task_id != task.id or search.note:
            continue
        for rank, url in enumerate(search.results, 1):
            if _is_target(graph, task, url):
                if best[0] is None or rank < best[0]:
                    best = (rank, search.query)
                break
    return best


def audit_search(
    graph: LinkGraph, task: Task, path: TaskPath, searches: list[SearchRecord]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`search_rank`, and a finding when search and the links disagree about the task."""
    ran = [
        s
        for s in searches
        if s.kind == "query" and s.task_id == task.id and not s.note and (s.status or 0) < 400
    ]
    if not ran:
        return {"search_rank": None}, []
    rank, query = best_rank(graph, task, searches)
    queries = ", ".join(f"'{s.query}'" for s in ran)
    if rank is None and path.reachable:
        detail = (
            f"the site's search lists no page of this task in its first results for {queries}; "
            f"the links reach it in {path.clicks} click{'' if path.clicks == 1 else 's'}"
        )
        return {"search_rank": None}, [_finding(task, "search_misses_task", "medium", detail, ran)]
    if rank is not None and not path.reachable:
        detail = (
            f"only the site's search finds this task (result {rank} for '{query}'): "
            "no link leads there"
        )
        return {"search_rank": rank}, [_finding(task, "search_only", "medium", detail, ran)]
    return {"search_rank": rank}, []


def _finding(
    task: Task, kind: str, severity: str, detail: str, ran: list[SearchRecord]
) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "page_url": ran[0].url,
        "viewport": "",
        "kind": kind,
        "severity": severity,
        "element": "",
        "detail": detail,
        "area_share": None,
    }


def search_summary(searches: list[SearchRecord]) -> dict[str, Any]:
    """summary.json's `search`: the form used (or why none), and how the queries went."""
    form = search_form(searches)
    queries = [s for s in searches if s.kind == "query"]
    return {
        "form": form.url if form else "",
        "source": form.source if form else "",
        "note": form.note if form else "search not tried (signed-in area, resume, or max_depth 0)",
        "queries": len(queries),
        "failed": [f"{s.query}: {s.note}" for s in queries if s.note][:5],
    }
