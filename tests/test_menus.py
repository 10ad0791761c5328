"""Issue 14: menus as a tree (nested, hover, inside the hamburger), counted per viewport."""

from __future__ import annotations

import json

import pytest

from tests.conftest import audit_site, read_csv
from tests.sites import menus


@pytest.fixture(scope="module")
def menus_run(tmp_path_factory):
    return audit_site(menus.routes(), menus.TASKS, tmp_path_factory.mktemp("menus"))


def test_interactions_count_every_opening_on_each_viewport(menus_run):
    _, out = menus_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    columns = ["clicks", "interactions_desktop", "interactions_mobile", "interactions"]
    assert tasks.loc["login", columns].tolist() == ["1", "1", "1", "1"]
    assert tasks.loc["lost_card", columns].tolist() == ["1", "3", "2", "3"]
    assert tasks.loc["business_loan", columns].tolist() == ["1", "3", "4", "4"]


def test_tab_stops_and_what_a_keyboard_cannot_reach(menus_run):
    _, out = menus_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks["tab_stops_desktop"].to_dict() == {
        "login": "4",
        "lost_card": "",
        "business_loan": "3",
        "branches": "",
        "rates": "5",
    }
    findings = read_csv(out / "findings.csv")
    keyboard = findings[
        findings["kind"].isin(["entry_not_keyboard_reachable", "focus_not_visible"])
    ]
    found = {(r.task_id, r.kind): r.detail for r in keyboard.itertuples()}
    assert set(found) == {
        ("lost_card", "entry_not_keyboard_reachable"),
        ("branches", "entry_not_keyboard_reachable"),
        ("rates", "focus_not_visible"),
    }
    assert (
        "opens on hover only: Tab reaches 'Personal' after 2 presses"
        in found[("lost_card", "entry_not_keyboard_reachable")]
    )
    assert "never takes focus" in found[("branches", "entry_not_keyboard_reachable")]


def test_entries_in_menus_say_which_menus(menus_run):
    _, out = menus_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "entry_menu_path"] == "Personal ▸ Cards ▸ Lost card"
    assert tasks.loc["business_loan", "entry_menu_path"] == (
        "Menu ▸ Business ▸ Loans ▸ Apply for a business loan"
    )
    assert tasks.loc["lost_card", "entry_in_collapsed_menu_desktop"] == "true"
    assert tasks.loc["login", "entry_in_collapsed_menu_desktop"] == "false"
    assert tasks.loc["login", "entry_above_fold_desktop"] == "true"
    findings = read_csv(out / "findings.csv")
    lost = findings[
        (findings["task_id"] == "lost_card")
        & (findings["viewport"] == "desktop")
        & (findings["kind"] == "entry_in_collapsed_menu")
    ]
    assert lost["detail"].tolist() == [
        "'Lost card' shows only after hovering over Personal ▸ Cards"
    ]


def test_a_page_without_a_mobile_layout_is_judged_as_a_phone_shows_it(tmp_path):
    """Laid out 980 px wide and zoomed out: 'Log in' at the top right is on the first screen,
    only tiny; and the page is not mobile friendly."""
    login_only = menus.TASKS.split("  - id: lost_card")[0]
    _, out = audit_site(menus.legacy_routes(), login_only, tmp_path)
    row = read_csv(out / "tasks.csv").set_index("task_id").loc["login"]
    assert (row["entry_above_fold_desktop"], row["entry_above_fold_mobile"]) == ("true", "true")
    findings = read_csv(out / "findings.csv")
    mobile = findings[findings["viewport"] == "mobile"].set_index("kind")
    assert set(mobile.index) == {"entry_too_small", "not_mobile_friendly"}
    assert "page scale 0.4" in mobile.loc["entry_too_small", "detail"]
    assert "no <meta name=viewport>" in mobile.loc["not_mobile_friendly", "detail"]
    assert findings[findings["viewport"] == "desktop"].empty


def test_the_report_shows_the_entry_inside_its_opened_menu(menus_run):
    _, out = menus_run
    summary = json.loads((out / "summary.json").read_text())
    shots = summary["menu_screenshots"]
    assert set(shots["lost_card"]) == {"desktop", "mobile"}
    assert "login" not in shots  # shown at load: nothing to open
    for name in shots["lost_card"].values():
        assert (out / "screenshots" / name).stat().st_size > 1000
    assert shots["lost_card"]["desktop"] in (out / "report.html").read_text()


def test_the_report_walks_each_task_picture_by_picture(menus_run):
    """Issue 38: each step's page with the control to press numbered, each menu as it opens,
    the target; JPEG files taken during the render, listed in summary.json, lazy in the report."""
    _, out = menus_run
    strips = json.loads((out / "summary.json").read_text())["filmstrips"]
    desktop, mobile = strips["lost_card"]["desktop"], strips["lost_card"]["mobile"]
    assert [p["kind"] for p in desktop] == ["page", "menu", "menu", "target"]
    assert [p["caption"].split(": ", 1)[-1] for p in desktop[:3]] == [
        "press 1 “Personal”",
        "press 2 “Cards”",
        "press 3 “Lost card”",
    ]
    assert [p["interactions"] for p in desktop[:3]] == [3, 3, 3]  # tasks.csv's count
    assert desktop[-1]["caption"].startswith("Target page: ")
    assert [p["kind"] for p in mobile] == ["page", "menu", "target"]
    assert [p["kind"] for p in strips["login"]["desktop"]] == ["page", "target"]
    assert all(p["load_ms"] is not None for p in desktop)
    report = (out / "report.html").read_text()
    for picture in desktop + mobile:
        data = (out / "screenshots" / picture["file"]).read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and len(data) < 250_000  # a JPEG, compressed
        assert f'href="screenshots/{picture["file"]}"' in report
    assert 'id="strip-lost_card-desktop"' in report and 'loading="lazy"' in report


def test_a_bare_list_item_that_opens_on_hover_is_an_opener(tmp_path):
    """Issue 24: `nav li:hover ul` with nothing to click in the <li>: hover, then click."""
    from tests.sites import legacy

    _, out = audit_site(legacy.routes(), legacy.TASKS, tmp_path)
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "interactions_desktop"] == "2"
    assert tasks.loc["lost_card", "entry_menu_path"] == "Personal ▸ Lost or stolen card"
    assert tasks.loc["loans", "interactions_desktop"] == "2"
    assert tasks.loc["lost_card", "interactions_mobile"] == "1"  # stacked, shown at load
    findings = read_csv(out / "findings.csv")
    hidden = findings[(findings["kind"] == "entry_hidden")]
    assert hidden.empty, hidden[["task_id", "viewport", "detail"]].to_string()
