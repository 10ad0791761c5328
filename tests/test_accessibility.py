"""Accessibility on each task's path (issue 26): axe-core run in the pages the audit renders,
kept where it touches a task's entry, openers, path links and target; target size, pointer-only
openers and focus traps added; a budget on blockers. Fenwick Bank with six barriers, and its
twin with each fixed."""

from __future__ import annotations

import json

import pytest

from audits.accessibility import first_fact, too_small_to_tap, wcag_criteria
from tests.conftest import audit_site, read_csv, toptasks
from tests.sites import barriers

BUDGET = barriers.TASKS.replace(
    '    target: {selector: "input[type=password]"}',
    '    target: {selector: "input[type=password]"}\n    budget: {max_a11y_blockers: 0}',
)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    _, out = audit_site(barriers.routes(True), BUDGET, tmp_path_factory.mktemp("barriers"))
    return out


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    _, out = audit_site(barriers.routes(False), BUDGET, tmp_path_factory.mktemp("fixed"))
    return out


def a11y(out):
    findings = read_csv(out / "findings.csv")
    return findings[findings["kind"].str.startswith("a11y_")]


def test_each_barrier_is_found_on_its_task_and_viewport_and_nothing_else(faulty):
    found = a11y(faulty)
    assert set(map(tuple, found[["task_id", "viewport", "kind"]].values.tolist())) == (
        barriers.EXPECTED
    )
    by_kind = {kind: group for kind, group in found.groupby("kind")}
    contrast = by_kind["a11y_color-contrast"].iloc[0]
    assert contrast["severity"] == "high"  # serious, on the entry: a blocker
    assert "insufficient color contrast of 2.09" in contrast["detail"]  # #b3b3b3 on white
    assert (
        "axe color-contrast, impact serious, WCAG 1.4.3; https://dequeuniversity.com/rules/axe/4.12/color-contrast"
        in contrast["detail"]
    )
    main = by_kind["a11y_landmark-one-main"].iloc[0]
    assert "the target page 'its main landmark'" in main["detail"]
    label = by_kind["a11y_label"]
    assert set(label["severity"]) == {"medium"}  # critical, but on the target: not a blocker
    assert label["page_url"].str.endswith("/login").all()
    hamburger = by_kind["a11y_button-name"].iloc[0]
    assert "the menu opener 'unlabelled'" in hamburger["detail"]
    assert "WCAG 4.1.2" in hamburger["detail"]
    small = by_kind["a11y_target-size"].iloc[0]
    assert "16x16 px on mobile, under WCAG 2.2's 24x24 (2.5.8)" in small["detail"]
    opener = by_kind["a11y_opener-not-a-control"].iloc[0]
    assert "'Help' is a <div> with no role and not in the Tab order" in opener["detail"]
    trap = by_kind["a11y_focus-trap"]
    assert trap["element"].eq("div#newsletter").all()
    assert "Escape does not let focus out" in trap["detail"].iloc[0]


def test_a_menu_opener_with_no_name_is_said(faulty, fixed):
    """Issue 24 part 2: the icon hamburger, named nowhere, is "unlabelled" with a finding."""
    findings = read_csv(faulty / "findings.csv")
    nameless = findings[findings["kind"] == "menu_opener_unlabelled"]
    assert set(zip(nameless["task_id"], nameless["viewport"], strict=True)) == {
        ("login", "mobile"),
        ("lost_card", "mobile"),
    }
    assert (
        "'Log in' is behind a menu opener with no name (unlabelled)" in nameless["detail"].iloc[0]
    )
    assert "menu_opener_unlabelled" not in set(read_csv(fixed / "findings.csv")["kind"])


def test_tasks_csv_counts_blockers_and_issues(faulty):
    tasks = read_csv(faulty / "tasks.csv").set_index("task_id")
    assert tasks.loc["login", "a11y_blockers"] == "3"  # trap, contrast, nameless hamburger
    assert tasks.loc["login", "a11y_issues"] == "4"  # the login page's field and main landmark
    assert tasks.loc["lost_card", "a11y_blockers"] == "3"  # trap, hamburger, pointer-only opener
    assert tasks.loc["pay_bill", "a11y_blockers"] == "2"
    assert tasks.loc["login", "entry_menu_path"] == "unlabelled ▸ Log in"
    summary = json.loads((faulty / "summary.json").read_text())
    assert summary["axe_version"] == "4.12.1"
    marks = summary["a11y_outlines"]["login"]
    assert {(m["viewport"], m["kind"]) for m in marks} == {
        ("desktop", "a11y_color-contrast"),
        ("mobile", "a11y_button-name"),
    }


def test_a_blocker_budget_fails_check(faulty, fixed):
    done = toptasks("check", faulty)
    assert done.returncode == 1
    check = json.loads((faulty / "check.json").read_text())
    (row,) = [c for c in check["checks"] if c["check"] == "max_a11y_blockers"]
    assert (row["status"], row["actual"], row["expected"]) == ("fail", "3", "<= 0")
    junit = (faulty / "check.xml").read_text()
    assert '<testcase classname="toptasks.login" name="max_a11y_blockers"><failure' in junit
    assert toptasks("check", fixed).returncode == 0


def test_the_fixed_twin_has_no_accessibility_finding(fixed):
    assert a11y(fixed).empty, a11y(fixed)[["task_id", "viewport", "kind", "detail"]]
    tasks = read_csv(fixed / "tasks.csv")
    assert (tasks["a11y_blockers"] == "0").all() and (tasks["a11y_issues"] == "0").all()


def test_the_report_lists_the_barriers_first_and_outlines_them(faulty):
    report = (faulty / "report.html").read_text()
    card = report[report.index('id="task-login"') :]
    card = card[: card.index("</section>")]
    assert card.index("Accessibility on this path: 3 blockers, 4 other issues") < card.index(
        'class="crumbs"'
    )
    assert card.count('class="a11y-mark"') == 2


def test_target_size_passes_by_spacing_and_fails_when_crowded():
    record = {
        "viewport": "mobile",
        "elements": [
            {
                "css": "a.pay",
                "name": "Pay",
                "displayed": True,
                "x": 100,
                "y": 100,
                "width": 16,
                "height": 16,
            },
            {
                "css": "a.far",
                "name": "Far",
                "displayed": True,
                "x": 200,
                "y": 100,
                "width": 16,
                "height": 16,
            },
        ],
    }
    pay = record["elements"][0]
    assert too_small_to_tap(pay, "a.pay", record) is None  # nothing within the 24 px circle
    record["elements"][1]["x"] = 120  # 4 px away
    assert "16x16 px on mobile" in too_small_to_tap(pay, "a.pay", record)
    big = {**pay, "width": 24, "height": 24}
    assert too_small_to_tap(big, "a.pay", record) is None


def test_axe_words_become_wcag_numbers_and_first_reasons():
    assert wcag_criteria(["cat.color", "wcag2aa", "wcag143"]) == "1.4.3"
    assert wcag_criteria(["best-practice"]) == "best practice"
    assert first_fact("Element has no text; aria-label is empty") == ": Element has no text"
