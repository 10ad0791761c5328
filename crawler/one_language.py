"""A crawl stays in the run's language: a site in several languages links every page to its
translations (a language switcher, `/en/`, `/nl/` prefixes, `<link rel=alternate hreflang>`),
and following them would audit the same tasks twice, the second time in words the tasks do
not use.

The run's language is `site.lang`, else the start page's (declared, as crawler/language.py
reads it), else the one the start URL's first path segment names. A link is not followed
when its path begins with another language's segment (`/en/` from a Dutch start page), or
when a crawled page names it as its alternate in another language (`hreflang`). A site with
no language segments and no alternates is crawled as before.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from contract.languages import language_of_tag, path_language
from crawler.language import page_language
from crawler.links import normalize_url

_ALTERNATES = etree.XPath(
    "//link[translate(@rel, 'ALTERN', 'altern') = 'alternate'][@hreflang][@href]"
)


class LanguageScope:
    """Which links a crawl in one language follows."""

    def __init__(self, lang: str | None, start_url: str) -> None:
        self.lang = lang or path_language(start_url)
        self.elsewhere: set[str] = set()  # other languages' alternates of crawled pages

    def learn(self, root: lxml_html.HtmlElement | None, content_language: str, url: str) -> None:
        """Read a crawled page: the start page's language when none is set, and every page's
        alternates in other languages."""
        if root is None:
            return
        if not self.lang:
            self.lang = page_language(root, content_language, "")
        for link in _ALTERNATES(root):
            tag = link.get("hreflang", "")
            lang = language_of_tag(tag) or tag.lower()
            if lang and lang != "x-default" and self.lang and lang != self.lang:
                try:
                    other = normalize_url(urljoin(url, link.get("href", "").strip()))
                except ValueError:  # a malformed address leads nowhere to block
                    continue
                if self.allows(other):  # kept only when its path does not already say so
                    self.elsewhere.add(other)

    def allows(self, url: str) -> bool:
        if not self.lang:
            return True
        if url in self.elsewhere:
            return False
        other = path_language(url)
        return not other or other == self.lang
