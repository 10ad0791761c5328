"""Issue 14: consent layers recognised by platform, answered as a returning customer did
(refused, never accepted), reported once, and named where they hide an entry on a first visit."""

from __future__ import annotations

import pytest

from crawler.render import RenderJob, render_pages
from tests.conftest import audit_site, read_csv
from tests.sites import consent
from tests.sites.server import FixtureSite


def test_each_platform_is_recognised_and_refused():
    with FixtureSite(consent.routes()) as site:
        jobs = [RenderJob(site.url + name, watch=False) for name in consent.PLATFORMS]
        records = render_pages(jobs, ["desktop"], None, 10)
        choices = [p.split("choice=")[1] for p in site.paths_requested() if "choice=" in p]
    for name, record in zip(consent.PLATFORMS, records, strict=True):
        assert record["ok"], record["error"]
        found = record["consent"]
        assert (found["platform"], found["answer"]) == consent.EXPECTED[name], name
        assert 0.3 < found["area_share"] < 0.4, name  # 260 of 768 px
        login = next(e for e in record["elements"] if e["name"] == "Log in")
        assert login["css"] in found["covered"], name
        assert login["covered"] is False, name  # the returning customer's page
    # Refused once each (the slow dialog too); the generic notice is removed, not accepted.
    assert sorted(choices) == ["necessary"] * 8


@pytest.fixture(scope="module")
def consent_run(tmp_path_factory):
    site, out = audit_site(consent.routes(), consent.TASKS, tmp_path_factory.mktemp("consent"))
    return out, site.paths_requested()


def test_visibility_is_a_returning_customers_and_the_first_visit_is_a_finding(consent_run):
    out, requested = consent_run
    row = read_csv(out / "tasks.csv").set_index("task_id").loc["login"]
    assert (row["entry_above_fold_desktop"], row["entry_above_fold_mobile"]) == ("true", "true")
    findings = read_csv(out / "findings.csv")
    walls = findings[findings["kind"] == "cookie_wall"]
    assert sorted(walls["viewport"]) == ["desktop", "mobile"]  # once, though both pages have it
    assert walls["detail"].str.contains("OneTrust consent layer").all()
    covered = findings[findings["kind"] == "entry_covered"]
    assert sorted(covered["viewport"]) == ["desktop", "mobile"]
    assert covered["detail"].str.contains("covered by the OneTrust consent layer").all()
    assert not any("choice=all" in p for p in requested)
