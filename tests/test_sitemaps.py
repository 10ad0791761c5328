"""Issue 36: sitemaps, orphaned pages, one address per page, and `--urls FILE` list mode.

A town hall's site publishes a sitemap index (plain and gzipped sitemaps); a page a customer's
task needs is in it and linked from nowhere. The audit must say the page exists, where, and
from where to link it; report the sitemap's broken entries once each; count clicks along links
only; see one page where the site shows it under several addresses; and give the same answers
in one process, with workers, and resumed after a kill.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from crawler.links import normalize_url
from tests.conftest import read_csv, toptasks
from tests.sites import townhall
from tests.sites.server import FixtureSite, Reply


def audit(site: FixtureSite, tasks: Path, out: Path, *more: str):
    args = ["audit", site.url, "--tasks", tasks, "--out", out, "--no-render", "--no-throttle"]
    return toptasks(*args, "--no-history", *more)


def write_tasks(folder: Path, max_pages: int = 100, extra: str = "") -> Path:
    path = folder / "tasks.yaml"
    path.write_text(townhall.TASKS.replace("max_pages: 100", f"max_pages: {max_pages}{extra}"))
    return path


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Iterator[tuple[FixtureSite, Path, subprocess.CompletedProcess]]:
    """One audit of the town hall's site, read by the tests that only read its output."""
    folder = tmp_path_factory.mktemp("town")
    with FixtureSite(townhall.routes()) as site:
        done = audit(site, write_tasks(folder), folder / "run")
    assert done.returncode == 0, done.stderr
    yield site, folder / "run", done


def at(site: FixtureSite, *paths: str) -> list[str]:
    return [site.url.rstrip("/") + path for path in paths]


def pages_of(run: Path, site: FixtureSite) -> pd.DataFrame:
    pages = read_csv(run / "pages.csv")
    pages.index = pages["url"].str.removeprefix(site.url.rstrip("/"))
    return pages


def test_sitemap_pages_come_after_the_links_and_clicks_count_links_only(town):
    site, run, done = town
    pages = pages_of(run, site)
    assert pages.loc["/", "found_via"] == "start" and pages.loc["/", "depth"] == "0"
    assert pages.loc["/services/council-tax/", ["found_via", "depth"]].tolist() == ["link", "2"]
    # In the sitemap and linked from nowhere: fetched, found by the sitemap, no depth.
    for path in townhall.ORPHANS:
        assert pages.loc[path, ["found_via", "depth", "in_sitemap", "orphan"]].tolist() == [
            "sitemap",
            "",
            "true",
            "true",
        ]
    assert pages["orphan"].tolist().count("true") == len(townhall.ORPHANS)
    for path in townhall.NOT_IN_SITEMAP:
        assert pages.loc[path, "in_sitemap"] == "false" and pages.loc[path, "depth"] != ""
    # Every page a link reaches is requested before any page only a sitemap names, and
    # robots.txt is read once, for the sitemaps and the crawl alike.
    requested = site.paths_requested()
    assert requested.count("/robots.txt") == 1
    # (A page with other addresses is left out: a sitemap may name one a link did not.)
    one_address = pages[pages["other_urls"] == ""]
    linked = one_address.index[one_address["found_via"].isin(["start", "link"])]
    listed = [p for p in pages.index if pages.loc[p, "found_via"] == "sitemap"]
    last_linked = max(requested.index(p) for p in linked)
    assert all(requested.index(p) > last_linked for p in listed if p in requested)
    assert "/staff/rota" not in requested  # robots.txt forbids it: never fetched
    assert "warning" not in done.stderr


