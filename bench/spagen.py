"""A client-rendered site to benchmark the browser crawl: one HTML shell for every URL, a
JavaScript bundle of realistic size that draws each route and routes with history.pushState.

Routes form a tree with ten children a node: / is route 0, /p/1../p/10 its sections, and so on;
every page also carries the header's ten section links and a footer.
"""

from __future__ import annotations

import json
from pathlib import Path

SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>App</title>
<link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script>
</head><body><div id="root"></div><noscript>Please enable JavaScript.</noscript></body></html>
"""
CSS = """body{margin:0;font:16px/1.5 sans-serif}header{display:flex;gap:12px;padding:12px;
background:#123}header a{color:#fff}main{padding:16px}footer{padding:16px;border-top:1px solid
#ccc}.list a{display:inline-block;margin:4px 8px}"""
ROUTER = r"""
function path(i) { return i === 0 ? '/' : '/p/' + i; }
function children(i) {
  const out = [];
  for (let c = 10 * i + 1; c <= 10 * i + 10 && c < ROUTES; c++) out.push(c);
  return out;
}
function draw() {
  const m = location.pathname.match(/^\/p\/(\d+)$/);
  const i = location.pathname === '/' ? 0 : (m ? Number(m[1]) : -1);
  const root = document.getElementById('root');
  const nav = children(0).map(c => `<a href="${path(c)}" data-link>Section ${c}</a>`).join('');
  const body = i < 0 || i >= ROUTES ? '<h1>Not found</h1>' :
    `<h1>Page ${i}</h1><p>${TEXT}</p><div class="list">` +
    children(i).map(c => `<a href="${path(c)}" data-link>Topic ${c}</a>`).join('') + '</div>';
  document.title = `Page ${i} | App`;
  root.innerHTML = `<header><a href="/" data-link>Home</a><nav>${nav}</nav></header>` +
    `<main>${body}</main><footer><a href="/p/1" data-link>Help</a></footer>`;
}
document.addEventListener('click', e => {
  const a = e.target.closest('a[data-link]');
  if (a) { e.preventDefault(); history.pushState({}, '', a.getAttribute('href')); draw(); }
});
window.addEventListener('popstate', draw);
setTimeout(draw, 50);  // as if the app fetched its data first
"""
TEXT = (
    "Manage your accounts, cards and payments online. "
    "Find answers to common questions, or contact us any day of the week. " * 3
)
BUNDLE_KB = 400  # a typical single-page app's main bundle, minified


def padding(kb: int) -> str:
    """Framework-sized code the browser must parse and compile on every fresh page."""
    lines, size, i = [], 0, 0
    while size < kb * 1024:
        line = f"function f{i}(a,b){{const c=[a,b,{i}].map(x=>x*{i % 7 + 1});return c.join('-')}}\n"
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines)


def spa_files(routes: int, bundle_kb: int = BUNDLE_KB) -> dict[str, str]:
    """The app's files by path; any other path is to be answered with SHELL."""
    constants = f"const ROUTES = {routes};\nconst TEXT = {json.dumps(TEXT)};\n"
    return {
        "/index.html": SHELL,
        "/static/app.css": CSS,
        "/static/app.js": padding(bundle_kb) + constants + ROUTER,
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }


def write_spa(root: Path, routes: int) -> None:
    for path, text in spa_files(routes).items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(text)


def spa_tasks_yaml(routes: int) -> str:
    last = routes - 1
    return f"""tasks:
  - id: deepest
    name: Read topic {last}
    target: {{url: "/p/{last}$"}}
  - id: help
    name: Get help
    entry: {{text: ["help"]}}
    target: {{url: "/p/1$"}}
"""
