"""Crawl the Northwind Bank fixture site with the real Scrapy and read what a user reads."""

from __future__ import annotations

import json

from contract.columns import TABLES
from tests.conftest import read_csv


def _tasks(out):
    return read_csv(out / "tasks.csv").set_index("task_id")


def _rel(site, path: str) -> str:
    return " > ".join(site.url.rstrip("/") + p for p in path.split(" > "))


def test_every_output_file_has_the_contract_columns(bank_run):
    _, out = bank_run
    for table, columns in TABLES.items():
        if table == "journeys.csv":  # only when the config has journeys (tests/test_login.py)
            assert not (out / table).exists()
            continue
        if table in ("compare.csv", "history.csv"):  # by `compare` and `history --csv`
            continue
        assert list(read_csv(out / table).columns) == list(columns), table
    summary = json.loads((out / "summary.json").read_text())
    assert summary["version"] and len(summary["config_hash"]) == 16
    assert summary["pages"]["server_errors"] == 1 and summary["pages"]["client_errors"] == 1


def test_clicks_and_paths_of_reachable_tasks(bank_run):
    site, out = bank_run
    tasks = _tasks(out)
    expected = {
        "login": ("1", "/ > /login", "Log in"),
        "report_lost_card": (
            "3",
            "/ > /help/ > /help/cards/ > /help/cards/lost-card",
            "Help & support",
        ),
        "pay_bill": (
            "2",
            "/ > /help/payments/ > /help/payments/pay-a-bill",
            "Payments and transfers",
        ),
        "opening_hours": ("1", "/ > /branches/", "Find a branch"),
        "call_us": ("0", "/", ""),
    }
    for task_id, (clicks, path, entry_text) in expected.items():
        row = tasks.loc[task_id]
        assert row["reachable"] == "true", task_id
        assert row["clicks"] == clicks, task_id
        assert row["path"] == _rel(site, path), task_id
        assert row["entry_text"] == entry_text, task_id
        assert row["target_url"] == _rel(site, path.split(" > ")[-1])


def test_orphan_and_robots_blocked_targets_are_unreachable(bank_run):
    _, out = bank_run
    tasks = _tasks(out)
    for task_id in ("mortgage_calculator", "staff_portal"):
        assert tasks.loc[task_id, "reachable"] == "false"
        assert tasks.loc[task_id, "clicks"] == ""
        assert tasks.loc[task_id, "path"] == ""
        assert tasks.loc[task_id, "predicted_success"] == "0.0"  # no simulated customer either
    findings = read_csv(out / "findings.csv")
    unreachable = findings[findings["kind"] == "unreachable"]
    assert sorted(unreachable["task_id"]) == ["mortgage_calculator", "staff_portal"]


def test_robots_disallowed_folder_is_never_requested(bank_run):
    site, out = bank_run
    assert not [p for p in site.paths_requested() if p.startswith("/internal/")]
    assert site.paths_requested()[0] == "/robots.txt"
    pages = read_csv(out / "pages.csv").set_index("url")
    blocked = pages.loc[site.url + "internal/staff"]
    assert blocked["status"] == "" and "robots.txt" in blocked["error"]


def test_no_request_leaves_allowed_domains(bank_run):
    site, out = bank_run
    # The footer links to http://localhost:PORT/, the same server under another host name.
    assert {r.host for r in site.requests} == {f"127.0.0.1:{site.port}"}
    assert all(r.user_agent.startswith("toptasks/") for r in site.requests)
    pages = read_csv(out / "pages.csv")
    assert pages["url"].str.startswith(site.url).all()


def test_orphan_page_is_never_fetched(bank_run):
    site, _ = bank_run
    assert "/tools/mortgage-calculator" not in site.paths_requested()


def test_error_pages_and_redirects_are_recorded(bank_run):
    site, out = bank_run
    pages = read_csv(out / "pages.csv").set_index("url")
    assert pages.loc[site.url + "personal/loans/calculator", "status"] == "404"
    assert pages.loc[site.url + "rates", "status"] == "500"
    redirected = pages.loc[site.url + "online-banking"]
    assert redirected["final_url"] == site.url + "login"
    assert redirected["status"] == "200"
    home = pages.loc[site.url]
    assert (
        home["depth"] == "0" and home["title"] == "Personal and business banking | Northwind Bank"
    )
    assert home["content_type"] == "text/html" and int(home["bytes"]) > 1000
    assert int(home["n_links"]) == 27 and float(home["fetch_ms"]) >= 0
    assert home["rendered"] == "false"
    assert pages.loc[site.url + "help/cards/lost-card", "depth"] == "3"


def test_links_carry_text_region_order_and_kind(bank_run):
    site, out = bank_run
    links = read_csv(out / "links.csv")
    home = links[links["source_url"] == site.url].set_index("position")
    assert list(home.index[:3]) == ["1", "2", "3"]
    logo = home.loc["1"]
    assert (logo["text"], logo["region"]) == ("Northwind Bank home", "header")
    by_text = home.set_index("text")
    assert by_text.loc["Personal", "region"] == "nav"
    assert by_text.loc["Log in", "region"] == "header"
    assert by_text.loc["Explore pensions", "region"] == "main"
    assert by_text.loc["Home insurance from 5 a month", "region"] == "aside"
    assert by_text.loc["Find a branch", "region"] == "footer"
    assert by_text.loc["Northwind on Facebook", "kind"] == "external"
    assert by_text.loc["Northwind on X", "target_url"] == "https://twitter.example/northwind"
    assert by_text.loc["Email us", "kind"] == "mailto"
    assert by_text.loc["Call 0800 123 4567", "kind"] == "tel"
    assert by_text.loc["Cookie settings", "kind"] == "javascript"
    assert by_text.loc["Northwind mirror", "kind"] == "private"  # localhost, not allowed
    crumbs = links[(links["source_url"] == site.url + "help/cards/") & (links["text"] == "Help")]
    assert crumbs["region"].tolist() == ["nav"]
