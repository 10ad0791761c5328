"""Talbank: a German retail bank's site, as German banks and Sparkassen build them.

It declares its language only in the Content-Language header (no `<html lang>`). The header
says "Online-Banking", "Karte sperren", "Kontoauszüge" and "Girokonto eröffnen"; a consent
layer of the bank's own making asks for "Einwilligung" (never saying "cookie") and offers
"Einstellungen", "Alle akzeptieren" and "Alle ablehnen": refusing sends
GET /consent?choice=necessary.
"""

from __future__ import annotations

from html import escape

from tests.sites.server import Reply, Route

BANNER = """<div class="einwilligung" role="dialog" aria-modal="true" style="position:fixed;left:0;
right:0;bottom:0;height:260px;background:#fff;border-top:2px solid #333;padding:16px;z-index:1000">
<p>Wir bitten um Ihre Einwilligung zur Verarbeitung Ihrer Daten für Statistik und Marketing.
Mehr dazu in unseren Datenschutzhinweisen.</p>
<button data-choice="settings">Einstellungen</button>
<button data-choice="all">Alle akzeptieren</button>
<button data-choice="necessary">Alle ablehnen</button></div>
<script>
document.addEventListener('click', event => {
  const button = event.target.closest('[data-choice]');
  if (!button || button.dataset.choice === 'settings') return;
  fetch('/consent?choice=' + button.dataset.choice);
  button.closest('.einwilligung').style.display = 'none';
});
</script>"""

HEADER = """<header>
  <a href="/" class="logo">Talbank</a>
  <a href="/banking/login" class="login">Online-Banking</a>
  <nav aria-label="Hauptnavigation"><ul>
    <li><a href="/privatkunden/girokonto">Girokonto eröffnen</a></li>
    <li><a href="/service/karte-sperren">Karte sperren</a></li>
    <li><a href="/service/kontoauszuege">Kontoauszüge</a></li>
    <li><a href="/privatkunden/baufinanzierung">Baufinanzierung</a></li>
    <li><a href="/privatkunden/sparen">Sparen und Tagesgeld</a></li>
    <li><a href="/filialen">Filialen und Öffnungszeiten</a></li>
  </ul></nav>
</header>"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Talbank</title>
<style>body {{ margin: 0; font: 16px/1.5 sans-serif; }} header, main {{ padding: 12px; }}
nav ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }}</style>
</head><body>{HEADER}<main><h1>{escape(title)}</h1>{body}</main>
<footer><a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a></footer>
{BANNER}</body></html>"""


PAGES = {
    "/": page(
        "Willkommen bei der Talbank",
        "<p>Ihre Bank in der Region: Girokonto, Sparen und Baufinanzierung.</p>",
    ),
    "/banking/login": page(
        "Anmelden im Online-Banking",
        '<form><label>Anmeldename <input name="user"></label>'
        '<label>PIN <input type="password" name="pin"></label><button>Anmelden</button></form>',
    ),
    "/privatkunden/girokonto": page("Girokonto", "<p>Jetzt Konto online eröffnen.</p>"),
    "/service/karte-sperren": page("Karte sperren", "<p>Sperr-Notruf 116 116.</p>"),
    "/service/kontoauszuege": page("Kontoauszüge", "<p>Ihre Kontoauszüge im Postfach.</p>"),
    "/privatkunden/baufinanzierung": page("Baufinanzierung", "<p>Ihr Eigenheim.</p>"),
    "/privatkunden/sparen": page("Sparen", "<p>Tagesgeld mit 2 % Zinsen.</p>"),
    "/filialen": page("Filialen", "<p>Mo-Fr 9-16 Uhr.</p>"),
    "/impressum": page("Impressum", "<p>Talbank AG.</p>"),
    "/datenschutz": page("Datenschutz", "<p>Datenschutzhinweise.</p>"),
}


def routes() -> dict[str, Route]:
    german = {"Content-Language": "de-DE"}
    pages: dict[str, Route] = {path: Reply(html, headers=german) for path, html in PAGES.items()}
    pages["/consent"] = Reply("", 204, content_type="")
    return pages


# What a person finds on the start page for the German bank catalogue's tasks.
HAND_CHECKED = {
    "login": ("Online-Banking", "/banking/login"),
    "lost_card": ("Karte sperren", "/service/karte-sperren"),
    "statements": ("Kontoauszüge", "/service/kontoauszuege"),
    "open_account": ("Girokonto eröffnen", "/privatkunden/girokonto"),
    "mortgage": ("Baufinanzierung", "/privatkunden/baufinanzierung"),
}
