"""Fenwick Bank, twice: once with six accessibility barriers on its top tasks' paths, once
with each of them fixed, so that every barrier is found on the right task and viewport and the
fixed twin gives no accessibility finding at all.

The barriers, as they are met on real bank sites:
1. an icon-only hamburger (an SVG in a <button>, no name): mobile, before every menu task;
2. the header's "Log in" in light grey on white (2.1:1): desktop;
3. the login page's password field with no label, and no main landmark on that page (its
   content in a bare <div>): the login task's target, both viewports;
4. the "Help" dropdown opener is a <div data-toggle> with no role, not in the Tab order:
   desktop, before "Lost or stolen card";
5. the quick "Pay a bill" icon is 16x16 px on a phone, beside another icon: mobile;
6. a newsletter sheet (aria-modal) that keeps Tab inside it and ignores Escape: the start
   page on desktop, so every task.
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

TASKS = """
tasks:
  - id: login
    name: Log in to online banking
    entry: {text: ["log in"]}
    target: {selector: "input[type=password]"}
  - id: lost_card
    name: Report a lost or stolen card
    entry: {text: ["lost or stolen"]}
    target: {url: "/help/lost-card$"}
  - id: pay_bill
    name: Pay a bill
    entry: {text: ["pay a bill"]}
    target: {url: "/pay/$"}
