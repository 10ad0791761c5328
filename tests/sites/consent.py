# ruff: noqa: E501  (the platforms' markup reads best unbroken)
"""Consent layers as the common platforms draw them, one page each, over a "Log in" link.

Each banner is fixed at the bottom of the screen, 260 px high, over the page's "Log in" link
(at about 650 px). Its refuse button sends GET /consent?choice=necessary and closes it; its
accept button sends GET /consent?choice=all. The generic notice offers only "OK, got it".
Usercentrics draws inside an open shadow root, as its v2 script does. The slow Cookiebot
dialog takes 3 s to go once answered, as a library's fade does on a busy machine.
"""

from __future__ import annotations

from tests.sites.server import Reply, Route

BAR = "position:fixed;left:0;right:0;bottom:0;height:260px;background:#fff;border-top:2px solid #333;padding:16px;z-index:1000"
ANSWER = """<script>
document.addEventListener('click', event => {
  const button = event.target.closest('[data-choice]');
  if (!button) return;
  fetch('/consent?choice=' + button.dataset.choice);
  const layer = button.closest('[data-layer]');
  if (!layer) return;
  const hide = () => { layer.style.display = 'none'; };
  if ('slow' in layer.dataset) setTimeout(hide, 3000); else hide();  // a long fade-out
});
</script>"""


def _bar(
    attrs: str,
    refuse: str,
    accept: str,
    text: str = "We use cookies to give you the best experience.",
) -> str:
    return f"""<div {attrs} data-layer style="{BAR}"><p>{text}</p>{accept}{refuse}</div>"""


PLATFORMS: dict[str, str] = {
    "onetrust": """<div id="onetrust-consent-sdk">"""
    + _bar(
        'id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner"',
        '<button id="onetrust-reject-all-handler" data-choice="necessary">Reject All</button>',
        '<button id="onetrust-accept-btn-handler" data-choice="all">Accept All Cookies</button>',
    )
    + "</div>",
    "cookiebot": _bar(
        'id="CybotCookiebotDialog" role="dialog" aria-modal="true" lang="en"',
        '<button id="CybotCookiebotDialogBodyButtonDecline" data-choice="necessary">Deny</button>',
        '<button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" data-choice="all">Allow all</button>',
    ),
    "didomi": """<div id="didomi-host">"""
    + _bar(
        'id="didomi-notice" class="didomi-notice-banner"',
        '<button id="didomi-notice-disagree-button" data-choice="necessary">Continue without agreeing</button>',
        '<button id="didomi-notice-agree-button" data-choice="all">Agree and close</button>',
    )
    + "</div>",
    "quantcast": """<div class="qc-cmp2-container" id="qc-cmp2-container">"""
    + _bar(
        'id="qc-cmp2-ui" role="dialog"',
        '<div class="qc-cmp2-summary-buttons"><button mode="secondary" data-choice="necessary">I do not accept</button></div>',
        '<button mode="primary" data-choice="all">I accept</button>',
    )
    + "</div>",
    "trustarc": _bar(
        'id="truste-consent-track"',
        '<button id="truste-consent-required" data-choice="necessary">Required Only</button>',
        '<button id="truste-consent-button" data-choice="all">Accept All Cookies</button>',
    ),
    "osano": _bar(
        'class="osano-cm-window osano-cm-dialog" role="dialog"',
        '<button class="osano-cm-denyAll osano-cm-button" data-choice="necessary">Deny</button>',
        '<button class="osano-cm-accept-all osano-cm-button" data-choice="all">Accept All</button>',
    ),
    "generic": _bar(
        'class="notice-bar"',
        "",
        '<button data-choice="all">OK, got it</button>',
        "This website uses cookies. By continuing you agree to our cookie policy.",
    ),
    "usercentrics": """<div id="usercentrics-root"></div><script>
const host = document.getElementById('usercentrics-root');
const root = host.attachShadow({mode: 'open'});
root.innerHTML = `<div id="uc-banner" data-layer style="BAR"><p>We use cookies and similar technologies.</p>
<button data-testid="uc-accept-all-button" data-choice="all">Accept All</button>
<button data-testid="uc-deny-all-button" data-choice="necessary">Deny</button></div>`;
root.addEventListener('click', event => {
  const button = event.target.closest('[data-choice]');
  if (!button) return;
  fetch('/consent?choice=' + button.dataset.choice);
  root.getElementById('uc-banner').style.display = 'none';
});
</script>""".replace("BAR", BAR),
}
PLATFORMS["cookiebot-slow"] = PLATFORMS["cookiebot"].replace(" data-layer", " data-layer data-slow")
EXPECTED = {
    "onetrust": ("OneTrust", "refused"),
    "cookiebot": ("Cookiebot", "refused"),
    "cookiebot-slow": ("Cookiebot", "refused"),  # refused once, not refused then removed
    "didomi": ("Didomi", "refused"),
    "quantcast": ("Quantcast Choice", "refused"),
    "trustarc": ("TrustArc", "refused"),
    "osano": ("Osano", "refused"),
    "generic": ("cookie notice", "removed"),
    "usercentrics": ("Usercentrics", "refused"),
}


def page(title: str, banner: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body {{ margin: 0; font: 16px/1.5 sans-serif; }} header {{ padding: 16px; }}
main {{ padding: 0 16px; }} .spacer {{ height: 560px; }}</style></head><body>
<header><a href="/">Lakeside Savings</a></header>
<main><h1>{title}</h1><div class="spacer">Saving made simple.</div>
<p><a href="/login">Log in</a></p></main>{banner}{ANSWER}</body></html>"""


def routes() -> dict[str, Route]:
    pages: dict[str, Route] = {
        f"/{name}": Reply(page(name, banner)) for name, banner in PLATFORMS.items()
    }
    pages["/"] = pages["/onetrust"]
    pages["/login"] = Reply(page("Log in", PLATFORMS["onetrust"]))
    pages["/consent"] = Reply("", 204, content_type="")
    return pages


TASKS = """tasks:
  - id: login
    name: Log in
    entry: {text: ["log in"]}
    target: {url: "/login$"}
"""
