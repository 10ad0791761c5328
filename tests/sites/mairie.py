"""Mairie de Belleville-sur-Loire: a French town hall's site that declares no language at all
(no `<html lang>`, no Content-Language), as many small sites built by hand do: its language is
read from its text. Its header says "Démarches en ligne", "Prendre rendez-vous", "Nous
contacter", "Horaires d'ouverture" and "Questions fréquentes".
"""

from __future__ import annotations

from html import escape

from tests.sites.server import Reply, Route

HEADER = """<header>
  <a href="/" class="logo">Mairie de Belleville-sur-Loire</a>
  <form role="search" action="/recherche">
    <input type="search" name="q" aria-label="Rechercher"></form>
  <nav><ul>
    <li><a href="/demarches">Démarches en ligne</a></li>
    <li><a href="/rendez-vous">Prendre rendez-vous</a></li>
    <li><a href="/horaires">Horaires d'ouverture</a></li>
    <li><a href="/faq">Questions fréquentes</a></li>
    <li><a href="/contact">Nous contacter</a></li>
  </ul></nav>
</header>"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title></head><body>{HEADER}<main><h1>{escape(title)}</h1>{body}</main>
</body></html>"""


PAGES = {
    "/": page(
        "Bienvenue à Belleville-sur-Loire",
        "<p>La mairie vous accueille du lundi au vendredi. Retrouvez ici toutes les démarches "
        "administratives : carte d'identité, passeport, état civil, inscription sur les listes "
        "électorales, ainsi que les informations sur la collecte des déchets et les travaux en "
        "cours dans la commune.</p>",
    ),
    "/demarches": page("Démarches en ligne", "<p>Carte d'identité et passeport.</p>"),
    "/rendez-vous": page("Prendre rendez-vous", "<p>Choisissez un créneau.</p>"),
    "/horaires": page("Horaires d'ouverture", "<p>Du lundi au vendredi, de 9 h à 17 h.</p>"),
    "/faq": page("Questions fréquentes", "<p>Comment obtenir un acte de naissance ?</p>"),
    "/contact": page("Nous contacter", "<p>Téléphone : 02 00 00 00 00.</p>"),
}


def routes() -> dict[str, Route]:
    return {path: Reply(html) for path, html in PAGES.items()}
