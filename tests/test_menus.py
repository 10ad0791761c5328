"""Issue 14: menus as a tree (nested, hover, inside the hamburger), counted per viewport."""

from __future__ import annotations

import pytest

from tests.conftest import read_csv, toptasks
from tests.sites import menus
from tests.sites.server import FixtureSite


@pytest.fixture(scope="module")
def menus_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("menus")
    (tmp / "tasks.yaml").write_text(menus.TASKS)
    with FixtureSite(menus.routes()) as site:
        args = ("audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / "run")
        done = toptasks(*args, "--no-throttle", "--page-timeout", "10")
    assert done.returncode == 0, done.stderr
    return site, tmp / "run"


def test_interactions_count_every_opening_on_each_viewport(menus_run):
    _, out = menus_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    columns = ["clicks", "interactions_desktop", "interactions_mobile", "interactions"]
    assert tasks.loc["login", columns].tolist() == ["1", "1", "1", "1"]
    assert tasks.loc["lost_card", columns].tolist() == ["1", "3", "2", "3"]
    assert tasks.loc["business_loan", columns].tolist() == ["1", "3", "4", "4"]


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
    lost = findings[(findings["task_id"] == "lost_card") & (findings["viewport"] == "desktop")]
    assert lost["detail"].tolist() == [
        "'Lost card' shows only after hovering over Personal ▸ Cards"
    ]
