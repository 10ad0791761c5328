"""Findability: the shortest click path from the start page to any target page of each task.

Ties between equally short paths are broken the way a customer would choose: at each step
prefer a link whose wording (or URL) matches the task's `entry`, then the link met first on
the page. The distances from the start page are computed once for all tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from contract.config import Task
from contract.site_model import SiteModel


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


EDGE_BLOCK = 1 << 22  # edges per step of a breadth-first level (4 M: 20 MB of temporaries)


def levels(sources: np.ndarray, src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Breadth-first steps from `sources` along the edges src -> dst, a whole level at a time
    over the edge arrays (-1: never reached). Reversed edges give the steps to the sources.

    Each level marks the pages it reaches in a boolean array: np.unique over the reached
    codes (a hash of up to 27 million at a million pages) took 16 s of the audit phase. The
    edges are taken a block at a time, so that a level's temporary arrays stay small."""
    dist = np.full(n, -1, dtype=np.int32)
    dist[sources] = 0
    frontier = np.zeros(n, dtype=bool)
    frontier[sources] = True
    level = 0
    while True:
        level += 1
        reached = np.zeros(n, dtype=bool)
        for first in range(0, len(src), EDGE_BLOCK):
            block = slice(first, first + EDGE_BLOCK)
            reached[dst[block][frontier[src[block]]]] = True
        reached &= dist < 0
        if not reached.any():
            return dist
        dist[reached] = level
        frontier = reached


