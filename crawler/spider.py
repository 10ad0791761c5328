"""The crawl: breadth-first from the start URL, each URL requested once, every page recorded."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.links import Link, extract_links, normalize_url, page_title, url_pattern
from crawler.model import PageRecord
from crawler.redirects import OFFSITE_REDIRECT
from crawler.session import DenyList, scrapy_cookies
from crawler.targets import TargetMatcher
from toptasks.config import Config

HTML_TYPES = ("text/html", "application/xhtml+xml")


def one_line(failure: Failure) -> str:
    """A failure as the short message a user reads in pages.csv."""
    exc = failure.value
    text = " ".join(str(exc).split()) or type(exc).__name__
    name = type(exc).__name__
    return text if name in ("IgnoreRequest",) else f"{name}: {text}"[:300]


class SiteSpider(scrapy.Spider):
    """Records every fetched URL and link; following is limited to `allowed_domains`."""

    name = "toptasks"

    def __init__(
        self,
        config: Config,
        seeds: list[tuple[str, int]] = (),
        known: set[str] = frozenset(),
        session: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        site = config.site
        assert site.start_url is not None
        self.start_url = normalize_url(site.start_url)
        self.allowed_domains = site.allowed_domains
        self.max_pages = site.max_pages
        self.max_depth = site.max_depth
        self.targets = TargetMatcher(config.tasks)
        self.max_per_pattern = site.max_per_pattern
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
        self.seeds = (
            [(url, depth) for url, depth in seeds if not self._denied(url) and self._admit(url)]
            if seeds
            else [(self.start_url, 0)]
        )
        if site.auth and site.auth.basic:
            self.http_user = os.environ.get(site.auth.basic.username_env, "")
            self.http_pass = os.environ.get(site.auth.basic.password_env, "")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url, depth in self.seeds:
            yield self._request(url, depth, self.cookies or None)

    def _request(
        self, url: str, depth: int | None = None, cookies: list[dict[str, Any]] | None = None
    ) -> scrapy.Request:
        meta = {} if depth is None else {"depth": depth}
        return scrapy.Request(
            url, callback=self.parse, errback=self.record_failure, meta=meta, cookies=cookies
        )

    def _denied(self, url: str, text: str = "") -> bool:
        return self.deny is not None and self.deny.blocks(url, text)

    def parse(self, response: Response) -> Iterator[Any]:
        depth = response.meta.get("depth", 0)
        requested = response.meta.get("redirect_urls", [response.url])[0]
        content_type = (
            response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip()
        )
        is_html = isinstance(response, TextResponse) and (
            content_type.lower() in HTML_TYPES
            or (not content_type and b"<html" in response.body[:1024].lower())
        )
        root = response.selector.root if is_html else None
        links = extract_links(root, response.url, self.allowed_domains) if root is not None else []
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
            targets=self.targets.tasks_served_by(response.url, root) if ok else [],
            error=error,
        )
        yield {"page": page, "links": links}
        if ok and depth < self.max_depth:
            yield from self._follow(links)

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

    def _follow(self, links: list[Link]) -> Iterator[scrapy.Request]:
        for link in links:
            if link.kind == "internal" and self._admit(link.target_url):
                yield self._request(link.target_url)
            elif self.admitted >= self.max_pages:
                return

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
        )
        yield {"page": page, "links": []}
