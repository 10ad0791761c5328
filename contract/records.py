"""The records gathering writes into the site model and the audits read back.

`crawler/` produces them (pages.jsonl, links.csv, rendered.jsonl, search.jsonl in a model
folder); `audits/` reads them through `contract.site_model.SiteModel`. Pages, links and searches
are dataclasses; a rendered page is a `TypedDict` because it is made in the browser
(crawler/collect.js) and travels as JSON, so its shape is documented here rather than converted.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import NotRequired, TypedDict

PAGES_FILE = "pages.jsonl"
LINKS_FILE = "links.csv"
RENDERED_FILE = "rendered.jsonl"
SEEDS_FILE = "seeds.json"
SEARCH_FILE = "search.jsonl"
SITEMAPS_FILE = "sitemaps.jsonl"
URL_LIST_FILE = "url_list.json"  # `--urls FILE`: the addresses and sitemaps it names
FOUND_VIA = ("start", "link", "sitemap", "list", "search")  # how the crawl came to a URL
LINK_FIELDS = ["source_url", "target_url", "text", "region", "position", "kind", "rendered_only"]


@dataclass(slots=True)
class PageRecord:
    """One fetched URL, a line of pages.jsonl."""

    url: str  # as requested (the link's URL); redirects are followed to final_url
    final_url: str
    status: int | None
    depth: int
    title: str = ""
    content_type: str = ""
    bytes: int = 0
    n_links: int = 0
    fetch_ms: float | None = None
    error: str = ""
    targets: list[str] = field(default_factory=list)
    text_chars: int | None = None  # body text a reader gets (rendered, in a browser crawl)
    app_root: str = ""  # a single-page app's mount point, e.g. "#root", "[ng-version]"
    # The body text's fingerprint (48 bits, 8 MB a million pages): a page that shows
    # exactly what the home page shows under another URL is a soft 404 (audits/crawl_health).
    text_digest: int | None = None
    # start, link, sitemap, list (`--urls FILE`) or search (a result of the site's search)
    found_via: str = "link"
    canonical: str = ""  # the page's own <link rel=canonical>, normalised; "" when none
    noindex: bool = False  # <meta name=robots> or X-Robots-Tag says noindex
    lang: str = ""  # en, nl, de...: declared, else detected (crawler/language.py); "" unknown

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


PAGE_COLUMNS = list(PageRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Link:
    """One link occurrence on a page; a row of links.csv once its source page is added."""

    target_url: str
    text: str
    region: str  # header, nav, main, aside or footer
    position: int  # 1-based, in the page's reading order
    kind: str  # internal, external, private, mailto, tel, javascript, data, file, other,
    # or denied: internal but never followed while signed in (crawler.session.DenyList)


@dataclass(slots=True)
class SearchRecord:
    """One use of the site's search: the form found (`kind="form"`: `url` is its template with
    `{query}`, or empty with a `note`), or one task's query and the result links in order."""

    kind: str  # "form" or "query"
    url: str = ""
    source: str = ""  # form: "form" or "config"
    note: str = ""  # form: why search is not used; query: why it failed
    task_id: str = ""
    query: str = ""
    status: int | None = None
    results: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass(slots=True)
class SitemapRecord:
    """One line of sitemaps.jsonl (crawler/sitemaps.py): a sitemap file that was read or tried
    (`kind="sitemap"`), a page address one lists (`"entry"`) or a `--urls` file lists
    (`"listed"`), and, last, `"done"` with the addresses left out and why."""

    kind: str  # sitemap, entry, listed or done
    url: str = ""
    sitemap: str = ""  # entry: the sitemap listing it; sitemap: robots.txt or the index naming it
    status: int | None = None  # sitemap: the HTTP answer
    urls: int = 0  # sitemap: page addresses it listed
    problem: str = ""  # sitemap: why it was not read, or not read whole
    skipped: dict[str, int] = field(default_factory=dict)  # done: addresses left out, by reason

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass
class Sitemaps:
    """sitemaps.jsonl read back: the addresses in the order read, each with how the crawl
    takes it (`sitemap`, or `list` for a `--urls` file), the files tried, and whether the
    reading finished."""

    addresses: list[tuple[str, str]] = field(default_factory=list)
    in_sitemap: set[str] = field(default_factory=set)
    listing: dict[str, str] = field(default_factory=dict)  # entry -> the sitemap listing it
    files: list[SitemapRecord] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    done: bool = False


