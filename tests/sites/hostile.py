"""Harbourline Energy's broken twin: a small site that misbehaves in every way issue 8 lists.

A calendar that links to next month forever, session ids in links, a redirect loop, a chain of
20 redirects and one to another host, a 50 MB page, a page that trickles a byte a second, a
server that accepts and never answers, a PDF and a zip behind HTML-looking links, a page with no
Content-Type, one in ISO-8859-1, malformed HTML that still holds the way to the contact page, a
page that answers 429 once with Retry-After, hostile text and 10,000 links on one page, and
links to `javascript:`, `data:`, `file:` and private addresses.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler

from tests.sites.server import HOST_TOKEN, Reply, Route, redirect

CALENDAR_MONTHS = 40  # far more than the per-pattern cap the test config sets
HUGE_BYTES = 50 * 1024 * 1024
HOSTILE_TEXT = "<script>alert('x')</script>"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","Click")'


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header class="site-header"><a href="/">Harbourline Energy</a>
  <nav><a href="/help/">Help</a> <a href="/calendar?month=1">Events</a></nav></header>
<main>{body}</main>
<footer class="site-footer"><a href="/contact-us">Contact</a></footer>
</body></html>"""


HOME = page(
    "Harbourline Energy",
    """
<h1>Harbourline Energy</h1>
<ul>
  <li><a href="/products;jsessionid=A1B2C3">Products</a></li>
  <li><a href="/products?sid=9f8e7d">Our products</a></li>
  <li><a href="/products">All products</a></li>
  <li><a href="/loop-a">Loop</a></li>
  <li><a href="/chain/0">Chain</a></li>
  <li><a href="/away">Partner site</a></li>
  <li><a href="/huge">Price list</a></li>
  <li><a href="/trickle">Live usage</a></li>
  <li><a href="/silent">Outage map</a></li>
  <li><a href="/tariffs.html">Tariffs</a></li>
  <li><a href="/photo.html">Photo</a></li>
  <li><a href="/downloads/meter-guide">Meter guide</a></li>
  <li><a href="/no-type">Moving home</a></li>
  <li><a href="/latin1">Café de la mer</a></li>
  <li><a href="/broken">Help with bills</a></li>
  <li><a href="/busy">Smart meters</a></li>
  <li><a href="/hostile">Community</a></li>
  <li><a href="javascript:alert(1)">Chat</a></li>
  <li><a href="data:text/html,hello">Data</a></li>
  <li><a href="file:///etc/passwd">Local file</a></li>
  <li><a href="http://10.0.0.1/admin">Intranet</a></li>
  <li><a href="http://[::1">Broken link</a></li>
</ul>""",
)


def calendar(month: int) -> str:
    return page(
        f"Events in month {month}",
        f'<a href="/calendar?month={month - 1}">Previous</a> '
        f'<a href="/calendar?month={month + 1}">Next</a>',
    )


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """Headers at once, then one byte a second: only a download timeout ends it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(120):
            handler.wfile.write(b"<")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def silent(handler: BaseHTTPRequestHandler) -> None:
    """Accepts the connection and never answers."""
    time.sleep(120)


def huge(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(HUGE_BYTES))
    handler.end_headers()
    chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
    try:
        for _ in range(HUGE_BYTES // len(chunk)):
            handler.wfile.write(chunk)
    except OSError:
        pass


class Busy:
    """429 with Retry-After: 1 on the first request, the page after that."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.calls += 1
            first = self.calls == 1
        if first:
            handler.reply(Reply("busy", 429, "text/plain", {"Retry-After": "1"}))
        else:
            handler.reply(Reply(page("Smart meters", "<p>Book a smart meter.</p>")))


MALFORMED = (
    "<html><head><title>Help with bills</title><body><div><p>Questions?<table><tr><td>"
    "<a href='/contact/'>Contact us<b>now</a></td></div></body>"
)

LATIN1 = page("Café de la mer", '<p>Où est le café?</p><a href="/hours/">Heures</a>').encode(
    "iso-8859-1"
)


def hostile_page() -> str:
    many = "".join(f'<a href="/many?item={i}">Item {i}</a>' for i in range(10_000))
    deep = "<div>" * 3000 + "deep" + "</div>" * 3000
    return page(
        HOSTILE_TEXT,
        f'<a href="/safe?q=<script>alert(1)</script>">{HOSTILE_TEXT}</a>'
        f'<a href="/formula">{FORMULA_TEXT}</a>{many}{deep}',
    )


def routes() -> dict[str, Route]:
    html = "text/html; charset=utf-8"
    site: dict[str, Route] = {
        "/robots.txt": Reply("User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/": Reply(HOME),
        "/help/": Reply(page("Help", "<p>Help topics.</p>")),
        "/products": Reply(page("Products", "<p>Gas and electricity.</p>")),
        "/loop-a": redirect("/loop-b", 302),
        "/loop-b": redirect("/loop-a", 302),
        "/away": redirect(f"http://{HOST_TOKEN}/partner", 302),
        "/huge": huge,
        "/trickle": trickle,
        "/silent": silent,
        "/tariffs.html": Reply(b"%PDF-1.4\n%fake tariff sheet\n", content_type="application/pdf"),
        "/photo.html": Reply(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"),
        "/downloads/meter-guide": Reply(b"PK\x03\x04" + b"\0" * 64, content_type="application/zip"),
        "/no-type": Reply(
            page("Moving home", '<a href="/moving/checklist">Checklist</a>'), content_type=""
        ),
        "/moving/checklist": Reply(page("Moving checklist", "<p>Tell us your meter reading.</p>")),
        "/latin1": Reply(LATIN1, content_type="text/html; charset=iso-8859-1"),
        "/hours/": Reply(page("Opening hours", "<p>We are open 9 to 5.</p>")),
        "/broken": Reply(MALFORMED, content_type=html),
        "/contact/": Reply(page("Contact us", "<p>Call us on 0800 000 000.</p>")),
        "/busy": Busy(),
        "/hostile": Reply(hostile_page()),
    }
    for i in range(20):
        site[f"/chain/{i}"] = redirect(f"/chain/{i + 1}", 302)
    site["/chain/20"] = Reply(page("End of the chain", ""))
    for month in range(-CALENDAR_MONTHS, CALENDAR_MONTHS + 1):
        site[f"/calendar?month={month}"] = Reply(calendar(month))
    return site
