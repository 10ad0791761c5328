"""Gemeente Rivierstad: a Dutch municipality's site, as Dutch municipalities build them.

The header names the national top tasks in residents' words ("Paspoort en ID-kaart",
"Afvalkalender", "Melding openbare ruimte", "Afspraak maken"), and a language switcher leads
to an English section under /en/ that names the same tasks in English. A consent banner of
the site's own making (no platform) asks for "toestemming", never says "cookie", and offers
"Alles accepteren" and "Alleen noodzakelijke": its refusal sends GET /consent?choice=necessary.

The way to the bulky-waste form starts at the header's "Afvalkalender", a compound that holds
the task's "afval"; on the waste page "Grofvuil zelf wegbrengen" (taking it to the recycling
yard yourself) competes with "Grofvuil aanmelden", the link that leads on.
"""

from __future__ import annotations

from html import escape

from tests.sites.server import Reply, Route

BANNER = """<div class="toestemming" style="position:fixed;left:0;right:0;bottom:0;height:240px;
background:#fff;border-top:2px solid #333;padding:16px;z-index:1000">
<p>Wij vragen uw toestemming voor het plaatsen van volgsoftware voor statistieken.</p>
<button data-choice="all">Alles accepteren</button>
<button data-choice="necessary">Alleen noodzakelijke</button></div>
<script>
document.addEventListener('click', event => {
  const button = event.target.closest('[data-choice]');
  if (!button) return;
  fetch('/consent?choice=' + button.dataset.choice);
  button.closest('.toestemming').style.display = 'none';
});
</script>"""

HEADER_NL = """<header>
  <a href="/" class="logo">Gemeente Rivierstad</a>
  <form role="search" action="/zoeken"><input type="search" name="q" aria-label="Zoeken"></form>
  <nav aria-label="Hoofdmenu"><ul>
    <li><a href="/paspoort-en-id-kaart">Paspoort en ID-kaart</a></li>
    <li><a href="/afval/">Afvalkalender</a></li>
    <li><a href="/melding-openbare-ruimte">Melding openbare ruimte</a></li>
    <li><a href="/afspraak">Afspraak maken</a></li>
    <li><a href="/contact">Contact</a></li>
    <li><a href="/en/" hreflang="en" lang="en">English</a></li>
  </ul></nav>
</header>"""

HEADER_EN = """<header>
  <a href="/en/" class="logo">City of Rivierstad</a>
  <nav aria-label="Main"><ul>
    <li><a href="/en/passport">Passport and ID card</a></li>
    <li><a href="/en/waste">Waste collection</a></li>
    <li><a href="/en/report">Report a problem</a></li>
    <li><a href="/" hreflang="nl" lang="nl">Nederlands</a></li>
  </ul></nav>
</header>"""


def page(title: str, body: str, lang: str = "nl", banner: bool = True) -> str:
    header = HEADER_NL if lang == "nl" else HEADER_EN
    alternates = (
        '<link rel="alternate" hreflang="nl" href="/">'
        '<link rel="alternate" hreflang="en" href="/en/">'
    )
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Gemeente Rivierstad</title>{alternates}
<style>body {{ margin: 0; font: 16px/1.5 sans-serif; }} header, main {{ padding: 12px; }}
nav ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }}</style>
</head><body>{header}<main><h1>{escape(title)}</h1>{body}</main>
<footer><a href="/privacy">Privacyverklaring</a></footer>{BANNER if banner else ""}</body></html>"""


def links(*pairs: tuple[str, str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for h, t in pairs) + "</ul>"


PAGES = {
    "/": page(
        "Welkom bij gemeente Rivierstad",
        "<p>Hier regelt u zaken met de gemeente: een paspoort of ID-kaart aanvragen, uw "
        "verhuizing doorgeven, een melding doen over de openbare ruimte en de ophaaldagen van "
        "het afval bekijken.</p>"
        + links(("/nieuws", "Nieuws"), ("/parkeren", "Parkeervergunning aanvragen")),
    ),
    "/paspoort-en-id-kaart": page(
        "Paspoort en ID-kaart",
        "<p>Een paspoort of ID-kaart vraagt u aan bij de gemeente.</p>"
        + links(("/afspraak", "Maak een afspraak")),
    ),
    "/afval/": page(
        "Afval",
        "<p>De ophaaldagen van uw afval vindt u in de afvalkalender.</p>"
        + links(
            ("/afval/grofvuil", "Grofvuil aanmelden"),
            ("/afval/container", "Afvalcontainer huren"),
            ("/afval/milieustraat", "Grofvuil zelf wegbrengen"),
        ),
    ),
    "/afval/grofvuil": page(
        "Grofvuil ophalen",
        '<form action="/afval/grofvuil"><label>Postcode <input name="postcode"></label>'
        "<button>Ophalen aanvragen</button></form>",
    ),
    "/afval/milieustraat": page("Milieustraat", "<p>Open op zaterdag.</p>"),
    "/afval/container": page("Afvalcontainer huren", "<p>Huur een container bij Vuilwerk BV.</p>"),
    "/melding-openbare-ruimte": page(
        "Melding openbare ruimte", "<p>Doe een melding van kapotte straatverlichting.</p>"
    ),
    "/afspraak": page("Afspraak maken", "<p>Kies een datum en tijd.</p>"),
    "/contact": page("Contact", "<p>Bel 14 0123.</p>"),
    "/nieuws": page("Nieuws", "<p>Nieuwe bibliotheek open.</p>"),
    "/parkeren": page("Parkeervergunning", "<p>Vraag een parkeervergunning aan.</p>"),
    "/privacy": page("Privacyverklaring", "<p>Hoe wij met uw gegevens omgaan.</p>"),
    "/en/": page("Welcome to Rivierstad", "<p>Information in English.</p>", "en", False),
    "/en/passport": page("Passport and ID card", "<p>Apply for a passport.</p>", "en", False),
    "/en/waste": page("Waste collection", "<p>Bulky waste.</p>", "en", False),
    "/en/report": page("Report a problem", "<p>Report it.</p>", "en", False),
}


def routes() -> dict[str, Route]:
    pages: dict[str, Route] = {path: Reply(html) for path, html in PAGES.items()}
    pages["/consent"] = Reply("", 204, content_type="")
    return pages


# Written as a Dutch resident would, in the site's words.
TASKS = """site:
  lang: nl
tasks:
  - id: grofvuil
    name: Grofvuil of afval laten ophalen
    entry: {text: ["grofvuil"]}
    target: {url: "/afval/grofvuil$"}
  - id: paspoort
    name: Paspoort aanvragen
    entry: {text: ["paspoort"]}
    target: {url: "/paspoort-en-id-kaart$"}
"""
