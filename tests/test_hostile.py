"""Issue 8: a site that misbehaves on purpose is crawled to the end, every problem on record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HERE, read_csv, toptasks
from tests.sites import hostile
from tests.sites.server import FixtureSite

TASKS = HERE / "sites" / "hostile.yaml"


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FixtureSite, Path]]:
    out = tmp_path_factory.mktemp("hostile") / "run"
    with FixtureSite(hostile.routes()) as site:
        done = toptasks(
            "audit", site.url, "--tasks", TASKS, "--out", out, "--no-render", "--no-throttle"
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        yield site, out


def pages_by_path(out: Path, site: FixtureSite):
    pages = read_csv(out / "pages.csv")
    pages["path"] = pages["url"].str.removeprefix(site.url[:-1])
    return pages.set_index("path")


def test_link_trap_is_capped_and_reported(hostile_crawl):
    site, out = hostile_crawl
    calendar = [p for p in site.paths_requested() if p.startswith("/calendar")]
    assert len(calendar) == 5  # max_per_pattern, not the 81 months the site offers
    assert len([p for p in site.paths_requested() if p.startswith("/many?")]) == 5
    traps = read_csv(out / "findings.csv").query("kind == 'crawl_trap'")
    assert {e.split("/", 1)[1] for e in traps["element"]} == {"calendar?month", "many?item"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["crawl"]["trapped"]  # and the numbers behind the finding are in the summary


def test_session_ids_do_not_multiply_urls(hostile_crawl):
    site, _ = hostile_crawl
    assert site.paths_requested().count("/products") == 1
    assert not [p for p in site.paths_requested() if "jsessionid" in p or "sid=" in p]


def test_redirect_loops_chains_and_offsite_redirects_are_errors(hostile_crawl):
    site, out = hostile_crawl
    pages = pages_by_path(out, site)
    assert "max redirections" in pages.loc["/loop-a", "error"]
    assert "max redirections" in pages.loc["/chain/0", "error"]
    assert "/chain/20" not in site.paths_requested()
    assert "outside allowed_domains" in pages.loc["/away", "error"]
    assert pages.loc["/away", "status"] == "302"
    assert not [r for r in site.requests if r.host.startswith("localhost")]


def test_huge_trickling_and_silent_pages_are_cut_off(hostile_crawl):
    site, out = hostile_crawl
    pages = pages_by_path(out, site)
    assert "larger than download max size" in pages.loc["/huge", "error"]
    for path in ("/trickle", "/silent"):
        assert "took longer than 2.0 seconds" in pages.loc[path, "error"]
        assert pages.loc[path, "status"] == ""


def test_content_types_are_recorded_and_only_html_is_parsed(hostile_crawl):
    site, out = hostile_crawl
    pages = pages_by_path(out, site)
    for path, kind in [
        ("/tariffs.html", "application/pdf"),
        ("/photo.html", "image/png"),
        ("/downloads/meter-guide", "application/zip"),
    ]:
        assert pages.loc[path, "content_type"] == kind
        assert pages.loc[path, ["title", "n_links"]].tolist() == ["", "0"]
    assert pages.loc["/latin1", "title"] == "Café de la mer"  # ISO-8859-1 decoded
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    # Targets behind malformed HTML, a non-UTF-8 page and a page without Content-Type.
    assert tasks["reachable"].tolist() == ["true", "true", "true"]
    assert tasks.loc["contact", "path"].split(" > ")[1].endswith("/broken")


def test_429_backs_off_as_retry_after_asks_and_is_counted(hostile_crawl):
    site, out = hostile_crawl
    busy = [r.at for r in site.requests if r.path == "/busy"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 1.0
    assert pages_by_path(out, site).loc["/busy", "status"] == "200"
    crawl = json.loads((out / "summary.json").read_text())["crawl"]
    assert crawl["http_429"] == 1 and crawl["retries"] >= 1


def test_hostile_text_is_defused_and_bounded(hostile_crawl):
    site, out = hostile_crawl
    pages = pages_by_path(out, site)
    assert pages.loc["/hostile", "title"] == hostile.HOSTILE_TEXT
    assert pages.loc["/hostile", "n_links"] == "5000"  # of 10,000: the rest are not read
    links = read_csv(out / "links.csv")
    formula = links[links["target_url"].str.endswith("/formula")]
    assert formula["text"].tolist() == ["'" + hostile.FORMULA_TEXT]
    assert not (links["text"].str.match(r"[=+\-@]") | links["target_url"].str.match(r"[=+@]")).any()
    report = (out / "report.html").read_text()
    assert "<script>alert" not in report and "calendar?month" in report  # findings are shown


def test_other_schemes_and_private_addresses_are_never_fetched(hostile_crawl):
    site, out = hostile_crawl
    links = read_csv(out / "links.csv").set_index("target_url")
    assert links.loc["javascript:alert(1)", "kind"] == "javascript"
    assert links.loc["data:text/html,hello", "kind"] == "data"
    assert links.loc["file:///etc/passwd", "kind"] == "file"
    assert links.loc["http://10.0.0.1/admin", "kind"] == "private"
    assert links.loc["http://[::1", "kind"] == "other"
    fetched = set(read_csv(out / "pages.csv")["url"])
    assert all(url.startswith(site.url) for url in fetched)
    unsafe = read_csv(out / "findings.csv").query("kind == 'unsafe_link'")
    assert set(unsafe["element"]) == {"file:///etc/passwd", "http://10.0.0.1/admin"}