def test_an_orphaned_task_page_is_named_with_the_page_to_link_it_from(town):
    site, run, _ = town
    tasks = read_csv(run / "tasks.csv").set_index("task_id")
    assert tasks.loc["close_account", "reachable"] == "false"
    findings = read_csv(run / "findings.csv")
    [orphaned] = findings[findings["kind"] == "task_target_orphaned"].to_dict("records")
    page, parent = at(site, "/services/council-tax/close-account", "/services/council-tax/")
    assert orphaned["task_id"] == "close_account" and orphaned["severity"] == "high"
    assert orphaned["page_url"] == page and orphaned["element"] == parent
    assert f"exists at {page}" in orphaned["detail"] and "services.xml.gz" in orphaned["detail"]
    [unreachable] = findings[findings["kind"] == "unreachable"].to_dict("records")
    assert f"its page exists at {page}, but no page links to it" in unreachable["detail"]
    # An orphan no task needs is in pages.csv and summary.json, not a finding.
    assert at(site, "/events/summer-fair")[0] not in findings["page_url"].tolist()
    fixes = read_csv(run / "fixes.csv")
    first = fixes.iloc[0]
    assert (first["kind"], first["fix"]) == ("task_target_orphaned", f"link it from {parent}")
    assert first["task_ids"] == "close_account" and first["page_url"] == page
    assert "unreachable" not in fixes["kind"].tolist()  # one problem, one row


def test_each_broken_sitemap_entry_is_reported_once(town):
    site, run, _ = town
    findings = read_csv(run / "findings.csv")
    sitemap = findings[findings["kind"].str.startswith("sitemap_")]
    found = sorted(zip(sitemap["kind"], sitemap["page_url"], strict=True))
    assert found == sorted(
        [
            ("sitemap_broken_entry", at(site, "/gone")[0]),
            ("sitemap_broken_entry", at(site, "/removed")[0]),
            ("sitemap_broken_entry", at(site, "/broken")[0]),
            ("sitemap_redirect", at(site, "/old-page")[0]),
            ("sitemap_blocked_by_robots", at(site, "/staff/rota")[0]),
            ("sitemap_noindex", at(site, "/draft-budget")[0]),
        ]
    )
    assert set(sitemap["element"]) == set(at(site, "/sitemaps/pages.xml"))
    assert (
        sitemap.set_index("kind")
        .loc["sitemap_redirect", "detail"]
        .endswith(f"redirects to {at(site, '/council/')[0]}: list that address instead")
    )


def test_summary_counts_what_the_sitemaps_hold(town):
    site, run, _ = town
    sitemaps = json.loads((run / "summary.json").read_text())["sitemaps"]
    assert [f["url"] for f in sitemaps["files"]] == at(
        site, "/sitemap_index.xml", "/sitemaps/pages.xml", "/sitemaps/services.xml.gz"
    )
    assert sitemaps["files"][0]["named_by"] == at(site, "/robots.txt")[0]
    assert [f["addresses"] for f in sitemaps["files"]] == [2, 12, 6]
    # /services/bins/ is listed twice (once with a utm_ parameter): one address.
    assert sitemaps["addresses"] == 17 and sitemaps["addresses_left_out"] == {"listed twice": 1}
    assert sitemaps["addresses_fetched"] == 17 and sitemaps["complete"] is True
    assert sitemaps["orphans"] == 2 and sorted(sitemaps["orphan_urls"]) == sorted(
        at(site, *townhall.ORPHANS)
    )
    assert sorted(sitemaps["linked_not_in_sitemap_urls"]) == sorted(
        at(site, *townhall.NOT_IN_SITEMAP)
    )


