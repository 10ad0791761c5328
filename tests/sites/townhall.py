"""Riverside Council: a town hall's site that publishes sitemaps, with the faults real ones have.

robots.txt names a sitemap index; it lists a plain sitemap and a gzipped one. Among the
addresses they list: a page linked from nowhere that a customer's task needs (closing a council
tax account), another orphan (an event), a redirect, pages that answer 404, 410 and 500, a page
robots.txt forbids, and a page that says noindex. Some linked pages are in no sitemap.

The site also reaches pages under several addresses: the logo links to /index.html (the home
page again), the footer's Home link carries utm_* parameters, the main menu links to /news
while the sitemap lists /news/, and to /council/?ref=nav, which names /council/ as canonical.
"""

from __future__ import annotations

import gzip
import time
from html import escape
from http.server import BaseHTTPRequestHandler

from tests.sites.server import Reply, Route, redirect

HEADER = """
<header class="site-header">
  <a href="/index.html" class="logo"><img src="/logo.svg" alt="Riverside Council"></a>
  <nav aria-label="Main"><ul>
    <li><a href="/services/">Services</a></li>
    <li><a href="/council/?ref=nav">Council and democracy</a></li>
    <li><a href="/news">News</a></li>
    <li><a href="/contact/">Contact us</a></li>
  </ul></nav>
</header>
"""

FOOTER = """
<footer class="site-footer">
  <a href="/?utm_source=footer&amp;utm_medium=link">Home</a>
  <a href="/accessibility/">Accessibility</a>
</footer>
"""


def page(title: str, body: str, crumbs: list[tuple[str, str]] = (), head: str = "") -> str:
    trail = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in crumbs)
    breadcrumb = f'<nav class="breadcrumb"><ol>{trail}</ol></nav>' if crumbs else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Riverside Council</title>
{head}</head>
<body>{HEADER}{breadcrumb}<main><h1>{escape(title)}</h1>{body}</main>{FOOTER}</body></html>"""


def links(*pairs: tuple[str, str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for h, t in pairs) + "</ul>"


HOME_CRUMB = ("/", "Home")
SERVICES = ("/services/", "Services")
TAX = ("/services/council-tax/", "Council tax")
HOME = page(
    "Welcome to Riverside",
    "<p>Your council, online.</p>"
    + links(
        ("/services/council-tax/pay", "Pay your council tax"),
        ("/services/bins/", "Bin collection days"),
    ),
)
NEWS = page("News", "<p>The new library opens in May.</p>", [HOME_CRUMB])
COUNCIL = page(
    "Council and democracy",
    links(("/council/meetings", "Council meetings and minutes")),
    [HOME_CRUMB],
    '<link rel="canonical" href="/council/">',
)

PAGES: dict[str, str] = {
    "/": HOME,
    "/index.html": HOME,
    "/services/": page(
        "Services",
        links(
            ("/services/bins/", "Bins and recycling"),
            ("/services/council-tax/", "Council tax"),
            ("/services/parking/", "Parking"),
        ),
        [HOME_CRUMB],
    ),
    "/services/bins/": page(
        "Bin collection days", "<p>Your bins are collected every Tuesday.</p>", [HOME_CRUMB]
    ),
    "/services/council-tax/": page(
        "Council tax",
        links(
            ("/services/council-tax/pay", "Pay your council tax"),
            ("/services/council-tax/bands", "Council tax bands"),
        ),
        [HOME_CRUMB, SERVICES],
    ),
    "/services/council-tax/pay": page(
        "Pay your council tax", "<p>Pay by card or direct debit.</p>", [HOME_CRUMB, SERVICES, TAX]
    ),
    "/services/council-tax/bands": page(
        "Council tax bands", "<p>Bands A to H.</p>", [HOME_CRUMB, SERVICES, TAX]
    ),
    "/services/council-tax/close-account": page(
        "Close your council tax account",
        "<p>Moving out? Tell us the date and we will close your account.</p>",
        [HOME_CRUMB, SERVICES, TAX],
    ),
    "/services/parking/": page("Parking", "<p>Permits and car parks.</p>", [HOME_CRUMB]),
    "/council/": COUNCIL,
    "/council/?ref=nav": COUNCIL,
    "/council/meetings": page(
        "Council meetings and minutes",
        "<p>Meetings are held monthly.</p>"
        + links(("/draft-budget", "Draft budget for consultation")),
        [HOME_CRUMB],
    ),
    "/draft-budget": page(
        "Draft budget",
        "<p>Not final.</p>",
        [HOME_CRUMB],
        '<meta name="robots" content="noindex, follow">',
    ),
    "/news": NEWS,
    "/news/": NEWS,
    "/contact/": page("Contact us", "<p>Call 01234 567890.</p>", [HOME_CRUMB]),
    "/accessibility/": page("Accessibility", "<p>We test with screen readers.</p>"),
    "/events/summer-fair": page("Summer fair", "<p>Riverside park, 12 July.</p>"),
    "/staff/rota": page("Staff rota", "<p>Staff only.</p>"),
}

PAGES_SITEMAP = [
    "/",
    "/council/",
    "/news/",
    "/contact/",
    "/old-page",
    "/gone",
    "/removed",
    "/broken",
    "/staff/rota",
    "/draft-budget",
    "/events/summer-fair",
    "/services/bins/?utm_source=sitemap",
]
SERVICES_SITEMAP = [
    "/services/",
    "/services/bins/",
    "/services/council-tax/",
    "/services/council-tax/pay",
    "/services/council-tax/bands",
    "/services/council-tax/close-account",
]
ORPHANS = ["/services/council-tax/close-account", "/events/summer-fair"]
NOT_IN_SITEMAP = ["/services/parking/", "/council/meetings", "/accessibility/"]


def origin(handler: BaseHTTPRequestHandler) -> str:
    return f"http://127.0.0.1:{handler.server.server_address[1]}"


def urlset(paths: list[str], base: str) -> str:
    items = "".join(f"<url><loc>{escape(base + p)}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    )


def index(paths: list[str], base: str) -> str:
    items = "".join(f"<sitemap><loc>{escape(base + p)}</loc></sitemap>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}'
        "</sitemapindex>"
    )


def xml(make) -> Route:
    """A route whose XML names the server's own address (known once it listens)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.reply(Reply(make(origin(handler)), content_type="application/xml"))

    return route


