"""`toptasks demo` end to end: the bundled site served, crawled, rendered and reported."""

from __future__ import annotations

import json

from tests.conftest import read_csv, toptasks


def test_demo_runs_end_to_end(tmp_path):
    out = tmp_path / "demo"
    done = toptasks("demo", "--out", out)
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
