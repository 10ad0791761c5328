# ruff: noqa: E501  (the fixture's HTML and CSS read best unbroken)
"""Oakridge Bank: menus as customers meet them.

Desktop (1366 px): "Personal" opens on hover (CSS :hover, no aria-expanded anywhere), and inside
it "Cards" opens on hover too: Lost card needs two hovers. "Business" is a button that opens a
panel whose "Loans" button opens the loan links: two clicks. "Log in" is a plain header link.
Phone (below 800 px): everything sits behind a hamburger; Personal's lists are then shown as
they are, Business and Loans still need their buttons.

Keyboard, on desktop: Tab reaches "Log in" at the 4th press (Oakridge, Personal, Business
first); "Business loan" through its menu's opener, Business, at the 3rd; "Lost card" never
(Personal opens on hover only); "Branches" never (tabindex=-1); "Savings rates" takes focus
unseen (outline: none).

Expected interactions (1 click each, from /): login 1 on both (beside the hamburger); lost_card 3 on desktop (two hovers),
2 on a phone (the hamburger); business_loan 3 on desktop, 4 on a phone.
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

STYLE = """
body { margin: 0; font: 16px/1.5 sans-serif; }
header { display: flex; align-items: center; gap: 24px; height: 60px; padding: 0 20px; background: #f4f4f4; }
.toggler { display: none; }
#navbar { display: flex; gap: 24px; list-style: none; margin: 0; padding: 0; }
#navbar li { position: relative; }
.sub { display: none; position: absolute; top: 100%; left: 0; min-width: 180px; list-style: none;
       margin: 0; padding: 8px; background: #fff; border: 1px solid #ccc; z-index: 5; }
.sub .sub { top: 0; left: 100%; }
.has-sub:hover > .sub { display: block; }
.panel[hidden] { display: none; }
.panel { position: absolute; top: 40px; left: 0; padding: 12px; background: #fff; border: 1px solid #ccc; min-width: 220px; z-index: 5; }
.login { margin-left: auto; }
main { padding: 20px; }
a.quiet:focus { outline: none; }
@media (max-width: 800px) {
  .toggler { display: block; margin-left: auto; }
  #navbar { display: none; position: absolute; top: 60px; left: 0; right: 0; flex-direction: column;
            padding: 16px; background: #fff; z-index: 5; }
  #navbar.open { display: flex; }
  .sub, .sub .sub { display: block; position: static; border: 0; padding-left: 16px; }
  .panel { position: static; }
}
"""

SCRIPT = """
document.querySelectorAll('[aria-controls]').forEach(button => button.addEventListener('click', () => {
  const target = document.getElementById(button.getAttribute('aria-controls'));
  const open = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(open));
  if (target.id === 'navbar') target.classList.toggle('open', open); else target.hidden = !open;
}));
"""

HEADER = """<header><a href="/">Oakridge</a>
<button class="toggler" aria-expanded="false" aria-controls="navbar">Menu</button>
<ul id="navbar">
  <li class="has-sub"><a href="/personal">Personal</a>
    <ul class="sub">
      <li><a href="/personal/savings">Savings</a></li>
      <li class="has-sub"><a href="/personal/cards">Cards</a>
        <ul class="sub"><li><a href="/personal/cards/lost">Lost card</a></li>
        <li><a href="/personal/cards/pin">PIN reminder</a></li></ul></li>
    </ul></li>
  <li><button aria-expanded="false" aria-controls="business">Business</button>
    <div class="panel" id="business" hidden><a href="/business">Business banking</a>
      <button aria-expanded="false" aria-controls="loans">Loans</button>
      <ul id="loans" class="panel" hidden><li><a href="/business/loans/apply">Apply for a business loan</a></li></ul>
    </div></li>
</ul>
<a class="login" href="/login">Log in</a></header>"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Oakridge Bank</title><style>{STYLE}</style></head><body>
{HEADER}<main><h1>{title}</h1>{body}</main><script>{SCRIPT}</script></body></html>"""


def routes() -> dict[str, Route]:
    titles = {
        "/": "Welcome to Oakridge",
        "/personal": "Personal banking",
        "/personal/savings": "Savings",
        "/personal/cards": "Cards",
        "/personal/cards/lost": "Report a lost card",
        "/personal/cards/pin": "PIN reminder",
        "/business": "Business banking",
        "/business/loans/apply": "Apply for a business loan",
        "/login": "Log in",
    }
    pages = {path: page(title, "<p>Oakridge Bank.</p>") for path, title in titles.items()}
    pages["/"] = page(titles["/"], HOME_BODY)
    pages |= {"/branches": page("Branches", "<p>Find us.</p>"), "/rates": page("Rates", "")}
    return {path: Reply(html) for path, html in pages.items()}


# Keyboard: "Branches" is taken out of the Tab order; "Savings rates" hides its focus ring.
HOME_BODY = """<p>Oakridge Bank.</p>
<p><a href="/branches" tabindex="-1">Branches</a> <a class="quiet" href="/rates">Savings rates</a></p>"""


TASKS = """tasks:
  - id: login
    name: Log in
    entry: {text: ["log in"]}
    target: {url: "/login$"}
  - id: lost_card
    name: Report a lost card
    entry: {text: ["lost card"]}
    target: {url: "/personal/cards/lost$"}
  - id: business_loan
    name: Apply for a business loan
    entry: {text: ["business loan"]}
    target: {url: "/business/loans/apply$"}
  - id: branches
    name: Find a branch
    entry: {text: ["branches"]}
    target: {url: "/branches$"}
  - id: rates
    name: Compare savings rates
    entry: {text: ["savings rates"]}
    target: {url: "/rates$"}
"""


# A page from before phones: no viewport meta, a 960 px table, "Log in" small at the top right.
LEGACY = """<!doctype html><html><head><title>Oakridge Bank (classic)</title>
<style>body { margin: 8px; font: 12px Verdana, sans-serif; } td { vertical-align: top; }
.top a { font-size: 11px; }</style></head><body>
<table width="960" cellpadding="4"><tr class="top"><td width="820"><b>Oakridge Bank</b></td>
<td align="right"><a href="/login">Log in</a></td></tr>
<tr><td colspan="2"><p>Welcome to our classic site. Current accounts, savings and loans.</p>
<p><a href="/personal">Personal banking</a> | <a href="/business">Business banking</a></p></td></tr>
</table></body></html>"""


def legacy_routes() -> dict[str, Route]:
    pages = {"/": LEGACY, "/login": page("Log in", "<p>Sign in.</p>")}
    pages |= {path: page("Banking", "<p>Banking.</p>") for path in ("/personal", "/business")}
    return {path: Reply(html) for path, html in pages.items()}