def gzipped_xml(make) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        body = gzip.compress(make(origin(handler)).encode())
        handler.reply(Reply(body, content_type="application/x-gzip"))

    return route


def robots(sitemap_path: str | None, extra: str = "") -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        named = f"Sitemap: {origin(handler)}{sitemap_path}\n" if sitemap_path else ""
        body = f"User-agent: *\nDisallow: /staff/\n{extra}\n{named}"
        handler.reply(Reply(body, content_type="text/plain"))

    return route


def article(n: int) -> str:
    return page(f"Council news {n}", f"<p>Story number {n} from the town hall.</p>", [HOME_CRUMB])


def slow(reply: Reply, delay_s: float) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(delay_s)
        handler.reply(reply)

    return answer


def routes(articles: int = 0, delay_s: float = 0.0) -> dict[str, Route]:
    """The site; with `articles`, news stories /news/1... of which the odd ones are linked
    from the news page and the even ones only listed in /sitemaps/news.xml (orphans), every
    page answered after `delay_s` (robots.txt and sitemaps at once)."""
    pages = dict(PAGES)
    stories = [f"/news/{n}" for n in range(1, articles + 1)]
    if articles:
        linked = [(path, f"Council news {n}") for n, path in enumerate(stories, 1) if n % 2]
        pages["/news"] = pages["/news/"] = page("News", links(*linked), [HOME_CRUMB])
        pages |= {path: article(n) for n, path in enumerate(stories, 1)}
    served: dict[str, Route] = {
        path: slow(Reply(html), delay_s) if delay_s else Reply(html) for path, html in pages.items()
    }
    served["/robots.txt"] = robots("/sitemap_index.xml")
    sitemaps = ["/sitemaps/pages.xml", "/sitemaps/services.xml.gz"]
    if articles:
        sitemaps.append("/sitemaps/news.xml")
        served["/sitemaps/news.xml"] = xml(lambda base: urlset(stories, base))
    served["/sitemap_index.xml"] = xml(lambda base: index(sitemaps, base))
    served["/sitemaps/pages.xml"] = xml(lambda base: urlset(PAGES_SITEMAP, base))
    served["/sitemaps/services.xml.gz"] = gzipped_xml(lambda base: urlset(SERVICES_SITEMAP, base))
    served["/old-page"] = redirect("/council/")
    served["/removed"] = Reply(page("Gone", "<p>This page was removed.</p>"), status=410)
    served["/broken"] = Reply(page("Error", "<p>Something went wrong.</p>"), status=500)
    served["/logo.svg"] = Reply(
        "<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
    )
    return served


TASKS = """
site:
  max_pages: 100
tasks:
  - id: pay_council_tax
    name: Pay your council tax
    entry:
      text: ["pay", "council tax"]
    target:
      url: "/council-tax/pay$"
  - id: bins
    name: Find your bin collection day
    entry:
      text: ["bin", "recycling"]
    target:
      text: "collected every Tuesday"
  - id: close_account
    name: Close your council tax account
    entry:
      text: ["close", "moving out"]
    target:
      url: "/close-account$"
  - id: meetings
    name: Council meetings and minutes
    entry:
      text: ["meetings", "minutes"]
    target:
      url: "/council/meetings$"
  - id: contact
    name: Contact Riverside Council
    entry:
      text: ["contact"]
    target:
      text: "Call 01234"
"""
