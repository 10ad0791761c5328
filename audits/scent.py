"""Information scent: how well each link's wording matches a task, and which links compete.

A *competing link* sits on a page of the task's path, scores at least NEAR times as well as the
link that actually leads on toward the target (and at least MIN_SCENT), but leads elsewhere. A
*weak scent* is a correct link that scores below MIN_SCENT: customers have to guess.

The scorer is lexical and needs no download: TF-IDF with Snowball stemming, the IDF taken from
the site's own link texts (so words on every page, "home", "menu", weigh little), the query
being the task's name plus its `entry.text` phrases (its synonyms). Anything with a
`score(query, texts)` method can replace it, a sentence-embedding model for instance.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import snowballstemmer

from audits.findability import LinkGraph, TaskPath
from crawler.model import SiteModel
from toptasks.config import Task

NEAR = 0.8
MIN_SCENT = 0.15
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "up",
        "we",
        "what",
        "with",
        "you",
        "your",
        "this",
        "that",
        "can",
        "do",
    ]
)
_WORDS = re.compile(r"[a-z0-9]+")
# A site's link texts share a small vocabulary: each word is stemmed once (at 100,000 pages
# stemming every occurrence took 10 s of the audit phase).
_stem = lru_cache(maxsize=200_000)(snowballstemmer.stemmer("english").stemWord)


class Scorer(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """Similarity of each text to the query, 0 (unrelated) to 1 (same meaning)."""


def terms(text: str) -> list[str]:
    """Stemmed words; numbers and codes (any digit) are kept as they are, stemming means
    nothing to them and they are most of a large site's distinct tokens."""
    return [
        _stem(w) if w.isalpha() else w for w in _WORDS.findall(text.lower()) if w not in STOPWORDS
    ]


class TfidfScorer:
    """Cosine similarity of TF-IDF vectors over stemmed words."""

    def __init__(self, corpus: Iterable[str]) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()
        for text in corpus:
            self.documents += 1
            self.frequency.update(set(terms(text)))

    def _vector(self, text: str) -> dict[str, float]:
        counts = Counter(terms(text))
        idf = {t: math.log((1 + self.documents) / (1 + self.frequency[t])) + 1 for t in counts}
        return {t: n * idf[t] for t, n in counts.items()}

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        q = self._vector(query)
        q_norm = math.sqrt(sum(v * v for v in q.values()))
        scores = []
        for text in texts:
            d = self._vector(text)
            d_norm = math.sqrt(sum(v * v for v in d.values()))
            dot = sum(q[t] * d.get(t, 0.0) for t in q)
            scores.append(dot / (q_norm * d_norm) if q_norm and d_norm else 0.0)
        return scores


def task_query(task: Task) -> str:
    return " ".join([task.name, *task.entry.text])


@dataclass(frozen=True)
class Candidate:
    href: str
    text: str
    css: str


def page_links(model: SiteModel, url: str) -> tuple[str, list[Candidate]]:
    """The links a customer can choose from on a page: rendered and visible when the page was
    rendered on desktop, else every link the crawl found there."""
    record = model.rendered.get((url, "desktop"))
    if record and record["ok"]:
        return "desktop", [
            Candidate(e["href"], e["name"], e["css"])
            for e in record["elements"]
            if e["displayed"] and e["href"].startswith("http")
        ]
    links = model.links_from(url)
    found = links[links["kind"].isin(["internal", "external"])]
    return "", [
        Candidate(h, t, "") for h, t in zip(found["target_url"], found["text"], strict=True)
    ]


def _best_per_href(candidates: list[Candidate], scores: list[float]) -> dict[str, tuple]:
    best: dict[str, tuple[float, Candidate]] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        if candidate.href not in best or score > best[candidate.href][0]:
            best[candidate.href] = (score, candidate)
    return best


def audit_scent(
    model: SiteModel, graph: LinkGraph, task: Task, path: TaskPath, scorer: Scorer
) -> tuple[dict[str, Any], list[dict[str, Any]], Counter[str]]:
    """competing_links for tasks.csv, the findings, and competing links counted per page."""
    findings: list[dict[str, Any]] = []
    per_page: Counter[str] = Counter()
    query = task_query(task)
    for step in path.steps:
        viewport, candidates = page_links(model, step.source_url)
        best = _best_per_href(candidates, scorer.score(query, [c.text for c in candidates]))
        right_score = best.get(step.link_url, (0.0, Candidate(step.link_url, step.text, "")))[0]
        next_depth = graph.distance[step.source_url] + 1

        def leads_on(href: str, depth: int = next_depth) -> bool:
            node = graph.node_of.get(href)
            return node in path.on_path and graph.distance.get(node) == depth

        base = {"task_id": task.id, "page_url": step.source_url, "viewport": viewport}
        for href, (score, link) in best.items():
            if leads_on(href) or score < max(MIN_SCENT, NEAR * right_score):
                continue
            per_page[step.source_url] += 1
            findings.append(
                base
                | {
                    "kind": "competing_link",
                    "severity": "high" if score > right_score else "medium",
                    "element": link.css or href,
                    "detail": f"'{link.text}' (scent {score:.2f}) leads to {href}, away from the"
                    f" task; the link that leads on, '{step.text}', scores {right_score:.2f}",
                }
            )
        if right_score < MIN_SCENT:
            findings.append(
                base
                | {
                    "kind": "weak_scent",
                    "severity": "low",
                    "element": step.link_url,
                    "detail": f"'{step.text}' leads on toward the task but its wording scores "
                    f"{right_score:.2f} against it",
                }
            )
    return {"competing_links": sum(per_page.values())}, findings, per_page


def site_scorer(model: SiteModel) -> TfidfScorer:
    return TfidfScorer(model.links["text"].drop_duplicates())
