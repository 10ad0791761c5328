"""Every link occurrence on a page, with its accessible text and the page region it sits in.

Scrapy's LinkExtractor keeps only followable HTTP links and the bare anchor text; an audit also
needs `mailto:`/`tel:`/`javascript:` links, the `aria-label`/`alt`/`title` of icon links and the
landmark (header, nav, main, aside, footer) a link sits in. One lxml pass over the parsed tree
gives all of that, and `classify_url` keeps the follow/no-follow decision small and separate.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html
from w3lib.url import canonicalize_url, url_query_cleaner

from contract.records import Link

REGIONS = ("header", "nav", "main", "aside", "footer")
_TAG_REGION = {
    "header": "header",
    "nav": "nav",
    "main": "main",
    "aside": "aside",
    "footer": "footer",
}
_ROLE_REGION = {
    "banner": "header",
    "navigation": "nav",
    "main": "main",
    "complementary": "aside",
    "contentinfo": "footer",
}
# Whole class/id tokens only: "card-header" inside an article is not the site header.
_NAME_REGION = [
    (re.compile(r"^(site|page|global|main|top)?[-_]?(header|masthead|top-?bar|banner)$"), "header"),
    (
        re.compile(r"^(site|main|primary|global|top|mobile)?[-_]?(nav|navbar|navigation|menu)$"),
        "nav",
    ),
    (re.compile(r"^breadcrumbs?$"), "nav"),
    (re.compile(r"^(site|page|global)?[-_]?footer$"), "footer"),
    (re.compile(r"^(sidebar|side-?bar|aside)$"), "aside"),
    (re.compile(r"^(main|main-?content|content)$"), "main"),
]
_SPACES = re.compile(r"\s+")
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WEB_SCHEMES = ("http:", "https:", "HTTP:", "HTTPS:")
_DIGITS = re.compile(r"\d+")
_SESSION_NAMES = r"(jsessionid|phpsessid|aspsessionid\w*|sessionid|session_id|sid)"
_PATH_SESSION = re.compile(rf";{_SESSION_NAMES}=[^/?]*", re.IGNORECASE)
# Query parameters that name a visit or a campaign, not a page: a session id (which would
# make every visit a new set of URLs) and the trackers of Google Analytics (utm_*), Google
# Ads (gclid, dclid, gbraid, wbraid), Meta (fbclid), Microsoft Ads (msclkid), Mailchimp
# (mc_cid, mc_eid), HubSpot (_hsenc, _hsmi) and Yandex (yclid).
_NOT_THE_PAGE = re.compile(
    rf"^({_SESSION_NAMES[1:-1]}|utm_\w*|gclid|dclid|gbraid|wbraid|fbclid|msclkid|mc_cid|mc_eid"
    r"|_hsenc|_hsmi|yclid)$",
    re.IGNORECASE,
)
WEB_KINDS = ("internal", "external", "private")
MAX_LINKS_PER_PAGE = 5000  # a page with more is hostile or broken; the rest is not read


def is_hash_route(fragment: str) -> bool:
    """`#/cards` and `#!/cards` are pages of a hash-routed app; `#top` only scrolls."""
    return fragment.startswith(("/", "!/"))


def normalize_url(url: str) -> str:
    """The one address under which a page is requested, stored and compared: w3lib's
    canonical form (Scrapy's request fingerprints use it: query keys sorted, escapes
    normalised), without session ids and tracking parameters, and without a fragment unless
    it is a hash route, which is the page itself in a single-page app."""
    canonical = canonicalize_url(url.strip(), keep_fragments=True)
    parts = urlsplit(canonical)
    names = {p.split("=", 1)[0] for p in parts.query.split("&") if p}
    dropped = [name for name in names if _NOT_THE_PAGE.match(name)]
    if dropped:
        canonical = url_query_cleaner(
            canonical, dropped, remove=True, unique=False, keep_fragments=True
        )
        parts = urlsplit(canonical)
    path = _PATH_SESSION.sub("", parts.path) or "/"
    fragment = parts.fragment if is_hash_route(parts.fragment) else ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, fragment))


def host_allowed(host: str, allowed_domains: list[str]) -> bool:
    """Same rule as Scrapy's OffsiteMiddleware: the domain itself or any subdomain of it."""
    host = host.lower()
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def is_private_host(host: str) -> bool:
    """A loopback, private or link-local address: a public page linking there leaks or probes."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def classify_url(url: str, allowed_domains: list[str]) -> str:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("http", "https"):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # a malformed authority such as http://[::1
            return "other"
        if host_allowed(host, allowed_domains):
            return "internal"
        return "private" if is_private_host(host) else "external"
    if scheme in ("mailto", "tel", "javascript", "data", "file"):
        return scheme
    return "other"


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def accessible_text(anchor: lxml_html.HtmlElement) -> str:
    """aria-label first, then visible text with image alts, then title: the accessible name."""
    label = _clean(anchor.get("aria-label"))
    if label:
        return label
    parts = [anchor.text or ""]
    for child in anchor.iterdescendants():
        if not isinstance(child.tag, str) or child.tag in ("script", "style"):
            continue
        if child.tag == "img":
            parts.append(" " + (child.get("alt") or ""))
        parts.append(child.text or "")
        parts.append(child.tail or "")
    text = _clean("".join(parts))
    return text or _clean(anchor.get("title"))


class RegionFinder:
    """Nearest landmark ancestor of an element, cached per ancestor so each link costs little."""

    def __init__(self) -> None:
        self._cache: dict[lxml_html.HtmlElement, str | None] = {}

    def own_region(self, element: lxml_html.HtmlElement) -> str | None:
        if element in self._cache:
            return self._cache[element]
        region = _TAG_REGION.get(element.tag) if isinstance(element.tag, str) else None
        region = region or _ROLE_REGION.get((element.get("role") or "").strip().lower())
        if region is None:
            names = (element.get("class") or "").lower().split() + [
                (element.get("id") or "").lower()
            ]
            region = next((r for name in names for rx, r in _NAME_REGION if rx.match(name)), None)
        self._cache[element] = region
        return region

    def region_of(self, element: lxml_html.HtmlElement) -> str:
        for ancestor in element.iterancestors():
            region = self.own_region(ancestor)
            if region:
                return region
        return "main"


def url_pattern(url: str) -> str:
    """URLs that differ only in numbers and query values share a pattern: /cal?m=1, /cal?m=2.

    Only URLs with a query get one ("" otherwise): paging, calendars and filters are where
    traps live, while /product/123 paths are a large site's real pages.
    """
    parts = urlsplit(url)
    if not parts.query:
        return ""
    keys = "&".join(sorted(p.split("=", 1)[0] for p in parts.query.split("&") if p))
    return f"{parts.netloc}{_DIGITS.sub('N', parts.path)}?{keys}"


@lru_cache(maxsize=100_000)
def resolve(base_url: str, href: str, allowed: tuple[str, ...]) -> tuple[str, str]:
    """A link's (url, kind). Cached: a site's menus and footers repeat on every page, and URL
    normalisation is the costliest per-link work of the crawl (measured with py-spy)."""
    try:
        absolute = urljoin(base_url, href)
        kind = classify_url(absolute, list(allowed))
        return (normalize_url(absolute) if kind in WEB_KINDS else absolute), kind
    except ValueError:  # hostile or broken: http://[x, a port that is not a number
        return href, "other"


def extract_links(root: lxml_html.HtmlElement, page_url: str, allowed: list[str]) -> list[Link]:
    """`<a href>` and `<area href>` of a page in document order; in-page anchors are left out,
    hash routes (`#/path`) kept."""
    base = next(iter(root.xpath("//base/@href")), None)
    base_url = urljoin(page_url, base) if base else page_url
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    domains = tuple(allowed)
    regions = RegionFinder()
    links: list[Link] = []
    for anchor in root.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or (href.startswith("#") and not is_hash_route(href[1:])):
            continue
        # The cache key holds only what the result depends on, so that "/p/1.html" resolves
        # once per site, not once per page that links to it.
        scheme = _HAS_SCHEME.match(href)
        if scheme and (href[scheme.end() :].startswith("//") or scheme[0] not in _WEB_SCHEMES):
            context = ""  # absolute; "http:page.html" alone is relative (RFC 3986, 5.2.2)
        elif href.startswith("/") and not href.startswith("//"):
            context = origin
        else:
            context = base_url
        url, kind = resolve(context, href, domains)
        text = accessible_text(anchor) if anchor.tag == "a" else _clean(anchor.get("alt"))
        links.append(Link(url, text, regions.region_of(anchor), len(links) + 1, kind))
        if len(links) >= MAX_LINKS_PER_PAGE:
            break
    return links


_CANONICAL = etree.XPath(
    "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', 'canonical')),"
    " ' '), ' canonical ')]/@href"
)


def canonical_url(root: lxml_html.HtmlElement, page_url: str) -> str:
    """The address the page names as its own (`<link rel=canonical>`), normalised; "" when it
    names none, or not a web address."""
    href = next((h.strip() for h in _CANONICAL(root) if h.strip()), "")
    if not href:
        return ""
    try:
        absolute = urljoin(page_url, href)
    except ValueError:
        return ""
    return normalize_url(absolute) if classify_url(absolute, []) in WEB_KINDS else ""


def page_title(root: lxml_html.HtmlElement) -> str:
    return _clean(root.findtext(".//title"))
