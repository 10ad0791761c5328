"""Issue 18: no false alarms on a well-made site; the one real problem on it still found."""

from __future__ import annotations

import pytest

from audits.distraction import DISTRACTOR_KINDS
from audits.scent import MIN_SCENT, TfidfScorer
from tests.conftest import audit_site, read_csv
from tests.sites import clean

DISTRACTION = DISTRACTOR_KINDS | {"link_clutter"}
SCENT = {"competing_link", "weak_scent"}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    site, out = audit_site(clean.routes(), clean.TASKS, tmp_path_factory.mktemp("clean"))
    return site, out, read_csv(out / "findings.csv")


def test_a_well_made_site_has_no_distraction_or_scent_finding(clean_run):
    site, out, findings = clean_run
    false_alarms = findings[findings["kind"].isin(DISTRACTION | SCENT)]
    assert false_alarms.empty, false_alarms[["page_url", "viewport", "kind", "detail"]].to_string()
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert (tasks["distraction_score"].astype(float) < 10).all(), tasks["distraction_score"]
    assert (tasks["competing_links"] == "0").all()


def test_a_well_made_site_has_no_accessibility_finding(clean_run):
    _, _, findings = clean_run
    barriers = findings[findings["kind"].str.startswith("a11y_")]
    assert barriers.empty, barriers[["task_id", "viewport", "kind", "detail"]].to_string()


def test_every_task_is_found_through_the_menus(clean_run):
    site, out, _ = clean_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks["clicks"].tolist() == ["1", "1", "1", "1"]
    assert tasks.loc["blog", "entry_text"] == "Blog Home"
    assert tasks.loc["contact", "entry_text"] == "Contact us"


def test_a_link_that_goes_nowhere_is_a_placeholder_link(clean_run):
    site, _, findings = clean_run
    placeholders = findings[findings["kind"] == "placeholder_link"]
    assert placeholders[["task_id", "page_url"]].values.tolist() == [["contact", site.url]]
    assert "'Contact'" in placeholders["detail"].iloc[0]
    assert "href '#!'" in placeholders["detail"].iloc[0]


def test_a_word_in_every_navigation_still_weighs():
    """'blog' is in the site-wide navigation of every page: it must still carry the scent."""
    scorer = TfidfScorer(["Blog", "Blog Home", "About", "Blog", "Contact"] * 50)
    assert scorer.score("Read the blog blog", ["Blog Home"])[0] >= MIN_SCENT
