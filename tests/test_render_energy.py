"""Render the Brightwater fixture in the real Chromium at desktop and mobile size."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tests.conftest import read_csv, toptasks
from tests.sites import energy
from tests.sites.server import FixtureSite

TASKS = Path(__file__).parent / "sites" / "energy.yaml"


@pytest.fixture(scope="module")
def energy_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("energy") / "run"
    with FixtureSite(energy.routes()) as site:
        args = ("audit", site.url, "--tasks", TASKS, "--out", out, "--no-throttle")
        done = toptasks(*args, "--page-timeout", "3")
        assert done.returncode == 0, done.stderr
        yield site, out


def test_visibility_booleans_on_both_viewports(energy_run):
    _, out = energy_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    columns = [
        "entry_above_fold_desktop",
        "entry_above_fold_mobile",
        "entry_in_collapsed_menu_mobile",
    ]
    expected = {
        "login": ["true", "false", "true"],  # header button on desktop, hamburger on mobile
        "quote": ["false", "false", "false"],  # below the fold
        "moving": ["false", "false", "false"],  # covered by the pop-up at load
        "pay": ["true", "true", "false"],  # visible, if hard to read
        "outage": ["true", "false", "true"],  # built by a script into the menu
    }
    for task_id, values in expected.items():
        assert tasks.loc[task_id, columns].tolist() == values, task_id
    assert tasks.loc["login", "interactions"] == "2" and tasks.loc["login", "clicks"] == "1"
    assert tasks.loc["quote", "interactions"] == "1"


def test_a_server_rendered_site_keeps_the_http_crawl(energy_run):
    """The start page adds its outage link by script; that is one link, not an app shell."""
    _, out = energy_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary["crawl_mode"] == "http"
    assert summary["crawl_mode_reason"].startswith("served as HTML")
    figures = summary["crawl_mode_figures"]
    assert figures["rendered_links"] - figures["html_links"] == 1
    assert figures["app_root"] == ""


def test_visibility_score_ranks_the_obvious_above_the_hidden(energy_run):
    _, out = energy_run
    scores = read_csv(out / "tasks.csv").set_index("task_id")["visibility_score"].astype(float)
    assert scores["pay"] > scores["login"] > scores["quote"]
    assert scores["outage"] > scores["moving"]
    assert all(0 <= s <= 100 for s in scores)


def test_findings_say_why_an_entry_is_not_seen(energy_run):
    _, out = energy_run
    findings = read_csv(out / "findings.csv")
    kinds = set(zip(findings["task_id"], findings["viewport"], findings["kind"], strict=True))
    assert ("login", "mobile", "entry_in_collapsed_menu") in kinds
    assert ("moving", "desktop", "entry_covered") in kinds
    assert ("quote", "mobile", "entry_below_fold") in kinds
    assert ("pay", "desktop", "low_contrast") in kinds
    visibility = findings[~findings["kind"].str.startswith("a11y_")]  # their own audit
    pay = visibility[visibility["task_id"] == "pay"]
    assert not pay[pay["kind"] != "low_contrast"].size


def test_script_built_link_is_found_and_makes_its_task_reachable(energy_run):
    site, out = energy_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["outage", "reachable"] == "true"
    assert tasks.loc["outage", "path"] == f"{site.url} > {site.url}outage-map"
    links = read_csv(out / "links.csv")
    scripted = links[links["rendered_only"] == "true"]
    assert scripted["target_url"].tolist() == [site.url + "outage-map"]
    assert scripted["region"].tolist() == ["nav"]
    assert "/outage-map" in site.paths_requested()


def test_hanging_page_is_an_error_row_and_the_run_completes(energy_run):
    site, out = energy_run
    pages = read_csv(out / "pages.csv").set_index("url")
    slow = pages.loc[site.url + "slow"]
    assert slow["rendered"] == "false" and "Timeout" in slow["error"]
    home = pages.loc[site.url]
    assert home["rendered"] == "true" and float(home["load_ms_desktop"]) > 0
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["tips", "load_s"] == "" and float(tasks.loc["login", "load_s"]) > 0
    # The empty cells are said for what they are: a page lost after two tries, not a "no".
    findings = read_csv(out / "findings.csv")
    lost = findings[findings["kind"] == "render_lost"]
    assert set(zip(lost["page_url"], lost["viewport"], strict=True)) == {
        (site.url + "slow", "desktop"),
        (site.url + "slow", "mobile"),
    }
    assert all("after 2 tries" in detail for detail in lost["detail"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pages"]["renders_lost"] == 2


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_screenshots_are_pngs_of_the_viewport_size(energy_run):
    _, out = energy_run
    shots = sorted((out / "screenshots").glob("*.png"))
    desktop = [s for s in shots if s.name.endswith("-desktop.png")]
    mobile = [s for s in shots if s.name.endswith("-mobile.png")]
    first = [s for s in desktop + mobile if "-menu-" not in s.name]
    assert len(first) == 12  # start page and five targets, both viewports; /slow never loaded
    # and, on a phone, the two entries found only in the hamburger, shown with it open
    assert sorted(s.name.split("-menu-")[1][:5] for s in mobile if "-menu-" in s.name) == [
        "login",
        "outag",
    ]
    assert {_png_size(s) for s in desktop} == {(1366, 768)}
    assert {_png_size(s) for s in mobile} == {(390, 844)}


def test_viewports_option_renders_only_what_is_asked(tmp_path):
    with FixtureSite(energy.routes()) as site:
        args = ("audit", site.url, "--tasks", TASKS, "--out", tmp_path / "o", "--no-throttle")
        done = toptasks(*args, "--viewports", "mobile", "--page-timeout", "2")
    assert done.returncode == 0, done.stderr
    tasks = read_csv(tmp_path / "o" / "tasks.csv").set_index("task_id")
    assert tasks.loc["login", "entry_above_fold_mobile"] == "false"
    assert tasks.loc["login", "entry_above_fold_desktop"] == ""
    assert not list((tmp_path / "o" / "screenshots").glob("*-desktop.png"))
