# ruff: noqa: E501  (the fixture app's HTML and CSS read best unbroken)
"""Clearwater Bank, a single-page app: every URL answers the same empty shell, and app.js
builds the page, routing with history.pushState (and `#/` hash routes under /support).

Expected click paths from /, as a customer's browser sees them:
- login: "Log in" in the header -> /login (1 click; target: the URL)
- lost_card: "Cards" in the nav -> /cards, "Report a lost or stolen card" -> /cards/lost
  (2 clicks; target: the rendered text "Your card is now blocked")
- branch: the nav's "Find a branch" is a <button> whose click handler pushes /branches; no
  link anywhere leads there (1 click; target: the rendered text "Branch finder")
- contact: "Support" in the footer -> /support, hash route "Contact us" -> /support#/contact
  (2 clicks; target: the rendered text "Call us on 0800 123 456")
- offers: /offers/summer exists but nothing links to it (an orphan: truly unreachable)
- Signed in (token in localStorage after the client-side login): /account, "Statements" ->
  /account/statements, which renders table#statements.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from tests.sites.server import Reply, Route

USER, PASSWORD = "5550001", "blue-river-42"
TOKEN = "token-7f3a"

SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clearwater Bank</title><link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script></head>
<body><div id="root"></div><noscript>Please enable JavaScript.</noscript></body></html>"""

CSS = """
body { margin: 0; font: 16px/1.5 sans-serif; }
header { display: flex; gap: 16px; align-items: center; padding: 12px 16px; background: #024; }
header a, header button { color: #fff; }
nav { display: flex; gap: 16px; }
nav button { background: none; border: 0; font: inherit; cursor: pointer; text-decoration: underline; }
main { padding: 16px; min-height: 400px; }
footer { padding: 16px; border-top: 1px solid #ccc; }
.spinner { width: 40px; height: 40px; border: 4px solid #ccc; border-top-color: #024;
           border-radius: 50%; animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
"""

APP = r"""
const pages = {
  '/': () => `<h1>Welcome to Clearwater Bank</h1>
    <p>Everyday banking, savings and mortgages for the people of the valley. Manage your money
    online, in the app, or in one of our branches. We are here to help, every day of the week.</p>
    <p><a href="/savings" data-link>Savings accounts</a> and <a href="/mortgages" data-link>mortgages</a>.</p>`,
  '/cards': () => `<h1>Cards</h1><p>Debit and credit cards for every need.</p>
    <ul><li><a href="/cards/lost" data-link>Report a lost or stolen card</a></li>
    <li><a href="/cards/credit" data-link>Credit cards</a></li></ul>`,
  '/cards/lost': () => `<h1>Lost or stolen card</h1><p>Your card is now blocked. A new one is on its way.</p>`,
  '/cards/credit': () => `<h1>Credit cards</h1><p>Compare our credit cards.</p>`,
  '/savings': () => `<h1>Savings</h1><p>Save for what matters.</p>`,
  '/mortgages': () => `<h1>Mortgages</h1><p>Find the mortgage that suits you.</p>`,
  '/branches': () => `<h1>Branch finder</h1><p>Type a town to find your nearest branch.</p>`,
  '/offers/summer': () => `<h1>Summer offers</h1><p>Only for those who know the address.</p>`,
  '/login': () => `<h1>Log in</h1><form id="login"><label>Customer number <input name="user"></label>
    <label>Password <input name="password" type="password"></label>
    <button type="submit">Log in</button></form><p id="error"></p>`,
  '/support': () => supportPage(),
  '/account': () => signedIn(`<h1>Your accounts</h1><p>Current account: 1,234.56</p>
    <a href="/account/statements" data-link>Statements</a>`),
  '/account/statements': () => signedIn(`<h1>Statements</h1>
    <table id="statements"><tr><td>March</td><td>1,234.56</td></tr></table>`),
};

function supportPage() {
  const route = location.hash.replace(/^#!?/, '') || '/';
  const sections = {
    '/': '<p>How can we help?</p>',
    '/faq': '<h2>Questions</h2><p>Answers to common questions.</p>',
    '/contact': '<h2>Contact us</h2><p>Call us on 0800 123 456, every day from 8 to 8.</p>',
  };
  return `<h1>Support</h1><ul><li><a href="#/faq">Questions</a></li>
    <li><a href="#/contact">Contact us</a></li><li><a href="#intro">Skip to text</a></li></ul>
    <section id="intro">${sections[route] || sections['/']}</section>`;
}

function signedIn(html) {
  if (localStorage.getItem('token') !== 'TOKEN') { go('/login'); return ''; }
  return html;
}

function layout(content) {
  const token = localStorage.getItem('token') === 'TOKEN';
  return `<header><a href="/" data-link>Clearwater</a>
    <nav aria-label="Main"><a href="/cards" data-link>Cards</a>
    <a href="/savings" data-link>Savings</a>
    <button type="button" id="branches">Find a branch</button></nav>
    ${token ? '<a href="/account" data-link>Your accounts</a>'
            : '<a href="/login" data-link class="btn">Log in</a>'}</header>
    <main>${content}</main>
    <footer><a href="/support" data-link>Support</a> <a href="/privacy" data-link>Privacy</a></footer>`;
}

function render() {
  const page = pages[location.pathname];
  const content = page ? page() : '<h1>Page not found</h1>';
  document.title = (content.match(/<h1>(.*?)<\/h1>/) || [, 'Clearwater'])[1] + ' | Clearwater Bank';
  document.getElementById('root').innerHTML = layout(content);
  const form = document.getElementById('login');
  if (form) form.addEventListener('submit', logIn);
}

function go(path) { history.pushState({}, '', path); render(); }

async function logIn(event) {
  event.preventDefault();
  const data = new FormData(event.target);
  const answer = await fetch('/api/login', {method: 'POST', body: JSON.stringify(
    {user: data.get('user'), password: data.get('password')})});
  if (answer.ok) { localStorage.setItem('token', (await answer.json()).token); go('/account'); }
  else document.getElementById('error').textContent = 'Wrong customer number or password';
}

document.addEventListener('click', event => {
  const link = event.target.closest('a[data-link]');
  if (link) { event.preventDefault(); go(link.getAttribute('href')); }
  if (event.target.closest('#branches')) go('/branches');
});
window.addEventListener('popstate', render);
window.addEventListener('hashchange', render);
// The app "fetches" its data before it draws anything: a spinner first.
document.getElementById('root').innerHTML = '<div class="spinner"></div>';
setTimeout(render, 150);
""".replace("'TOKEN'", f"'{TOKEN}'")


