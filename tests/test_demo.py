"""`toptasks demo` end to end: the bundled site served, crawled, rendered and reported."""

from __future__ import annotations

import json

from tests.conftest import read_csv


def test_demo_runs_end_to_end(demo_run):
    out, done = demo_run
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["login", "entry_above_fold_desktop"] == "true"
    assert tasks.loc["login", "entry_above_fold_mobile"] == "false"
    assert tasks.loc["login", "entry_in_collapsed_menu_mobile"] == "true"
    assert tasks.loc["pay_bill", "clicks"] == "4"
    assert tasks.loc["opening_hours", "path"].endswith("/branches/")
    assert (out / "report.html").stat().st_size > 5000
    assert list((out / "screenshots").glob("*.png"))
    check = (out / "check.xml").read_text()
    assert 'failures="3"' in check
    summary = json.loads((out / "summary.json").read_text())
    assert summary["crawl_mode"] == "http"  # a server-rendered site keeps the HTTP crawl
    fixes = read_csv(out / "fixes.csv")
    gains = fixes["site_score_gain"].replace("", None).dropna().astype(float).tolist()
    assert gains and gains == sorted(gains, reverse=True)
    assert len(summary["fix_first"]) == 3
    report = (out / "report.html").read_text()
    assert "Fix first" in report
    shot = next(iter(summary["screenshots"][summary["start_url"]].values()))
    assert f'<a href="screenshots/{shot}"><img' in report  # opens full size


def test_predicted_success_follows_the_demo_sites_design(demo_run):
    """Validity of the simulated customers on the demo bank: the login, whose only way in on
    a phone is inside the menu, does worse there than on desktop; the lost card, behind a weak
    "Help" beside a tempting "Card offers", does worse than the login; and "Card offers" is
    named as the link that leads most customers astray."""
    out, done = demo_run
    assert done.returncode == 0, done.stderr
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    success = tasks[["predicted_success_desktop", "predicted_success_mobile"]].astype(float)
    assert (
        success.loc["login", "predicted_success_mobile"]
        < success.loc["login", "predicted_success_desktop"]
    )
    assert tasks.loc["login", "predicted_success"] == tasks.loc["login", "predicted_success_mobile"]
    assert float(tasks.loc["lost_card", "predicted_success"]) < float(
        tasks.loc["login", "predicted_success"]
    )
    assert float(tasks.loc["login", "predicted_clicks_median"]) == 1.0
    findings = read_csv(out / "findings.csv")
    (trap,) = findings[findings["kind"] == "scent_trap"].itertuples()
    assert trap.task_id == "lost_card" and "'Card offers" in trap.detail
    astray = json.loads((out / "summary.json").read_text())["astray"]["lost_card"]
    assert astray[0]["label"].startswith("Card offers") and astray[0]["share"] >= 0.1
    report = (out / "report.html").read_text()
    assert "Where simulated customers go astray</p><ul><li>“Card offers" in report