def test_a_page_under_several_addresses_is_one_page(town):
    site, run, _ = town
    pages = pages_of(run, site)
    for alias in ("/index.html", "/news/", "/council/?ref=nav"):
        assert alias not in pages.index
    assert pages.loc["/", "other_urls"] == at(site, "/index.html")[0]
    assert pages.loc["/news", "other_urls"] == at(site, "/news/")[0]
    assert pages.loc["/council/", "other_urls"] == at(site, "/council/?ref=nav")[0]
    assert pages.loc["/council/", ["found_via", "depth"]].tolist() == ["link", "1"]
    assert not pages["url"].duplicated().any()
    links = read_csv(run / "links.csv")
    targets = set(links["target_url"])
    for alias in ("/index.html", "/news/", "/council/?ref=nav", "/?utm_source=footer"):
        assert at(site, alias)[0] not in targets
    assert not links["target_url"].str.contains("utm_").any()
    assert not set(links["source_url"]) & set(at(site, "/index.html", "/news/"))
    # The logo (to /index.html) and the footer's Home (with utm_*) are links to the home page.
    home_links = links[links["source_url"] == site.url]
    assert (home_links["target_url"] == site.url).sum() == 2
    assert "/?utm_source=footer&utm_medium=link" not in site.paths_requested()
    tasks = read_csv(run / "tasks.csv").set_index("task_id")
    assert tasks.loc["meetings", "path"] == " > ".join(
        at(site, "/", "/council/", "/council/meetings")
    )


def test_a_link_back_home_is_never_a_competing_link(tmp_path):
    """Rendered, the logo reads 'Riverside Council' and links to /index.html: for 'Contact
    Riverside Council' its words score 0.50 against the way on's 0.61, enough to compete,
    but it leads back to the start page, not away from the task."""
    tasks = write_tasks(tmp_path)
    with FixtureSite(townhall.routes()) as site:
        args = ["audit", site.url, "--tasks", tasks, "--out", tmp_path / "r", "--no-throttle"]
        done = toptasks(*args, "--no-history", "--page-timeout", "10", "--viewports", "desktop")
    assert done.returncode == 0, done.stderr
    tasks_csv = read_csv(tmp_path / "r" / "tasks.csv").set_index("task_id")
    assert tasks_csv.loc["contact", ["clicks", "competing_links"]].tolist() == ["1", "0"]
    findings = read_csv(tmp_path / "r" / "findings.csv")
    competing = findings[findings["kind"] == "competing_link"]
    assert not competing["detail"].str.contains(f"leads to {site.url}, away", regex=False).any()
    assert not competing["detail"].str.contains("index.html").any()


def test_tracking_parameters_and_query_order_make_no_new_address():
    assert normalize_url("http://a.example/p?b=2&utm_source=x&a=1&gclid=3#top") == (
        "http://a.example/p?a=1&b=2"
    )
    assert normalize_url("http://a.example/x;jsessionid=1?sid=2&side=3") == (
        "http://a.example/x?side=3"
    )
    assert normalize_url("http://a.example/app#/cards?x=1") == "http://a.example/app#/cards?x=1"


def hostile_routes() -> dict:
    """robots.txt names one good sitemap and every kind of bad one."""
    good = townhall.xml(
        lambda base: townhall.urlset(["/", "/services/council-tax/close-account"], base)
    )
    huge = b"<urlset>" + b" " * (51 * 2**20) + b"</urlset>"
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 2**20) + b"</urlset>")
    named = [
        "/sitemaps/good.xml",
        "/sitemaps/page.xml",
        "/sitemaps/huge.xml",
        "/sitemaps/bomb.xml.gz",
        "/sitemaps/loop-a.xml",
        "/sitemaps/garbage.xml",
        "/sitemaps/missing.xml",
        "/sitemaps/claim.xml",
    ]

    def robots(handler) -> None:
        base = townhall.origin(handler)
        lines = [f"Sitemap: {base}{path}" for path in named]
        lines.append(f"Sitemap: {base.replace('127.0.0.1', 'localhost')}/elsewhere.xml")
        handler.reply(Reply("User-agent: *\n" + "\n".join(lines) + "\n", content_type="text/plain"))

    claim = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>/claim/{n}.xml</loc></sitemap>" for n in range(100_000))
        + "</sitemapindex>"
    )

    def claimed(handler) -> None:
        base = townhall.origin(handler)
        body = townhall.urlset([f"/news/{n}" for n in range(60_000)], base)
        handler.reply(Reply(body, content_type="application/xml"))

    routes = townhall.routes()
    routes |= {
        "/robots.txt": robots,
        "/sitemaps/good.xml": good,
        "/sitemaps/page.xml": Reply(townhall.PAGES["/"]),  # a web page, not a sitemap
        "/sitemaps/huge.xml": Reply(huge, content_type="application/xml"),
        "/sitemaps/bomb.xml.gz": Reply(bomb, content_type="application/x-gzip"),
        "/sitemaps/loop-a.xml": townhall.xml(
            lambda base: townhall.index(["/sitemaps/loop-b.xml"], base)
        ),
        "/sitemaps/loop-b.xml": townhall.xml(
            lambda base: townhall.index(["/sitemaps/loop-a.xml"], base)
        ),
        "/sitemaps/claim.xml": Reply(claim, content_type="application/xml"),
        "/sitemaps/garbage.xml": Reply(bytes(range(256)) * 64, content_type="application/xml"),
    }
    routes |= {f"/claim/{n}.xml": claimed for n in range(3)}
    return routes


