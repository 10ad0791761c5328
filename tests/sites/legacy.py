"""A legacy bank page whose desktop menu is pure CSS: the customer hovers a bare
`<li>Personal</li>` (no link, no button, no ARIA) and `nav li:hover ul {display: block}` shows
its links. On a phone every submenu is shown, stacked. Issue 24's first wrong answer: the audit
said "Lost or stolen card" was not displayed, in 1 interaction; a person hovers, then clicks."""

from __future__ import annotations

from tests.sites.server import Reply, Route

TASKS = """
tasks:
  - id: lost_card
    name: Report a lost or stolen card
    entry: {text: ["lost or stolen"]}
    target: {url: "/personal/lost-card$"}
  - id: loans
    name: Business loans
    entry: {text: ["loans"]}
    target: {url: "/business/loans$"}
"""

STYLE = """
body { font-family: Georgia, serif; margin: 0; }
#nav { background: #036; margin: 0; padding: 0; list-style: none; display: flex; }
#nav > li { position: relative; color: #fff; padding: 10px 18px; cursor: default; }
#nav li ul { display: none; position: absolute; top: 38px; left: 0; background: #fff;
  border: 1px solid #999; list-style: none; padding: 6px; min-width: 220px; }
#nav li:hover ul { display: block; }
#nav li ul a { display: block; padding: 6px; color: #036; }
@media (max-width: 700px) {
  #nav { flex-direction: column; }
  #nav li ul { display: block; position: static; border: 0; }
}
"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Old Town Bank</title><style>{STYLE}</style></head>
<body><div id="top"><img src="/logo.gif" alt="Old Town Bank" width="160" height="40"></div>
<ul id="nav">
  <li>Personal
    <ul><li><a href="/personal/accounts">Current accounts</a></li>
        <li><a href="/personal/lost-card">Lost or stolen card</a></li></ul></li>
  <li>Business
    <ul><li><a href="/business/loans">Business loans</a></li></ul></li>
  <li><a href="/contact" style="color: #fff">Contact</a></li>
</ul>
<div id="content"><h1>{title}</h1>{body}</div></body></html>"""


def routes() -> dict[str, Route]:
    pages = {
        "/": page("Welcome", "<p>Serving the town since 1882.</p>"),
        "/personal/accounts": page("Current accounts", "<p>Accounts.</p>"),
        "/personal/lost-card": page("Lost or stolen card", "<p>Call 0800 111 222.</p>"),
        "/business/loans": page("Business loans", "<p>Loans.</p>"),
        "/contact": page("Contact", "<p>Write to us.</p>"),
    }
    served: dict[str, Route] = {path: Reply(html) for path, html in pages.items()}
    served["/logo.gif"] = Reply(b"GIF89a", content_type="image/gif")
    return served
