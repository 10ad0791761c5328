"""A page's language: what it declares (`<html lang>`, then `Content-Language`), else what its
text reads as, by py3langid (langid.py's model, Lui and Baldwin, ACL 2012), offline.

Only the languages toptasks reads (contract/languages.py) are candidates; a text too short to
tell, or that reads as none of them clearly, has no language ("").
"""

from __future__ import annotations

import urllib.request
from functools import cache

from lxml import etree
from lxml import html as lxml_html

from contract.config import DEFAULT_USER_AGENT
from contract.languages import LANGUAGES, first_tag, language_of_tag
from crawler.targets import page_text

MIN_TEXT = 200  # characters: langid.py is reliable on a paragraph, not on a menu of five words
MIN_CONFIDENCE = 0.8
_LANGID_CODES = {"nb": "no"}  # langid.py names Norwegian `no`
MAX_HEAD = 512 * 1024  # bytes of the start page read for its <html lang>


@cache
def _identifier():  # noqa: ANN202 (py3langid has no type hints)
    """The model, loaded once and only when a page declares no language (1 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([_LANGID_CODES.get(code, code) for code in LANGUAGES])
    return identifier


def detected_language(text: str) -> str:
    """The language the text reads as, or "" when it is too short or unclear."""
    if len(text.strip()) < MIN_TEXT:
        return ""
    code, confidence = _identifier().classify(text[:5000])
    return language_of_tag(code) if confidence >= MIN_CONFIDENCE else ""


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def page_language(root: lxml_html.HtmlElement | None, content_language: str, text: str) -> str:
    """`<html lang>` (or `xml:lang`), else the Content-Language header's first language, else
    what the text reads as. A declared language toptasks does not read (`pl`) is no language,
    not second-guessed; a wrong declaration is overridden by `site.lang` / `--lang`."""
    for name in ("lang", XML_LANG):
        tag = (root.get(name) or "").strip() if root is not None else ""
        if tag:
            return language_of_tag(tag)
    return first_tag(content_language) or detected_language(text)


def start_page_language(url: str, timeout_s: float, words: str = "") -> str:
    """The start page's language before any crawl (`toptasks init`, `audit` without --tasks):
    what its HTML declares (one GET, as the crawl would make), else what its text reads as,
    else what `words` (its rendered links' words) read as; "" when none says."""
    request = urllib.request.Request(url, headers={"User-Agent": DEFAULT_USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:  # noqa: S310 (http(s) only)
            header = answer.headers.get("Content-Language", "")
            body = answer.read(MAX_HEAD)
    except (OSError, ValueError):
        return detected_language(words)
    try:
        root = lxml_html.document_fromstring(body)
    except (ValueError, etree.ParserError):
        return first_tag(header) or detected_language(words)
    text = page_text(root)
    return page_language(root, header, text if len(text) >= MIN_TEXT else words)