def _login(handler: BaseHTTPRequestHandler) -> None:
    length = int(handler.headers.get("Content-Length", 0))
    sent = json.loads(handler.rfile.read(length) or b"{}")
    ok = sent.get("user") == USER and sent.get("password") == PASSWORD
    body = json.dumps({"token": TOKEN} if ok else {"error": "refused"})
    handler.reply(Reply(body, 200 if ok else 401, "application/json"))


def routes() -> dict[str, Route]:
    """Named files; every other path is the shell (see `shell`)."""
    return {
        "/app.js": Reply(APP, content_type="application/javascript"),
        "/app.css": Reply(CSS, content_type="text/css"),
        "/robots.txt": Reply("User-agent: *\nDisallow: /api/\n", content_type="text/plain"),
        "/api/login": _login,
    }


shell = Reply(SHELL)


HOSTILE_APP = r"""
const root = document.getElementById('root');
const route = location.pathname;
const nav = `<nav><a href="/spinner">Spinner</a> <a href="/throws">Throws</a>
  <a href="/loop">Loop</a> <a href="/many">Many</a> <a href="/moved">Moved</a></nav>`;
if (route === '/') {
  root.innerHTML = nav + '<main><h1>Hostile app</h1><p>Each link misbehaves.</p></main>';
} else if (route === '/spinner') {
  let n = 0;  // an endless spinner: the DOM changes forever and nothing else ever shows
  setInterval(() => { root.textContent = 'Loading' + '.'.repeat(n++ % 4); }, 30);
} else if (route === '/throws') {
  throw new Error('the app crashed on load');
} else if (route === '/loop') {
  location.replace('/loop?n=' + Date.now());  // redirects itself, forever
} else if (route === '/many') {
  root.innerHTML = nav + '<main>' + Array.from({length: 10000},
    (_, i) => `<a href="/item/${i}">Item ${i}</a>`).join(' ') + '</main>';
} else if (route === '/moved') {
  location.replace('/landing');
} else {
  root.innerHTML = nav + `<main><h1>${route}</h1></main>`;
}
"""


def hostile_routes() -> dict[str, Route]:
    return {"/app.js": Reply(HOSTILE_APP, content_type="application/javascript")}
