"""Northgate Bank: one page per kind of distraction, a clean page, and a competing link.

The home page's prominent "Card offers" link competes with the true path to "Report a lost
card" (Help, then the lost card page). Each other page carries one distractor of known size.
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

STYLE = """
body { margin: 0; font: 16px/1.5 sans-serif; }
header { height: 60px; display: flex; gap: 16px; align-items: center; padding: 0 16px; }
main { padding: 16px; }
"""


def page(title: str, body: str, extra: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Northgate Bank</title><style>{STYLE}</style></head><body>
<header><a href="/">Northgate</a><nav><a href="/help">Help</a></nav></header>
<main><h1>{title}</h1>{body}</main>
<footer><a href="/contact">Contact</a></footer>{extra}</body></html>"""


HOME = page(
    "Banking made simple",
    """<p><a class="cta" href="/cards/offers" style="font-size:32px">Card offers</a></p>
<p><a href="/mortgages">Mortgages</a></p>
<ul><li><a href="/carousel">Our story</a></li><li><a href="/newsletter">News</a></li>
<li><a href="/cookies">Savings</a></li><li><a href="/promo">Loans</a></li>
<li><a href="/video">Meet us</a></li><li><a href="/clean">Opening hours</a></li></ul>""",
)

CAROUSEL = page(
    "Our story",
    """<div class="hero-rotator" style="height:300px;background:#dde">
<h2 id="slide">Since 1901</h2></div>""",
    """<script>var n = 0; setInterval(function () {
  var slides = ['Since 1901', 'Local people', 'Good rates'];
  document.getElementById('slide').textContent = slides[++n % 3];
}, 600);</script>""",
)

NEWSLETTER = page(
    "News",
    "<p>Latest news.</p>",
    """<div role="dialog" aria-modal="true" style="position:fixed;top:184px;left:383px;width:600px;
height:400px;background:#fff;border:1px solid #333">Sign up to our newsletter
<button>No thanks</button></div>""",
)

COOKIES = page(
    "Savings",
    "<p>Save with us.</p>",
    """<div style="position:fixed;left:0;right:0;bottom:0;height:300px;background:#222;color:#fff">
We use cookies to improve your experience. <button>Accept all</button></div>""",
)

PROMO = page(
    "Loans",
    """<div class="promo-banner" style="height:120px;background:#fc0">Borrow 10,000 at 5.9% APR
today</div><p>Our loans.</p>""",
)

VIDEO = page("Meet us", '<video autoplay muted loop width="640" height="360"></video>')

CLEAN = page(
    "Opening hours",
    """<p>Our branches are open Monday to Friday, 9am to 5pm.</p>
<ul><li><a href="/contact">Contact us</a></li><li><a href="/help">Help</a></li></ul>""",
)

HELP = page(
    "Help",
    '<ul><li><a href="/help/lost-card">Report a lost card</a></li>'
    '<li><a href="/help/pin">Forgotten PIN</a></li></ul>',
)

PAGES = {
    "/": HOME,
    "/carousel": CAROUSEL,
    "/newsletter": NEWSLETTER,
    "/cookies": COOKIES,
    "/promo": PROMO,
    "/video": VIDEO,
    "/clean": CLEAN,
    "/help": HELP,
    "/help/lost-card": page("Report a lost card", "<p>We will cancel it at once.</p>"),
    "/help/pin": page("Forgotten PIN", "<p>We will post a reminder.</p>"),
    "/cards/offers": page("Card offers", "<p>0% for 20 months.</p>"),
    "/mortgages": page("Mortgages", "<p>Buy a home.</p>"),
    "/contact": page("Contact", "<p>Call us.</p>"),
}

TASKS = """tasks:
  - id: lost_card
    name: Report a lost card
    entry: {text: ["lost card", "stolen"]}
    target: {url: "/help/lost-card$"}
""" + "".join(
    f"""  - id: {name}
    name: Visit {name}
    target: {{url: "/{name}$"}}
"""
    for name in ("carousel", "newsletter", "cookies", "promo", "video", "clean")
)


def routes() -> dict[str, Route]:
    return {path: Reply(html) for path, html in PAGES.items()}
