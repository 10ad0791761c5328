"""The languages toptasks reads a site in, and a language tag reduced to one of them.

A language is its ISO 639-1 code; Norwegian is Bokmål, `nb` (`no` and `nn` are read as it:
Snowball's Norwegian stemmer and the catalogues are Bokmål).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

LANGUAGES = ("en", "nl", "de", "fr", "es", "it", "nb", "da", "sv")
DEFAULT = "en"
ALIASES = {"no": "nb", "nn": "nb"}
# Every language's own name and the English one, as a language switcher labels a link.
NAMES = {
    "en": ("english",),
    "nl": ("nederlands", "dutch", "vlaams"),
    "de": ("deutsch", "german"),
    "fr": ("français", "francais", "french"),
    "es": ("español", "espanol", "spanish", "castellano"),
    "it": ("italiano", "italian"),
    "nb": ("norsk", "bokmål", "bokmal", "norwegian"),
    "da": ("dansk", "danish"),
    "sv": ("svenska", "swedish"),
}
# Tags a site may use that are no language of the list: a switcher names them too.
OTHER_TAGS = ("pl", "pt", "fi", "tr", "ru", "ar", "zh", "ja", "uk", "cs", "el", "hu", "ro")
_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def language_of_tag(tag: str | None) -> str:
    """`nl-NL`, `de_DE`, `NO` as one of LANGUAGES; "" for a tag of another language or none."""
    match = _TAG.match(tag or "")
    if match is None:
        return ""
    code = match.group(1).lower()
    code = ALIASES.get(code, code)
    return code if code in LANGUAGES else ""


def first_tag(header: str | None) -> str:
    """The first language a Content-Language header names (`de-DE, en` is German)."""
    for part in (header or "").split(","):
        if language_of_tag(part):
            return language_of_tag(part)
    return ""


_PREFIX = re.compile(r"^/([a-z]{2})(?:[-_][a-z]{2})?(?:/|$)", re.IGNORECASE)
_SEGMENTS = frozenset(LANGUAGES) | frozenset(ALIASES) | frozenset(OTHER_TAGS)


def path_language(url: str) -> str:
    """The language a URL's first path segment names (`/en/`, `/nl-be/`, `/pl/`); "" when
    none."""
    try:
        match = _PREFIX.match(urlsplit(url).path)
    except ValueError:  # a malformed address (a hostile page's "http://[x") names no language
        return ""
    if match is None or match.group(1).lower() not in _SEGMENTS:
        return ""
    return language_of_tag(match.group(1)) or match.group(1).lower()
