"""Simulated customers on small hand-built site models: shares worked out by hand, seeded runs."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from audits.findability import LinkGraph
from audits.scent import TfidfScorer
from audits.simulation import (
    BACK_SCENT,
    LEAVE_SCENT,
    RANDOM_PICK,
    SiteWalk,
    predicted_fields,
    scent_trap_findings,
    simulate,
)
from contract.config import Task
from tests.test_findability import S, model

LOST_CARD = Task(id="t", name="Report a lost card", target={"url": "/lost$"})


class FixedScents:
    """Scents decided by the test (label -> scent), so that each share can be worked out."""

    lexical = True  # as the site's scorer: a label with no word of the task is not scored

    def __init__(self, scents: dict[str, float]) -> None:
        self.scents = scents

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        return [self.scents.get(text, 0.0) for text in texts]


def walk_of(pages: dict, links: list[tuple[str, str, str]]) -> SiteWalk:
    site = model(pages, links)
    return SiteWalk.of(site, LinkGraph(site), [])


# The start page offers the lost-card page, a card offers page and help; the two last are dead
# ends, where the only choice is to go back. Every label shares the word "card" or "lost", so
# each is scored (a label with no word of the task has no scent at all).
PAGES = {"": {}, "lost": {"targets": ["t"]}, "offers": {}, "help": {}}
LINKS = [("", "lost", "Lost card"), ("", "offers", "Card offers"), ("", "help", "Lost? Help")]
SCENTS = FixedScents({"Lost card": 0.8, "Card offers": 0.3, "Lost? Help": 0.0})


def first_pick() -> float:
    weights = [RANDOM_PICK + s for s in (0.8, 0.3, 0.0)] + [LEAVE_SCENT]
    return weights[0] / sum(weights)  # 0.82 / 1.21


def wrong_pick() -> float:
    return (1.16 - 0.82) / 1.21  # offers or help


def back_from_dead_end() -> float:
    back = BACK_SCENT + RANDOM_PICK
    return back / (back + LEAVE_SCENT)


@pytest.mark.parametrize(
    ("max_clicks", "expected"),
    [
        (1, first_pick()),  # the first click, or nothing
        (2, first_pick()),  # a wrong first click needs the second to come back
        # one more try for those who did not give up: a dead end's choices are back or leave
        (3, first_pick() * (1 + wrong_pick() * back_from_dead_end())),
    ],
)
def test_success_share_matches_the_hand_worked_chance(max_clicks, expected):
    walk = walk_of(PAGES, LINKS)
    found = simulate(walk, LOST_CARD, SCENTS, None, customers=20_000, max_clicks=max_clicks)
    sigma = math.sqrt(expected * (1 - expected) / 20_000)
    assert found.success == pytest.approx(expected, abs=4 * sigma)


def test_a_seeded_run_is_reproducible_and_another_seed_differs():
    walk = walk_of(PAGES, LINKS)
    runs = [simulate(walk, LOST_CARD, SCENTS, None, 1000, 3, seed=s) for s in (1, 1, 2)]
    assert runs[0] == runs[1]
    assert runs[0].success != runs[2].success


def test_where_customers_go_astray_and_the_scent_trap_finding():
    walk = walk_of(PAGES, LINKS)
    found = simulate(walk, LOST_CARD, SCENTS, None, customers=20_000, max_clicks=2)
    page, label, url, share = found.astray[0]
    assert (page, label, url) == (S, "Card offers", S + "offers")
    assert share == pytest.approx(0.32 / 1.21, abs=0.015)  # all who went there failed
    assert found.clicks_median == 1.0
    (finding,) = scent_trap_findings(LOST_CARD, {None: found})
    assert finding["kind"] == "scent_trap" and finding["severity"] == "medium"
    assert "'Card offers'" in finding["detail"] and finding["element"] == S + "offers"


def test_going_back_weighs_like_a_weak_link():
    """From a page of unrelated links, most customers come back rather than wander on."""
    pages = {"": {}, "help": {}, "lost": {"targets": ["t"]}, "x": {}, "y": {}}
    links = [("", "help", "Lost?"), ("help", "x", "X"), ("help", "y", "Y"), ("", "lost", "Lost")]
    walk = walk_of(pages, links)
    scents = FixedScents({"Lost?": 0.5, "Lost": 0.5})
    found = simulate(walk, LOST_CARD, scents, None, customers=20_000, max_clicks=3)
    link = (0.5 + RANDOM_PICK) / (2 * (0.5 + RANDOM_PICK) + LEAVE_SCENT)  # each, at the start
    back_weight = BACK_SCENT + RANDOM_PICK
    back = back_weight / (back_weight + 2 * RANDOM_PICK + LEAVE_SCENT)  # at /help: X, Y, leave
    # Succeed at click 1, or help -> back -> lost.
    assert found.success == pytest.approx(link + link * back * link, abs=0.015)


def test_unreachable_is_zero_and_a_target_start_is_one():
    unreachable = walk_of({"": {}, "a": {}, "lost": {"targets": ["t"]}}, [("", "a", "A")])
    assert simulate(unreachable, LOST_CARD, SCENTS, None).success == 0.0
    at_start = walk_of({"": {"targets": ["t"]}}, [])
    assert simulate(at_start, LOST_CARD, SCENTS, None).success == 1.0


def test_a_strong_direct_link_beats_one_behind_a_competing_link():
    """Validity: with the site's own (lexical) scent, the task with a clear link predicts
    better than the one whose way in sits beside a more tempting wrong link."""
    pages = {
        "": {},
        "bills": {"targets": ["bill"]},
        "help": {},
        "offers": {},
        "lost": {"targets": ["t"]},
    }
    links = [
        ("", "bills", "Pay a bill"),
        ("", "offers", "Card offers and lost rewards"),
        ("", "help", "Help"),
        ("help", "lost", "Report a lost card"),
    ]
    site = model(pages, links)
    walk = SiteWalk.of(site, LinkGraph(site), [])
    scorer = TfidfScorer(text for _, _, text in links)
    bill = Task(id="bill", name="Pay a bill", target={"url": "/bills$"})
    paid = simulate(walk, bill, scorer, None)
    lost = simulate(walk, LOST_CARD, scorer, None)
    assert paid.success > lost.success > 0
    fields = predicted_fields({None: lost})
    assert fields["predicted_success"] == round(lost.success, 3)