def test_hostile_sitemaps_get_a_line_each_and_the_crawl_goes_on(tmp_path):
    with FixtureSite(hostile_routes()) as site:
        started = time.monotonic()
        done = audit(
            site, write_tasks(tmp_path, extra="\n  max_sitemap_urls: 1000"), tmp_path / "r"
        )
        took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("toptasks: warning:")]
    problems = {
        "/sitemaps/page.xml": "not XML",
        "/sitemaps/huge.xml": "larger than 50 MB, the most a sitemap may be",
        "/sitemaps/bomb.xml.gz": "larger than 50 MB once unzipped",
        "/sitemaps/loop-a.xml": "named again by",
        "/sitemaps/garbage.xml": "not XML",
        "/sitemaps/missing.xml": "answered HTTP 404",
        "/elsewhere.xml": "outside allowed_domains; not read",
    }
    assert len(warnings) == len(problems) + 1, done.stderr
    for path, problem in problems.items():
        [line] = [w for w in warnings if f"{path}: " in w]
        assert problem in line and line.endswith("; the crawl goes on"), line
    assert warnings[-1].startswith(
        "toptasks: warning: the sitemaps list more than is read: 59,002 addresses beyond "
        "site.max_sitemap_urls (1,000) and "
    )
    # The good sitemap was read: its orphan is found, and the task says where it is.
    findings = read_csv(tmp_path / "r" / "findings.csv")
    assert "task_target_orphaned" in findings["kind"].tolist()
    unreadable = findings[findings["kind"] == "sitemap_unreadable"]
    assert len(unreadable) == len(problems)
    # The claim of 100,000 sitemaps: 200 files at most are queued, and once max_sitemap_urls
    # addresses are read the rest are not fetched; every figure says what was left out.
    sitemaps = json.loads((tmp_path / "r" / "summary.json").read_text())["sitemaps"]
    left_out = sitemaps["addresses_left_out"]
    assert sitemaps["addresses"] == 1000
    assert left_out["beyond max_sitemap_urls"] == 60_000 - 1000 + 2  # good.xml's two came first
    assert left_out["sitemap files beyond the first 200"] > 99_000
    assert left_out["sitemap files not read: max_sitemap_urls reached"] > 0
    assert site.paths_requested().count("/claim/1.xml") == 0
    assert took < 60


def test_max_sitemap_urls_zero_reads_no_sitemap(tmp_path):
    with FixtureSite(townhall.routes()) as site:
        done = audit(site, write_tasks(tmp_path, extra="\n  max_sitemap_urls: 0"), tmp_path / "r")
    assert done.returncode == 0, done.stderr
    assert not [p for p in site.paths_requested() if "sitemap" in p]
    pages = pages_of(tmp_path / "r", site)
    assert set(pages["found_via"]) == {"start", "link"} and set(pages["in_sitemap"]) == {"false"}
    tasks = read_csv(tmp_path / "r" / "tasks.csv").set_index("task_id")
    assert tasks.loc["close_account", "reachable"] == "false"
    assert "task_target_orphaned" not in read_csv(tmp_path / "r" / "findings.csv")["kind"].tolist()