class LinkGraph:
    """Pages that answered without error, keyed by final URL, and the links between them.

    Built with numpy over integer page codes: a 100,000-page site has about 3 million link
    rows, too many for a Python object each. Breadth-first search runs a level at a time over
    the whole edge arrays; `edges_from` makes Python objects only for the pages a path visits.
    """

    def __init__(self, model: SiteModel) -> None:
        pages = model.pages
        ok = pages[pages["status"].notna() & (pages["status"] < 400) & (pages["error"] == "")]
        finals = ok["final_url"].to_numpy(dtype=object)
        self.targets_of: dict[str, set[str]] = {}
        for node, targets in zip(finals, ok["targets"].tolist(), strict=True):
            for task_id in targets:
                self.targets_of.setdefault(task_id, set()).add(node)
        # URLs are looked up through pandas Indexes (hash tables in C): Python dicts of a
        # million URLs cost about 90 MB each, and there were four.
        self.nodes = pd.Index(pd.unique(finals), dtype=object)
        # A URL that answered leads to its final page, a final URL always to itself; URLs
        # that redirected are few, kept apart from the nodes' own index.
        requested = ok["url"].to_numpy(dtype=object)
        moved = (requested != finals) & (self.nodes.get_indexer(requested) < 0)
        codes = self.nodes.get_indexer(finals[moved])
        self._moved = dict(zip(requested[moved].tolist(), codes.tolist(), strict=True))
        # Another address of a page (crawler.aliases) leads to it, as a redirect would.
        for alias, kept in model.aliases.items():
            if alias not in self._moved and (at := self.nodes.get_indexer([kept])[0]) >= 0:
                self._moved[alias] = int(at)
        links = model.links
        source, target = self._codes(links)
        internal = (links["kind"] == "internal").to_numpy()
        self.inbound = self._inbound(source, target, internal)
        keep = (source >= 0) & (target >= 0) & internal
        # Edges sorted by source (stable, so each page's links stay in page order).
        kept = np.concatenate(  # in blocks: np.flatnonzero of 27 million is 216 MB of int64
            [
                np.flatnonzero(keep[i : i + EDGE_BLOCK]).astype(np.int32) + i
                for i in range(0, len(keep), EDGE_BLOCK)
            ]
            or [np.zeros(0, dtype=np.int32)]
        )
        order = kept[np.argsort(source[kept], kind="stable")]
        del kept, keep
        self._src, self._dst = source[order], target[order]
        del source, target
        self._link_rows = order  # rows of model.links, for edges_from
        self._links = links
        # Searched in the edges' own 32-bit type: int64 keys make numpy copy them (216 MB).
        pages = np.arange(len(self.nodes) + 1, dtype=self._src.dtype)
        self._first = np.searchsorted(self._src, pages)
        self.start = self.node_of(model.start_url)
        self._dist = self._distances()
        src_dist = self._dist[self._src]
        on_dag = (src_dist >= 0) & (self._dist[self._dst] == src_dist + 1)
        self._dag_src, self._dag_dst = self._src[on_dag], self._dst[on_dag]

    def _inbound(self, source: np.ndarray, target: np.ndarray, internal: np.ndarray) -> np.ndarray:
        """Links to each page from any other page crawled (one that failed too), counted a
        block of rows at a time."""
        inbound = np.zeros(len(self.nodes), dtype=np.int64)
        for first in range(0, len(target), EDGE_BLOCK):
            block = slice(first, first + EDGE_BLOCK)
            into = target[block]
            into = into[internal[block] & (into >= 0) & (source[block] != into)]
            inbound += np.bincount(into, minlength=len(self.nodes))
        return inbound

    def _codes(self, links: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Page codes of each link's source and target (-1: not a page that answered).

        Each distinct URL is looked up once (pandas' factorize), not once per link row; codes
        are 32-bit (27 million links at a million pages: 108 MB an array, not 216).
        """
        source, target = links["source_url"], links["target_url"]
        shared = (
            isinstance(source.dtype, pd.CategoricalDtype)
            and isinstance(target.dtype, pd.CategoricalDtype)
            and source.cat.categories.equals(target.cat.categories)
        )
        if shared:
            # A model read from disk: one dictionary of URLs for both columns (read_links).
            lookup = np.append(self._lookup(source.cat.categories), np.int32(-1))
            # a missing URL's code, -1, picks the appended -1
            return lookup[source.array.codes], lookup[target.array.codes]
        urls = np.concatenate([source.to_numpy(dtype=object), target.to_numpy(dtype=object)])
        codes, uniques = pd.factorize(urls)
        lookup = self._lookup(pd.Index(uniques, dtype=object))
        mapped = lookup[codes] if len(codes) else np.zeros(0, dtype=np.int32)
        return mapped[: len(links)], mapped[len(links) :]

    def _lookup(self, urls: pd.Index) -> np.ndarray:
        """The page code of each of `urls` (-1: not a page that answered)."""
        urls = urls.astype(object)
        codes = self.nodes.get_indexer(urls).astype(np.int32)
        if self._moved:
            at = pd.Index(list(self._moved), dtype=object).get_indexer(urls)
            codes[at >= 0] = np.array(list(self._moved.values()), dtype=np.int32)[at[at >= 0]]
        return codes

    def _distances(self) -> np.ndarray:
        if self.start is None:
            return np.full(len(self.nodes), -1, dtype=np.int32)
        start = np.array([self.code_of(self.start)])
        return levels(start, self._src, self._dst, len(self.nodes))

    def codes_of(self, urls: pd.Index | pd.Series | list[str]) -> np.ndarray:
        """The page code each URL leads to (-1: no page that answered)."""
        return self._lookup(pd.Index(urls, dtype=object))

    def depths_of(self, urls: pd.Index | pd.Series | list[str]) -> np.ndarray:
        """Clicks from the start page to the page each URL leads to (-1: none lead there, or
        it is no page that answered)."""
        return np.append(self._dist, -1)[self.codes_of(urls)]  # code -1 picks the -1 appended

    def linked(self, node: str) -> bool:
        """Some other page that answered links to the page `node` leads to."""
        code = self.code_of(node)
        return code is not None and bool(self.inbound[code])

    def distances_to(self, goals: np.ndarray) -> np.ndarray:
        """Clicks from each page to the nearest of the `goals` page codes (-1: no way there)."""
        return levels(goals, self._dst, self._src, len(self.nodes))

    def code_of(self, url: str) -> int | None:
        """The page code of a URL (or of the page it redirected to), None if it never answered."""
        at = self.nodes.get_indexer([url])[0]
        return int(at) if at >= 0 else self._moved.get(url)

    def node_of(self, url: str) -> str | None:
        """The final URL of the page `url` leads to, None if it never answered."""
        code = self.code_of(url)
        return None if code is None else self.nodes[code]

    def depth(self, node: str) -> int | None:
        """Clicks from the start page to the page `node` leads to; None if none lead there."""
        code = self.code_of(node)
        return None if code is None or self._dist[code] < 0 else int(self._dist[code])

    def edge_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Source and target page codes of every link between answering pages, by source."""
        return self._src, self._dst

    def edge_offsets(self) -> np.ndarray:
        """A page's links in `edge_codes` are offsets[page]:offsets[page + 1]."""
        return self._first

    def edge_rows(self) -> np.ndarray:
        """The row in `model.links` of each link of `edge_codes`, in the same order."""
        return self._link_rows

    def edges_from(self, node: str) -> list[_Edge]:
        """The links of a page in page order, each to the page it leads to."""
        code = self.code_of(node)
        if code is None:
            return []
        first, last = self._first[code], self._first[code + 1]
        rows = self._links.iloc[self._link_rows[first:last]]
        return [
            _Edge(self.nodes[dst], int(position), text, link_url)
            for dst, position, text, link_url in zip(
                self._dst[first:last],
                rows["position"].tolist(),
                rows["text"].tolist(),
                rows["target_url"].tolist(),
                strict=True,
            )
        ]

    def on_shortest_paths_to(self, goals: set[str]) -> set[str]:
        """Every page that lies on some shortest path from the start to one of `goals`."""
        found = np.zeros(len(self.nodes), dtype=bool)
        frontier = np.zeros(len(self.nodes), dtype=bool)
        frontier[[self.code_of(g) for g in goals]] = True
        while frontier.any():
            found |= frontier
            parents = np.unique(self._dag_src[frontier[self._dag_dst]])
            frontier[:] = False
            frontier[parents[~found[parents]]] = True
        return {self.nodes[i] for i in np.flatnonzero(found)}


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
    reached = {t: d for t in targets if (d := graph.depth(t)) is not None}
    if not reached:
        unlinked = sorted(t for t in targets if not graph.linked(t))
        if unlinked:
            reason = f"its page exists at {unlinked[0]}, but no page links to it"
        elif targets:
            reason = "pages matching the target exist but no links lead there from the start page"
        else:
            reason = "no crawled page matches the task's target"
        return TaskPath(task.id, False, reason=reason)
    fewest = min(reached.values())
    on_path = graph.on_shortest_paths_to({t for t, d in reached.items() if d == fewest})
    prefers = _entry_matcher(task)
    node, steps = graph.start, []
    for depth in range(1, fewest + 1):
        choices = [
            e
            for e in graph.edges_from(node)
            if e.target in on_path and graph.depth(e.target) == depth
        ]
        edge = min(choices, key=lambda e: (not prefers(e), e.position))
        steps.append(Step(node, edge.link_url, edge.target, edge.text, edge.position))
        node = edge.target
    pages = [graph.start, *(s.page_url for s in steps)]
    return TaskPath(task.id, True, pages, steps, on_path=frozenset(on_path))


def audit_findability(model: SiteModel, tasks: list[Task]) -> dict[str, TaskPath]:
    graph = LinkGraph(model)
    return {task.id: shortest_click_path(graph, task) for task in tasks}


def link_label(text: str, url: str) -> str:
    """A link as a customer would name it: its words, or, for an icon with no name at all,
    "an unlabelled icon link" and where it goes."""
    return text.strip() or f"an unlabelled icon link ({urlsplit(url).path or '/'})"


def step_labels(path: TaskPath) -> list[str]:
    """The words a customer clicks at each step, never the same label twice in a row (two
    "Help" links in a row are told apart by where they lead)."""
    labels: list[str] = []
    for step in path.steps:
        label = link_label(step.text, step.link_url)
        if labels and label.lower() == labels[-1].lower():
            label = f"{label} ({urlsplit(step.link_url).path or '/'})"
        labels.append(label)
    return labels


def findability_fields(path: TaskPath) -> dict[str, object]:
    """The tasks.csv columns this audit fills in."""
    return {
        "reachable": path.reachable,
        "clicks": path.clicks,
        "path": " > ".join(path.path),
        "path_text": " > ".join(step_labels(path)),
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
