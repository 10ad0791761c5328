"""Findability: the shortest click path from the start page to any target page of each task.

Ties between equally short paths are broken the way a customer would choose: at each step
prefer a link whose wording (or URL) matches the task's `entry`, then the link met first on
the page. The distances from the start page are computed once for all tasks.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from crawler.model import SiteModel
from toptasks.config import Task


@dataclass(frozen=True)
class Step:
    """One click: the link followed from `source_url` and the page it led to."""

    source_url: str
    link_url: str
    page_url: str
    text: str
    position: int


@dataclass
class TaskPath:
    task_id: str
    reachable: bool
    path: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    reason: str = ""
    on_path: frozenset[str] = frozenset()  # every page on some shortest path to a target

    @property
    def clicks(self) -> int | None:
        return len(self.steps) if self.reachable else None

    @property
    def target_url(self) -> str:
        return self.path[-1] if self.reachable else ""

    @property
    def entry_text(self) -> str:
        return self.steps[0].text if self.steps else ""


@dataclass(frozen=True)
class _Edge:
    target: str
    position: int
    text: str
    link_url: str


class LinkGraph:
    """Pages that answered without error, keyed by final URL, and the links between them."""

    def __init__(self, model: SiteModel) -> None:
        pages = model.pages
        ok = pages[pages["status"].notna() & (pages["status"] < 400) & (pages["error"] == "")]
        self.node_of: dict[str, str] = dict(zip(ok["url"], ok["final_url"], strict=True))
        self.node_of.update({u: u for u in ok["final_url"]})
        self.targets_of: dict[str, set[str]] = {}
        for node, targets in zip(ok["final_url"], ok["targets"], strict=True):
            for task_id in targets:
                self.targets_of.setdefault(task_id, set()).add(node)
        self.edges: dict[str, list[_Edge]] = {}
        links = model.links[model.links["kind"] == "internal"]
        for row in links.itertuples(index=False):
            target = self.node_of.get(row.target_url)
            if target is not None and row.source_url in self.node_of:
                edge = _Edge(target, int(row.position), row.text, row.target_url)
                self.edges.setdefault(row.source_url, []).append(edge)
        self.start = self.node_of.get(model.start_url)
        self.distance = self._distances()
        self.parents = self._shortest_path_parents()

    def _distances(self) -> dict[str, int]:
        if self.start is None:
            return {}
        distance = {self.start: 0}
        queue = deque([self.start])
        while queue:
            node = queue.popleft()
            for edge in self.edges.get(node, ()):
                if edge.target not in distance:
                    distance[edge.target] = distance[node] + 1
                    queue.append(edge.target)
        return distance

    def _shortest_path_parents(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {}
        for source, edges in self.edges.items():
            d = self.distance.get(source)
            if d is None:
                continue
            for edge in edges:
                if self.distance.get(edge.target) == d + 1:
                    parents.setdefault(edge.target, []).append(source)
        return parents

    def on_shortest_paths_to(self, goals: set[str]) -> set[str]:
        """Every page that lies on some shortest path from the start to one of `goals`."""
        found, queue = set(goals), deque(goals)
        while queue:
            for parent in self.parents.get(queue.popleft(), ()):
                if parent not in found:
                    found.add(parent)
                    queue.append(parent)
        return found


def _entry_matcher(task: Task):
    words = [w.lower() for w in task.entry.text]
    patterns = [re.compile(p) for p in task.entry.url]

    def matches(edge: _Edge) -> bool:
        text = edge.text.lower()
        return any(w in text for w in words) or any(p.search(edge.link_url) for p in patterns)

    return matches


def shortest_click_path(graph: LinkGraph, task: Task) -> TaskPath:
    if graph.start is None:
        return TaskPath(task.id, False, reason="the start page could not be fetched")
    targets = graph.targets_of.get(task.id, set())
    reached = {t: graph.distance[t] for t in targets if t in graph.distance}
    if not reached:
        reason = (
            "pages matching the target exist but no links lead there from the start page"
            if targets
            else "no crawled page matches the task's target"
        )
        return TaskPath(task.id, False, reason=reason)
    fewest = min(reached.values())
    on_path = graph.on_shortest_paths_to({t for t, d in reached.items() if d == fewest})
    prefers = _entry_matcher(task)
    node, steps = graph.start, []
    for depth in range(1, fewest + 1):
        choices = [
            e
            for e in graph.edges.get(node, ())
            if e.target in on_path and graph.distance[e.target] == depth
        ]
        edge = min(choices, key=lambda e: (not prefers(e), e.position))
        steps.append(Step(node, edge.link_url, edge.target, edge.text, edge.position))
        node = edge.target
    pages = [graph.start, *(s.page_url for s in steps)]
    return TaskPath(task.id, True, pages, steps, on_path=frozenset(on_path))


def audit_findability(model: SiteModel, tasks: list[Task]) -> dict[str, TaskPath]:
    graph = LinkGraph(model)
    return {task.id: shortest_click_path(graph, task) for task in tasks}


def findability_fields(path: TaskPath) -> dict[str, object]:
    """The tasks.csv columns this audit fills in."""
    return {
        "reachable": path.reachable,
        "clicks": path.clicks,
        "path": " > ".join(path.path),
        "target_url": path.target_url,
        "entry_text": path.entry_text,
        "entry_url": path.steps[0].link_url if path.steps else "",
    }


def findability_findings(path: TaskPath) -> list[dict[str, object]]:
    if path.reachable:
        return []
    return [
        {
            "task_id": path.task_id,
            "kind": "unreachable",
            "severity": "high",
            "detail": path.reason,
        }
    ]
