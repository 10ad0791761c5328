"""Lakeside Bank: a small site with its own search box, whose search engine is good at some
tasks, wrong about one, empty for another, and the only way to a hidden offer.

Search answers /search?q=…: "lost"/"card" words list the cards help page, then the lost-card
page (rank 2); "bill" lists the about and careers pages (irrelevant); "hours" finds nothing;
"gold" lists the gold card offer, which no link reaches.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.sites.server import Reply, Route

TASKS = """tasks:
  - id: lost_card
    name: Report a lost card
    entry: {text: [lost card]}
    target: {url: "/help/cards/lost$"}
  - id: pay_bill
    name: Pay a bill
    target: {url: "/payments/bill$"}
  - id: hours
    name: Branch opening hours
    target: {url: "/branches$"}
  - id: gold
    name: Gold card offer
    target: {url: "/offers/gold$"}
"""


def page(title: str, main: str, method: str = "get") -> str:
    return f"""<!doctype html><html lang="en"><head><title>{title} | Lakeside Bank</title></head>
<body><header><a href="/">Lakeside Bank</a>
<nav><a href="/help">Help</a> <a href="/login">Log in</a></nav>
<form role="search" action="/search" method="{method}">
<label>Search <input type="search" name="q"></label><input type="hidden" name="lang" value="en">
<button>Search</button></form></header>
<main><h1>{title}</h1>{main}</main>
<footer><a href="/about">About us</a> <a href="/careers">Careers</a></footer></body></html>"""


RESULTS = {  # the first entry whose word is in the query answers
    ("gold",): ["/offers/gold"],
    ("lost", "card"): ["/help/cards", "/help/cards/lost", "/offers/card"],
    ("bill",): ["/about", "/careers"],
}


def _search(handler: BaseHTTPRequestHandler) -> None:
    words = parse_qs(urlsplit(handler.path).query).get("q", [""])[0].lower()
    found = next((urls for keys, urls in RESULTS.items() if any(k in words for k in keys)), [])
    items = "".join(f'<li><a href="{url}">{url.rsplit("/", 1)[-1]}</a></li>' for url in found)
    body = f"<ol>{items}</ol>" if found else "<p>No results.</p>"
    handler.reply(Reply(page(f"Search: {words}", body)))


def routes(method: str = "get", robots: str = "") -> dict[str, Route]:
    pages = {
        "/": (
            "Welcome",
            '<a href="/payments/bill">Pay a bill</a> <a href="/branches">Branches</a>',
        ),
        "/help": ("Help", '<a href="/help/cards">Cards</a>'),
        "/help/cards": ("Cards", '<a href="/help/cards/lost">Report a lost card</a>'),
        "/help/cards/lost": ("Report a lost card", "<p>Call us.</p>"),
        "/payments/bill": ("Pay a bill", "<p>Pay here.</p>"),
        "/branches": ("Branches and opening hours", "<p>9 to 5.</p>"),
        "/offers/gold": ("Gold card offer", "<p>Gold.</p>"),
        "/offers/card": ("Card offers", "<p>Offers.</p>"),
        "/about": ("About us", "<p>About.</p>"),
        "/careers": ("Careers", "<p>Jobs.</p>"),
        "/login": ("Log in", "<p>Log in.</p>"),
    }
    routes: dict[str, Route] = {
        path: Reply(page(title, main, method)) for path, (title, main) in pages.items()
    }
    routes["/search"] = _search
    routes["/robots.txt"] = Reply(robots or "User-agent: *\nAllow: /\n", content_type="text/plain")
    return routes
