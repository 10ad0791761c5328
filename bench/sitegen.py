"""Synthetic company sites of any size, the same for the same seed.

Page i of n is `/p/i.html` (page 0 is `/`); pages form a ten-way tree in breadth-first order, so
page i sits at depth d(i) and links to its ten children. Every page also carries a header with
the section pages and the login, breadcrumbs to its parent, ten seeded "related" links and a
footer: about 30 links and about 8 KB, like a real page. Related links only point to pages at
most one level deeper, so the fewest clicks to page i is exactly its tree depth: top-task
targets placed on chosen pages have known click counts.
"""

from __future__ import annotations

import random
from pathlib import Path

BRANCHING = 10
RELATED = 10
PAGE_BYTES = 8 * 1024
FILLER = (
    "Our customers tell us what matters to them: clear prices, quick answers and a service "
    "that works when they need it. "
)
# Task id -> (page index, heading): the page index fixes the depth, hence the clicks.
TARGETS = {
    "pay_bill": (5, "Pay a bill"),
    "lost_card": (57, "Report a lost card"),
    "open_account": (582, "Open an account"),
    "mortgage_rates": (5826, "Mortgage rates"),
    "travel_notice": (58265, "Tell us you are travelling"),
}


def depth_of(i: int) -> int:
    depth = 0
    while i > 0:
        i = (i - 1) // BRANCHING
        depth += 1
    return depth


def url_of(i: int) -> str:
    return "/" if i == 0 else f"/p/{i}.html"


def heading_of(i: int) -> str:
    for _, (page, heading) in TARGETS.items():
        if page == i:
            return heading
    return f"Topic {i}"


def children_and_related(i: int, n: int, seed: int) -> tuple[range, list[int]]:
    rng = random.Random(seed * 1_000_003 + i)
    children = range(BRANCHING * i + 1, min(n, BRANCHING * i + BRANCHING + 1))
    reach = min(n, BRANCHING * i + BRANCHING + 1)  # ids up to here are at most one level deeper
    return children, [rng.randrange(reach) for _ in range(RELATED)]


def page_links(i: int, n: int, seed: int) -> list[tuple[str, str, str]]:
    """(path, text, region) of every http link on page i, in page order, as page_html has them."""
    children, related = children_and_related(i, n, seed)
    links = [("/", "Example Bank", "header")]
    links += [(url_of(s), f"Section {s}", "nav") for s in range(1, 9) if s < n]
    links += [("/login", "Log in", "header"), ("/", "Home", "nav")]
    links += [(url_of((i - 1) // BRANCHING), "Up", "nav")]
    links += [(url_of(c), heading_of(c), "main") for c in children]
    links += [(url_of(r), heading_of(r), "aside") for r in related]
    footer = [("/p/1.html", "About us"), ("/p/2.html", "Careers"), ("/p/3.html", "Contact")]
    return links + [(u, t, "footer") for u, t in footer] + [("/login", "Log in", "footer")]


def page_html(i: int, n: int, seed: int) -> str:
    children, related = children_and_related(i, n, seed)
    nav = "".join(f'<li><a href="{url_of(s)}">Section {s}</a></li>' for s in range(1, 9) if s < n)
    crumbs = f'<a href="/">Home</a> &gt; <a href="{url_of((i - 1) // BRANCHING)}">Up</a>'
    kids = "".join(f'<li><a href="{url_of(c)}">{heading_of(c)}</a></li>' for c in children)
    more = "".join(f'<li><a href="{url_of(r)}">{heading_of(r)}</a></li>' for r in related)
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{heading_of(i)} | Example Bank</title></head>
<body>
<header class="site-header"><a href="/" class="logo">Example Bank</a>
<nav aria-label="Main"><ul>{nav}</ul></nav><a class="btn" href="/login">Log in</a></header>
<nav class="breadcrumb">{crumbs}</nav>
<main><h1>{heading_of(i)}</h1><ul>{kids}</ul><aside><h2>Related</h2><ul>{more}</ul></aside>
"""
    footer = """<footer class="site-footer"><a href="/p/1.html">About us</a>
<a href="/p/2.html">Careers</a> <a href="/p/3.html">Contact</a> <a href="/login">Log in</a>
<a href="mailto:help@bank.example">Email</a> <a href="tel:+440000000">Call</a></footer>
</body></html>
"""
    filler_size = max(0, PAGE_BYTES - len(body) - len(footer) - 20)
    filler = (FILLER * (filler_size // len(FILLER) + 1))[:filler_size]
    return f"{body}<p>{filler}</p></main>\n{footer}"


LOGIN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in</title></head>
<body><main><h1>Log in</h1><form><input name="user"><input type="password" name="pw">
</form></main></body></html>
"""


def site_pages(n: int, seed: int = 1) -> dict[str, str]:
    """URL path -> HTML for every page (small sites, held in memory by test servers)."""
    pages = {url_of(i): page_html(i, n, seed) for i in range(n)}
    return pages | {"/login": LOGIN, "/robots.txt": "User-agent: *\nAllow: /\n"}


def write_site(root: Path, n: int, seed: int = 1) -> None:
    """The same site as files, for a static server (nginx) to serve."""
    (root / "p").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        path = root / "index.html" if i == 0 else root / "p" / f"{i}.html"
        path.write_text(page_html(i, n, seed), encoding="utf-8")
    (root / "login").write_text(LOGIN, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


def tasks_yaml(n: int) -> str:
    """A task config for the targets that exist in a site of n pages, with their depths."""
    lines = ["site:", f"  max_pages: {n + 10}", "  max_depth: 8", "tasks:"]
    lines += [
        "  - id: login",
        "    name: Log in",
        "    entry: {text: ['log in']}",
        "    target: {url: '/login$'}",
    ]
    for task_id, (page, heading) in TARGETS.items():
        if page < n:
            lines += [
                f"  - id: {task_id}  # {depth_of(page)} clicks",
                f"    name: {heading}",
                f"    entry: {{text: ['{heading.lower()}']}}",
                f"    target: {{url: '/p/{page}[.]html$'}}",
            ]
    return "\n".join(lines) + "\n"
