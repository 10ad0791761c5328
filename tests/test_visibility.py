"""The visibility audit on hand-built rendered pages: no browser, exact answers."""

from __future__ import annotations

import pytest

from audits.findability import audit_findability
from audits.visibility import above_the_fold, audit_visibility, best_instance, contrast_ratio
from contract.config import Task
from contract.site_model import SiteModel

S = "http://s/"
LOGIN = Task(id="login", name="Log in", entry={"text": ["log in"]}, target={"url": "/login$"})


def element(href: str, index: int, **extra) -> dict:
    base = {
        "index": index, "tag": "a", "role": "", "name": "Log in", "href": href,
        "x": 10, "y": 10, "width": 80, "height": 30, "displayed": True, "covered": False,
        "in_collapsed_menu": False, "color": "rgb(0, 0, 0)", "background": "rgb(255, 255, 255)",
        "region": "header", "css": f"a:nth-of-type({index})", "font_size": 16,
    }  # fmt: skip
    return base | extra


def record(viewport: str, elements: list[dict], url: str = S) -> dict:
    height = {"desktop": 768, "mobile": 844}[viewport]
    return {
        "url": url, "viewport": viewport, "ok": True, "error": "", "width": 390,
        "height": height, "load_ms": 100.0, "elements": elements,
    }  # fmt: skip


def site(rendered: list[dict]) -> SiteModel:
    pages = [
        {"url": S, "final_url": S, "status": 200, "depth": 0},
        {
            "url": S + "login",
            "final_url": S + "login",
            "status": 200,
            "depth": 1,
            "targets": ["login"],
        },
    ]
    links = [{"source_url": S, "target_url": S + "login", "text": "Log in"}]
    return SiteModel.from_records(S, pages, links, rendered)


def run(rendered: list[dict]) -> tuple[dict, list[dict]]:
    model = site(rendered)
    path = audit_findability(model, [LOGIN])["login"]
    return audit_visibility(model, LOGIN, path, ["desktop", "mobile"])


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [
        ("rgb(0, 0, 0)", "rgb(255, 255, 255)", 21.0),
        ("rgb(255, 255, 255)", "rgb(255, 255, 255)", 1.0),
        ("rgb(119, 119, 119)", "rgb(255, 255, 255)", 4.48),
        ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)", 1.0),
    ],
)
def test_contrast_ratio_follows_wcag(fg, bg, ratio):
    assert contrast_ratio(fg, bg) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize(
    ("extra", "above"),
    [
        ({}, True),
        ({"y": 700}, True),
        ({"y": 800}, False),
        ({"covered": True}, False),
        ({"displayed": False}, False),
        ({"in_collapsed_menu": True}, False),
        ({"x": -9999}, False),
    ],
)
def test_above_the_fold_rules(extra, above):
    page = record("desktop", [])
    assert above_the_fold(element(S + "login", 0, **extra), page) is above


def test_best_instance_prefers_the_one_a_customer_sees():
    hidden = element(S + "login", 0, displayed=False)
    in_menu = element(S + "login", 1, displayed=False, in_collapsed_menu=True)
    low = element(S + "login", 2, y=2000)
    page = record("desktop", [hidden, in_menu, low])
    assert best_instance(page, S + "login")["index"] == 2
    page = record("desktop", [hidden, in_menu])
    assert best_instance(page, S + "login")["index"] == 1
    assert best_instance(page, S + "nowhere") is None


def test_collapsed_menu_on_mobile_costs_an_interaction():
    desktop = record("desktop", [element(S + "login", 0)])
    mobile = record("mobile", [element(S + "login", 0, displayed=False, in_collapsed_menu=True)])
    fields, findings = run([desktop, mobile])
    assert fields["entry_above_fold_desktop"] is True
    assert fields["entry_above_fold_mobile"] is False
    assert fields["entry_in_collapsed_menu_mobile"] is True
    assert fields["interactions"] == 2 and fields["entry_area_px_desktop"] == 2400
    assert [(f["viewport"], f["kind"]) for f in findings] == [("mobile", "entry_in_collapsed_menu")]


def test_losing_the_fold_never_raises_the_score():
    visible = [element(S + "other", 0, name="Other"), element(S + "login", 1)]
    both, _ = run([record("desktop", visible), record("mobile", visible)])
    low = [visible[0], element(S + "login", 1, y=900)]
    one, _ = run([record("desktop", visible), record("mobile", low)])
    none, _ = run([record("desktop", low), record("mobile", low)])
    assert both["visibility_score"] > one["visibility_score"] > none["visibility_score"]
    # fold 60, size 10, rank 10 * (1 - 1/30) with one element before it, contrast 10, label 10
    assert both["visibility_score"] == pytest.approx(60 + 10 + 10 * 29 / 30 + 10 + 10, abs=0.05)


def test_unrendered_start_page_leaves_visibility_empty():
    assert run([]) == ({}, [])


def test_a_dead_button_is_found_on_the_phone_behind_an_earlier_hamburger():
    """Buttons have no href: the entry must be the labelled button, not the first button."""
    quote = Task(
        id="quote", name="Get a quote", entry={"text": ["get a quote"]}, target={"url": "/quote$"}
    )
    css = "main > button.btn-quote"
    menu = element("", 0, tag="button", name="Toggle navigation", css="button.navbar-toggler")
    button = element("", 5, tag="button", name="Get a quote", y=400, css=css)
    pages = {
        vp: record(vp, [menu, button]) | {"dead_controls": [{"css": css, "name": "Get a quote"}]}
        for vp in ("desktop", "mobile")
    }
    start = [{"url": S, "final_url": S, "status": 200, "depth": 0}]
    model = SiteModel.from_records(S, start, [], list(pages.values()))
    path = audit_findability(model, [quote])["quote"]
    _, findings = audit_visibility(model, quote, path, ["desktop", "mobile"])
    dead = [f["viewport"] for f in findings if f["kind"] == "dead_control"]
    assert dead == ["desktop", "mobile"]
