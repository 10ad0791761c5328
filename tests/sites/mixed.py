"""Harbour Insurance: a server-rendered site where two pages build their links by script.

- /help lists its topics in HTML, but the "Contact us" link is added by a script.
- /services has no link at all in its HTML: its whole list is built by a script.
Expected click paths from /: help 1 (/help), quote 2 (/services > /services/quote),
contact 2 (/help > /help/contact), and the site is crawled over HTTP.
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

HEADER = """<header><a href="/">Harbour Insurance</a>
<nav><a href="/help">Help</a> <a href="/services">Services</a> <a href="/about">About us</a></nav>
</header>"""


FOOTER = '<footer><a href="/privacy">Privacy</a></footer>'


def page(title: str, body: str, script: str = "", frame: bool = True) -> Reply:
    """A page with the site's header and footer, or (frame False) without a single link."""
    header, footer = (HEADER, FOOTER) if frame else ("<header>Harbour Insurance</header>", "")
    return Reply(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
</head><body>{header}<main><h1>{title}</h1>{body}</main>{footer}
<script>{script}</script></body></html>""")


ADD_CONTACT = """document.getElementById('topics').insertAdjacentHTML('beforeend',
  '<li><a href="/help/contact">Contact us</a></li>');"""
BUILD_SERVICES = """document.getElementById('list').innerHTML =
  '<a href="/services/quote">Get a quote</a> <a href="/services/claims">Make a claim</a>';"""
INTRO = """<p>Home, car and travel insurance from people who answer the phone. We have insured
the harbour towns for ninety years, and we pay claims within five working days.</p>"""


def routes() -> dict[str, Route]:
    return {
        "/": page("Harbour Insurance", INTRO),
        "/help": page(
            "Help",
            '<ul id="topics"><li><a href="/help/claims">Claims questions</a></li></ul>',
            ADD_CONTACT,
        ),
        "/help/contact": page("Contact us", "<p>Call us on 0800 555 010.</p>"),
        "/help/claims": page("Claims questions", "<p>How claims work.</p>"),
        "/services": page("Services", '<div id="list">Loading...</div>', BUILD_SERVICES, False),
        "/services/quote": page("Get a quote", "<form><input name='postcode'></form>"),
        "/services/claims": page("Make a claim", "<p>Tell us what happened.</p>"),
        "/about": page("About us", "<p>Ninety years.</p>"),
        "/privacy": page("Privacy", "<p>Your data.</p>"),
    }
