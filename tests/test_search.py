"""The site's own search as a second route: found on the start page, used with GET only, its
results read in order; relevant, irrelevant, empty and search-only answers; POST and robots.txt
respected."""

from __future__ import annotations

import json

import pytest

from tests.conftest import read_csv, toptasks
from tests.sites import searchable
from tests.sites.server import FixtureSite


def audit(tmp, routes, *more):
    (tmp / "tasks.yaml").write_text(searchable.TASKS)
    with FixtureSite(routes) as site:
        args = ("audit", site.url, "--tasks", tmp / "tasks.yaml", "--out", tmp / "run")
        done = toptasks(*args, "--no-throttle", "--no-render", "--no-history", *more)
    assert done.returncode == 0, done.stderr
    return site, tmp / "run"


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    return audit(tmp_path_factory.mktemp("search"), searchable.routes())


def test_search_rank_of_each_task(searched):
    _, out = searched
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks["search_rank"].to_dict() == {
        "lost_card": "2",  # relevant: the cards page first, then the lost-card page
        "pay_bill": "",  # irrelevant results
        "hours": "",  # no results
        "gold": "1",  # the only way there
    }
    assert tasks.loc["gold", "reachable"] == "false"


def test_search_and_links_disagreeing_are_findings(searched):
    _, out = searched
    findings = read_csv(out / "findings.csv")
    found = findings[findings["kind"].isin(["search_misses_task", "search_only"])]
    assert sorted(zip(found["task_id"], found["kind"], strict=True)) == [
        ("gold", "search_only"),
        ("hours", "search_misses_task"),
        ("pay_bill", "search_misses_task"),
    ]
    detail = found[found["task_id"] == "pay_bill"]["detail"].iloc[0]
    assert "for 'Pay a bill'" in detail and "reach it in 1 click" in detail


def test_only_get_requests_and_at_most_five_queries_a_task(searched):
    site, out = searched
    assert {r.method for r in site.requests} == {"GET"}
    queries = [r.path for r in site.requests if r.path.startswith("/search?")]
    assert all("lang=en" in q for q in queries)  # the form's hidden field goes along
    assert len(queries) == 5  # four names and one entry phrase
    summary = json.loads((out / "summary.json").read_text())
    assert summary["search"]["form"].endswith("/search?lang=en&q={query}")
    assert summary["search"]["source"] == "form" and summary["search"]["queries"] == 5


def test_a_search_form_that_posts_is_not_used(tmp_path):
    site, out = audit(tmp_path, searchable.routes(method="post"))
    assert not [r for r in site.requests if r.path.startswith("/search")]
    summary = json.loads((out / "summary.json").read_text())
    assert "sends a POST: not run" in summary["search"]["note"]
    tasks = read_csv(out / "tasks.csv")
    assert set(tasks["search_rank"]) == {""}


def test_robots_txt_closes_the_search_to_toptasks(tmp_path):
    robots = "User-agent: *\nDisallow: /search\n"
    site, out = audit(tmp_path, searchable.routes(robots=robots))
    assert not [r for r in site.requests if r.path.startswith("/search")]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["search"]["failed"] and "robots.txt" in summary["search"]["failed"][0]


def test_a_configured_search_url_replaces_the_form(tmp_path):
    (tmp_path / "tasks.yaml").write_text(searchable.TASKS)
    with FixtureSite(searchable.routes(method="post")) as site:
        config = searchable.TASKS.replace(
            "tasks:", f'site:\n  search_url: "{site.url}search?q={{query}}"\ntasks:', 1
        )
        (tmp_path / "tasks.yaml").write_text(config)
        args = ("audit", site.url, "--tasks", tmp_path / "tasks.yaml", "--out", tmp_path / "run")
        done = toptasks(*args, "--no-throttle", "--no-render", "--no-history")
    assert done.returncode == 0, done.stderr
    tasks = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "search_rank"] == "2"