def test_a_url_list_audits_exactly_its_pages(tmp_path):
    with FixtureSite(townhall.routes()) as site:
        listing = tmp_path / "urls.txt"
        listing.write_text(
            "# pages to check\n"
            + "\n".join(at(site, "/contact/", "/services/bins/?utm_campaign=x", "/council/"))
            + f"\n\n{site.url}sitemaps/services.xml.gz\nhttps://elsewhere.example/page\n"
        )
        args = ["audit", "--tasks", write_tasks(tmp_path), "--out", tmp_path / "r"]
        done = toptasks(*args, "--urls", listing, "--no-render", "--no-throttle", "--no-history")
    assert done.returncode == 0, done.stderr
    assert "1 address(es) of" in done.stderr and "outside allowed_domains" in done.stderr
    pages = pages_of(tmp_path / "r", site)
    listed = {"/contact/", "/services/bins/", "/council/", *townhall.SERVICES_SITEMAP}
    assert set(pages.index) == listed and not pages.index.duplicated().any()
    # With no URL given, the list's first page is the start page.
    assert pages.loc["/contact/", ["found_via", "depth"]].tolist() == ["start", "0"]
    assert set(pages.drop("/contact/")["found_via"]) == {"list"}
    assert pages.loc["/services/council-tax/close-account", "in_sitemap"] == "true"
    assert pages.loc["/council/", "in_sitemap"] == "false"
    # No link was followed: the list's pages only (and robots.txt, and the sitemap named).
    requested = set(site.paths_requested()) - {"/robots.txt", "/sitemaps/services.xml.gz"}
    assert requested == listed
    links = read_csv(tmp_path / "r" / "links.csv")
    assert at(site, "/services/")[0] in set(links["target_url"])  # recorded, not fetched
    tasks = read_csv(tmp_path / "r" / "tasks.csv").set_index("task_id")
    assert tasks.loc["contact", ["reachable", "clicks"]].tolist() == ["true", "0"]


