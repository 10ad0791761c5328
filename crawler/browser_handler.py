"""scrapy-playwright's download handler, with one browser for both schemes and pages reused.

Two measured costs of the stock handler on a 2-core machine (bench/spa_crawl.py): Scrapy builds
a handler per scheme, and each starts its own Playwright driver and Chromium (about 600 MB more
for a site that uses one scheme); and it opens a new page for every request and closes it
after, so Chromium starts and tears down a renderer process per URL. Reusing a page for the
next URL of the same site keeps its renderer: 6.5 -> 14 pages/s with 8 pages open (a plain
Playwright script on the same app, /tmp measurements reported in the README).
"""

from __future__ import annotations

import asyncio
from weakref import WeakKeyDictionary

from playwright.async_api import Page
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy_playwright.handler import DEFAULT_CONTEXT_NAME, ScrapyPlaywrightDownloadHandler
from twisted.internet.error import TimeoutError as DownloadTimeoutError

from crawler.browser import close_page

_SHARED: WeakKeyDictionary[Crawler, SharedPlaywrightHandler] = WeakKeyDictionary()
# A renderer grows a little with every document it has shown; a page is closed (and its
# renderer with it) after this many, which bounds the browser's memory on long crawls.
MAX_USES_PER_PAGE = 50


class SharedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """The first scheme's handler serves the other too; a page that loaded a URL well is kept
    for the next request, and one that failed is closed."""

    _closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPlaywrightHandler:
        if crawler not in _SHARED:
            _SHARED[crawler] = cls(crawler)
        return _SHARED[crawler]

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._idle: list[Page] = []
        self._uses: dict[Page, int] = {}

    async def _create_page(self, request: Request, spider: Spider) -> Page:
        while self._idle:
            page = self._idle.pop()
            if not page.is_closed():
                await page.unroute("**")  # the last request's interception
                request.meta.setdefault("playwright_context", DEFAULT_CONTEXT_NAME)
                return page
        return await super()._create_page(request, spider)

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        request.meta["playwright_include_page"] = True  # so that the handler leaves it open
        limit_s = 2 * self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180)
        try:
            response = await asyncio.wait_for(super()._download_request(request, spider), limit_s)
        except TimeoutError as exc:
            # scrapy-playwright bounds the navigation, not every wait after it (its issue
            # #330: a download that never starts); a stuck request fails like a timeout.
            await self._drop(request)
            raise DownloadTimeoutError(f"gave up on {request.url} after {limit_s:.0f} s") from exc
        except Exception:
            await self._drop(request)
            raise
        page = request.meta.pop("playwright_page", None)
        if page is not None and not page.is_closed():
            self._uses[page] = self._uses.get(page, 0) + 1
            if self._uses[page] < MAX_USES_PER_PAGE:
                self._idle.append(page)
            else:
                del self._uses[page]
                await close_page(page)
        return response

    async def _drop(self, request: Request) -> None:
        """Close the page a failed request used: it may be in any state."""
        page = request.meta.pop("playwright_page", None)
        if page is not None and not page.is_closed():
            self._uses.pop(page, None)
            await close_page(page)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await super().close()
