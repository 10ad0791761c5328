"""Predicted success: simulated customers who follow information scent, as Bloodhound did
(Chi et al., CHI 2003: simulated users choosing links in proportion to their scent towards the
goal, checked against 244 people on four sites).

The shortest path says what is possible; this says what customers are likely to do. Each
customer stands on a page and picks one of the links it can see, with a chance that rises with
the scent of the link's label towards the task (and falls with every menu to open or scroll
needed to reach it), or goes back when nothing on the page smells right; after `max_clicks`
actions it gives up. All customers of a task move at once, as numpy arrays over the link graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from audits.findability import LinkGraph
from audits.scent import Scorer, Vocabulary, task_query
from audits.visibility import above_the_fold, best_instance, openings_needed
from contract.config import Task
from contract.site_model import SiteModel

RANDOM_PICK = 0.02  # a link with no scent at all is still clicked now and then
BACK_SCENT = 0.1  # going back weighs like a link of this scent: below it, customers retreat
LEAVE_SCENT = 0.05  # leaving the site weighs like a link this weak, on every page: every
# action a task needs is a chance to give up, as information foraging has people leave a patch
ACTION_COST = 0.5  # each menu to open or scroll to reach a link halves the chance it is taken
UNSEEN = 0.25  # a link in the HTML that the rendered page did not show
TRAP_SHARE = 0.1  # a link that draws at least this share of customers astray is a finding
ASTRAY_SHOWN = 3  # links per task the report names as leading customers astray
BACK, LEAVE = -1, -2  # the destinations of the "go back" and "give up" choices
WALKING, GAVE_UP = -1, -2


@dataclass(frozen=True)
class Prediction:
    success: float  # share of customers who reached a target within the click limit
    clicks_median: float | None  # of those who did
    astray: list[tuple[str, str, str, float]] = field(default_factory=list)
    # (page, link label, link URL, share of customers whose first wrong turn it was), largest first


class LabelScents:
    """Each distinct link label's words, once per site: with the lexical scorer a task's scent
    is then computed only for labels that share a word with it (all others have none)."""

    def __init__(
        self, labels: Sequence[str], known: Vocabulary | None = None, lang: str = "en"
    ) -> None:
        """`known`: the scorer's vocabulary, used when its labels begin these (the same
        distinct labels): a million labels' words are then not split a second time."""
        self.labels = list(labels)
        if known is not None and known.labels == self.labels[: len(known.labels)]:
            self.vocabulary = known
        else:
            self.vocabulary = Vocabulary(self.labels, known.analyzer.lang if known else lang)

    def towards(self, task: Task, scorer: Scorer) -> np.ndarray:
        query = task_query(task)
        if scorer.lexical:
            related = self.vocabulary.holding(self.vocabulary.query_terms(query))
        else:  # a meaning-aware scorer finds scent in labels with no word of the task
            related = np.arange(len(self.labels))
        scents = np.zeros(len(self.labels))
        if len(related):
            scents[related] = scorer.score(query, [self.labels[i] for i in related])
        return scents


@dataclass
class SiteWalk:
    """The link graph as arrays the customers walk: every link between pages that answered,
    sorted by the page it is on, its label's code, and per rendered viewport how much effort
    the links of rendered pages cost (every other link costs nothing extra)."""

    graph: LinkGraph
    src: np.ndarray
    dst: np.ndarray
    label: np.ndarray  # per row of `model.links`: index into `scents.labels` (-1: the last)
    row: np.ndarray  # the link's row in `model.links` (its URL, for findings)
    links: pd.DataFrame
    scents: LabelScents
    effort: dict[str, tuple[np.ndarray, np.ndarray]]  # viewport -> (links, factor), by link

    @classmethod
    def of(
        cls,
        model: SiteModel,
        graph: LinkGraph,
        viewports: Sequence[str],
        vocabulary: Vocabulary | None = None,
    ) -> SiteWalk:
        src, dst = graph.edge_codes()  # self-links stay (no copies); _pick never takes them
        row = graph.edge_rows()
        # Labels coded once for the whole link table: object arrays of 3 million labels and
        # URLs would cost about 300 MB at 100,000 pages (bench/audit_phase.py).
        codes, labels = label_codes(model.links["text"])
        effort = {vp: _effort(model, graph, row, vp) for vp in viewports}
        scents = LabelScents(labels, vocabulary)
        return cls(graph, src, dst, codes, row, model.links, scents, effort)

    def effort_of(self, viewport: str, links: np.ndarray) -> np.ndarray:
        """The effort factor of each of `links` on `viewport` (1 for a page not rendered)."""
        rendered, factor = self.effort[viewport]
        if len(rendered) == 0:
            return np.ones(len(links))
        at = np.minimum(np.searchsorted(rendered, links), len(rendered) - 1)
        return np.where(rendered[at] == links, factor[at], 1.0)

    def link_url(self, link: int) -> str:
        return str(self.links["target_url"].iat[self.row[link]])


