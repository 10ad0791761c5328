"""Northgate Bank's staging site: a real server-side login in front of the account area.

- Public: a home page with a "Log in" button in the header, a help page, the login form.
- POST /login with the right customer number and password sets a session cookie and sends
  the browser to /account/; a wrong one shows the form again with an error.
- Account pages without a valid session redirect to /login.
- The dashboard has "Statements" and "Payments" in its header (behind a hamburger below
  800 px), a 900 px promotion, and the frequent "Pay a bill" tile below it.
- "Log out" ends the session; "Close account" and "Transfer money" change the account. A
  crawler must request none of them.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from tests.sites.server import Reply, Route

USER, PASSWORD = "40112233", "correct-horse-battery"
DANGEROUS = ("/logout", "/account/close", "/account/transfer")

STYLE = """
body { margin: 0; font: 16px/1.5 sans-serif; }
header { display: flex; align-items: center; gap: 16px; height: 64px; padding: 0 16px; }
#menu { display: flex; gap: 16px; }
.menu-toggle { display: none; }
.btn { margin-left: auto; padding: 10px 18px; background: #064; color: #fff; }
main { padding: 16px; }
.promo { height: 900px; background: #fde; padding: 24px; }
.tiles a { display: inline-block; padding: 24px; margin: 8px; border: 1px solid #999; }
@media (max-width: 800px) {
  .menu-toggle { display: block; margin-left: auto; }
  #menu { display: none; position: absolute; top: 64px; left: 0; right: 0; background: #fff;
          flex-direction: column; padding: 16px; z-index: 20; }
  #menu.open { display: flex; }
}
"""

TOGGLE = """<button class="menu-toggle" aria-expanded="false" aria-controls="menu"
onclick="document.getElementById('menu').classList.toggle('open');
this.setAttribute('aria-expanded', 'true')">Menu</button>"""


def page(title: str, header: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Northgate Bank</title><style>{STYLE}</style></head><body>
<header><a href="/">Northgate</a>{header}</header>
<main><h1>{title}</h1>{body}</main>
<footer><a href="/help/">Help</a> <a href="/help/security">Security</a></footer></body></html>"""


PUBLIC_HEADER = '<nav><a href="/help/">Help</a></nav><a class="btn" href="/login">Log in</a>'
ACCOUNT_HEADER = f"""{TOGGLE}<nav id="menu"><a href="/account/statements">Statements</a>
<a href="/account/payments/">Payments</a><a href="/account/transfer">Transfer money</a>
<a href="/account/close">Close account</a><a href="/logout">Log out</a></nav>"""


def login_form(error: str = "") -> str:
    message = f'<p class="error">{error}</p>' if error else ""
    return page(
        "Sign in to your account",
        PUBLIC_HEADER,
        f"""{message}<form method="post" action="/login">
<label for="user">Customer number</label> <input id="user" name="user">
<label for="pw">Password</label> <input id="pw" name="password" type="password">
<button type="submit">Log in</button></form>""",
    )


ACCOUNT_PAGES = {
    "/account/": page(
        "Welcome back",
        ACCOUNT_HEADER,
        """<section class="promo"><h2>Upgrade to Platinum</h2>
<a href="/account/offers/platinum">See the offer</a></section>
<h2>Your frequent tasks</h2><p class="tiles"><a href="/account/payments/bill">Pay a bill</a>
<a href="/account/cards">Manage cards</a></p>""",
    ),
    "/account/statements": page(
        "Statements",
        ACCOUNT_HEADER,
        "<table id='statements'><tr><td>Statement for October</td></tr></table>",
    ),
    "/account/payments/": page(
        "Payments", ACCOUNT_HEADER, '<p><a href="/account/payments/bill">Pay a bill</a></p>'
    ),
    "/account/payments/bill": page(
        "Pay a bill",
        ACCOUNT_HEADER,
        '<form id="bill-payment" method="post"><input name="amount"></form>',
    ),
    "/account/cards": page("Cards", ACCOUNT_HEADER, "<p>Your cards.</p>"),
    "/account/offers/platinum": page("Platinum", ACCOUNT_HEADER, "<p>Apply now.</p>"),
    "/account/close": page("Account closed", ACCOUNT_HEADER, "<p>Gone.</p>"),
    "/account/transfer": page("Transfer", ACCOUNT_HEADER, "<p>Sent.</p>"),
}


class Bank:
    """The server-side state: which session ids are signed in."""

    def __init__(self, refuse_agent: str = "") -> None:
        self.sessions: set[str] = set()
        self.refuse_agent = refuse_agent  # sessions are void for this user agent, as some are

    def session_of(self, handler: BaseHTTPRequestHandler) -> str | None:
        cookie = SimpleCookie(handler.headers.get("Cookie", ""))
        sid = cookie["sid"].value if "sid" in cookie else None
        agent = handler.headers.get("User-Agent", "")
        if self.refuse_agent and self.refuse_agent in agent:
            return None
        return sid if sid in self.sessions else None

    def login(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.command != "POST":
            handler.reply(Reply(login_form()))
            return
        length = int(handler.headers.get("Content-Length", 0))
        form = parse_qs(handler.rfile.read(length).decode())
        if form.get("user") == [USER] and form.get("password") == [PASSWORD]:
            sid = secrets.token_hex(16)
            self.sessions.add(sid)
            cookie = f"sid={sid}; Path=/; HttpOnly"
            handler.reply(Reply("", 303, headers={"Location": "/account/", "Set-Cookie": cookie}))
        else:
            handler.reply(Reply(login_form("Wrong customer number or password."), 200))

    def logout(self, handler: BaseHTTPRequestHandler) -> None:
        self.sessions.discard(self.session_of(handler) or "")
        handler.reply(Reply("", 302, headers={"Location": "/"}))

    def account(self, body: str) -> Route:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            if self.session_of(handler) is None:
                handler.reply(Reply("", 302, headers={"Location": "/login"}))
            else:
                handler.reply(Reply(body))

        return answer

    def routes(self) -> dict[str, Route]:
        public = {
            "/": Reply(page("Northgate Bank", PUBLIC_HEADER, "<p>Banking for the North.</p>")),
            "/help/": Reply(page("Help", PUBLIC_HEADER, '<a href="/help/security">Security</a>')),
            "/help/security": Reply(page("Security", PUBLIC_HEADER, "<p>Never share it.</p>")),
            "/robots.txt": Reply("User-agent: *\nAllow: /\n", content_type="text/plain"),
            "/login": self.login,
            "/logout": self.logout,
        }
        return public | {path: self.account(body) for path, body in ACCOUNT_PAGES.items()}
