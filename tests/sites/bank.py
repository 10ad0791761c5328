"""Northwind Bank: a 30-page fixture site with the shape of a real retail bank's website.

Header navigation with a hamburger toggle, a footer with many links, section index pages,
breadcrumbs; a page linked only from the footer (/branches/), an orphan (/tools/...), a broken
link, a page that answers 500, a redirect (/online-banking -> /login), a robots.txt that
disallows /internal/ (linked from the footer), and links to mail, phone, script and other hosts.
"""

from __future__ import annotations

from html import escape

from tests.sites.server import HOST_TOKEN, Reply, Route, redirect

HEADER = """
<header class="site-header">
  <a href="/" class="logo"><img src="/static/logo.svg" alt="Northwind Bank home"></a>
  <button class="menu-toggle" aria-expanded="false" aria-controls="main-nav">Menu</button>
  <nav id="main-nav" aria-label="Main">
    <ul>
      <li><a href="/personal/">Personal</a></li>
      <li><a href="/business/">Business</a></li>
      <li><a href="/help/">Help &amp; support</a></li>
    </ul>
  </nav>
  <a class="btn btn-login" href="/login">Log in</a>
</header>
"""

FOOTER = f"""
<footer class="site-footer">
  <div class="footer-col">
    <h2>Help</h2>
    <ul>
      <li><a href="/help/">Help centre</a></li>
      <li><a href="/branches/">Find a branch</a></li>
      <li><a href="/contact/">Contact us</a></li>
      <li><a href="/online-banking">Online banking</a></li>
    </ul>
  </div>
  <div class="footer-col">
    <h2>About Northwind</h2>
    <ul>
      <li><a href="/about/">About us</a></li>
      <li><a href="/about/careers">Careers</a></li>
      <li><a href="/accessibility/">Accessibility</a></li>
      <li><a href="/privacy/">Privacy and cookies</a></li>
      <li><a href="/rates">Interest rates</a></li>
      <li><a href="/internal/staff">Staff portal</a></li>
    </ul>
  </div>
  <div class="footer-col social">
    <a href="https://www.facebook.com/northwindbank" aria-label="Northwind on Facebook">
      <svg width="16" height="16"><circle cx="8" cy="8" r="8"/></svg></a>
    <a href="https://twitter.example/northwind" title="Northwind on X">
      <svg width="16" height="16"></svg></a>
    <a href="mailto:help@northwind.example">Email us</a>
    <a href="tel:+448001234567">Call 0800 123 4567</a>
    <a href="javascript:void(0)" onclick="openCookieSettings()">Cookie settings</a>
    <a href="http://{HOST_TOKEN}/personal/">Northwind mirror</a>
  </div>
  <p class="legal">Northwind Bank plc. Authorised by the Prudential Regulation Authority.</p>
</footer>
"""


def page(title: str, body: str, crumbs: list[tuple[str, str]] = ()) -> str:
    trail = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in crumbs)
    breadcrumb = f'<nav class="breadcrumb" aria-label="Breadcrumb"><ol>{trail}</ol></nav>'
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Northwind Bank</title></head>
<body>
{HEADER}
{breadcrumb if crumbs else ""}
<main id="content">
{body}
</main>
{FOOTER}
</body>
</html>"""


def index(title: str, intro: str, links: list[tuple[str, str]], crumbs=()) -> str:
    items = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(intro)}</p><ul>{items}</ul>", crumbs)


def article(title: str, text: str, crumbs=(), extra: str = "") -> str:
    return page(
        title, f"<article><h1>{escape(title)}</h1><p>{escape(text)}</p>{extra}</article>", crumbs
    )


HOME = page(
    "Personal and business banking",
    """
<section class="hero">
  <h1>Save for your future with a Northwind pension</h1>
  <a class="cta" href="/personal/pensions/">Explore pensions</a>
</section>
<section class="products">
  <h2>Our products</h2>
  <a href="/personal/cards/">Credit cards</a>
  <a href="/personal/mortgages/">Mortgages</a>
  <a href="/personal/savings/">Savings accounts</a>
</section>
<section class="everyday">
  <h2>Everyday banking</h2>
  <a href="/help/payments/">Payments and transfers</a>
</section>
<aside class="sidebar"><a href="/personal/insurance/">Home insurance from 5 a month</a></aside>
""",
)

P, B, H = ("/personal/", "Personal"), ("/business/", "Business"), ("/help/", "Help")
HOME_CRUMB = ("/", "Home")

PAGES: dict[str, str] = {
    "/": HOME,
    "/login": page(
        "Log in",
        """<h1>Sign in to your account</h1>