def label_codes(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each link's label as a code into the list of distinct labels. A categorical column (as
    read_links gives) already is one, used as it is (no copy of 27 million codes): its missing
    label, -1, picks the empty label appended last."""
    if isinstance(texts.dtype, pd.CategoricalDtype):
        return texts.array.codes, [*texts.cat.categories, ""]
    codes, uniques = pd.factorize(texts.fillna(""))
    return codes.astype(np.int32), list(uniques)


def _effort(
    model: SiteModel, graph: LinkGraph, rows: np.ndarray, viewport: str
) -> tuple[np.ndarray, np.ndarray]:
    """ACTION_COST per menu opening (and one for a link below the fold) on rendered pages."""
    walk_offsets = graph.edge_offsets()
    links: list[int] = []
    factors: list[float] = []
    targets = model.links["target_url"]
    for (url, vp), record in model.rendered.items():
        code = graph.code_of(url)
        if vp != viewport or not record.get("ok") or code is None:
            continue
        first, last = walk_offsets[code], walk_offsets[code + 1]  # links sorted by source
        shown = targets.iloc[rows[first:last]].tolist()  # only rendered pages' links
        for i, url in zip(range(first, last), shown, strict=True):
            element = best_instance(record, url)
            links.append(i)
            if element is None or not (element["displayed"] or element["in_collapsed_menu"]):
                factors.append(UNSEEN)
                continue
            scroll = not element["in_collapsed_menu"] and not above_the_fold(element, record)
            factors.append(ACTION_COST ** (openings_needed(element) + scroll))
    order = np.argsort(links, kind="stable")
    return np.asarray(links, dtype=np.int64)[order], np.asarray(factors)[order]


def _pick(
    walk: SiteWalk,
    scent: np.ndarray,
    viewport: str | None,
    at: np.ndarray,
    start: int,
    chance: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One choice for each customer standing on the pages `at`: one of the page's links (by
    weight), going back or giving up, by inverse CDF over that page's choices alone (`chance`
    uniform in [0, 1)). Returns the page each goes to (or BACK, LEAVE) and the link taken.

    Only the pages customers stand on are weighed: a million-page site's 29 million links
    sorted and weighed once per task took 20 s and 2 GB."""
    offsets = walk.graph.edge_offsets()  # a page's links are offsets[page]:offsets[page + 1]
    first, last = offsets[at], offsets[at + 1]
    count = last - first
    owner = np.repeat(np.arange(len(at)), count)
    starts = np.cumsum(count) - count
    links = np.arange(count.sum()) - np.repeat(starts - first, count)
    weights = RANDOM_PICK + scent[walk.label[walk.row[links]]]
    if viewport is not None:
        weights *= walk.effort_of(viewport, links)
    weights[walk.dst[links] == at[owner]] = 0.0  # a link to the page itself goes nowhere
    running = np.cumsum(weights)
    before = np.concatenate([[0.0], running])[starts]  # the weight of earlier customers' links
    link_total = np.bincount(owner, weights=weights, minlength=len(at))
    back = np.where(at != start, BACK_SCENT + RANDOM_PICK, 0.0)
    wanted = chance * (link_total + back + LEAVE_SCENT)
    passed = np.bincount(
        owner, weights=(running - before[owner]) <= wanted[owner], minlength=len(at)
    ).astype(np.int64)
    on_link = passed < count
    link = np.full(len(at), -1, dtype=np.int64)
    link[on_link] = links[(starts + passed)[on_link]]
    to = np.where(wanted < link_total + back, BACK, LEAVE)
    to[on_link] = walk.dst[link[on_link]]
    return to, link


