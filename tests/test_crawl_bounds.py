"""max_pages and max_depth bound the crawl: a user's guard against huge sites and link traps."""

from __future__ import annotations

from tests.conftest import BANK_TASKS, read_csv, toptasks


def test_max_depth_stops_following_links(tmp_path, bank_site):
    out = tmp_path / "o"
    done = toptasks(
        "audit",
        bank_site.url,
        "--tasks",
        BANK_TASKS,
        "--out",
        out,
        "--max-depth",
        "1",
        "--no-throttle",
        "--no-render",
    )
    assert done.returncode == 0, done.stderr
    pages = read_csv(out / "pages.csv")
    assert set(pages["depth"]) == {"0", "1"}
    assert "/help/cards/" not in bank_site.paths_requested()
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["login", "clicks"] == "1"
    assert tasks.loc["report_lost_card", "reachable"] == "false"


def test_max_pages_caps_requests(tmp_path, bank_site):
    out = tmp_path / "o"
    done = toptasks(
        "audit",
        bank_site.url,
        "--tasks",
        BANK_TASKS,
        "--out",
        out,
        "--max-pages",
        "5",
        "--no-throttle",
        "--no-render",
    )
    assert done.returncode == 0, done.stderr
    assert len(read_csv(out / "pages.csv")) == 5
    page_requests = [p for p in bank_site.paths_requested() if p != "/robots.txt"]
    assert len(page_requests) == 5