def test_a_bad_url_list_is_exit_2_with_the_line(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("http://127.0.0.1:9/\nnot a url\n")
    tasks = write_tasks(tmp_path)
    done = toptasks("audit", "--tasks", tasks, "--urls", listing, "--out", tmp_path / "r")
    assert done.returncode == 2
    assert done.stderr.strip() == f"toptasks: error: {listing}:2: not an http(s) URL: 'not a url'"


# -- the same answers with workers and resumed -----------------------------------------------

ARTICLES = 240  # 120 linked from the news page, 120 only in the news sitemap
DELAY_S = 0.03


@pytest.fixture(scope="module")
def slow_town() -> Iterator[FixtureSite]:
    with FixtureSite(townhall.routes(ARTICLES, DELAY_S)) as site:
        yield site


@pytest.fixture(scope="module")
def slow_tasks(tmp_path_factory) -> Path:
    return write_tasks(tmp_path_factory.mktemp("cfg"), max_pages=1000)


@pytest.fixture(scope="module")
def slow_reference(slow_town, slow_tasks, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "run"
    done = audit(slow_town, slow_tasks, out)
    assert done.returncode == 0, done.stderr
    return out


STABLE = ["url", "status", "depth", "final_url", "found_via", "in_sitemap", "other_urls", "orphan"]


def assert_same_answers(run: Path, reference: Path) -> None:
    """tasks.csv byte for byte; each page once with the same place in the links; the same
    findings and fixes; the same sitemap figures."""
    assert (run / "tasks.csv").read_text() == (reference / "tasks.csv").read_text()
    pages, ref = (read_csv(r / "pages.csv")[STABLE].sort_values("url") for r in (run, reference))
    assert not pages["url"].duplicated().any()
    assert pages.reset_index(drop=True).equals(ref.reset_index(drop=True))
    for table in ("findings.csv", "fixes.csv"):
        rows, ref_rows = (
            sorted(read_csv(r / table).itertuples(index=False)) for r in (run, reference)
        )
        assert rows == ref_rows, table
    figures, ref_figures = (
        json.loads((r / "summary.json").read_text())["sitemaps"] for r in (run, reference)
    )
    assert figures == ref_figures
    assert figures["orphans"] == len(townhall.ORPHANS) + ARTICLES // 2


def test_workers_give_the_same_answers(slow_town, slow_tasks, slow_reference, tmp_path):
    done = audit(slow_town, slow_tasks, tmp_path / "run", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert_same_answers(tmp_path / "run", slow_reference)


@pytest.mark.parametrize("workers", [(), ("--workers", "2")], ids=["one-process", "workers"])
def test_resumed_where_the_links_ran_out_still_obeys_robots_txt(tmp_path, workers):
    """A kill that falls once every linked page is fetched: the resumed crawl asks for all
    the sitemaps' addresses at once, before robots.txt has answered, and each of them must
    wait for it (Scrapy's middleware gave the parser to the first and let the rest through,
    fetching /staff/rota, which robots.txt forbids: an orphan the one-process run never had)."""
    tasks = write_tasks(tmp_path)
    out = tmp_path / "run"
    with FixtureSite(townhall.routes()) as site:
        assert audit(site, tasks, out).returncode == 0
        reference = read_csv(out / "pages.csv")[STABLE].sort_values("url")
        reference_tasks = (out / "tasks.csv").read_text()
        # What a kill -9 at that point leaves: the model up to the first page a sitemap named.
        model = out / "model"
        lines = (model / "pages.jsonl").read_text().splitlines(keepends=True)
        cut = next(i for i, line in enumerate(lines) if json.loads(line)["found_via"] == "sitemap")
        (model / "pages.jsonl").write_text("".join(lines[:cut]))
        kept = {
            "config.json",
            "crawl.log",
            "links.csv",
            "pages.jsonl",
            "search.jsonl",
            "sitemaps.jsonl",
            "stats.json",
        }
        for path in [*out.iterdir(), *model.iterdir()]:
            if path.is_file() and (path.parent != model or path.name not in kept):
                path.unlink()
        assert json.loads((model / "sitemaps.jsonl").read_text().splitlines()[-1])["kind"] == "done"
        asked = len(site.requests)
        args = ["audit", site.url, "--tasks", tasks, "--resume", out, "--no-render"]
        done = toptasks(*args, "--no-throttle", "--no-history", *workers)
        assert done.returncode == 0, done.stderr
        assert "/staff/rota" not in site.paths_requested()[asked:]
    pages = read_csv(out / "pages.csv")[STABLE].sort_values("url")
    rota = pages[pages["url"] == at(site, "/staff/rota")[0]]
    assert rota[["status", "orphan"]].values.tolist() == [["", "false"]]
    assert pages.reset_index(drop=True).equals(reference.reset_index(drop=True))
    assert (out / "tasks.csv").read_text() == reference_tasks


@pytest.mark.parametrize("pages_before_kill", [40, 200])
def test_a_crawl_killed_then_resumed_gives_the_same_answers(
    slow_town, slow_tasks, slow_reference, tmp_path, pages_before_kill
):
    """Killed while links are followed, and while the sitemaps' pages are fetched."""
    out = tmp_path / "run"
    args = ["audit", slow_town.url, "--tasks", slow_tasks, "--out", out, "--no-render"]
    command = [sys.executable, "-m", "toptasks", *map(str, args), "--no-throttle", "--no-history"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pages = out / "model" / "pages.jsonl"
    give_up = time.monotonic() + 60
    while not (pages.exists() and pages.read_text().count("\n") >= pages_before_kill):
        assert time.monotonic() < give_up and child.poll() is None
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    done = toptasks(
        "audit",
        slow_town.url,
        "--tasks",
        slow_tasks,
        "--resume",
        out,
        "--no-render",
        "--no-throttle",
        "--no-history",
    )
    assert done.returncode == 0, done.stderr
    assert_same_answers(out, slow_reference)