class Box(TypedDict):
    """Page coordinates in CSS pixels (from the top of the document, not the viewport)."""

    x: float
    y: float
    width: float
    height: float


class Element(Box):
    """An interactive element of a rendered page (crawler/collect.js `collect()`), with what
    the menu walk (crawler/render.py MenuWalk) learned of the menus that hide it."""

    index: int
    tag: str
    role: str
    name: str  # the accessible name a customer reads or hears
    href: str  # absolute and normalised for http(s) links, else as the browser gave it
    displayed: bool  # at load, before any menu is opened
    covered: bool | None  # by an overlay at load; None when not displayed
    covered_by: str | None
    font_size: float
    color: str
    background: str
    region: str
    css: str  # a CSS path that finds the element again
    href_attr: str
    link_role: str  # "toggle", "anchor", "placeholder", "self" or "" for a plain link
    in_collapsed_menu: bool
    menu_depth: int  # menu openings needed to show it (0: shown at load)
    menu_path: list[str]  # the openers' labels, outermost first
    menu_via: list[str]  # the openers' CSS paths
    menu_hows: list[str]  # "click" or "hover", one per opener
    menu_how: NotRequired[str]


class Distractor(Box):
    """Something on the first screen that draws the eye without serving a task."""

    kind: str  # modal, cookie_wall, carousel, promo_banner, autoplay_media, animated_image,
    # large_image
    css: str
    area_share: float  # of the first viewport
    text: str
    links: list[str]
    rotating: bool
    label: NotRequired[str]


class Consent(Box):
    """A consent layer found at load, and how it was answered for a returning customer."""

    platform: str
    css: str
    area_share: float
    text: str
    refuse_label: str
    covered: list[str]  # CSS paths of the elements it covered on a first visit
    # refused, removed, gone; "refused, then removed" or "refused, then refused" when the
    # refusal opened a settings panel
    answer: str


class TabStop(TypedDict):
    css: str
    href: str
    name: str
    ring: bool  # a sighted keyboard user sees where focus is
    color: str
    background: str
    decoration: str


class Opener(Box):
    """A menu opener the menu walk opened (crawler/collect.js menuOpeners)."""

    css: str
    name: str
    how: str  # click or hover
    tag: str
    role: str
    control: bool  # a link, button or element with a widget role
    focusable: bool  # in the Tab order
    clickable: bool  # clicking it stays on the page (no link away): a hover parent may be clicked


class DeadControl(TypedDict):
    """A call-to-action button whose click changed nothing (crawler/render.py dead_controls)."""

    css: str
    name: str


class A11yNode(TypedDict):
    css: str  # the same CSS path as Element.css, or axe's selector inside frames
    summary: str  # axe's failure summary, shortened
    tag: str
    field: bool  # a form field (input, select, textarea)


class A11yViolation(TypedDict):
    """One axe-core rule that failed on the page, and the elements it failed on."""

    rule: str  # axe's rule id, e.g. button-name, color-contrast, label
    impact: str  # minor, moderate, serious or critical
    tags: list[str]  # wcag2a, wcag143, ...
    help: str
    help_url: str
    nodes: list[A11yNode]


class FocusTrap(TypedDict):
    dialog: str  # the dialog's CSS path
    stops: list[str]  # what Tab went round, by name


class RenderedPage(TypedDict):
    """One page in one viewport, a line of rendered.jsonl."""

    url: str
    viewport: str  # desktop or mobile
    ok: bool
    error: str
    width: int
    height: int
    status: int | None
    dcl_ms: float | None
    load_ms: float | None
    lcp_ms: float | None
    text_chars: int | None
    screenshot: str  # file name under screenshots/, or ""
    menu_toggle: str | None  # the first top-level menu opener's CSS path
    elements: list[Element]
    distractors: list[Distractor]
    screen_width: NotRequired[float]
    screen_height: NotRequired[float]
    scale: NotRequired[float]
    layout_width: NotRequired[int]
    viewport_meta: NotRequired[bool]
    scroll_width: NotRequired[int]
    consent: NotRequired[Consent]
    tab_order: NotRequired[list[TabStop]]
    tab_limit: NotRequired[int]
    menu_screenshots: NotRequired[dict[str, str]]  # task id -> file with its menus open
    openers: NotRequired[list[Opener]]
    a11y: NotRequired[list[A11yViolation]]  # axe-core violations, WCAG 2.x A and AA
    focus_trap: NotRequired[FocusTrap | None]  # the start page on desktop only
    dead_controls: NotRequired[list[DeadControl]]  # the start page: buttons that did nothing
