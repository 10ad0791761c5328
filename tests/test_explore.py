"""Issue 34: the audit explores a page the way a person does. On a credit union whose controls
say nothing in their markup (tests/sites/explore.py: handlers delegated to the app's root, a
nameless hamburger, an icon in a <div>, a pop-up for phones), what opens what is found by
pressing, the pop-up is closed first and counted, and each task's entry is the copy a person
reaches with the fewest interactions."""

from __future__ import annotations

import json

import pytest

from tests.conftest import audit_site, read_csv
from tests.sites import explore


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    _, out = audit_site(explore.routes(), explore.TASKS, tmp_path_factory.mktemp("explore"))
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    findings = read_csv(out / "findings.csv")
    records = [json.loads(line) for line in (out / "model" / "rendered.jsonl").open()]
    return tasks, findings, records


def _start(records, viewport):
    return next(r for r in records if r["viewport"] == viewport)  # the start page is first


def test_openers_with_no_markup_of_their_own_are_found_by_pressing(explored):
    tasks, _, _ = explored
    # Phone: × on the pop-up, the <div> icon "Account", then "Log in".
    columns = ["clicks", "interactions_desktop", "interactions_mobile"]
    assert tasks.loc["login", columns].tolist() == ["1", "1", "3"]
    assert tasks.loc["login", "entry_in_collapsed_menu_mobile"] == "true"
    assert tasks.loc["login", "entry_menu_path"].endswith("(×) ▸ Account ▸ Log in")
    # Phone: ×, the nameless button, the ▾ arrow, Bill Pay; desktop: hover Services, Bill Pay.
    row = tasks.loc["bill_pay"]
    assert [row["interactions_desktop"], row["interactions_mobile"]] == ["2", "4"]
    assert row["entry_menu_path"] == (
        "Close pop-up “Download our mobile app: bank on” (×) ▸ unlabelled ▸ ▾ ▸ Bill Pay"
    )


def test_the_pop_up_is_closed_first_and_reported_once_per_page(explored):
    _, findings, records = explored
    phone = _start(records, "mobile")
    assert [(o["closed_by"], o["area_share"] > 0.99) for o in phone["overlays"]] == [("×", True)]
    assert _start(records, "desktop")["overlays"] == []  # shown to phones only; the sticky
    # sidebar is no pop-up either
    modals = findings[findings["kind"] == "modal"]
    assert set(modals["viewport"]) == {"mobile"}
    assert modals.groupby(["page_url", "viewport"]).size().max() == 1  # not again as its backdrop
    assert all("Download our mobile app" in detail for detail in modals["detail"])


def test_every_try_starts_from_the_page_as_loaded(explored):
    """'More' opens a panel that neither its second press nor Escape closes: the page is
    reloaded, and the hover menu tried after it still opens."""
    _, _, records = explored
    desktop = _start(records, "desktop")
    assert desktop["reloads"] >= 1
    names = [edge["name"] for edge in desktop["reveals"]]
    assert "More" in names and "Services" in names


def test_a_dead_call_to_action_is_found_on_every_page_of_a_path(explored):
    _, findings, _ = explored
    dead = findings[findings["kind"] == "dead_control"]
    entry = dead[dead["task_id"] == "open_account"]
    assert set(entry["viewport"]) == {"desktop", "mobile"}
    elsewhere = dead[dead["task_id"] == ""]
    where = elsewhere["page_url"].str.split("/", n=3).str[3]
    assert sorted(zip(where, elsewhere["viewport"], strict=True)) == [
        ("services/bill-pay", "desktop"),
        ("services/bill-pay", "mobile"),
    ]
    assert all("Start a payment" in detail for detail in elsewhere["detail"])
    # A link to "#" dressed as a button, three quarters of a screen below the fold: dead too
    # (the jump to the top it makes is no effect), and reported where it is, not as the logo.
    older = findings[findings["task_id"] == "older_news"]
    assert set(zip(older["kind"], older["viewport"], strict=True)) == {
        ("unreachable", ""),
        ("dead_control", "desktop"),
        ("dead_control", "mobile"),
        ("entry_below_fold", "desktop"),
        ("entry_below_fold", "mobile"),
    }


def test_the_entry_is_the_copy_reached_with_fewest_interactions(explored):
    tasks, findings, _ = explored
    row = tasks.loc["contact"]
    assert [row["entry_region_desktop"], row["entry_region_mobile"]] == ["header", "footer"]
    assert row["interactions_mobile"] == "1"  # the footer's copy: scrolling is no interaction
    mine = findings[findings["task_id"] == "contact"]
    assert set(zip(mine["kind"], mine["viewport"], strict=True)) == {("entry_below_fold", "mobile")}


def test_an_icon_link_is_not_judged_by_a_text_colour(explored):
    _, findings, _ = explored
    search = findings[findings["task_id"] == "search"]
    assert "low_contrast" not in set(search["kind"])


def test_a_tag_holding_the_load_event_does_not_lose_the_page(explored):
    _, _, records = explored
    for record in records:
        assert record["ok"], record["error"]
        assert record["load_event"] is False and record["load_ms"] > 0
