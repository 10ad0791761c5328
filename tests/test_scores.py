"""Scores, predicted time and scent on hand-built inputs: monotone where they must be."""

from __future__ import annotations

import itertools

import pytest

from audits.scent import TfidfScorer
from audits.score import site_score, task_score
from audits.time_on_task import fitts_s, step_s

CASES = list(itertools.product([0, 1, 2, 3, 5], [0.0, 40.0, 100.0], [2.0, 9.0, 30.0], [0.0, 50.0]))


@pytest.mark.parametrize(("steps", "visibility", "seconds", "distraction"), CASES)
def test_more_effort_never_raises_the_score(steps, visibility, seconds, distraction):
    base = task_score(True, steps, visibility, seconds, distraction)
    assert 0 <= base <= 100
    assert task_score(True, steps + 1, visibility, seconds, distraction) <= base
    assert task_score(True, steps, max(0.0, visibility - 30), seconds, distraction) <= base
    assert task_score(True, steps, visibility, seconds + 5, distraction) <= base
    assert task_score(True, steps, visibility, seconds, min(100.0, distraction + 30)) <= base


def test_unreachable_scores_zero_and_budgets_move_the_bar():
    assert task_score(False, None, 100, 1, 0) == 0.0
    assert task_score(True, 3, None, None, None) == 80.0  # one step over the default budget of 2
    assert task_score(True, 3, None, None, None, max_clicks=3) == 100.0
    assert task_score(True, 1, 100, 20, 0, max_time_s=20) == 100.0


def test_site_score_weights_tasks():
    assert site_score({"a": 100.0, "b": 0.0}, {"a": 0.75, "b": 0.25}) == 75.0


def test_fitts_grows_with_distance_and_shrinks_with_size():
    assert fitts_s(800, 20) > fitts_s(100, 20) > fitts_s(100, 200)


def test_step_time_counts_links_scrolling_and_the_menu():
    link = {"index": 0, "href": "h", "x": 600, "y": 300, "width": 100, "height": 40,
            "displayed": True, "covered": False, "in_collapsed_menu": False,
            "css": "a"}  # fmt: skip
    page = {"width": 1366, "height": 768, "elements": [link], "menu_toggle": None}
    near = step_s(page, "h", competing=0)
    below = step_s(page | {"elements": [link | {"y": 1600}]}, "h", competing=0)
    crowded = step_s(page | {"elements": [link] + [link | {"href": "x"}] * 40}, "h", competing=0)
    assert below > near + 1 and crowded > near and step_s(page, "h", competing=1) > near
    assert step_s(page, "missing", competing=0) is None


def test_scent_ranks_the_task_words_first():
    scorer = TfidfScorer(["Home", "Help", "Card offers", "Report a lost card", "Mortgages"] * 3)
    query = "Report a lost or stolen card lost card stolen"
    offers, help_, lost = scorer.score(query, ["Card offers", "Help", "Reporting lost cards"])
    assert lost > offers > help_ == 0.0
