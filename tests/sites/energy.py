"""Brightwater Energy: a fixture site for rendering, each top task placed to test one rule.

- "Log in" is a header button on desktop; below 800 px it moves into the hamburger menu.
- "Get a quote" is a call-to-action below the fold on every viewport.
- "Moving home" sits under a fixed pop-up that covers it at load.
- "Pay my bill" is light grey on white (contrast about 1.6:1).
- "Outage map" exists only once a script has built it into the navigation.
- /slow never finishes loading (a script that never arrives).
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

from tests.sites.server import Reply, Route

STYLE = """
body { margin: 0; font: 16px/1.4 sans-serif; color: #222; background: #fff; }
header { display: flex; align-items: center; gap: 16px; height: 64px; padding: 0 16px; }
.menu-toggle, .menu-login { display: none; }
#menu { display: flex; gap: 16px; }
.btn-login { margin-left: auto; padding: 10px 18px; background: #0a5; color: #fff; }
.pay { display: block; margin: 8px 16px; color: #ccc; }
.hero { height: 1400px; padding: 16px; background: #eef6ff; }
.moving { position: absolute; top: 300px; left: 40px; font-size: 20px; }
.popup { position: fixed; top: 150px; left: 0; right: 0; height: 400px; background: #fff;
         border: 2px solid #333; z-index: 10; padding: 24px; }
@media (max-width: 800px) {
  .menu-toggle { display: block; margin-left: auto; }
  .btn-login { display: none; }
  #menu { display: none; position: absolute; top: 64px; left: 0; right: 0; background: #fff;
          flex-direction: column; padding: 16px; z-index: 20; }
  #menu.open { display: flex; }
  .menu-login { display: block; }
}
"""

HOME = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brightwater Energy</title><style>{STYLE}</style></head>
<body>
<header>
  <a href="/" class="logo">Brightwater</a>
  <button class="menu-toggle" aria-expanded="false" aria-controls="menu">Menu</button>
  <nav id="menu" aria-label="Main">
    <a href="/tariffs">Tariffs</a>
    <a href="/help">Help</a>
    <a href="/login" class="menu-login">Log in</a>
  </nav>
  <a href="/login" class="btn-login">Log in</a>
</header>
<a class="pay" href="/pay">Pay my bill</a>
<main>
  <section class="hero" style="position: relative">
    <h1>Energy for every home</h1>
    <a class="moving" href="/moving">Moving home</a>
  </section>
  <p><a class="cta" href="/quote">Get a quote</a></p>
</main>
<div class="popup" role="dialog" aria-modal="true"><h2>Sign up to our newsletter</h2>
  <button class="close">No thanks</button></div>
<footer><a href="/slow">Energy saving tips</a></footer>
<script>
  document.querySelector('.menu-toggle').addEventListener('click', (e) => {{
    document.getElementById('menu').classList.toggle('open');
    e.target.setAttribute('aria-expanded', 'true');
  }});
  setTimeout(() => {{
    document.getElementById('menu').insertAdjacentHTML(
      'afterbegin', '<a href="/outage-map">Outage map</a>');
  }}, 50);
</script>
</body></html>"""


def simple(title: str, body: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><header><a href="/">Brightwater</a></header><main><h1>{title}</h1>{body}</main>
</body></html>"""


def never_finishes(handler: BaseHTTPRequestHandler) -> None:
    """Answer a request for a script by waiting, so the page's load event never fires."""
    time.sleep(30)


PAGES = {
    "/": HOME,
    "/login": simple("Log in", '<form><input type="password" name="p"></form>'),
    "/tariffs": simple("Tariffs"),
    "/help": simple("Help"),
    "/pay": simple("Pay a bill"),
    "/moving": simple("Moving home"),
    "/quote": simple("Get a quote"),
    "/outage-map": simple("Outage map"),
    "/slow": simple("Energy saving tips", '<script src="/never.js"></script>'),
}


def routes() -> dict[str, Route]:
    served: dict[str, Route] = {path: Reply(html) for path, html in PAGES.items()}
    served["/robots.txt"] = Reply("User-agent: *\nAllow: /\n", content_type="text/plain")
    served["/never.js"] = never_finishes
    return served
