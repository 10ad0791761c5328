# ruff: noqa: E501  (the fixture's HTML, CSS and scripts read best unbroken)
"""Fairway Credit Union: a well-made Bootstrap-style business site, with everything that used
to raise false alarms and no real problem but one.

On every page: a sticky header with a "Blog" dropdown (`href="#"`, `data-bs-toggle`), a
"Help" mega-menu behind a button, a theme toggle, a hamburger on phones. On the home page: a
parallax hero whose button is a top task, number counters that count up once after load, a
theme script that sets styles on load, sections that fade in, lazy images, a wave graphic, an
accordion, tabs, a paused video with a poster, and a toast that leaves after a second.

The one real problem (issue 18's fourth case): the footer's "Contact" is `href="#!"` and does
nothing; the way to /contact is "Contact us" in the Help menu. A careful person would flag
that link and nothing else. Expected paths from /: blog via "Blog Home" in the dropdown,
contact via "Contact us", lost_card via "Report a lost card", open_account via the hero's
"Open an account" (1 click each).
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

STYLE = """
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #222; }
header { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 20px;
         height: 60px; padding: 0 20px; background: #fff; box-shadow: 0 1px 4px #0002; }
header .brand { font-weight: bold; margin-right: auto; }
.navbar-nav { display: flex; gap: 20px; align-items: center; list-style: none; margin: 0; padding: 0; }
.dropdown { position: relative; }
.dropdown-menu { display: none; position: absolute; top: 36px; left: 0; background: #fff;
                 border: 1px solid #ccc; padding: 8px 16px; list-style: none; min-width: 160px; }
.dropdown-menu.show { display: block; }
.mega { display: none; position: absolute; top: 60px; left: 0; right: 0; background: #fff;
        padding: 20px; gap: 40px; box-shadow: 0 4px 8px #0003; }
.mega.show { display: flex; }
.navbar-toggler { display: none; }
.hero { min-height: 420px; display: flex; flex-direction: column; justify-content: center;
        padding: 0 40px; color: #fff; background: #035 url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' height='40'%3E%3Ccircle cx='20' cy='20' r='3' fill='%23ffffff22'/%3E%3C/svg%3E") fixed; }
.hero .btn { align-self: flex-start; padding: 14px 28px; background: #fc0; color: #000; text-decoration: none; font-weight: bold; }
.stats { display: flex; gap: 24px; padding: 12px 40px; }
.stat { width: 140px; }
.stat b { display: block; font-size: 28px; }
.fade { opacity: 0; transition: opacity 0.6s; }
.fade.visible { opacity: 1; }
.wave { display: block; width: 100%; height: 60px; }
section { padding: 20px 40px; }
.toast { position: fixed; right: 16px; bottom: 16px; width: 260px; padding: 12px; background: #333; color: #fff; }
footer { padding: 20px 40px; border-top: 1px solid #ddd; }
[role=tabpanel][hidden] { display: none; }
@media (max-width: 800px) {
  .navbar-toggler { display: block; }
  .navbar-nav { display: none; position: absolute; top: 60px; left: 0; right: 0; background: #fff;
                flex-direction: column; padding: 16px; }
  .navbar-nav.show { display: flex; }
  .hero { padding: 0 20px; }
}
"""

SCRIPT = """
document.addEventListener('click', event => {
  const toggle = event.target.closest('[data-bs-toggle], [aria-controls]');
  if (!toggle || toggle.getAttribute('role') === 'tab') return;
  event.preventDefault();
  const menu = document.getElementById(toggle.getAttribute('aria-controls')) ||
               toggle.parentElement.querySelector('.dropdown-menu');
  const open = !menu.classList.contains('show');
  menu.classList.toggle('show', open);
  toggle.setAttribute('aria-expanded', String(open));
});
document.querySelectorAll('[role=tab]').forEach(tab => tab.addEventListener('click', () => {
  document.querySelectorAll('[role=tab]').forEach(t => t.setAttribute('aria-selected', 'false'));
  document.querySelectorAll('[role=tabpanel]').forEach(p => p.hidden = true);
  tab.setAttribute('aria-selected', 'true');
  document.getElementById(tab.getAttribute('aria-controls')).hidden = false;
}));
document.getElementById('theme').addEventListener('click', () => document.body.classList.toggle('dark'));
// The theme script: styles set once on load.
document.querySelectorAll('section, .stat').forEach(el => el.style.setProperty('--accent', '#fc0'));
// Sections fade in when they come into view; lazy images load their source then.
const seen = new IntersectionObserver(entries => entries.forEach(entry => {
  if (!entry.isIntersecting) return;
  entry.target.classList.add('visible');
  if (entry.target.dataset.src) entry.target.src = entry.target.dataset.src;
  seen.unobserve(entry.target);
}));
document.querySelectorAll('.fade, img[data-src]').forEach(el => seen.observe(el));
// Counters count up once, every frame for 1.2 s, then stop.
const started = performance.now();
function count(now) {
  const t = Math.min(1, (now - started) / 1200);
  document.querySelectorAll('[data-count]').forEach(el => {
    el.textContent = Math.round(t * Number(el.dataset.count)).toLocaleString('en');
  });
  if (t < 1) requestAnimationFrame(count);
}
requestAnimationFrame(count);
// A toast that says hello and leaves.
setTimeout(() => {
  const toast = document.createElement('div');
  toast.className = 'toast'; toast.setAttribute('role', 'status');
  toast.textContent = 'Welcome back!';
  document.body.append(toast);
  setTimeout(() => toast.remove(), 1000);
}, 300);
"""

HEADER = """<header><a class="brand" href="/">Fairway Credit Union</a>
<button class="navbar-toggler" aria-controls="navbar" aria-expanded="false" aria-label="Menu">&#9776;</button>
<ul class="navbar-nav" id="navbar">
  <li><a href="/about">About</a></li>
  <li class="dropdown"><a href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">Blog</a>
    <ul class="dropdown-menu"><li><a href="/blog">Blog Home</a></li><li><a href="/blog/latest">Latest posts</a></li></ul></li>
  <li><button aria-expanded="false" aria-controls="mega">Help</button></li>
  <li><button id="theme" aria-pressed="false">Dark mode</button></li>
</ul>
<div class="mega" id="mega">
  <ul><li><a href="/help/lost-card">Report a lost card</a></li><li><a href="/help/fees">Fees</a></li></ul>
  <ul><li><a href="/contact">Contact us</a></li><li><a href="/branches">Opening hours</a></li></ul>
</div></header>"""

FOOTER = """<footer><a href="/privacy">Privacy</a> &middot; <a href="#!">Contact</a>
&middot; <a href="/about">About</a></footer>"""

IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='200' height='120'%3E%3Crect width='200' height='120' fill='%23cde'/%3E%3C/svg%3E"
WAVE = """<svg class="wave" viewBox="0 0 1200 60" preserveAspectRatio="none" aria-hidden="true">
<path d="M0 30 C300 60 600 0 1200 30 V60 H0 Z" fill="#e8eef5"/></svg>"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Fairway Credit Union</title><style>{STYLE}</style></head><body>
{HEADER}<main>{body}</main>{FOOTER}<script>{SCRIPT}</script></body></html>"""


HOME = page(
    "Fairway Credit Union",
    f"""<div class="hero"><h1>Banking that stays local</h1>
<p>Fair rates, real people, branches in every town of the valley.</p>
<a class="btn" href="/accounts/open">Open an account</a></div>
<div class="stats"><div class="stat"><b data-count="12000">0</b>members</div>
<div class="stat"><b data-count="48">0</b>years</div><div class="stat"><b data-count="9">0</b>branches</div></div>
{WAVE}
<section class="fade"><h2>Why members stay</h2><p>No hidden fees, and a person answers the phone.</p>
<img data-src="{IMAGE}" src="{IMAGE}" loading="lazy" width="200" height="120" alt="A branch"></section>
<section><h2>Questions</h2>
<details><summary>Who can join?</summary><p>Anyone who lives or works in the valley.</p></details>
<details><summary>Is my money safe?</summary><p>Deposits are protected.</p></details>
<div role="tablist"><button role="tab" aria-selected="true" aria-controls="t1">Savings</button>
<button role="tab" aria-selected="false" aria-controls="t2">Loans</button></div>
<div role="tabpanel" id="t1"><p>Save a little every month.</p></div>
<div role="tabpanel" id="t2" hidden><p>Borrow for what matters.</p></div></section>
<section><video width="320" height="180" poster="{IMAGE}" controls preload="none"></video></section>""",
)


def routes() -> dict[str, Route]:
    pages = {
        "/": HOME,
        "/blog": page("Blog", "<section><h1>Blog</h1><p>News from the valley.</p></section>"),
        "/blog/latest": page("Latest posts", "<section><p>Our latest posts.</p></section>"),
        "/contact": page(
            "Contact us", "<section><h1>Contact us</h1><p>Call 0800 000 111.</p></section>"
        ),
        "/help/lost-card": page("Report a lost card", "<section><p>Call us at once.</p></section>"),
        "/help/fees": page("Fees", "<section><p>Our fees.</p></section>"),
        "/accounts/open": page(
            "Open an account", "<section><p>It takes ten minutes.</p></section>"
        ),
        "/about": page("About", "<section><p>Since 1978.</p></section>"),
        "/branches": page("Opening hours", "<section><p>9 to 5.</p></section>"),
        "/privacy": page("Privacy", "<section><p>Your data.</p></section>"),
    }
    return {path: Reply(html) for path, html in pages.items()}


TASKS = """tasks:
  - id: blog
    name: Read the blog
    entry: {text: ["blog"]}
    target: {url: "/blog$"}
  - id: contact
    name: Contact the credit union
    entry: {text: ["contact"]}
    target: {url: "/contact$"}
  - id: lost_card
    name: Report a lost card
    entry: {text: ["lost card"]}
    target: {url: "/help/lost-card$"}
  - id: open_account
    name: Open an account
    entry: {text: ["open an account"]}
    target: {url: "/accounts/open$"}
"""
