"""The crawl: breadth-first from the start URL, each URL requested once, every page recorded."""

from __future__ import annotations

import json
import os
import re
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import scrapy
from lxml import etree
from lxml import html as lxml_html
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from contract.config import Config
from contract.records import PageRecord, SearchRecord
from crawler.frontier import entry as frontier_entry
from crawler.language import page_language
from crawler.links import (
    Link,
    canonical_url,
    extract_links,
    normalize_url,
    page_title,
    resolve,
    url_pattern,
)
from crawler.one_language import LanguageScope
from crawler.redirects import OFFSITE_REDIRECT
from crawler.scripted_pages import ClickLink, ScriptedNavigation
from crawler.session import DenyList, scrapy_cookies
from crawler.site_search import SearchForm, find_search_form, query_url, result_links, task_queries
from crawler.targets import TargetMatcher, page_text, text_digest

HTML_TYPES = ("text/html", "application/xhtml+xml")
ENTRY = "frontier_entry"  # request meta in a shared crawl: the frontier entry it serves
# Where React, Vue, Angular, Next, Nuxt and Ember apps mount: (attribute, value or None).
APP_ROOTS = [
    ("id", "root"),
    ("id", "app"),
    ("id", "__next"),
    ("id", "__nuxt"),
    ("ng-version", None),
    ("ng-app", None),
    ("data-reactroot", None),
    ("data-v-app", None),
]
_APP_ROOT = etree.XPath(
    "(//body//*[" + " or ".join(f"@{a}='{v}'" if v else f"@{a}" for a, v in APP_ROOTS) + "])[1]"
)


def app_root(root: lxml_html.HtmlElement) -> str:
    """The first single-page-app mount point on the page, as a selector; "" when none."""
    for element in _APP_ROOT(root):
        for attribute, value in APP_ROOTS:
            if value is None and element.get(attribute) is not None:
                return f"[{attribute}]"
            if value is not None and element.get(attribute) == value:
                return f"#{value}"
    return ""


_ROBOTS_META = etree.XPath(
    "//meta[translate(@name, 'ROBTSGOE', 'robtsgoe') = 'robots' or "
    "translate(@name, 'ROBTSGOE', 'robtsgoe') = 'googlebot']/@content"
)
_NOINDEX = re.compile(r"\b(noindex|none)\b", re.IGNORECASE)


def says_noindex(response: Response, root: lxml_html.HtmlElement | None) -> bool:
    """The page asks search engines to leave it out: `<meta name=robots content=noindex>` or
    an `X-Robots-Tag: noindex` header (`none` means noindex, nofollow)."""
    headers = b" ".join(response.headers.getlist("X-Robots-Tag")).decode("latin-1")
    metas = " ".join(_ROBOTS_META(root)) if root is not None else ""
    return bool(_NOINDEX.search(headers) or _NOINDEX.search(metas))


def _header(response: Response, name: str) -> str:
    return response.headers.get(name, b"").decode("latin-1")


def _content_type(response: Response) -> str:
    return _header(response, "Content-Type").split(";")[0].strip()


def _html_root(response: Response) -> lxml_html.HtmlElement | None:
    """The parsed page, when the response is HTML (by its type, or its first bytes)."""
    content_type = _content_type(response)
    is_html = isinstance(response, TextResponse) and (
        content_type.lower() in HTML_TYPES
        or (not content_type and b"<html" in response.body[:1024].lower())
    )
    return response.selector.root if is_html else None


def one_line(failure: Failure) -> str:
    """A failure as the short message a user reads in pages.csv."""
    exc = failure.value
    # Playwright appends its call log ("Call log: - navigating to ..."): the first part says it.
    text = " ".join(str(exc).split("Call log:")[0].split()) or type(exc).__name__
    name = type(exc).__name__
    return text if name in ("IgnoreRequest",) else f"{name}: {text}"[:300]


LATER_BATCH = 500  # addresses only a sitemap or a list names, requested this many at a time

