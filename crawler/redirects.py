"""Redirects that leave `allowed_domains` are recorded as the page's answer, not followed.

Scrapy's OffsiteMiddleware drops such a redirect silently when it is scheduled, so the page
that redirected would vanish from the model. Marking the request `dont_redirect` before
RedirectMiddleware sees the answer hands the 3xx to the spider instead.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.links import host_allowed

OFFSITE_REDIRECT = "toptasks_offsite_redirect"


class OffsiteRedirect:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirect:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        location = response.headers.get(b"Location")
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        if 300 <= response.status < 400 and location and allowed:
            target = urljoin(response.url, location.decode("latin-1"))
            if not host_allowed(urlsplit(target).hostname or "", allowed):
                request.meta["dont_redirect"] = True
                request.meta[OFFSITE_REDIRECT] = target
        return response