<form method="post" action="/login"><label>Customer number <input name="user"></label>
<label>Password <input type="password" name="password"></label><button>Log in</button></form>""",
    ),
    "/personal/": index(
        "Personal banking",
        "Accounts, cards and loans for you.",
        [
            ("/personal/accounts/", "Current accounts"),
            ("/personal/cards/", "Credit and debit cards"),
            ("/personal/loans/", "Loans"),
            ("/personal/mortgages/", "Mortgages"),
            ("/personal/savings/", "Savings"),
            ("/personal/pensions/", "Pensions"),
            ("/personal/insurance/", "Insurance"),
        ],
        [HOME_CRUMB],
    ),
    "/personal/accounts/": index(
        "Current accounts",
        "Everyday accounts.",
        [
            ("/personal/accounts/current", "Classic account"),
            ("/personal/accounts/joint", "Joint account"),
        ],
        [HOME_CRUMB, P],
    ),
    "/personal/accounts/current": article(
        "Classic account", "Our everyday account.", [HOME_CRUMB, P]
    ),
    "/personal/accounts/joint": article("Joint account", "Share an account.", [HOME_CRUMB, P]),
    "/personal/cards/": index(
        "Cards",
        "Credit and debit cards.",
        [
            ("/personal/cards/credit", "Credit cards"),
            ("/personal/cards/debit", "Debit cards"),
            ("/personal/cards/offers", "Card offers"),
            ("/help/cards/", "Card help"),
        ],
        [HOME_CRUMB, P],
    ),
    "/personal/cards/credit": article("Credit cards", "Spread the cost.", [HOME_CRUMB, P]),
    "/personal/cards/debit": article("Debit cards", "Pay with your own money.", [HOME_CRUMB, P]),
    "/personal/cards/offers": article(
        "Card offers", "0% on purchases for 20 months.", [HOME_CRUMB, P]
    ),
    "/personal/loans/": index(
        "Loans",
        "Borrow from 1,000 to 25,000.",
        [
            ("/personal/loans/personal", "Personal loan"),
            ("/personal/loans/calculator", "Loan calculator"),
        ],
        [HOME_CRUMB, P],
    ),
    "/personal/loans/personal": article(
        "Personal loan", "Fixed monthly repayments.", [HOME_CRUMB, P]
    ),
    "/personal/mortgages/": index(
        "Mortgages",
        "Buy a home.",
        [
            ("/personal/mortgages/first-time", "First-time buyers"),
            ("/personal/mortgages/remortgage", "Remortgage"),
        ],
        [HOME_CRUMB, P],
    ),
    "/personal/mortgages/first-time": article(
        "First-time buyers", "Your first home.", [HOME_CRUMB, P]
    ),
    "/personal/mortgages/remortgage": article("Remortgage", "Switch to us.", [HOME_CRUMB, P]),
    "/personal/savings/": article("Savings", "Earn interest.", [HOME_CRUMB, P]),
    "/personal/pensions/": article("Pensions", "Plan your retirement.", [HOME_CRUMB, P]),
    "/personal/insurance/": article("Insurance", "Cover your home.", [HOME_CRUMB, P]),
    "/business/": index(
        "Business banking",
        "For companies of every size.",
        [("/business/accounts", "Business accounts"), ("/business/loans", "Business loans")],
        [HOME_CRUMB],
    ),
    "/business/accounts": article("Business accounts", "Run your business.", [HOME_CRUMB, B]),
    "/business/loans": article("Business loans", "Grow your business.", [HOME_CRUMB, B]),
    "/help/": index(
        "Help and support",
        "How can we help?",
        [
            ("/help/cards/", "Cards and PINs"),
            ("/help/payments/", "Payments and transfers"),
            ("/help/security/", "Fraud and security"),
        ],
        [HOME_CRUMB],
    ),
    "/help/cards/": index(
        "Cards and PINs",
        "Help with your card.",
        [
            ("/help/cards/lost-card", "Report a lost or stolen card"),
            ("/help/cards/pin", "Forgotten PIN"),
        ],
        [HOME_CRUMB, H],
    ),
    "/help/cards/lost-card": article(
        "Report a lost or stolen card",
        "We will cancel your card immediately and send a new one.",
        [HOME_CRUMB, H],
    ),
    "/help/cards/pin": article("Forgotten PIN", "We can post a PIN reminder.", [HOME_CRUMB, H]),
    "/help/payments/": index(
        "Payments and transfers",
        "Move money.",
        [
            ("/help/payments/pay-a-bill", "Pay a bill"),
            ("/help/payments/international", "Send money abroad"),
        ],
        [HOME_CRUMB, H],
    ),
    "/help/payments/pay-a-bill": article("Pay a bill", "Pay a company or person.", [HOME_CRUMB, H]),
    "/help/payments/international": article(
        "Send money abroad", "International payments.", [HOME_CRUMB, H]
    ),
    "/help/security/": article("Fraud and security", "Stay safe online.", [HOME_CRUMB, H]),
    "/branches/": article(
        "Find a branch", "Opening hours: Monday to Friday 9am to 5pm.", [HOME_CRUMB]
    ),
    "/contact/": article("Contact us", "Write or call.", [HOME_CRUMB]),
    "/about/": article("About us", "A bank since 1890.", [HOME_CRUMB]),
    "/about/careers": article("Careers", "Work with us.", [HOME_CRUMB]),
    "/accessibility/": article("Accessibility", "Our site works for everyone.", [HOME_CRUMB]),
    "/privacy/": article("Privacy and cookies", "How we use your data.", [HOME_CRUMB]),
    "/tools/mortgage-calculator": article(
        "Mortgage calculator", "Work out your repayments.", [HOME_CRUMB]
    ),
    "/internal/staff": article("Staff portal", "Staff only.", [HOME_CRUMB]),
}

ROBOTS = "User-agent: *\nDisallow: /internal/\n"


def routes() -> dict[str, Route]:
    served: dict[str, Route] = {path: Reply(html) for path, html in PAGES.items()}
    served["/robots.txt"] = Reply(ROBOTS, content_type="text/plain")
    served["/online-banking"] = redirect("/login")
    served["/rates"] = Reply(page("Server error", "<h1>Something went wrong</h1>"), status=500)
    served["/static/logo.svg"] = Reply(
        "<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
    )
    return served
