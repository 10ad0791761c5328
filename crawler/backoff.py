"""Honouring `Retry-After`: a site that says "busy, come back in N seconds" gets N seconds.

Scrapy retries 429 and 503 answers (RetryMiddleware) and AutoThrottle widens the delay from
latencies, but neither reads `Retry-After`. This middleware sets the site's download slot delay
from it before the retry is scheduled; AutoThrottle then eases the delay down again as the site
answers well.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

MAX_WAIT_S = 60.0  # a longer wait is a site asking not to be crawled now; retries give up


def retry_after_s(value: bytes | None) -> float | None:
    """Seconds from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryAfter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status in (429, 503):
            wait = retry_after_s(response.headers.get(b"Retry-After"))
            downloader = self.crawler.engine.downloader if self.crawler.engine else None
            slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
            if wait is not None and slot is not None:
                slot.delay = max(slot.delay, min(wait, MAX_WAIT_S))
        return response
