"""max_pages and max_depth bound the crawl: a user's guard against huge sites and link traps."""

from __future__ import annotations

from tests.conftest import BANK_TASKS, read_csv, toptasks
from tests.sites.server import FixtureSite, Reply


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
    # robots.txt, and /sitemap.xml when it names no sitemap, are read before any page.
    page_requests = [
        p for p in bank_site.paths_requested() if p not in ("/robots.txt", "/sitemap.xml")
    ]
    assert len(page_requests) == 5


def _shop_with_a_calendar_trap() -> dict:
    """A calendar whose every day links to the next 30 (a trap that grows with each click), a
    news list of 40 pages, and a catalogue of 150 products."""
    page = "<!doctype html><title>{0}</title><h1>{0}</h1>{1}"

    def links(urls: list[str]) -> str:
        return " ".join(f'<a href="{u}">{u}</a>' for u in urls)

    def day(handler) -> None:
        d = int(handler.path.split("d=")[1])
        handler.reply(
            Reply(page.format(f"Day {d}", links([f"/cal?d={d + i}" for i in range(1, 31)])))
        )

    news = [f"/news?page={n}" for n in range(1, 41)]
    products = [f"/product/{n}" for n in range(1, 151)]
    routes = {
        "/": Reply(page.format("Shop", links(["/cal?d=1", "/news?page=1", "/shop"]))),
        "/cal": day,
        "/shop": Reply(page.format("Catalogue", links(products))),
    }
    routes |= {url: Reply(page.format("News", links(news))) for url in news}
    routes |= {url: Reply(page.format("Product", "<p>Buy it.</p>")) for url in products}
    return routes


def test_a_trap_never_eats_the_page_budget(tmp_path):
    """300 pages: the calendar stops at 50 (a pattern's budget is a tenth of max_pages, at
    least 50) with a crawl_trap finding; the 40-page news list and the catalogue are whole."""
    tasks = tmp_path / "tasks.yaml"
    tasks.write_text(
        "site: {max_pages: 300, max_depth: 10}\n"
        'tasks:\n  - {id: news, name: Read the news, target: {url: "page=40$"}}\n'
    )
    with FixtureSite(_shop_with_a_calendar_trap()) as site:
        args = ("audit", site.url, "--tasks", tasks, "--out", tmp_path / "o")
        done = toptasks(*args, "--no-throttle", "--no-render")
        requested = site.paths_requested()
    assert done.returncode == 0, done.stderr
    assert len([p for p in requested if p.startswith("/cal")]) == 50
    assert len({p for p in requested if p.startswith("/news")}) == 40
    assert len({p for p in requested if p.startswith("/product/")}) == 150
    traps = read_csv(tmp_path / "o" / "findings.csv").query("kind == 'crawl_trap'")
    assert [e.split("/", 1)[1] for e in traps["element"]] == ["cal?d"]