"""

# (task, viewport, finding kind) each barrier must give, and nothing else of kind a11y_*.
EXPECTED = {
    ("login", "mobile", "a11y_button-name"),
    ("lost_card", "mobile", "a11y_button-name"),
    ("login", "desktop", "a11y_color-contrast"),
    ("login", "desktop", "a11y_label"),
    ("login", "mobile", "a11y_label"),
    ("login", "desktop", "a11y_landmark-one-main"),
    ("login", "mobile", "a11y_landmark-one-main"),
    ("lost_card", "desktop", "a11y_opener-not-a-control"),
    ("pay_bill", "mobile", "a11y_target-size"),
    ("login", "desktop", "a11y_focus-trap"),
    ("lost_card", "desktop", "a11y_focus-trap"),
    ("pay_bill", "desktop", "a11y_focus-trap"),
}

STYLE = """
body { font-family: sans-serif; margin: 0; color: #222; background: #fff; }
header { display: flex; align-items: center; gap: 16px; padding: 12px 16px; }
.hamburger { display: none; width: 44px; height: 44px; }
nav ul { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0; }
nav li { position: relative; }
.dropdown-menu { display: none; position: absolute; top: 24px; background: #fff;
  border: 1px solid #ccc; padding: 8px; min-width: 200px; }
.dropdown-menu.open { display: block; }
.login { color: %(login_color)s; }
.quick { display: flex; gap: %(quick_gap)s; margin-left: auto; }
.quick a, .quick img { display: block; width: 40px; height: 40px; }
.sheet { position: fixed; left: 0; right: 0; bottom: 0; height: 180px; background: #f4f4f4;
  border-top: 2px solid #888; padding: 16px; }
main { padding: 16px; min-height: 900px; }
@media (max-width: 700px) {
  .hamburger { display: block; }
  nav { display: none; }
  nav.open { display: block; position: absolute; top: 70px; left: 0; right: 0;
    background: #fff; }
  nav ul { flex-direction: column; }
  nav .dropdown-menu { display: block; position: static; border: 0; }
  .quick a, .quick img { width: %(quick_px)s; height: %(quick_px)s; }
}
"""

SCRIPT = """
document.querySelector('.hamburger').addEventListener('click', function () {
  var nav = document.getElementById('nav');
  var open = !nav.classList.contains('open');
  nav.classList.toggle('open', open);
  this.setAttribute('aria-expanded', String(open));
});
document.querySelector('.help-toggle').addEventListener('click', function () {
  var menu = document.getElementById('help-menu');
  var open = !menu.classList.contains('open');
  menu.classList.toggle('open', open);
  this.setAttribute('aria-expanded', String(open));
});
var sheet = document.getElementById('newsletter');
var close = document.getElementById('close-sheet');
if (close) close.addEventListener('click', function () { sheet.remove(); });
"""

# A focus trap as sloppy modal scripts write one: Tab and Shift+Tab cycle inside the sheet,
# and nothing handles Escape.
TRAP = """
sheet.addEventListener('keydown', function (event) {
  if (event.key !== 'Tab') return;
  var stops = sheet.querySelectorAll('input, button');
  var first = stops[0], last = stops[stops.length - 1], now = document.activeElement;
  var next = event.shiftKey ? (now === first ? last : null) : (now === last ? first : null);
  if (next) { next.focus(); event.preventDefault(); }
});
sheet.querySelector('input').focus();
"""


def header(faults: bool) -> str:
    hamburger = (
        '<button class="hamburger" aria-expanded="false" aria-controls="nav">'
        '<svg width="24" height="24" viewBox="0 0 24 24"><path d="M3 6h18M3 12h18M3 18h18" '
        'stroke="#222"/></svg></button>'
        if faults
        else '<button class="hamburger" aria-expanded="false" aria-controls="nav">Menu</button>'
    )
    help_opener = (
        '<div class="help-toggle" data-toggle="dropdown">Help</div>'
        if faults
        else '<button class="help-toggle" aria-expanded="false" aria-controls="help-menu">'
        "Help</button>"
    )
    return f"""
<header>
  <a href="/"><img src="/logo.svg" alt="Fenwick Bank home" width="100" height="32"></a>
  {hamburger}
  <nav id="nav" aria-label="Main">
    <ul>
      <li><a href="/accounts/">Accounts</a></li>
      <li>{help_opener}
        <div class="dropdown-menu" id="help-menu">
          <a href="/help/lost-card">Lost or stolen card</a>
          <a href="/contact/">Contact us</a>
        </div>
      </li>
      <li><a class="login" href="/login">Log in</a></li>
    </ul>
  </nav>
  <div class="quick">
    <a href="/pay/"><img src="/pay.svg" alt="Pay a bill"></a>
    <a href="/branches/"><img src="/pin.svg" alt="Branches"></a>
  </div>
</header>"""


def sheet(faults: bool) -> str:
    close = "" if faults else '<button id="close-sheet">No thanks</button>'
    return f"""
<div class="sheet" id="newsletter" role="dialog" aria-modal="true" aria-label="Newsletter">
  <p>Get our money tips every month.</p>
  <label>Email <input type="email" name="email"></label>
  <button>Subscribe</button>{close}
</div>"""


def page(title: str, body: str, faults: bool, start: bool = False, main: str = "main") -> str:
    style = STYLE % {
        "login_color": "#b3b3b3" if faults else "#1a4f8b",  # 2.1:1 on white, or 8:1
        "quick_px": "16px" if faults else "44px",
        "quick_gap": "2px" if faults else "8px",
    }
    script = SCRIPT + (TRAP if faults and start else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Fenwick Bank</title><style>{style}</style></head>
<body>{header(faults)}<{main}><h1>{title}</h1>{body}</{main.split()[0]}>
{sheet(faults) if start else ""}<script>{SCRIPT if not start else script}</script></body></html>"""


def routes(faults: bool = True) -> dict[str, Route]:
    password = (
        '<input type="password" name="pw">'
        if faults
        else '<label>Password <input type="password" name="pw"></label>'
    )
    pages = {
        "/": page("Everyday banking", "<p>Current accounts and savings.</p>", faults, True),
        "/login": page(
            "Sign in",
            f'<form method="post"><label>Customer number <input name="id"></label>{password}'
            "<button>Sign in</button></form>",
            faults,
            main='div class="content"' if faults else "main",
        ),
        "/accounts/": page("Accounts", "<p>Our accounts.</p>", faults),
        "/help/lost-card": page("Lost or stolen card", "<p>Call us now.</p>", faults),
        "/contact/": page("Contact us", "<p>0800 000 000</p>", faults),
        "/pay/": page("Pay a bill", "<p>Choose a payee.</p>", faults),
        "/branches/": page("Branches", "<p>Find us.</p>", faults),
    }
    served: dict[str, Route] = {path: Reply(html) for path, html in pages.items()}
    icon = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'>"
        "<rect width='40' height='40'/></svg>"
    )
    for name in ("/logo.svg", "/pay.svg", "/pin.svg"):
        served[name] = Reply(icon, content_type="image/svg+xml")
    return served
