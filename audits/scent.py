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
from typing import Any, Protocol

import numpy as np
import pandas as pd

from audits.findability import LinkGraph, TaskPath
from audits.words import ENGLISH_STOPWORDS, Analyzer, analyzer, is_language_switch
from contract.config import Task
from contract.site_model import SiteModel

NEAR = 0.8
MIN_SCENT = 0.15
STOPWORDS = ENGLISH_STOPWORDS
_WORDS = re.compile(r"[a-z0-9]+")


class Scorer(Protocol):
    lexical: bool  # True: a text that shares no word with the query has no scent at all

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """Similarity of each text to the query, 0 (unrelated) to 1 (same meaning)."""


def terms(text: str, lang: str = "en") -> list[str]:
    """Stemmed words (audits/words.py); numbers and codes (any digit) are kept as they are,
    stemming means nothing to them and they are most of a large site's distinct tokens."""
    return analyzer(lang).terms(text)


LABEL_BLOCK = 100_000  # labels split into words at a time: their lists and strings are temporary


def _words(
    labels: list[str], pattern: str = _WORDS.pattern
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word of every label: the label's index, the word's code, and the distinct words.
    A block of labels at a time, so that the temporary lists and strings stay small (a million
    labels at once took 400 MB more)."""
    found_in, codes, uniques = [], [], []
    known = 0
    for first in range(0, len(labels), LABEL_BLOCK):
        block = pd.Series(labels[first : first + LABEL_BLOCK], dtype=object)
        words = block.str.lower().str.findall(pattern).explode().dropna()
        block_codes, block_words = pd.factorize(words.to_numpy())
        found_in.append(words.index.to_numpy(dtype=np.int64) + first)
        codes.append(block_codes + known)
        uniques.append(np.asarray(block_words, dtype=object))
        known += len(block_words)
    if not found_in:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, object)
    word_of, distinct = pd.factorize(np.concatenate(uniques))
    return np.concatenate(found_in), word_of[np.concatenate(codes)], np.asarray(distinct)


def _compound_words(
    words: Analyzer,
    label: np.ndarray,
    word_codes: np.ndarray,
    distinct: np.ndarray,
    known: frozenset[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each compound's known parts as more words of the labels that hold it (audits/words.py):
    a label saying "Afvalkalender" then also holds "afval"."""
    index = {word: i for i, word in enumerate(distinct) if word in known}
    parts_of = {
        i: [index[part] for part in parts]
        for i, word in enumerate(distinct)
        if (parts := words.parts(word, known))
    }
    if not parts_of:
        return label, word_codes, distinct
    split = np.isin(word_codes, list(parts_of))
    more = [
        (held, part)
        for held, code in zip(label[split], word_codes[split], strict=True)
        for part in parts_of[int(code)]
    ]
    more_labels = np.fromiter((m[0] for m in more), dtype=np.int64, count=len(more))
    more_codes = np.fromiter((m[1] for m in more), dtype=np.int64, count=len(more))
    return (
        np.concatenate([label, more_labels]),
        np.concatenate([word_codes, more_codes]),
        distinct,
    )


class Vocabulary:
    """The stemmed words of a list of labels, and for each word the labels that hold it.

    Built with pandas' string methods, a block of labels at a time: a million-page site has a
    million distinct link labels, and a Python set of words per label took 5 s and 300 MB."""

    def __init__(self, labels: Iterable[str], lang: str = "en") -> None:
        self.labels = list(labels)
        self.documents = len(self.labels)
        self.analyzer = analyzer(lang)
        label, word_codes, distinct = _words(self.labels, self.analyzer.pattern.pattern)
        # The words a compound may be made of (none but in German, Dutch, Scandinavian).
        self.known = self.analyzer.known_words(distinct)
        if self.analyzer.compounds:
            label, word_codes, distinct = _compound_words(
                self.analyzer, label, word_codes, distinct, self.known
            )
        stems = [None if w in self.analyzer.stopwords else self.analyzer.stem(w) for w in distinct]
        stem_codes, found_terms = pd.factorize(pd.Series(stems, dtype=object))
        # Fresh copies of the words kept: the ones found sit among millions of words freed
        # at return, and would hold on to that memory (200 MB at a million labels).
        self._terms = pd.Index([t.encode().decode() for t in found_terms], dtype=object)
        term = stem_codes[word_codes] if len(word_codes) else np.zeros(0, dtype=np.int64)
        # Each (term, label) pair once, as one integer, in term order: one sort (np.unique
        # hashes, three times slower over millions).
        width = max(self.documents, 1)
        pairs = np.sort(term[term >= 0] * width + label[term >= 0])
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] if len(pairs) else pairs
        self._holders = (pairs % width).astype(np.int32)
        self._first = np.searchsorted(pairs // width, np.arange(len(self._terms) + 1))

    def query_terms(self, query: str) -> list[str]:
        """The query's terms, its compounds split against the site's words and its own."""
        words = self.analyzer.words(query)
        return self.analyzer.terms(query, self.known | self.analyzer.known_words(words))

    def frequencies(self, wanted: Iterable[str]) -> dict[str, int]:
        """How many labels hold each of the stemmed words `wanted`, in one index lookup:
        scoring thousands of labels one word at a time cost 30 µs a word."""
        words = list(wanted)
        codes = self._terms.get_indexer(words)
        held = np.where(codes >= 0, self._first[codes + 1] - self._first[codes], 0)
        return dict(zip(words, held.tolist(), strict=True))

    def holding(self, wanted: Iterable[str]) -> np.ndarray:
        """Indices of the labels that hold any of the stemmed words `wanted`, ascending."""
        codes = self._terms.get_indexer(list(wanted))
        codes = codes[codes >= 0]
        parts = [self._holders[self._first[c] : self._first[c + 1]] for c in codes]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)


