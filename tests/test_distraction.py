"""Distractions and competing links on rendered fixture pages; nothing on a clean page."""

from __future__ import annotations

import pytest

from tests.conftest import audit_site, read_csv
from tests.sites import distract


@pytest.fixture(scope="module")
def distract_run(tmp_path_factory):
    site, out = audit_site(distract.routes(), distract.TASKS, tmp_path_factory.mktemp("distract"))
    findings = read_csv(out / "findings.csv")
    findings["page"] = findings["page_url"].str.replace(site.url, "/", regex=False)
    return site, out, findings


@pytest.mark.parametrize(
    ("page", "kind", "low", "high"),
    [
        ("/carousel", "carousel", 0.30, 0.45),  # 1366 x 300 of 1366 x 768
        ("/newsletter", "modal", 0.20, 0.26),  # 600 x 400
        ("/cookies", "cookie_wall", 0.35, 0.42),  # full width x 300
        ("/promo", "promo_banner", 0.13, 0.18),  # full width x 120
        ("/video", "autoplay_media", 0.18, 0.26),  # 640 x 360
    ],
)
def test_each_distractor_is_found_with_its_share(distract_run, page, kind, low, high):
    _, _, findings = distract_run
    on_page = findings[(findings["page"] == page) & (findings["viewport"] == "desktop")]
    assert on_page["kind"].tolist() == [kind]
    assert low <= float(on_page["area_share"].iloc[0]) <= high
    assert on_page["task_id"].tolist() == [""]


def test_rotating_content_is_told_apart(distract_run):
    _, _, findings = distract_run
    carousel = findings[(findings["page"] == "/carousel") & (findings["kind"] == "carousel")]
    assert carousel["detail"].str.startswith("rotates by itself").all()
    assert set(carousel["viewport"]) == {"desktop", "mobile"}


def test_clean_page_has_no_findings(distract_run):
    _, _, findings = distract_run
    assert findings[findings["page"] == "/clean"].empty


def test_card_offers_competes_with_the_way_to_a_lost_card(distract_run):
    site, out, findings = distract_run
    competing = findings[findings["kind"] == "competing_link"]
    assert competing["task_id"].tolist() == ["lost_card"]
    assert competing["page"].tolist() == ["/"]
    assert "'Card offers'" in competing["detail"].iloc[0]
    assert "/cards/offers" in competing["detail"].iloc[0]
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "competing_links"] == "1"
    assert tasks.loc["clean", "competing_links"] == "0"


def test_scores_and_time_are_filled_in(distract_run):
    _, out, _ = distract_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    for column in ("est_time_s", "distraction_score", "score"):
        values = tasks[column].astype(float)
        assert values.between(0, 100 if column != "est_time_s" else 60).all(), column
    distraction = tasks["distraction_score"].astype(float)
    assert distraction["cookies"] > distraction["clean"]
    assert distraction["newsletter"] > distraction["clean"]
    time = tasks["est_time_s"].astype(float)
    assert time["lost_card"] > time["clean"]  # two clicks and a competing link against one