def simulate(
    walk: SiteWalk,
    task: Task,
    scorer: Scorer,
    viewport: str | None,
    customers: int = 1000,
    max_clicks: int = 10,
    seed: int = 0,
) -> Prediction:
    """`customers` customers from the start page, seeded: the same model gives the same shares."""
    graph = walk.graph
    goals = np.array(
        sorted(c for t in graph.targets_of.get(task.id, ()) if (c := graph.code_of(t)) is not None),
        dtype=np.int64,
    )
    start = graph.code_of(graph.start) if graph.start else None
    if start is None or len(goals) == 0:
        return Prediction(0.0, None)
    is_goal = np.zeros(len(graph.nodes), dtype=bool)
    is_goal[goals] = True
    if is_goal[start]:
        return Prediction(1.0, 0.0)
    scent = walk.scents.towards(task, scorer)
    closer = graph.distances_to(goals)
    rng = np.random.default_rng(seed)
    here = np.full(customers, start, dtype=np.int64)
    trail = np.full((customers, max_clicks + 1), -1, dtype=np.int64)
    depth = np.zeros(customers, dtype=np.int64)
    done_at = np.full(customers, WALKING, dtype=np.int64)  # the click that reached a goal
    first_wrong = np.full(customers, -1, dtype=np.int64)
    walking = np.arange(customers)
    for click in range(1, max_clicks + 1):
        if len(walking) == 0:
            break
        at = here[walking]
        to, link = _pick(walk, scent, viewport, at, start, rng.random(len(walking)))
        wrong = (link >= 0) & _not_closer(closer, at, to) & (first_wrong[walking] < 0)
        first_wrong[walking[wrong]] = link[wrong]
        done_at[walking[to == LEAVE]] = GAVE_UP
        back = to == BACK
        backing = walking[back]
        depth[backing] = np.maximum(depth[backing] - 1, 0)
        here[backing] = np.where(
            trail[backing, depth[backing]] >= 0, trail[backing, depth[backing]], start
        )
        forward = to >= 0
        going = walking[forward]
        trail[going, depth[going]] = here[going]
        depth[going] += 1
        here[going] = to[forward]
        arrived = going[is_goal[here[going]]]
        done_at[arrived] = click
        walking = walking[done_at[walking] == WALKING]
    succeeded = done_at > 0
    median = float(np.median(done_at[succeeded])) if succeeded.any() else None
    return Prediction(float(succeeded.mean()), median, _astray(walk, first_wrong, succeeded))


def _not_closer(closer: np.ndarray, at: np.ndarray, to: np.ndarray) -> np.ndarray:
    """A step that does not bring the customer nearer a goal (from a page where one could)."""
    return (closer[at] > 0) & ((closer[to] < 0) | (closer[to] >= closer[at]))


def _astray(
    walk: SiteWalk, first_wrong: np.ndarray, succeeded: np.ndarray
) -> list[tuple[str, str, str, float]]:
    """The links that first led the customers who failed away from the goal, by share."""
    lost = first_wrong[(~succeeded) & (first_wrong >= 0)]
    if len(lost) == 0:
        return []
    links, counts = np.unique(lost, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return [
        (
            walk.graph.nodes[walk.src[link]],
            walk.scents.labels[walk.label[walk.row[link]]],
            walk.link_url(link),
            float(count / len(first_wrong)),
        )
        for link, count in zip(links[order], counts[order], strict=True)
    ]


def predicted_fields(predictions: dict[str | None, Prediction]) -> dict[str, Any]:
    """tasks.csv: `predicted_success` is the harder viewport's, as `interactions` is."""
    fields: dict[str, Any] = {}
    for viewport, prediction in predictions.items():
        if viewport is not None:
            fields[f"predicted_success_{viewport}"] = round(prediction.success, 3)
    worst = min(predictions.values(), key=lambda p: p.success)
    fields["predicted_success"] = round(worst.success, 3)
    fields["predicted_clicks_median"] = worst.clicks_median
    fields["astray"] = [  # for summary.json and the report, not a tasks.csv column
        {"page_url": page, "label": label, "link_url": url, "share": round(share, 3)}
        for page, label, url, share in worst.astray[:ASTRAY_SHOWN]
        if share >= 0.01
    ]
    return fields


def scent_trap_findings(task: Task, predictions: dict[str | None, Prediction]) -> list[dict]:
    """One finding per task: the link that draws the largest share of customers astray."""
    worst_viewport, worst = min(predictions.items(), key=lambda item: item[1].success)
    if not worst.astray or worst.astray[0][3] < TRAP_SHARE:
        return []
    page, label, url, share = worst.astray[0]
    return [
        {
            "task_id": task.id,
            "page_url": page,
            "viewport": worst_viewport or "",
            "kind": "scent_trap",
            "severity": "high" if share >= 3 * TRAP_SHARE else "medium",
            "element": url,
            "detail": f"{share:.0%} of simulated customers first went astray through "
            f"'{label}'; {worst.success:.0%} reached the task",
            "area_share": None,
        }
    ]