class TfidfScorer:
    """Cosine similarity of TF-IDF vectors over stemmed words."""

    lexical = True

    def __init__(self, corpus: Iterable[str] | Vocabulary, lang: str = "en") -> None:
        self.vocabulary = corpus if isinstance(corpus, Vocabulary) else Vocabulary(corpus, lang)

    def _vector(self, counts: Counter[str], held: dict[str, int]) -> dict[str, float]:
        documents = self.vocabulary.documents
        return {t: n * (math.log((1 + documents) / (1 + held[t])) + 1) for t, n in counts.items()}

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        words: Analyzer = self.vocabulary.analyzer
        known = self.vocabulary.known | words.known_words(words.words(query))
        counts = [Counter(words.terms(text, known)) for text in [query, *texts]]
        held = self.vocabulary.frequencies(set().union(*counts))
        q, *documents = (self._vector(c, held) for c in counts)
        q_norm = math.sqrt(sum(v * v for v in q.values()))
        scores = []
        for d in documents:
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
    role: str = ""  # "" a link; toggle, anchor, placeholder or self (collect.js linkRole)
    href_attr: str = ""


def page_links(model: SiteModel, url: str) -> tuple[str, list[Candidate]]:
    """What a customer can choose from on a page: when it was rendered on desktop, the
    elements shown at load or one menu opening away; else every link the crawl found there."""
    record = model.rendered.get((url, "desktop"))
    if record and record["ok"]:
        return "desktop", [
            Candidate(
                e["href"], e["name"], e["css"], e.get("link_role", ""), e.get("href_attr", "")
            )
            for e in record["elements"]
            if (e["displayed"] or e.get("in_collapsed_menu"))
            and (e["href"].startswith("http") or e.get("link_role"))
        ]
    links = model.links_from(url)
    found = links[links["kind"].isin(["internal", "external"])]
    return "", [
        Candidate(h, t, "") for h, t in zip(found["target_url"], found["text"], strict=True)
    ]


def says_entry(task: Task, text: str) -> bool:
    """The label contains one of the task's own `entry.text` phrases."""
    lowered = text.lower()
    return any(phrase.lower() in lowered for phrase in task.entry.text)


