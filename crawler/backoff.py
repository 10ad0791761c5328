"""Honouring `Retry-After`: a site that says "busy, come back in N seconds" gets N seconds.

Scrapy retries 429 and 503 answers (RetryMiddleware) and AutoThrottle widens the delay from
latencies, but neither reads `Retry-After`. This middleware sets the site's download slot delay
from it before the retry is scheduled, and restores the usual delay once the site answers.
"""

from __future__ import annotations

import time
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
        self.backing_off: dict[str, tuple[float, float]] = {}  # slot -> (usual delay, until)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        key = request.meta.get("download_slot")
        engine = self.crawler.engine
        slot = engine.downloader.slots.get(key) if engine and key is not None else None
        if slot is None:
            return response
        wait = retry_after_s(response.headers.get(b"Retry-After"))
        now = time.monotonic()
        if response.status in (429, 503) and wait is not None:
            wait = min(wait, MAX_WAIT_S)
            usual, until = self.backing_off.get(key, (slot.delay, now))
            self.backing_off[key] = (usual, max(until, now + wait))
            # Scrapy varies each delay by ±jitter; even the shortest must be the whole wait.
            slot.delay = max(slot.delay, wait / (1 - min(slot.jitter, 0.9)))
        elif key in self.backing_off and now >= self.backing_off[key][1]:
            slot.delay = self.backing_off.pop(key)[0]  # waited as asked: back to the usual pace
        return response
