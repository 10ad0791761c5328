"""What to fix first: gains recomputed from the tasks' own figures, largest first."""

from __future__ import annotations

from audits.fixes import fix_rows


def task(task_id: str, **overrides) -> dict:
    row = {
        "task_id": task_id,
        "weight": 0.5,
        "reachable": True,
        "clicks": 1,
        "interactions_desktop": 1,
        "interactions_mobile": 2,
        "visibility_score": 70.0,
        "est_time_s": 5.0,
        "distraction_score": 28.0,
        "entry_above_fold_desktop": True,
        "entry_above_fold_mobile": False,
        "path": f"https://bank.example/ > https://bank.example/{task_id}",
    }
    return row | overrides


def finding(kind: str, task_id: str = "", **overrides) -> dict:
    base = {"task_id": task_id, "page_url": "https://bank.example/", "viewport": "mobile"}
    return base | {"kind": kind, "element": "", "detail": kind, "area_share": None} | overrides


BUDGETS = {"login": (1, None), "pay": (None, None), "gone": (None, None)}


def test_each_fix_is_weighed_by_what_it_changes_in_the_score():
    tasks = [task("login"), task("pay"), task("gone", reachable=False, clicks=None)]
    findings = [
        finding("entry_in_collapsed_menu", "login"),  # +30 visibility, one opening less
        finding("carousel", area_share=0.4),  # 28 distraction points off both tasks
        finding("weak_scent", "pay"),  # not in the score: no gain, not listed
        finding("unreachable", "gone", page_url=""),
    ]
    rows = fix_rows(tasks, findings, BUDGETS)
    assert [r["kind"] for r in rows] == ["unreachable", "entry_in_collapsed_menu", "carousel"]
    assert rows[0]["site_score_gain"] is None  # first, however large: no score exists yet
    menu, carousel = rows[1], rows[2]
    assert menu["task_ids"] == "login" and carousel["task_ids"] == "login pay"
    # login: findability 100 -> 100 within budget 1 after the opening goes (2 -> 1 interactions:
    # +20 x 0.35); visibility 70 -> 100 (+30 x 0.30); over the sum of weights 1.5
    assert menu["site_score_gain"] == round((0.35 * 20 + 0.30 * 30) * 0.5 / 1.5, 2)
    assert carousel["site_score_gain"] == round(2 * 0.15 * 28 * 0.5 / 1.5, 2)
    assert [r["rank"] for r in rows] == [1, 2, 3]


def test_a_path_over_budget_gains_from_one_click_fewer():
    rows = fix_rows(
        [task("pay", clicks=4, interactions_desktop=4, interactions_mobile=4)], [], BUDGETS
    )
    assert [(r["kind"], r["task_ids"]) for r in rows] == [("path", "pay")]
    assert rows[0]["site_score_gain"] == round(0.35 * 20, 2)  # 4 -> 3 against a budget of 2


def test_one_problem_on_several_tasks_pages_and_viewports_is_one_item():
    """A newsletter pop-up on every page (its empty backdrop beside it) and one entry below the
    fold for three tasks: two items, each with every task it touches, each with a name."""
    tasks = [task("login"), task("pay"), task("lost", path="https://bank.example/help")]
    budgets = BUDGETS | {"lost": (None, None)}
    words = "modal: 'Stay in the loop Sign up for our newsletter'"
    findings = [
        finding("modal", element="body > div.dialog", detail=words, area_share=0.3),
        finding("modal", element="body > div.backdrop", detail="modal: ''", area_share=0.9),
        finding("modal", viewport="desktop", element="body > div.dialog", detail=words,
                area_share=0.2),
        finding("modal", page_url="https://bank.example/help", element="body > div.dialog",
                detail=words, area_share=0.3),
    ] + [
        finding("entry_below_fold", t, element="main > a", detail="'Help' starts at 853 px")
        for t in ("login", "pay", "lost")
    ]  # fmt: skip
    rows = fix_rows(tasks, findings, budgets)
    assert sorted((r["kind"], r["task_ids"]) for r in rows) == [
        ("entry_below_fold", "login lost pay"),
        ("modal", "login lost pay"),
    ]
    modal = next(r for r in rows if r["kind"] == "modal")
    assert (
        modal["problem"].startswith("modal: 'Stay in the loop")
        and "(on 2 pages)" in modal["problem"]
    )
    assert modal["viewport"] == "desktop, mobile" and modal["element"] == "body > div.dialog"
    assert all(r["problem"] and "''" not in r["problem"] for r in rows)


def test_a_pop_up_with_no_words_is_named_by_its_place():
    rows = fix_rows(
        [task("login")],
        [finding("modal", element="body > div", detail="modal: ''", area_share=0.5)],
        BUDGETS,
    )
    assert rows[0]["problem"] == "modal: no words of its own (body > div)"