def _best_per_href(candidates: list[Candidate], scores: list[float]) -> dict[str, tuple]:
    best: dict[str, tuple[float, Candidate]] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        if candidate.href not in best or score > best[candidate.href][0]:
            best[candidate.href] = (score, candidate)
    return best


def audit_scent(
    model: SiteModel, graph: LinkGraph, task: Task, path: TaskPath, scorer: Scorer
) -> tuple[dict[str, Any], list[dict[str, Any]], Counter[str]]:
    """competing_links for tasks.csv, the findings, and competing links counted per page.

    Menu toggles lead to what they open and in-page anchors stay on the page: neither leads
    away, and neither does a link back to the page itself or to the start page. A link that
    goes nowhere (placeholder) but reads like the task is its own finding.
    """
    findings: list[dict[str, Any]] = []
    per_page: Counter[str] = Counter()
    query = task_query(task)
    for step in path.steps:
        viewport, candidates = page_links(model, step.source_url)
        # Back to the page itself or to the start page (a logo, "Home", under any of their
        # addresses) is a way back, never a way away from the task.
        back = {step.source_url, graph.start}
        links = [
            c
            for c in candidates
            if not c.role and _page_of(graph, c.href) not in back and not is_language_switch(c.text)
        ]
        best = _best_per_href(links, scorer.score(query, [c.text for c in links]))
        if step.link_url in best:
            right_score = best[step.link_url][0]
        else:  # the link is not among those shown (in a menu that was not opened, say)
            right_score = scorer.score(query, [step.text])[0]
        next_depth = graph.depth(step.source_url) + 1

        def leads_on(href: str, depth: int = next_depth) -> bool:
            node = graph.node_of(href)
            return node in path.on_path and graph.depth(node) == depth

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
        findings += placeholder_findings(task, base, candidates, scorer, query)
        if right_score < MIN_SCENT and not says_entry(task, step.text):
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


def _page_of(graph: LinkGraph, href: str) -> str:
    """The page a link leads to (through redirects and a page's other addresses)."""
    return graph.node_of(href) or href


def placeholder_findings(
    task: Task, base: dict[str, Any], candidates: list[Candidate], scorer: Scorer, query: str
) -> list[dict[str, Any]]:
    """Links that read like the task and do nothing when clicked: a customer clicks, and
    stays where they are. A link to the page itself (the logo on the home page) counts only
    when its label holds one of the task's own phrases: the site's name is not a promise."""
    dead = [c for c in candidates if c.role in ("placeholder", "self") and c.text]
    scores = scorer.score(query, [c.text for c in dead]) if dead else []
    return [
        base
        | {
            "kind": "placeholder_link",
            "severity": "medium",
            "element": c.css,
            "detail": f"'{c.text}' reads like the way to the task (scent {score:.2f}) but goes "
            f"nowhere when clicked (href '{c.href_attr}')",
        }
        for c, score in zip(dead, scores, strict=True)
        if says_entry(task, c.text) or (c.role == "placeholder" and score >= MIN_SCENT)
    ]


def site_scorer(model: SiteModel, kind: str = "lexical") -> Scorer:
    """The config's scent model: lexical (TF-IDF over the site's own link texts) or embedding."""
    if kind == "embedding":
        from audits.semantic_scent import EmbeddingScorer, english_only

        if english_only(model.lang):
            return TfidfScorer(distinct_labels(model.links["text"]), model.lang)

        return EmbeddingScorer()
    return TfidfScorer(distinct_labels(model.links["text"]), model.lang or "en")


def distinct_labels(texts: pd.Series) -> list[str]:
    """Each link label once. A categorical column (read_links) holds them as its categories:
    dropping duplicates of 27 million rows took 4 s."""
    if isinstance(texts.dtype, pd.CategoricalDtype):
        codes = texts.array.codes
        used = np.bincount(codes[codes >= 0], minlength=len(texts.cat.categories)) > 0
        return texts.cat.categories[used].tolist()
    return texts.drop_duplicates().tolist()
