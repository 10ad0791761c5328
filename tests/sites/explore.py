"""A credit union whose controls say nothing in their markup (issue 34): what opens what is
found only by pressing.

Written the way framework apps and jQuery themes really ship, not to match toptasks' code:
every handler is delegated to the app's root element (as React attaches its events), so no
control carries an onclick, an aria-expanded, a pointer cursor or a "toggle" class.

On a phone:
- A "Download our mobile app" pop-up (a dialog on an empty full-screen backdrop) covers the
  page at load; its × closes it. A person closes it first: one interaction on every task.
- The main menu opens from a <button> holding three <span> bars and no name at all; inside it,
  "Services" opens with its ▾ arrow, and shows "Bill Pay".
- "Log in" sits in a left drawer opened by a <div> holding an icon image (alt "Account").
On a desktop: "Services" opens on hover (CSS :hover), "Log in" is in the header, and "More"
opens a panel that neither a second press nor Escape closes (only a reload puts the page back).
Everywhere: "Open an account" is a button whose handler was never written (dead), and so is
Bill Pay's "Start a payment", and "Older news", a link to "#" dressed as a button, far down;
a sticky sidebar is the site's furniture, no pop-up; "Contact us"
has a copy in the desktop header and one in the footer; "Search" is an icon link with no text,
pale on purpose (contrast is no question for an icon).
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

from tests.sites.server import Reply, Route

STYLE = """
body { margin: 0; font: 16px/1.5 Arial, sans-serif; color: #222; }
.bar { display: flex; align-items: center; gap: 16px; padding: 12px 16px; background: #fff;
       border-bottom: 1px solid #ccc; }
.bar a { color: #00457c; }
.search img { width: 24px; height: 24px; }
.search { color: #ddd; }
.services { position: relative; list-style: none; margin: 0; padding: 0; display: flex; gap: 16px; }
.services > li { position: relative; }
.services ul { display: none; position: absolute; top: 24px; left: 0; background: #fff;
               border: 1px solid #ccc; list-style: none; padding: 8px; width: 160px; }
.services > li:hover ul { display: block; }
.more-panel { display: none; position: absolute; top: 56px; left: 0; right: 0; height: 120px;
              background: #eef; padding: 16px; }
.more-panel.shown { display: block; }
.bars, .account, .drawer, .mobile-nav { display: none; }
.hero { padding: 40px 16px; background: #f4f4f4; }
.hero button { font-size: 18px; padding: 12px 20px; }
footer { margin-top: 1200px; padding: 16px; background: #eee; }
.popup, .backdrop { display: none; }
.side { position: sticky; top: 0; float: right; width: 30%; height: 500px; background: #f8f8f8; }
.older { margin-top: 1000px; }
@media (max-width: 600px) {
  .desktop { display: none; }
  .bars { display: block; width: 44px; height: 44px; background: none; border: 0; }
  .bars span { display: block; height: 3px; margin: 6px 8px; background: #222; }
  .account { display: block; width: 44px; height: 44px; }
  .account img { width: 32px; height: 32px; margin: 6px; }
  .mobile-nav.open { display: block; padding: 8px 16px; }
  .mobile-nav ul { list-style: none; padding: 0; }
  .mobile-nav .sub { display: none; padding-left: 16px; }
  .mobile-nav .sub.open { display: block; }
  .drawer.open { display: block; position: fixed; top: 0; bottom: 0; left: 0; width: 260px;
                 background: #fff; padding: 16px; box-shadow: 2px 0 8px #0004; z-index: 5; }
  .backdrop.shown { display: block; position: fixed; inset: 0; background: #0008; z-index: 10; }
  .popup.shown { display: block; position: fixed; top: 200px; left: 30px; right: 30px;
                 padding: 24px; background: #fff; z-index: 11; }
}
"""

ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E"
    "%3Ccircle cx='12' cy='8' r='5' fill='%23222'/%3E%3C/svg%3E"
)

# The app's one listener, on its root, as React registers them.
SCRIPT = """
const root = document.getElementById('root');
root.addEventListener('click', event => {
  const on = selector => event.target.closest(selector);
  if (on('.bars')) document.querySelector('.mobile-nav').classList.toggle('open');
  else if (on('.account')) document.querySelector('.drawer').classList.toggle('open');
  else if (on('.arrow')) document.querySelector('.mobile-nav .sub').classList.toggle('open');
  else if (on('.more')) document.querySelector('.more-panel').classList.add('shown');
  else if (on('.popup .x')) {
    document.querySelector('.popup').classList.remove('shown');
    document.querySelector('.backdrop').classList.remove('shown');
  }
});
if (/Mobile/.test(navigator.userAgent)) {
  document.querySelector('.popup').classList.add('shown');
  document.querySelector('.backdrop').classList.add('shown');
}
"""

HEADER = f"""<header class="bar">
  <button class="bars"><span></span><span></span><span></span></button>
  <div class="account"><img src="{ICON}" alt="Account"></div>
  <a href="/">Summit Credit Union</a>
  <ul class="services desktop">
    <li><a href="/services">Services</a>
      <ul><li><a href="/services/bill-pay">Bill Pay</a></li>
          <li><a href="/services/transfers">Transfers</a></li></ul></li>
    <li><span class="more">More</span></li>
  </ul>
  <a class="desktop" href="/login">Log in</a>
  <a class="desktop" href="/contact">Contact us</a>
  <a class="search" href="/search"><img src="{ICON}" alt="Search"></a>
</header>
<div class="more-panel"><a href="/about">About us</a> <a href="/careers">Careers</a></div>
<nav class="mobile-nav"><ul>
  <li>Services <span class="arrow">▾</span>
    <ul class="sub"><li><a href="/services/bill-pay">Bill Pay</a></li>
        <li><a href="/services/transfers">Transfers</a></li></ul></li>
  <li><a href="/rates">Rates</a></li>
</ul></nav>
<div class="drawer"><a href="/login">Log in</a><br><a href="/register">Register</a></div>"""

FOOTER = """<footer><a href="/contact">Contact us</a> · <a href="/privacy">Privacy</a></footer>
<div class="backdrop"></div>
<div class="popup" role="dialog"><span class="x">×</span>
  <p>Download our mobile app: bank on the go.</p><a href="/app">Get the app</a></div>"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Summit Credit Union</title><style>{STYLE}</style>
<script async src="/tag.js"></script></head>
<body><div id="root">{HEADER}<main>{body}</main>{FOOTER}</div><script>{SCRIPT}</script>
</body></html>"""


HOME = """<section class="hero"><h1>Banking that lives where you do</h1>
<button class="open">Open an account</button></section>
<aside class="side"><a href="/rates">Rates</a><br><a href="/about">About us</a></aside>
<p>Rates, loans and help for members.</p>
<p class="older"><a class="btn btn-primary" href="#">Older news →</a></p>"""

TASKS = """tasks:
  - id: login
    name: Log in
    entry: {text: ["log in"]}
    target: {url: "/login$"}
  - id: bill_pay
    name: Pay a bill
    entry: {text: ["bill pay"]}
    target: {url: "/services/bill-pay$"}
  - id: open_account
    name: Open an account
    entry: {text: ["open an account"]}
    target: {url: "/join$"}
  - id: contact
    name: Contact us
    entry: {text: ["contact us"]}
    target: {url: "/contact$"}
  - id: older_news
    name: Read older news
    entry: {text: ["older news"]}
    target: {url: "/news/page-2$"}
  - id: search
    name: Search the site
    entry: {text: ["search"]}
    target: {url: "/search$"}
"""

TAG_HOLD_S = 20  # a third-party tag that never finishes: the load event never comes


def _hanging_tag(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/javascript")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b"// analytics\n")
    handler.wfile.flush()
    time.sleep(TAG_HOLD_S)


def routes() -> dict[str, Route]:
    titles = {
        "/services": "Services",
        "/services/bill-pay": "Bill Pay",
        "/services/transfers": "Transfers",
        "/login": "Log in",
        "/register": "Register",
        "/contact": "Contact us",
        "/search": "Search",
        "/rates": "Rates",
        "/about": "About us",
        "/careers": "Careers",
        "/privacy": "Privacy",
        "/app": "Our app",
    }
    table: dict[str, Route] = {p: Reply(page(t, f"<h1>{t}</h1>")) for p, t in titles.items()}
    table["/"] = Reply(page("Welcome", HOME))
    pay = "<h1>Bill Pay</h1><button class=pay>Start a payment</button>"  # never wired either
    table["/services/bill-pay"] = Reply(page("Bill Pay", pay))
    table["/robots.txt"] = Reply("User-agent: *\nAllow: /\n", content_type="text/plain")
    table["/tag.js"] = _hanging_tag
    return table