# A URL pattern (crawler.links.url_pattern) may take a tenth of max_pages, and at least 50
# URLs: a calendar trap on a 300-page audit stops at 50, a 40-page paged list is whole.
PATTERN_SHARE = 0.1
PATTERN_FLOOR = 50


def pattern_budget(max_per_pattern: int, max_pages: int) -> int:
    """URLs one query pattern may take: a share of the page budget, never above the config's
    `max_per_pattern`."""
    return min(max_per_pattern, max(PATTERN_FLOOR, int(PATTERN_SHARE * max_pages)))


class SiteSpider(scrapy.Spider):
    """Records every fetched URL and link; following is limited to `allowed_domains`.

    Links are followed from the start page first; the addresses that only a sitemap or a
    `--urls` list names (`later`) are requested once no link is left to follow, so that
    the link crawl has the page budget first and a page it reaches is found by a link.
    """

    name = "toptasks"

    def __init__(
        self,
        config: Config,
        seeds: list[tuple[str, int]] = (),
        known: set[str] = frozenset(),
        session: dict[str, Any] | None = None,
        browser: bool = False,
        shared: bool = False,
        later: list[tuple[str, str]] = (),
        follow: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # A worker of a shared crawl: requests come from the Redis frontier (crawler.worker
        # sets `frontier`), the links it finds are admitted there, and it starts nothing.
        self.shared = shared
        self.frontier = None
        # A browser crawl: each page is loaded by scrapy-playwright and read once it settles.
        self.scripted = ScriptedNavigation() if browser else None
        site = config.site
        assert site.start_url is not None
        self.start_url = normalize_url(site.start_url)
        self.language = LanguageScope(site.lang, self.start_url)
        self.allowed_domains = site.allowed_domains
        self.max_pages = site.max_pages
        self.max_depth = site.max_depth
        self.targets = TargetMatcher(config.tasks)
        self.max_per_pattern = pattern_budget(site.max_per_pattern, site.max_pages)
        # Pages already in the model (a resumed or extended crawl) count toward every limit.
        self.seen: set[str] = {self.start_url, *known}
        self.admitted = len(self.seen)
        self.per_pattern: Counter[str] = Counter(url_pattern(url) for url in known)
        self.trapped: Counter[str] = Counter()  # pattern -> URLs not followed past the cap
        self.errors = 0
        # Signed in: the browser's cookies go with the first requests (Scrapy's cookie jar
        # keeps them from there), and links that would end the session are never followed.
        self.cookies = scrapy_cookies(session) if session else []
        self.deny = DenyList.for_login(config.login) if session and config.login else None
        # Seeds extend an existing model (rendered links, a resumed crawl); else start afresh.
        fresh = not seeds and not known
        self.seeds = (
            [(url, depth) for url, depth in seeds if not self._denied(url) and self._admit(url)]
            if seeds
            else [(self.start_url, 0)]
            if fresh
            else []
        )
        # (url, found_via) named by sitemaps or a --urls list, for when the links run out.
        self.later = deque((url, via) for url, via in later if url not in self.seen)
        self.follow = follow  # False for a --urls list: exactly the pages it names
        # The site's own search is tried once, from the start page of a fresh public crawl.
        self.search_pending = site.search and fresh and session is None
        if shared:
            self.seeds = []
        self.search_url = site.search_url
        self.search_tasks = [task for task in config.tasks if task.area == "public"]
        if site.auth and site.auth.basic:
            self.http_user = os.environ.get(site.auth.basic.username_env, "")
            self.http_pass = os.environ.get(site.auth.basic.password_env, "")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.links_done, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url, depth in self.seeds:
            via = "start" if url == self.start_url and depth == 0 else "link"
            yield self._request(url, depth, self.cookies or None, via)

    def links_done(self) -> None:
        """Nothing left to follow: the next addresses only sitemaps or the list name."""
        if self.shared:  # the coordinator hands those out (crawler.shared_crawl)
            return
        batch = []
        while self.later and len(batch) < LATER_BATCH and self.admitted < self.max_pages:
            url, via = self.later.popleft()
            if self._admit(url):
                batch.append(self._request(url, 0, self.cookies or None, via))
        if self.admitted >= self.max_pages:
            self.later.clear()
        for request in batch:
            self.crawler.engine.crawl(request)
        if batch:
            raise DontCloseSpider

    def _request(
        self,
        url: str,
        depth: int | None = None,
        cookies: list[dict[str, Any]] | None = None,
        via: str = "link",
    ) -> scrapy.Request:
        meta: dict[str, Any] = {} if depth is None else {"depth": depth}
        if via != "link":
            meta["found_via"] = via
        if self.scripted is not None:
            meta |= {"playwright": True, "playwright_page_methods": [PageMethod(self.scripted)]}
        return scrapy.Request(
            url, callback=self.parse, errback=self.record_failure, meta=meta, cookies=cookies
        )

    def request_for(self, claimed: str) -> scrapy.Request:
        """The request a frontier entry stands for (crawler.frontier.entry)."""
        url, depth, *more = json.loads(claimed)
        via = more.pop() if len(more) == 1 else "link"
        search = more
        request = self._request(url, depth, via=via)
        meta = request.meta | {ENTRY: claimed}
        if search:
            meta["search"] = tuple(search)
            return request.replace(
                callback=self.parse_search, errback=self.search_failed, meta=meta
            )
        return request.replace(meta=meta)

    def _denied(self, url: str, text: str = "") -> bool:
        return self.deny is not None and self.deny.blocks(url, text)

    def parse(self, response: Response) -> Iterator[Any]:
        depth = response.meta.get("depth", 0)
        # A script that sends the browser elsewhere is a redirect too: keep what was asked for.
        requested = response.meta.get("redirect_urls", [response.request.url])[0]
        content_type = _content_type(response)
        root = _html_root(response)
        links = extract_links(root, response.url, self.allowed_domains) if root is not None else []
        click_links = self._click_links(response)
        links += [self._as_link(c, len(links) + i + 1) for i, c in enumerate(click_links)]
        text = page_text(root) if root is not None else ""
        self.language.learn(root, _header(response, "Content-Language"), response.url)
        if self.deny is not None:
            links = [
                replace(link, kind="denied") if self._denied(link.target_url, link.text) else link
                for link in links
            ]
        ok = response.status < 400
        offsite = response.meta.get(OFFSITE_REDIRECT)
        error = f"redirects outside allowed_domains to {offsite}; not followed" if offsite else ""
        page = PageRecord(
            url=requested,
            final_url=response.url,
            status=response.status,
            depth=depth,
            title=page_title(root) if root is not None else "",
            content_type=content_type,
            bytes=len(response.body),
            n_links=len(links),
            fetch_ms=round(response.meta.get("download_latency", 0.0) * 1000, 1),
            targets=self.targets.tasks_served_by(response.url, root, text) if ok else [],
            error=error,
            text_chars=len(text) if root is not None else None,
            app_root=app_root(root) if root is not None else "",
            text_digest=text_digest(text) if root is not None and text else None,
            found_via=response.meta.get("found_via", "link"),
            canonical=canonical_url(root, response.url) if root is not None else "",
            noindex=says_noindex(response, root),
            lang=page_language(root, _header(response, "Content-Language"), text),
        )
        # Links are admitted before the page is handed on: in a shared crawl, the page's item
        # ends its claim, and the frontier must not look empty while its links are unqueued.
        if ok and depth < self.max_depth:
            yield from self._follow(links, depth + 1)
        if self.search_pending and requested == self.start_url and ok and root is not None:
            yield from self._search(root, response.url)
        yield {"page": page, "links": links, "click_links": click_links, "entry": _entry(response)}

    def _search(self, root: lxml_html.HtmlElement, page_url: str) -> Iterator[Any]:
        """Each public task's words in the site's search (GET only), results read in order."""
        self.search_pending = False
        form = (
            SearchForm(self.search_url, "config")
            if self.search_url
            else find_search_form(root, page_url)
        )
        yield {"search": SearchRecord("form", form.template, form.source, form.note)}
        if not form.template:
            return
        for task in self.search_tasks:
            for query in task_queries(task):
                request = self._request(query_url(form.template, query), depth=1)
                yield request.replace(
                    callback=self.parse_search,
                    errback=self.search_failed,
                    meta=request.meta | {"search": (task.id, query)},
                    dont_filter=True,
                )

    def parse_search(self, response: Response) -> Iterator[Any]:
        """A results page is not a page of the site's model; the results it lists are crawled
        (within max_pages), so that a target found only through search is known."""
        task_id, query = response.meta["search"]
        root = _html_root(response)
        links = extract_links(root, response.url, self.allowed_domains) if root is not None else []
        results = result_links(links)
        if response.status < 400:
            depth = response.meta.get("depth", 1) + 1
            found = [link for link in links if link.target_url in results]
            yield from self._follow(found, depth, "search")
        record = SearchRecord(
            "query",
            response.url,
            task_id=task_id,
            query=query,
            status=response.status,
            results=results,
        )
        yield {"search": record, "entry": _entry(response)}

    def search_failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        task_id, query = failure.request.meta["search"]
        response = getattr(failure.value, "response", None)
        record = SearchRecord("query", failure.request.url, task_id=task_id, query=query)
        record.status = response.status if response is not None else None
        record.note = one_line(failure)
        yield {"search": record, "entry": failure.request.meta.get(ENTRY, "")}

    def _click_links(self, response: Response) -> list[ClickLink]:
        methods = response.meta.get("playwright_page_methods") or []
        found = methods[0].result if methods else None
        return found["click_links"] if found else []

    def _as_link(self, click: ClickLink, position: int) -> Link:
        url, kind = resolve("", click.target_url, tuple(self.allowed_domains))
        return Link(url, click.name, click.region, position, kind)

    def _admit(self, url: str) -> bool:
        """Each URL is requested once, within max_pages and the per-pattern cap."""
        if url in self.seen or self.admitted >= self.max_pages:
            return False
        self.seen.add(url)
        pattern = url_pattern(url)
        if pattern:
            self.per_pattern[pattern] += 1
            if self.per_pattern[pattern] > self.max_per_pattern:
                self.trapped[pattern] += 1
                return False
        self.admitted += 1
        return True

    def _follow(self, links: list[Link], depth: int, via: str = "link") -> Iterator[scrapy.Request]:
        if not self.follow:
            return
        if self.frontier is not None:
            self._share(links, depth, via)
            return
        for link in links:
            if link.kind != "internal" or not self.language.allows(link.target_url):
                continue
            if self._admit(link.target_url):
                yield self._request(link.target_url, via=via)
            elif self.admitted >= self.max_pages:
                return

    def _share(self, links: list[Link], depth: int, via: str = "link") -> None:
        """A page's links not seen by this worker go to the shared frontier in one call, which
        applies the seen-set, max_pages and the trap budget for every worker at once."""
        candidates = []
        for link in links:
            url = link.target_url
            if link.kind == "internal" and url not in self.seen and self.language.allows(url):
                self.seen.add(url)
                entry = frontier_entry(url, depth, via=via)
                candidates.append((url, url_pattern(url), entry))
        if candidates:
            self.frontier.admit(candidates, self.max_pages, self.max_per_pattern)

    def record_failure(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = failure.request
        self.errors += 1
        response = getattr(failure.value, "response", None)
        page = PageRecord(
            url=request.meta.get("redirect_urls", [request.url])[0],
            final_url=request.url,
            status=response.status if response is not None else None,
            depth=request.meta.get("depth", 0),
            error=one_line(failure),
            found_via=request.meta.get("found_via", "link"),
        )
        yield {"page": page, "links": [], "click_links": [], "entry": request.meta.get(ENTRY, "")}


def _entry(response: Response) -> str:
    return response.meta.get(ENTRY, "")
