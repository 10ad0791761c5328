"""`toptasks check`: budgets and regressions of finished runs, JUnit XML and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from contract.config import Config
from tests.conftest import BANK_TASKS, toptasks
from tests.sites import bank
from tests.sites.server import FixtureSite, Reply
from toptasks.check import budget_checks, regression_checks, run_check
from toptasks.output import write_table

CONFIG = {
    "tasks": [
        {"id": "a", "name": "A", "target": {"url": "/a"},
         "budget": {"max_clicks": 2, "above_fold": ["desktop", "mobile"], "max_time_s": 8,
                    "min_score": 70}},
        {"id": "b", "name": "B", "target": {"url": "/b"}, "budget": {"max_clicks": 1}},
    ]
}  # fmt: skip


def make_run(tmp_path: Path, name: str, rows: list[dict]) -> Path:
    """A run folder as `audit` leaves it: tasks.csv and the recorded config."""
    run = tmp_path / name
    (run / "model").mkdir(parents=True)
    (run / "model" / "config.json").write_text(json.dumps(CONFIG))
    write_table(rows, run, "tasks.csv")
    return run


GOOD_A = {"task_id": "a", "task_name": "A", "reachable": True, "clicks": 2,
          "entry_above_fold_desktop": True, "entry_above_fold_mobile": True,
          "est_time_s": 7.5, "score": 80}  # fmt: skip
GOOD_B = {"task_id": "b", "task_name": "B", "reachable": True, "clicks": 1}


def statuses(results) -> dict[tuple[str, str], str]:
    return {(r.task_id, r.check): r.status for r in results}


def test_every_budget_kind_passes(tmp_path):
    run = make_run(tmp_path, "run", [GOOD_A, GOOD_B])
    results = run_check(run)
    assert set(statuses(results).values()) == {"pass"}
    assert len(results) == 6


def test_every_budget_kind_fails(tmp_path):
    bad_a = GOOD_A | {"clicks": 3, "entry_above_fold_mobile": False, "est_time_s": 9, "score": 69}
    bad_b = GOOD_B | {"reachable": False, "clicks": None}
    results = run_check(make_run(tmp_path, "run", [bad_a, bad_b]))
    assert statuses(results) == {
        ("a", "max_clicks"): "fail",
        ("a", "above_fold_desktop"): "pass",
        ("a", "above_fold_mobile"): "fail",
        ("a", "max_time_s"): "fail",
        ("a", "min_score"): "fail",
        ("b", "max_clicks"): "fail",
    }
    unreachable = next(r for r in results if r.task_id == "b")
    assert unreachable.actual == "unreachable"


def test_unmeasured_figures_are_skipped_not_passed(tmp_path):
    unrendered = {"task_id": "a", "task_name": "A", "reachable": True, "clicks": 1}
    results = budget_checks(Config.model_validate(CONFIG), _tasks(tmp_path, [unrendered]))
    got = statuses(results)
    assert got[("a", "above_fold_mobile")] == "skipped" and got[("a", "min_score")] == "skipped"


def _tasks(tmp_path, rows):
    from toptasks.check import read_tasks

    return read_tasks(make_run(tmp_path, f"r{len(list(tmp_path.iterdir()))}", rows))


def test_each_regression_kind(tmp_path):
    before = _tasks(tmp_path, [GOOD_A, GOOD_B])
    worse_a = GOOD_A | {"clicks": 3, "entry_above_fold_desktop": False, "score": 74.9}
    worse_b = GOOD_B | {"reachable": False, "clicks": None}
    got = statuses(regression_checks(_tasks(tmp_path, [worse_a, worse_b]), before))
    assert got == {
        ("a", "still_reachable"): "pass",
        ("a", "clicks_not_more"): "fail",
        ("a", "keeps_entry_above_fold_desktop"): "fail",
        ("a", "keeps_entry_above_fold_mobile"): "pass",
        ("a", "score_not_lower"): "fail",
        ("b", "still_reachable"): "fail",
    }
    within = _tasks(tmp_path, [GOOD_A | {"score": 75.0}, GOOD_B])
    assert statuses(regression_checks(within, before))[("a", "score_not_lower")] == "pass"


def test_cli_exit_codes_and_junit(tmp_path):
    good = make_run(tmp_path, "good", [GOOD_A, GOOD_B])
    done = toptasks("check", good)
    assert done.returncode == 0, done.stderr
    bad = make_run(tmp_path, "bad", [GOOD_A | {"clicks": 5}, GOOD_B | {"clicks": 2}])
    done = toptasks("check", bad, "--baseline", good)
    assert done.returncode == 1
    assert "FAIL" in done.stdout
    suite = ET.parse(bad / "check.xml").getroot().find("testsuite")
    cases = suite.findall("testcase")
    failed = {(c.get("classname"), c.get("name")) for c in cases if c.find("failure") is not None}
    assert failed == {
        ("toptasks.a", "max_clicks"),
        ("toptasks.b", "max_clicks"),
        ("toptasks.a", "clicks_not_more"),
        ("toptasks.b", "clicks_not_more"),
    }
    assert suite.get("failures") == "4" and int(suite.get("tests")) == len(cases)
    report = json.loads((bad / "check.json").read_text())
    assert report["failed"] == 4 and report["baseline"] == str(good)


def test_check_of_a_folder_that_is_no_run_exits_2(tmp_path):
    done = toptasks("check", tmp_path)
    assert done.returncode == 2 and "is not a toptasks run" in done.stderr


def test_audit_with_baseline_fails_when_a_task_gets_harder(tmp_path):
    """The CI recipe: audit staging against the last good run; a lost link fails the build."""
    args = ("--tasks", BANK_TASKS, "--no-render", "--no-throttle")
    with FixtureSite(bank.routes()) as site:
        done = toptasks("audit", site.url, "--out", tmp_path / "base", *args)
        assert done.returncode == 0, done.stderr
        assert toptasks("audit", site.url, "--out", tmp_path / "same", "--baseline",
                        tmp_path / "base", *args).returncode == 0  # fmt: skip
        home = bank.PAGES["/"].replace('<a href="/help/payments/">Payments and transfers</a>', "")
        site.routes["/"] = Reply(home)
        done = toptasks(
            "audit", site.url, "--out", tmp_path / "new", "--baseline", tmp_path / "base", *args
        )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "new" / "check.json").read_text())
    failed = [(c["task_id"], c["check"]) for c in report["checks"] if c["status"] == "fail"]
    assert failed == [("pay_bill", "clicks_not_more"), ("pay_bill", "score_not_lower")]
